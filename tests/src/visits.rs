//! Another visit for "Mes visites", made as an organiser would: the Bayonne source copied, its id and
//! title changed, built with the `parcours` CLI (beside this binary).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::webdriver::Result;

/// The second visit's title, as the app shows it.
pub const SECOND_TITLE: &str = "Seconde visite d'essai";

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

/// Builds the second visit (id `seconde-2025`) into `dir`; its file.
pub fn second_visit(dir: &Path) -> Result<PathBuf> {
    let source = dir.join("seconde-source");
    copy_bayonne(&source)?;
    let edit = |file: &str, from: &str, to: &str| -> Result {
        let path = source.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !text.contains(from) {
            return Err(format!("{file} has no {from}"));
        }
        std::fs::write(&path, text.replacen(from, to, 1)).map_err(|e| e.to_string())
    };
    edit("pack.toml", "id = \"bayonne-2024\"", "id = \"seconde-2025\"")?;
    edit("event.toml", "title = { fr = \"", &format!("title = {{ fr = \"{SECOND_TITLE} — "))?;
    build(&source, &dir.join("seconde-2025.parcours"))
}
