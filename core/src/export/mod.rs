//! Exports of a pack into formats other tools read, each written with a maintained crate.
