//! `cargo xtask audit`: the locked dependencies (Cargo.lock and fuzz/Cargo.lock) against the RustSec
//! advisory database, with cargo-audit (from PyPI, see `PYPI_TOOLS`), never fetching anything.
//!
//! The database is a copy of https://github.com/rustsec/advisory-db, found at `$PARCOURS_ADVISORY_DB`
//! or cargo-audit's own place (`$CARGO_HOME/advisory-db`). This machine and CI reach no GitHub: with no
//! database, the check says it skipped, and passes. Either way it first proves that it works: a
//! database holding one advisory planted against a crate of Cargo.lock must make cargo-audit fail.

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, step};

const LOCKS: &[&str] = &["Cargo.lock", "fuzz/Cargo.lock"];

/// What the audit did: `Some(database)` when the real advisories were checked, `None` when skipped.
pub fn check() -> Result<Option<PathBuf>> {
    step("audit: the locked dependencies against the RustSec advisories (cargo-audit)");
    planted()?;
    let Some(db) = database() else {
        eprintln!(
            "audit: skipped: no RustSec advisory database (none at $PARCOURS_ADVISORY_DB nor $CARGO_HOME/advisory-db; \
             with GitHub: git clone https://github.com/rustsec/advisory-db ~/.cargo/advisory-db)"
        );
        return Ok(None);
    };
    for lock in LOCKS {
        let (ok, text) = audit(&db, lock)?;
        eprint!("{text}");
        if !ok {
            return Err(format!("{lock}: cargo-audit found advisories against locked crates (above)"));
        }
    }
    eprintln!("audit: {} checked against {}", LOCKS.join(" and "), db.display());
    Ok(Some(db))
}

fn database() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    std::env::var_os("PARCOURS_ADVISORY_DB")
        .map(PathBuf::from)
        .into_iter()
        .chain(home.map(|h| h.join("advisory-db")))
        .find(|p| p.join("crates").is_dir())
}

/// Runs cargo-audit on `lock` with database `db`: (no advisory found, what it said).
fn audit(db: &std::path::Path, lock: &str) -> Result<(bool, String)> {
    let out = Command::new("cargo")
        .args(["audit", "--no-fetch", "--stale", "--db"])
        .arg(db)
        .args(["--file", lock])
        .output()
        .map_err(|e| format!("cannot start cargo audit: {e}"))?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    ))
}

/// The check's own test: an advisory planted against `base45` (in Cargo.lock) is found; with the
/// advisory gone, nothing is.
fn planted() -> Result {
    let db = PathBuf::from("target/audit-planted");
    let _ = std::fs::remove_dir_all(&db);
    let dir = db.join("crates/base45");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let advisory = dir.join("RUSTSEC-2099-0001.md");
    std::fs::write(
        &advisory,
        "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"base45\"\ndate = \"2099-01-01\"\n\
         url = \"https://example.org/planted\"\n\n[versions]\npatched = []\n```\n\n# Planted by cargo xtask\n\n\
         It proves the check finds what the database holds.\n",
    )
    .map_err(|e| format!("{}: {e}", advisory.display()))?;
    let (ok, text) = audit(&db, "Cargo.lock")?;
    if ok || !text.contains("RUSTSEC-2099-0001") {
        return Err(format!("cargo-audit did not find the advisory planted against base45:\n{text}"));
    }
    std::fs::remove_file(&advisory).map_err(|e| e.to_string())?;
    let (ok, text) = audit(&db, "Cargo.lock")?;
    if !ok {
        return Err(format!("cargo-audit fails with no advisory at all:\n{text}"));
    }
    eprintln!("audit: cargo-audit finds an advisory planted against a locked crate, and none when there is none");
    Ok(())
}
