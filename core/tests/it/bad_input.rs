//! Bad input never panics and always gets a clear error.

use std::io::Write;

use parcours_core::pack::{Source, load};
use parcours_core::store::{APPLICATION_ID, PackFile, SCHEMA_VERSION, StoreError, read_source};
use proptest::prelude::*;

use super::built;

fn open_err(path: &std::path::Path) -> StoreError {
    match PackFile::open(path) {
        Ok(_) => panic!("{} opened", path.display()),
        Err(e) => e,
    }
}

#[test]
fn empty_folder_lists_every_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let (source, problems) = read_source(dir.path());
    assert!(problems.is_empty());
    let problems = load(&source).unwrap_err();
    assert_eq!(problems.len(), 1, "without pack.toml there is no language list to check the rest: {problems:?}");
    assert_eq!(problems[0].to_string(), "pack.toml:1: file is missing");
}

#[test]
fn folder_that_does_not_exist() {
    let (_, problems) = read_source(std::path::Path::new("/nonexistent/parcours/pack"));
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("cannot read the pack folder"), "{problems:?}");
}

#[test]
fn missing_truncated_and_foreign_files_are_refused_by_name() {
    let (dir, file) = built();
    assert_eq!(open_err(&dir.path().join("nope.parcours")).code(), "not_found");
    assert_eq!(open_err(dir.path()).code(), "not_a_pack");

    let empty = dir.path().join("empty.parcours");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(open_err(&empty).code(), "not_a_pack");

    let text = dir.path().join("text.parcours");
    std::fs::write(&text, "[event]\ntitle = 'not a pack'\n".repeat(10)).unwrap();
    let error = open_err(&text);
    assert_eq!(error.code(), "not_a_pack");
    assert!(error.to_string().contains("not an SQLite database"), "{error}");

    let bytes = std::fs::read(&file).unwrap();
    let truncated = dir.path().join("truncated.parcours");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let error = open_err(&truncated);
    assert_eq!(error.code(), "corrupt", "{error}");
    assert!(error.to_string().contains("damaged"), "{error}");

    let foreign = dir.path().join("foreign.sqlite");
    let conn = rusqlite_free_foreign(&foreign);
    drop(conn);
    let error = open_err(&foreign);
    assert_eq!(error.code(), "not_a_pack");
    assert!(error.to_string().contains("another application"), "{error}");
}

/// Another program's SQLite file: same magic, another application id. Written by copying our own pack
/// and patching the header, so this test needs no second SQLite binding.
fn rusqlite_free_foreign(path: &std::path::Path) -> std::fs::File {
    let (_dir, file) = built();
    let mut bytes = std::fs::read(file).unwrap();
    bytes[68..72].copy_from_slice(&0x1234_5678_i32.to_be_bytes());
    let mut out = std::fs::File::create(path).unwrap();
    out.write_all(&bytes).unwrap();
    out
}

#[test]
fn packs_from_another_schema_version_are_refused() {
    let (dir, file) = built();
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(i32::from_be_bytes(bytes[68..72].try_into().unwrap()), APPLICATION_ID as i32);
    for (version, code, words) in [(SCHEMA_VERSION + 1, "too_new", "newer Parcours"), (0, "too_old", "older Parcours")]
    {
        let mut patched = bytes.clone();
        patched[60..64].copy_from_slice(&(version as i32).to_be_bytes());
        let path = dir.path().join(format!("v{version}.parcours"));
        std::fs::write(&path, patched).unwrap();
        let error = open_err(&path);
        assert_eq!(error.code(), code);
        assert!(error.to_string().contains(words), "{error}");
    }
}

#[test]
fn a_flipped_page_is_caught_by_the_integrity_check() {
    let (dir, file) = built();
    let mut bytes = std::fs::read(&file).unwrap();
    // Overwrite the middle of the file (content pages), keep the header intact.
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 4096] {
        *b = 0x5a;
    }
    let path = dir.path().join("flipped.parcours");
    std::fs::write(&path, bytes).unwrap();
    assert_eq!(open_err(&path).code(), "corrupt");
}

