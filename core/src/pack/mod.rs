//! A visit pack: source format → validated model.
//!
//! The organiser writes a folder of files (see `assets/packs/README.md`); [`Source`] holds those files as
//! bytes (no I/O here), [`load`] validates them into a [`Pack`] or returns every [`Problem`] found.

mod hm;
mod load;
mod model;
mod problem;
mod raw;

pub use hm::Hm;
pub use load::{FORMAT_VERSION, Source, load};
pub use model::*;
pub use problem::{LineIndex, Problem};
