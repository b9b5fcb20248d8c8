//! Integration tests of parcours-core, in one test binary (see ARCHITECTURE.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod bad_input;
mod exports;
mod format4;
mod fuzz_replay;
mod grid_walks;
mod handover;
mod hostile;
mod limits;
mod mapdata;
mod real_pack;
mod signed;
mod snapshots;
mod user_db;
mod validation;
mod walk;
mod worst;

use std::path::PathBuf;

use parcours_core::pack::{Pack, Source};

/// The real Bayonne pack source folder.
pub fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024")
}

pub fn real_source() -> Source {
    let (source, problems) = parcours_core::store::read_source(&source_dir());
    assert!(problems.is_empty(), "{problems:?}");
    source
}

/// The real pack compiled into a temporary folder (kept alive by the returned guard).
pub fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.parcours");
    parcours_core::store::build_pack_file(&real_pack(), &file).unwrap();
    (dir, file)
}

pub fn real_pack() -> Pack {
    parcours_core::pack::load(&real_source()).unwrap_or_else(|problems| {
        panic!(
            "the real pack must be valid:\n{}",
            problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
        )
    })
}
