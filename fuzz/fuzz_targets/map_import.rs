#![no_main]
// What this target asserts: parcours_fuzz::checks::map_import (src/checks.rs). With PARCOURS_FUZZ_SEEDS=DIR,
// the seeds (the real Bayonne streets, a small OSM XML file) are written into DIR first (`cargo xtask fuzz` does it).
libfuzzer_sys::fuzz_target!(
    init: parcours_fuzz::checks::write_seeds("map_import"),
    |data: &[u8]| parcours_fuzz::checks::map_import(data)
);
