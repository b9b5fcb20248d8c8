//! `parcours key new` and `pack build --sign`: an organiser's key made once, kept secret, never
//! overwritten; a pack signed with it says so when checked; a broken key file is refused by name.

use std::os::unix::fs::PermissionsExt;

use super::{parcours, source_dir, text};

#[test]
fn a_key_is_made_once_and_signs_the_packs_built_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("organisateur.key");
    let made = parcours(&["key", "new", "-o", key.to_str().unwrap()]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let said = text(&made.stdout);
    let fingerprint = said.lines().find_map(|l| l.strip_prefix("fingerprint ")).unwrap().to_owned();
    assert_eq!(fingerprint.len(), 19, "{said}");
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    // Never replaced: a second key over the first would orphan every visit signed with it.
    let before = std::fs::read(&key).unwrap();
    let again = parcours(&["key", "new", "-o", key.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(std::fs::read(&key).unwrap(), before);

    let file = tmp.path().join("signe.parcours");
    let built = parcours(&[
        "pack",
        "build",
        source_dir().to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
        "--sign",
        key.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    assert!(text(&built.stdout).contains(&format!("signed by key {fingerprint}")), "{}", text(&built.stdout));
    let checked = parcours(&["pack", "check", file.to_str().unwrap()]);
    assert!(text(&checked.stdout).contains(&format!("signed by key {fingerprint} (its signature checked)")));

    let broken = tmp.path().join("casse.key");
    std::fs::write(&broken, "pas une clé").unwrap();
    let refused = parcours(&[
        "pack",
        "build",
        source_dir().to_str().unwrap(),
        "-o",
        tmp.path().join("x.parcours").to_str().unwrap(),
        "--sign",
        broken.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("casse.key: not a Parcours signing key"), "{}", text(&refused.stderr));
    assert!(!tmp.path().join("x.parcours").exists());
}
