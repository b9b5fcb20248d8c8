#![no_main]
// What this target asserts: parcours_fuzz::visit_check::visit_check (src/visit_check.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| parcours_fuzz::visit_check::visit_check(data));
