//! The one wire contract between the interface and every shell (the Tauri app today, the web worker
//! next): each command's name, its arguments and its reply, as types, and the errors as codes.
//!
//! The interface calls `call::<wire::Search>(args)`; a shell answers `Search::NAME` with the same
//! types. Every command is one line of [`commands_list!`], from which the contract's types, the command
//! layer's dispatch table and the Tauri shell's commands are made; `COMMANDS` is the list the Tauri
//! build declares as permissions and writes into the capability. Arguments are JSON objects with these fields, except for the commands
//! whose [`Command::RAW`] is true: those take the bytes of a file as the call's raw body (and its name,
//! percent-encoded, in the `Parcours-File` header).

use chrono::NaiveDateTime;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

// The types replies are made of, named here so the contract's list (`commands_list!`) reaches them from
// any crate as `$crate::wire::…`.
pub use crate::schedule::DayStatus;
pub use crate::search::SearchHit;
pub use crate::status::{Code, Readiness, Received, Saved, UserDataStatus};
pub use crate::userdata::{ExportedWorksheet, ImportReport};
pub use crate::walk::guide::RunSheet;
pub use crate::walk::{Correction, Fix, FollowView, RoutePath};
pub use crate::worksheet::{Note, Removed, WorksheetDoc};

/// One command of the contract.
pub trait Command {
    /// Its name on the wire.
    const NAME: &'static str;
    /// True when the arguments are a file's bytes sent as the raw body ([`RawFile`]).
    const RAW: bool = false;
    type Args: Serialize + DeserializeOwned;
    type Reply: Serialize + DeserializeOwned;
}

/// What went wrong, as the interface sees it: a stable code to act on and a message to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError { code, message: message.into() }
    }
}

/// Every error code a command (or the interface's own transport) can give, serialized as the
/// snake_case strings the interface has always matched (`"disk_full"`, `"unknown_worksheet"`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // Opening or writing files and databases (the core's `StoreError::code`).
    NotFound,
    NotAPack,
    TooNew,
    TooOld,
    Corrupt,
    Io,
    Sqlite,
    DiskFull,
    ReadOnly,
    CannotOpen,
    // The app's state.
    Busy,
    Internal,
    NoDataDir,
    NoResources,
    // A command's arguments.
    BadRequest,
    UnknownCommand,
    UnknownRoute,
    UnknownStop,
    UnknownWorksheet,
    // The walk.
    NoStreets,
    NoPosition,
    Simulated,
    BadReplay,
    // Hand-over: codes and files.
    NoCode,
    NotParcours,
    TooLong,
    Unreadable,
    DamagedCode,
    BadFile,
    // The interface's side of the wire: no shell answered, a reply it could not read.
    NoShell,
    BadReply,
    Ipc,
    /// A code this build does not know (a newer shell).
    #[serde(other)]
    Other,
}

impl ErrorCode {
    /// Every code (the interface has a sentence for each: a test says so).
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::NotFound,
        ErrorCode::NotAPack,
        ErrorCode::TooNew,
        ErrorCode::TooOld,
        ErrorCode::Corrupt,
        ErrorCode::Io,
        ErrorCode::Sqlite,
        ErrorCode::DiskFull,
        ErrorCode::ReadOnly,
        ErrorCode::CannotOpen,
        ErrorCode::Busy,
        ErrorCode::Internal,
        ErrorCode::NoDataDir,
        ErrorCode::NoResources,
        ErrorCode::BadRequest,
        ErrorCode::UnknownCommand,
        ErrorCode::UnknownRoute,
        ErrorCode::UnknownStop,
        ErrorCode::UnknownWorksheet,
        ErrorCode::NoStreets,
        ErrorCode::NoPosition,
        ErrorCode::Simulated,
        ErrorCode::BadReplay,
        ErrorCode::NoCode,
        ErrorCode::NotParcours,
        ErrorCode::TooLong,
        ErrorCode::Unreadable,
        ErrorCode::DamagedCode,
        ErrorCode::BadFile,
        ErrorCode::NoShell,
        ErrorCode::BadReply,
        ErrorCode::Ipc,
        ErrorCode::Other,
    ];

    /// The code written `text` on the wire ([`ErrorCode::Other`] if unknown).
    pub fn from_wire(text: &str) -> ErrorCode {
        serde_json::from_value(serde_json::Value::String(text.to_owned())).unwrap_or(ErrorCode::Other)
    }
}

