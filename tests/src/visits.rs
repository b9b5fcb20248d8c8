//! Another visit for "Mes visites", "publish" and the booklet, written as an organiser would from the
//! README alone, built with the `parcours` CLI (beside this binary).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::webdriver::Result;

/// The second visit's title, as the app shows it.
pub const SECOND_TITLE: &str = "Balade numérique du Vieux-Bourg";

/// A copy of the Bayonne source folder at `source` (made afresh), to change.
pub fn copy_bayonne(source: &Path) -> Result {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let _ = std::fs::remove_dir_all(source);
    if let Some(parent) = source.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let copied = Command::new("cp")
        .arg("-r")
        .arg(root.join("assets/packs/bayonne-2024"))
        .arg(source)
        .status()
        .map_err(|e| e.to_string())?;
    if copied.success() { Ok(()) } else { Err("cannot copy the Bayonne pack".into()) }
}

/// `parcours pack build SOURCE -o FILE` with the CLI beside this binary; the file, absolute.
pub fn build(source: &Path, file: &Path) -> Result<PathBuf> {
    let cli = std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("parcours");
    let built = Command::new(&cli)
        .args(["pack", "build"])
        .arg(source)
        .arg("-o")
        .arg(file)
        .output()
        .map_err(|e| format!("{}: {e}", cli.display()))?;
    if !built.status.success() {
        return Err(format!("{} does not build: {}", source.display(), String::from_utf8_lossy(&built.stderr)));
    }
    file.canonicalize().map_err(|e| e.to_string())
}

/// The second visit's id.
pub const SECOND_ID: &str = "ville-test-2025";

/// Builds the second visit into `dir`; its file. It is the one an organiser wrote from
/// `assets/packs/README.md` alone (`tests/fixtures/ville-test-2025/`: another town, 3 stops, one route,
/// another worksheet, French only), and its streets are made again here the README's way, with
/// `parcours map import` from the export next to it (a street grid made by hand in OSM's format);
/// `pack check` must find nothing to say.
pub fn second_visit(dir: &Path) -> Result<PathBuf> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let source = dir.join("ville-test-source");
    let _ = std::fs::remove_dir_all(&source);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let copied = Command::new("cp")
        .arg("-r")
        .arg(fixtures.join("ville-test-2025"))
        .arg(&source)
        .status()
        .map_err(|e| e.to_string())?;
    if !copied.success() {
        return Err("cannot copy tests/fixtures/ville-test-2025".into());
    }
    let streets = source.join("map/streets.geojson");
    std::fs::remove_file(&streets).map_err(|e| format!("{}: {e}", streets.display()))?;
    let cli = std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("parcours");
    let run = |args: &[&std::ffi::OsStr]| -> Result<std::process::Output> {
        Command::new(&cli).args(args).output().map_err(|e| format!("{}: {e}", cli.display()))
    };
    let export = fixtures.join("ville-test-2025-export.osm");
    let imported = run(&[
        "map".as_ref(),
        "import".as_ref(),
        export.as_os_str(),
        "--bbox=2.9975,44.9982,3.0025,45.0018".as_ref(),
        "-o".as_ref(),
        streets.as_os_str(),
    ])?;
    if !imported.status.success() {
        return Err(format!("map import: {}", String::from_utf8_lossy(&imported.stderr)));
    }
    let checked = run(&["pack".as_ref(), "check".as_ref(), source.as_os_str()])?;
    let said = String::from_utf8_lossy(&checked.stderr);
    if !checked.status.success() || said.contains("warning") {
        return Err(format!("pack check of the second visit: {said}"));
    }
    build(&source, &dir.join(format!("{SECOND_ID}.parcours")))
}

