//! `parcours-core`: the domain of Parcours, with no UI and no app shell.
//!
//! - [`pack`]: a visit pack — its source format (TOML + Markdown + GeoJSON), the validation that turns it
//!   into a typed [`pack::Pack`] with every problem reported as `file:line: message`, and the model itself.
//! - [`store`] (feature `store`): all I/O — reading a pack source folder, the compiled pack file (SQLite).
//! - [`export`] (feature `export`): iCalendar, GPX and GeoJSON exports of a pack, the paper booklet.
//! - [`mapdata`] (feature `mapdata`): the street layer from an OpenStreetMap export.
//! - [`walk`]: its data types and the guide's run sheet; with feature `walk`, the street network, shortest walking paths, following a route from
//!   position fixes, the guide's run sheet, synthetic walks.
//!
//! The core never reads a clock, never draws a random number and never touches the network: callers pass
//! time in (see [`export::ics`]).

// The core reports through values, never by printing.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod labels;
pub mod links;
pub mod pack;
pub mod picture;
pub mod schedule;
pub mod search;
pub mod status;
pub mod text;
pub mod userdata;
pub mod wire;
pub mod worksheet;

#[cfg(feature = "qr")]
pub mod handover;

#[cfg(feature = "store")]
pub mod store;

#[cfg(feature = "export")]
pub mod export;

/// Streets from an OpenStreetMap export, for a pack's street layer (`parcours map import`).
#[cfg(feature = "mapdata")]
pub mod mapdata;

pub mod walk;

/// The Content-Security-Policy of every page Parcours writes for people to open or print (the booklet,
/// the poster, the worksheets page): nothing fetched, nothing run, its own inline styles and pictures
/// written into it only. A value that slipped past the checks can then neither run nor report who opens
/// the page.
pub const PAGE_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