/// `code == "disk_full"`: how tests and logs compare a code with its wire spelling.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        *self == ErrorCode::from_wire(other) && *self != ErrorCode::Other
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The serde name is the only spelling of a code.
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(text)) => f.write_str(&text),
            _ => f.write_str("other"),
        }
    }
}

/// A position for a shell: from the device (no time: the shell's clock) or from a simulation (its own).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FixIn {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: Option<f64>,
    pub time: Option<NaiveDateTime>,
}

impl FixIn {
    /// Why this fix is not a position on the Earth (a latitude, a longitude, an accuracy in metres,
    /// all finite), if it is not: a fix of infinite accuracy would "reach" every stop at once.
    pub fn problem(&self) -> Option<String> {
        let finite_in = |v: f64, most: f64| v.is_finite() && v.abs() <= most;
        if !finite_in(self.lat, 90.0) || !finite_in(self.lon, 180.0) {
            return Some(format!("the position ({}, {}) is not on the Earth", self.lat, self.lon));
        }
        match self.accuracy_m {
            Some(a) if !(a.is_finite() && a >= 0.0) => Some(format!("the accuracy {a} m is not a distance")),
            _ => None,
        }
    }
}

impl From<Fix> for FixIn {
    fn from(fix: Fix) -> FixIn {
        FixIn { lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m, time: Some(fix.time) }
    }
}

/// The web app's messages between the page and the command layer's Worker. They are structured clones,
/// not JSON (a file's bytes travel as a `Uint8Array`), so the envelope is named here, key by key, and
/// both sides (`ui/src/transport/worker.rs`, `web/src/lib.rs`) read and write it through these names.
pub mod envelope {
    /// A call: `{id, cmd, args}` (JSON arguments) or `{id, cmd, bytes, name?}` (a file, for a raw command).
    pub const ID: &str = "id";
    pub const CMD: &str = "cmd";
    pub const ARGS: &str = "args";
    pub const BYTES: &str = "bytes";
    pub const NAME: &str = "name";
    /// The reply to call `id`: `{id, ok}` (the reply's JSON text) or `{id, err}` (an [`super::AppError`]).
    pub const OK: &str = "ok";
    pub const ERR: &str = "err";
    /// A file the command layer made for the person: `{file: {name, mime, bytes}}`, shared or downloaded.
    pub const FILE: &str = "file";
    pub const MIME: &str = "mime";
}

/// A file handed to a command: its bytes and, if known, its name (for messages).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawFile {
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