/// On the second visit's map: its first stop's page shows what schema 4 added, its access note and its
/// photo (read from the pack, whole: 800 pixels wide, with its text alternative and its credit); the
/// way back after the last stop is on the map screen. Leaves the stop's page open.
pub fn second_stop_page(s: &crate::webdriver::Session) -> Result {
    s.click_css(".stop-item[data-stop='mediatheque']")?;
    s.wait_text("h1", "Médiathèque du Vieux-Bourg")?;
    s.wait_text(".access", "Entrée de plain-pied par la rue de l'Église")?;
    s.wait_text(".stop-photo figcaption", "Dessin d'essai de Parcours")?;
    s.wait(".stop-photo img")?;
    let mut shown = serde_json::Value::Null;
    for _ in 0..50 {
        shown = s.script(
            "const i = document.querySelector('.stop-photo img'); \
             return i && i.complete ? [i.naturalWidth, i.naturalHeight, i.alt, i.src.slice(0, 22)] : null;",
        )?;
        if !shown.is_null() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let want = serde_json::json!([
        800,
        500,
        "Dessin de la médiathèque : un bâtiment bas au toit rouge, une porte vitrée.",
        "data:image/png;base64,"
    ]);
    if shown != want {
        return Err(format!("the stop's photo: {shown} (wanted {want})"));
    }
    Ok(())
}

/// A route colour made to break out of the map's markup and send the page elsewhere.
pub const HOSTILE_COLOUR: &str = "#000\"/></svg><style>body{display:none}</style><meta http-equiv=\"refresh\" content=\"0;url=https://example.org/\">";

/// A copy of the visit `file` whose routes' colour is [`HOSTILE_COLOUR`], changed with SQLite behind
/// Parcours's back (the file still passes SQLite's own checks).
pub fn with_hostile_colour(file: &Path) -> Result<PathBuf> {
    let out = file.with_file_name("couleur-piegee.parcours");
    std::fs::copy(file, &out).map_err(|e| format!("{}: {e}", out.display()))?;
    let conn = rusqlite::Connection::open(&out).map_err(|e| e.to_string())?;
    conn.execute("UPDATE routes SET colour = ?1", [HOSTILE_COLOUR]).map_err(|e| e.to_string())?;
    Ok(out)
}

/// In "Mes visites": the hostile file is refused at opening, named with its reason; and a style sheet
/// written into the page is not applied (the Content-Security-Policy's `style-src-elem 'self'`).
pub fn hostile_colour_refused(s: &crate::webdriver::Session, file: &Path) -> Result {
    let input = s.wait("#visit-file")?;
    s.type_text(&input, &file.display().to_string())?;
    s.wait_text("#visit-status", "couleur-piegee.parcours")?;
    s.wait_text("#visit-status", "that is not written #rrggbb")?;
    let applied = s.script(
        "const st = document.createElement('style'); st.textContent = 'body { visibility: hidden }'; \
         document.head.append(st); const v = getComputedStyle(document.body).visibility; st.remove(); return v",
    )?;
    if applied != "visible" {
        return Err(format!("a style element written into the page applies (body visibility: {applied})"));
    }
    Ok(())
}

/// Offers `file` in "Mes visites" (the page open): its offer, which says `says`, waits for an answer.
pub fn offer(s: &crate::webdriver::Session, file: &Path, says: &str) -> Result {
    let input = s.wait("#visit-file")?;
    s.type_text(&input, &file.display().to_string())?;
    s.wait_text("#visit-offer", says).map(|_| ())
}

/// A visit file carrying Bayonne's id, built by someone else from its source and signed with a key of
/// their own (`parcours key new`, `pack build --sign`), in `dir`.
pub fn bayonne_from_someone_else(dir: &Path) -> Result<PathBuf> {
    let source = dir.join("bayonne-ailleurs");
    copy_bayonne(&source)?;
    let cli = std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("parcours");
    let key = dir.join("autre.key");
    let _ = std::fs::remove_file(&key);
    let file = dir.join("bayonne-ailleurs.parcours");
    for args in [
        vec!["key".as_ref(), "new".as_ref(), "-o".as_ref(), key.as_os_str()],
        vec![
            "pack".as_ref(),
            "build".as_ref(),
            source.as_os_str(),
            "-o".as_ref(),
            file.as_os_str(),
            "--sign".as_ref(),
            key.as_os_str(),
        ],
    ] {
        let done = Command::new(&cli).args(&args).output().map_err(|e| format!("{}: {e}", cli.display()))?;
        if !done.status.success() {
            return Err(format!("parcours {args:?}: {}", String::from_utf8_lossy(&done.stderr)));
        }
    }
    file.canonicalize().map_err(|e| e.to_string())
}

/// On "Mes visites", with Bayonne open: a file carrying its id from another key is offered as another
/// visit beside it, kept so, and Bayonne is still there and opens.
pub fn bayonne_stays(s: &crate::webdriver::Session, dir: &Path) -> Result {
    offer(s, &bayonne_from_someone_else(dir)?, "Une visite du même nom est déjà sur l'appareil")?;
    s.wait_text("#visit-offer", "Signée par la clé")?;
    s.wait_text("#visit-offer", "Il ne la remplace pas")?;
    s.click_css("#visit-keep")?;
    s.wait_text("#visit-status", "Cette visite est ouverte")?;
    s.wait_text(".visit[data-visit='bayonne-2024-autre-1']", "Autre visite du même nom")?;
    s.click_css(".visit[data-visit='bayonne-2024'] .visit-switch")?;
    s.wait_text("h1", "Inclusion numérique dans les quartiers prioritaires").map(|_| ())
}
