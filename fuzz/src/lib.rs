//! The fuzz targets' checks, as a library the targets in fuzz_targets/ call.
pub mod checks;
pub mod seed;
pub mod visit_check;
