//! The command layer's fuzz target (fuzz/src/visit_check.rs, compiled here as it is) on its seeds, on
//! the corpus kept in git (fuzz/corpus/visit_check/) and on every input that once failed
//! (fuzz/regressions/visit_check/). The long runs are `cargo xtask fuzz visit_check`.

#[allow(dead_code)]
#[path = "../../../fuzz/src/seed.rs"]
mod seed;
#[path = "../../../fuzz/src/visit_check.rs"]
mod visit_check;

use std::path::PathBuf;

#[test]
fn visit_check() {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut inputs: Vec<(String, Vec<u8>)> =
        visit_check::seeds().into_iter().enumerate().map(|(i, s)| (format!("seed {i}"), s)).collect();
    for kind in ["corpus", "regressions"] {
        if let Ok(entries) = std::fs::read_dir(fuzz.join(kind).join("visit_check")) {
            let mut files: Vec<(String, Vec<u8>)> = entries
                .filter_map(Result::ok)
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
                .collect();
            files.sort();
            inputs.extend(files);
        }
    }
    for (name, data) in &inputs {
        let outcome = std::panic::catch_unwind(|| visit_check::visit_check(data));
        assert!(outcome.is_ok(), "fuzz target visit_check fails on {name} (see the panic above)");
    }
}