/// A file a command made for the person (an export, a backup): each shell saves or shares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutFile {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoArgs {}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryArgs {
    pub query: String,
    pub lang: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteArgs {
    pub route: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartArgs {
    pub route: String,
    /// Forget the walk in memory first (a new simulation, a new real walk).
    pub restart: bool,
    /// With `restart`: the new walk is a simulation.
    pub simulated: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FixArgs {
    pub route: String,
    pub fix: FixIn,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckArgs {
    pub route: String,
    /// Check in at this stop; `None`: check out of the stop the group is at.
    pub stop: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopArgs {
    pub stop: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioArgs {
    pub stop: String,
    pub lang: String,
}

/// A stop's recording, ready for an `<audio>` element: a `data:` URL of its bytes (the page's CSP
/// allows `data:` for media only), so it plays with no request to anywhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioClip {
    pub mime: String,
    pub data_url: String,
}

/// A stop's photo, ready for an `<img>` element: a `data:` URL of its bytes (the page's CSP allows
/// `data:` images), so it shows with no request to anywhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picture {
    pub mime: String,
    pub data_url: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopArgs {
    pub workshop: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldArgs {
    pub id: String,
    /// A column id of the form, or `"rating"`.
    pub field: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdArgs {
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteArgs {
    /// The stop's id, or `""` for the day's note.
    pub stop: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdsArgs {
    pub ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveArgs {
    pub ids: Vec<String>,
    pub lang: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LangArgs {
    pub lang: String,
}

/// The booklet in `lang`; `url`: the web app's address, for its QR code (the web app's own page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookletArgs {
    pub lang: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeArgs {
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodesArgs {
    pub codes: Vec<String>,
}

/// A visit this device can open: the one the app came with, or another opened here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitInfo {
    pub id: String,
    pub title: crate::pack::Localized,
    pub date: chrono::NaiveDate,
    pub city: String,
    pub stops: usize,
    /// The visit the app came with: it cannot be removed.
    pub bundled: bool,
    /// The one open now.
    pub current: bool,
    /// Its `version` (the organiser's).
    #[serde(default)]
    pub version: String,
    /// The fingerprint of the key that signed it (checked), if it is signed.
    #[serde(default)]
    pub signed_by: Option<String>,
    /// Another visit here has the id its file carries: it is kept beside that one, under this id.
    #[serde(default)]
    pub beside: bool,
}

/// A visit file checked and waiting for the person's "Keep" or "Cancel": what it is, and what keeping
/// it would do on this device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitOffer {
    /// The visit as it would be listed (its `id`: the one it would be kept under).
    pub visit: VisitInfo,
    pub placement: Placement,
    /// The stops (names) it adds, and those it no longer has, beside what it replaces.
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// What keeping a visit file does. The rule (`commands::visits`): a visit here is replaced only by a
/// newer version signed by the key it was signed with; any other file carrying its id is kept beside
/// it, as another visit, never in its place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Placement {
    /// No visit here has its id.
    New,
    /// The very visit already here (same content, same signature): it is opened.
    Same,
    /// A newer version of `replaces`, signed by the same key: it takes its place; the worksheets and
    /// notes stay.
    Update { replaces: VisitInfo },
    /// It carries the id of `of`, but `why` says it cannot be trusted as its new version.
    Beside { of: VisitInfo, why: NotTrusted },
}

/// Why a file carrying a kept visit's id is not taken as its new version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotTrusted {
    /// The visit here is not signed: nothing says who may change it.
    HereUnsigned,
    /// The file is not signed.
    Unsigned,
    /// The file is signed by another key.
    OtherKey,
    /// Same key, but not a newer version.
    NotNewer,
}

/// A visit just opened from a file: now the one open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitOpened {
    pub visit: VisitInfo,
    /// It replaces an earlier version of the same visit (same id): its worksheets and notes stay.
    pub replaced: bool,
    /// The stops (names) this version adds, and those it no longer has.
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// Every command of the contract, in one list: `Type name kind: Args => Reply;`, `kind` being `json`
/// (JSON arguments, answered on the shell's main thread, in order), `heavy` (JSON arguments, answered off
/// it: a picture decoded, a visit opened) or `raw` (a file's bytes as the call's raw body, off the main
/// thread). `commands_list!(m)` hands the list to the macro `m`: the contract below, the command layer's
/// dispatch table and the Tauri shell's commands are all made from it, so a new command is two edits:
/// its line here and its method on `parcours_commands::App` (the capability file is written from
/// [`COMMANDS`] by the shell's build).
#[macro_export]
macro_rules! commands_list {
    ($callback:path) => {
        $callback! {
    /// The whole visit.
    PackCmd pack json: $crate::wire::NoArgs => $crate::pack::Pack;
    /// Offline full-text search (accents ignored).
    Search search json: $crate::wire::QueryArgs => Vec<$crate::wire::SearchHit>;
    /// Where the day stands now: the current and next programme items.
    DayStatusCmd day_status json: $crate::wire::NoArgs => $crate::wire::DayStatus;
    /// The route along the streets.
    WalkPlan walk_plan json: $crate::wire::RouteArgs => $crate::wire::RoutePath;
    /// The walk on a route (started if needed).
    FollowStart follow_start json: $crate::wire::StartArgs => $crate::wire::FollowView;
    /// Forgets a walk's progress ("start again"), in memory and on disk.
    FollowReset follow_reset json: $crate::wire::RouteArgs => $crate::wire::FollowView;
    /// One position through the engine.
    FollowFix follow_fix json: $crate::wire::FixArgs => $crate::wire::FollowView;
    /// The guide's "we are here" / "we leave".
    Check check json: $crate::wire::CheckArgs => $crate::wire::FollowView;
    /// Planned against actual, per stop; the other groups.
    RunSheetCmd run_sheet json: $crate::wire::RouteArgs => $crate::wire::RunSheet;
    /// The walk the simulation replays.
    Simulate simulate json: $crate::wire::RouteArgs => Vec<$crate::wire::Fix>;
    /// A stop's position measured here (the last real, recent position).
    RecordPosition record_position json: $crate::wire::StopArgs => Vec<$crate::wire::Correction>;
    Corrections corrections json: $crate::wire::NoArgs => Vec<$crate::wire::Correction>;
    /// The recorded positions as a GeoJSON file; where it was saved.
    ExportCorrections export_corrections json: $crate::wire::NoArgs => String;
    /// A stop's recording in one language (`unknown_stop` when there is none).
    StopAudio stop_audio json: $crate::wire::AudioArgs => $crate::wire::AudioClip;
    /// A stop's photo (`unknown_stop` when it has none).
    StopPhoto stop_photo heavy: $crate::wire::StopArgs => $crate::wire::Picture;
    /// The user database's state at start-up.
    UserData user_data json: $crate::wire::NoArgs => $crate::wire::UserDataStatus;
    /// This visit's worksheets (this device's and those received).
    Worksheets worksheets json: $crate::wire::NoArgs => Vec<$crate::wire::WorksheetDoc>;
    WorksheetNew worksheet_new json: $crate::wire::WorkshopArgs => $crate::wire::WorksheetDoc;
    /// One field (or the rating); answers once committed.
    WorksheetSet worksheet_set json: $crate::wire::FieldArgs => $crate::wire::WorksheetDoc;
    WorksheetsRemoved worksheets_removed json: $crate::wire::NoArgs => Vec<$crate::wire::Removed>;
    WorksheetRemove worksheet_remove json: $crate::wire::IdArgs => ();
    WorksheetRestore worksheet_restore json: $crate::wire::IdArgs => ();
    WorksheetsOtherVisits worksheets_other_visits json: $crate::wire::NoArgs => Vec<$crate::wire::ExportedWorksheet>;
    Notes notes json: $crate::wire::NoArgs => Vec<$crate::wire::Note>;
    /// A stop's note (`""`: the day's); answers with the note as committed (its time).
    NoteSet note_set json: $crate::wire::NoteArgs => $crate::wire::Note;
    /// Erases everything the person left on this device, for good; the user data's new state.
    EraseData erase_data json: $crate::wire::NoArgs => $crate::wire::UserDataStatus;
    /// "Prêt pour le hors-ligne".
    ReadinessCmd readiness json: $crate::wire::NoArgs => $crate::wire::Readiness;
    /// QR codes handing worksheets over.
    HandoverCodes handover_codes json: $crate::wire::IdsArgs => Vec<$crate::wire::Code>;
    /// A photo of codes (PNG, JPEG), as the raw body.
    HandoverRead handover_read raw: $crate::wire::RawFile => $crate::wire::Received;
    /// One code's text.
    HandoverText handover_text json: $crate::wire::CodeArgs => $crate::wire::Received;
    /// The codes found in a photo by the web app's picture reader (`parcours-photo`).
    HandoverFound handover_found json: $crate::wire::CodesArgs => $crate::wire::Received;
    HandoverCancel handover_cancel json: $crate::wire::NoArgs => ();
    /// Worksheets as files (JSON, Markdown, a page to print); where they were saved.
    WorksheetsSave worksheets_save json: $crate::wire::SaveArgs => $crate::wire::Saved;
    /// A worksheets file into the project bank (raw body, name in `Parcours-File`).
    BankImport bank_import raw: $crate::wire::RawFile => $crate::wire::ImportReport;
    /// The project bank as CSV; where it was saved.
    BankExport bank_export json: $crate::wire::LangArgs => String;
    /// All the user data as one file; where it was saved.
    Backup backup json: $crate::wire::NoArgs => String;
    /// The visits this device can open ("Mes visites").
    VisitsCmd visits json: $crate::wire::NoArgs => Vec<$crate::wire::VisitInfo>;
    /// A compiled pack file (raw body, name in `Parcours-File`): checked, and held until the person
    /// keeps it (`visit_keep`) or not (`visit_cancel`); what keeping it would do.
    VisitCheck visit_check raw: $crate::wire::RawFile => $crate::wire::VisitOffer;
    /// The file checked and waiting, if any (one given to the app at its start, "Open with").
    VisitPending visit_pending json: $crate::wire::NoArgs => Option<$crate::wire::VisitOffer>;
    /// Keeps the file waiting, as its offer said, and opens it.
    VisitKeep visit_keep json: $crate::wire::NoArgs => $crate::wire::VisitOpened;
    /// Forgets the file waiting.
    VisitCancel visit_cancel json: $crate::wire::NoArgs => ();
    /// Opens another visit kept here (or the one the app came with).
    VisitSwitch visit_switch heavy: $crate::wire::IdArgs => $crate::wire::VisitInfo;
    /// Forgets a visit kept here (not the one open, not the one the app came with); its worksheets
    /// and notes stay.
    VisitRemove visit_remove json: $crate::wire::IdArgs => ();
    /// The paper booklet of the visit open, as HTML to show and print (`export::booklet::fragment`).
    BookletCmd booklet heavy: $crate::wire::BookletArgs => String;
        }
    };
}

/// The contract's types, made from [`commands_list!`].
macro_rules! contract {
    ($( $(#[$doc:meta])* $ty:ident $name:ident $kind:ident : $args:ty => $reply:ty; )*) => {
        $(
            $(#[$doc])*
            pub struct $ty;
            impl Command for $ty {
                const NAME: &'static str = stringify!($name);
                const RAW: bool = raw!($kind);
                type Args = $args;
                type Reply = $reply;
            }
        )*
        /// Every command's name, in one list.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];
    };
}

macro_rules! raw {
    (raw) => {
        true
    };
    ($other:ident) => {
        false
    };
}

commands_list!(contract);

#[cfg(test)]
mod tests {
    #[test]
    fn every_error_code_is_listed_once_in_all() {
        use ErrorCode::*;
        // A new code fails to compile here until it is given a place; then ALL must hold it there.
        let index = |c: ErrorCode| match c {
            NotFound => 0,
            NotAPack => 1,
            TooNew => 2,
            TooOld => 3,
            Corrupt => 4,
            Io => 5,
            Sqlite => 6,
            DiskFull => 7,
            ReadOnly => 8,
            CannotOpen => 9,
            Busy => 10,
            Internal => 11,
            NoDataDir => 12,
            NoResources => 13,
            BadRequest => 14,
            UnknownCommand => 15,
            UnknownRoute => 16,
            UnknownStop => 17,
            UnknownWorksheet => 18,
            NoStreets => 19,
            NoPosition => 20,
            Simulated => 21,
            BadReplay => 22,
            NoCode => 23,
            NotParcours => 24,
            TooLong => 25,
            Unreadable => 26,
            DamagedCode => 27,
            BadFile => 28,
            NoShell => 29,
            BadReply => 30,
            Ipc => 31,
            Other => 32,
        };
        assert_eq!(ErrorCode::ALL.len(), 33);
        for (i, code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(index(*code), i, "{code}");
        }
    }

    use super::*;

    #[test]
    fn error_codes_are_the_strings_of_the_wire() {
        let json = serde_json::to_string(&AppError::new(ErrorCode::UnknownWorksheet, "x")).unwrap();
        assert_eq!(json, r#"{"code":"unknown_worksheet","message":"x"}"#);
        assert_eq!(ErrorCode::from_wire("disk_full"), ErrorCode::DiskFull);
        assert_eq!(ErrorCode::from_wire("something_new"), ErrorCode::Other);
        for code in [ErrorCode::NotAPack, ErrorCode::DamagedCode, ErrorCode::NoShell] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.to_string());
            assert_eq!(ErrorCode::from_wire(&code.to_string()), code);
        }
    }

    #[test]
    fn command_names_are_unique() {
        let mut names = COMMANDS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COMMANDS.len());
        const { assert!(HandoverRead::RAW && BankImport::RAW && !Search::RAW) };
    }
}
