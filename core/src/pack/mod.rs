//! A visit pack: source format → validated model.
//!
//! The organiser writes a folder of files (see `assets/packs/README.md`); [`Source`] holds those files as
//! bytes (no I/O here), [`load`] validates them into a [`Pack`] or returns every [`Problem`] found.

pub mod bounds;
pub mod easy;
mod hm;
#[cfg(feature = "source")]
mod load;
mod model;
mod problem;
#[cfg(feature = "source")]
mod raw;

pub use hm::Hm;
#[cfg(feature = "source")]
pub use load::{FORMAT_VERSION, MAX_AUDIO_BYTES, Source, audio_mime, load, photo_info};
pub use model::*;
pub use problem::{LineIndex, Problem};
