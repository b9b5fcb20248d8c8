#![no_main]
// What this target asserts: parcours_fuzz::checks::pack_file (src/checks.rs). With PARCOURS_FUZZ_SEEDS=DIR,
// the seeds drawn from the real Bayonne pack are written into DIR first (`cargo xtask fuzz` does it).
libfuzzer_sys::fuzz_target!(
    init: parcours_fuzz::checks::write_seeds("pack_file"),
    |data: &[u8]| parcours_fuzz::checks::pack_file(data)
);
