//! The fuzz targets' checks (fuzz/src/checks.rs, compiled here as they are) on their seeds, on the
//! corpora kept in git (fuzz/corpus/<target>/) and on every input that once failed
//! (fuzz/regressions/<target>/, each also a named test below). The long runs are `cargo xtask fuzz`;
//! this keeps what they found, on the pinned stable toolchain, in every `cargo xtask test`.

#[allow(dead_code)]
#[path = "../../../fuzz/src/checks.rs"]
mod checks;
#[allow(dead_code)]
#[path = "../../../fuzz/src/seed.rs"]
mod seed;

use std::path::PathBuf;

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Every file of `fuzz/<kind>/<target>/`, by name.
fn kept(kind: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind).join(target)) else { return Vec::new() };
    let mut files: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// Runs `target`'s check on each of its seeds, corpus files and regressions; fails naming the input.
/// The QR picture round trip (a code drawn and read, a tenth of a second in a debug build) runs on the
/// seeds and regressions; the corpus, kept for the reader of hostile pictures, goes through the reader.
fn replay(target: &str) {
    let mut inputs: Vec<(String, Vec<u8>, bool)> =
        checks::seeds(target).into_iter().enumerate().map(|(i, s)| (format!("seed {i}"), s, true)).collect();
    inputs.extend(kept("corpus", target).into_iter().map(|(n, d)| (n, d, false)));
    inputs.extend(kept("regressions", target).into_iter().map(|(n, d)| (n, d, true)));
    assert!(!inputs.is_empty());
    for (name, data, whole) in &inputs {
        let outcome = std::panic::catch_unwind(|| match (target, whole) {
            ("qr_image", false) => checks::qr_image_read(data),
            _ => checks::check(target, data),
        });
        assert!(outcome.is_ok(), "fuzz target {target} fails on {name} (see the panic above)");
    }
}

#[test]
fn every_target_has_a_replay() {
    assert_eq!(checks::TARGETS.len(), 7);
    for target in checks::TARGETS {
        assert!(fuzz_dir().join("fuzz_targets").join(format!("{target}.rs")).is_file(), "{target}");
    }
}

#[test]
fn qr_image() {
    replay("qr_image");
}

#[test]
fn handover_text() {
    replay("handover_text");
}

#[test]
fn user_data() {
    replay("user_data");
}

#[test]
fn pack_file() {
    replay("pack_file");
}

#[test]
fn pack_source() {
    replay("pack_source");
}

#[test]
fn gpx_trace() {
    replay("gpx_trace");
}

#[test]
fn map_import() {
    replay("map_import");
}

// Inputs the fuzzer found failing, each fixed; the file is in fuzz/regressions/<target>/.

/// A received file's notes were taken as this device's own (the fix: `import_received` takes
/// worksheets only).
#[test]
fn received_notes_are_not_taken_as_mine() {
    checks::check("user_data", include_bytes!("../../../fuzz/regressions/user_data/received-notes-taken-as-mine.json"));
}