/// A pack given as bytes (the web app's cached copy) opens in memory as the file does, and every damaged
/// or foreign variant of it is refused with the same code as the file.
#[test]
fn a_pack_from_bytes_opens_like_the_file_and_is_refused_like_it() {
    let (dir, file) = built();
    let bytes = std::fs::read(&file).unwrap();
    let from_file = PackFile::open(&file).unwrap();
    let from_bytes = PackFile::from_bytes("bayonne-2024.parcours", &bytes).unwrap();
    assert_eq!(from_bytes.pack(), from_file.pack());
    assert_eq!(from_bytes.size_bytes(), bytes.len() as u64);
    assert!(from_bytes.quick_check().is_ok());
    let hits = from_bytes.search("malegarie", Some("fr"), 5).unwrap();
    assert_eq!(hits, from_file.search("malegarie", Some("fr"), 5).unwrap());
    assert_eq!(hits[0].id, "cyberbase-malegarie", "FTS5 in memory, accents ignored");

    let patched = |at: usize, value: i32| {
        let mut b = bytes.clone();
        b[at..at + 4].copy_from_slice(&value.to_be_bytes());
        b
    };
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle..middle + 4096].fill(0x5a);
    let variants: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "not_a_pack"),
        ("text", b"[event]\ntitle = 'not a pack'\n".repeat(10), "not_a_pack"),
        ("truncated", bytes[..bytes.len() / 2].to_vec(), "corrupt"),
        ("foreign", patched(68, 0x1234_5678), "not_a_pack"),
        ("newer", patched(60, SCHEMA_VERSION as i32 + 1), "too_new"),
        ("older", patched(60, 0), "too_old"),
        ("flipped", flipped, "corrupt"),
    ];
    for (name, variant, code) in variants {
        let path = dir.path().join(format!("{name}.parcours"));
        std::fs::write(&path, &variant).unwrap();
        let error = PackFile::from_bytes(&format!("{name}.parcours"), &variant).err().expect(name);
        assert_eq!(error.code(), code, "{name}: {error}");
        assert_eq!(error.code(), open_err(&path).code(), "{name}: the same as the file");
        assert!(error.to_string().starts_with(&format!("{name}.parcours: ")), "named: {error}");
    }
}

/// The real source with one file replaced.
fn with_file(path: &str, bytes: Vec<u8>) -> Source {
    let mut source = super::real_source();
    source.insert(path, bytes);
    source
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_the_pack_opener(bytes in proptest::collection::vec(any::<u8>(), 0..8192), keep_header in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("random.parcours");
        let mut bytes = bytes;
        if keep_header && bytes.len() >= 100 {
            // A valid-looking header in front of garbage reaches SQLite itself.
            bytes[..16].copy_from_slice(b"SQLite format 3\0");
            bytes[60..64].copy_from_slice(&(SCHEMA_VERSION as i32).to_be_bytes());
            bytes[68..72].copy_from_slice(&(APPLICATION_ID as i32).to_be_bytes());
        }
        std::fs::write(&path, &bytes).unwrap();
        prop_assert!(PackFile::open(&path).is_err());
        prop_assert!(PackFile::from_bytes("random.parcours", &bytes).is_err());
    }

    #[test]
    fn random_bytes_never_panic_the_source_parser(
        file in prop::sample::select(vec!["pack.toml", "event.toml", "timetable.toml", "stops.toml", "routes.toml",
            "workshops.toml", "worksheet.toml", "initiatives.toml", "map.toml", "map/streets.geojson", "texts/stops/escm.fr.md"]),
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let result = load(&with_file(file, bytes));
        if let Err(problems) = result {
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|p| p.line >= 1 && !p.message.is_empty()));
        }
    }

    #[test]
    fn random_text_never_panics_the_source_parser(
        file in prop::sample::select(vec!["pack.toml", "event.toml", "timetable.toml", "stops.toml", "routes.toml"]),
        text in "[ -~\n]{0,400}",
    ) {
        let _ = load(&with_file(file, text.into_bytes()));
    }
}

#[test]
fn a_link_out_of_the_pack_folder_is_refused_and_one_inside_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    let copied = std::process::Command::new("cp").arg("-r").arg(super::source_dir()).arg(&pack).status().unwrap();
    assert!(copied.success());
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "not for the pack").unwrap();
    let text = pack.join("texts/stops/escm.fr.md");
    std::fs::rename(&text, pack.join("texts/shared-escm.fr.md.txt")).unwrap();
    std::os::unix::fs::symlink("../shared-escm.fr.md.txt", &text).unwrap();
    let (source, problems) = read_source(&pack);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(String::from_utf8_lossy(source.get("texts/stops/escm.fr.md").unwrap()).contains("Bruno Pescrilli"));
    std::fs::remove_file(&text).unwrap();
    std::os::unix::fs::symlink(&secret, &text).unwrap();
    let (source, problems) = read_source(&pack);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        problems[0].to_string(),
        "texts/stops/escm.fr.md:1: this link leads out of the pack folder: copy the file in"
    );
    assert!(source.get("texts/stops/escm.fr.md").is_none());
}
