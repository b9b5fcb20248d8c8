//! What the app's shell reports about its data, shared with the UI (no I/O here): a user database set
//! aside at start-up, the user data's state, and the "ready for offline" checks.

use serde::{Deserialize, Serialize};

/// What happened to a user database that could not be opened and was moved aside.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SetAside {
    /// Where the old file is now (nothing was deleted).
    pub moved_to: String,
    pub reason: String,
    /// Worksheets, notes and recorded positions read back from it into the fresh database.
    pub recovered: usize,
    /// What could not be read, in words.
    pub lost: Vec<String>,
}

/// The user database at start-up: a file set aside, or why there is no database (`error`).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct UserDataStatus {
    pub ok: bool,
    pub set_aside: Option<SetAside>,
    pub error: Option<String>,
    pub path: Option<String>,
    /// This device's id: worksheet ids start with it (`<device>-<n>`), others came from other devices.
    #[serde(default)]
    pub device: Option<String>,
    /// The data can be read but nothing can be saved (a read-only folder or medium).
    #[serde(default)]
    pub read_only: bool,
    /// The data lives in memory only (a browser without lasting storage): nothing is kept once the app
    /// closes.
    #[serde(default)]
    pub temporary: bool,
    /// Another window of the app holds the data (a second browser tab): this one works in memory.
    #[serde(default)]
    pub elsewhere: bool,
    /// Why the data lives in memory only, in the system's words (for whoever helps).
    #[serde(default)]
    pub note: Option<String>,
    /// A visit file given to the app at its start ("Open with"), refused: its name and why.
    #[serde(default)]
    pub refused_file: Option<String>,
}

/// Where the user data is kept, as the shell knows it (the ready screen names it).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Storage {
    /// A file in the app's data folder (the desktop app).
    #[default]
    File,
    /// The browser's origin-private file system (OPFS), written page by page.
    Opfs,
    /// The browser's IndexedDB, the whole database written in one transaction after each change
    /// (browsers without OPFS sync access handles: WebKit before iOS 16.4, WebKitGTK).
    IndexedDb,
    /// Memory only: nothing is kept once the page closes.
    Memory,
}

/// "Prêt pour le hors-ligne": what the day before the visit needs to know at a glance.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Readiness {
    pub pack_id: String,
    pub pack_version: String,
    pub pack_bytes: u64,
    pub pack_problem: Option<String>,
    pub streets: usize,
    pub routable_points: usize,
    pub attribution: String,
    pub user_ok: bool,
    pub user_problem: Option<String>,
    pub user_path: Option<String>,
    pub user_bytes: u64,
    pub worksheets: usize,
    pub notes: usize,
    pub corrections: usize,
    pub snapshots: usize,
    pub set_aside: Option<SetAside>,
    /// When the user data was last saved to a file ("Sauvegarder mes données"), event time zone.
    #[serde(default)]
    pub last_backup: Option<chrono::NaiveDateTime>,
    /// Where that file is.
    #[serde(default)]
    pub last_backup_path: Option<String>,
    /// Free space where the user data is kept, in bytes, when the system says.
    #[serde(default)]
    pub free_bytes: Option<u64>,
    /// Worksheets removed from the lists (kept, can be put back).
    #[serde(default)]
    pub removed_worksheets: usize,
    /// Worksheets of other visits kept on the device.
    #[serde(default)]
    pub other_visit_worksheets: usize,
    /// Where the user data is kept.
    #[serde(default)]
    pub storage: Storage,
}

/// Below this much free space the ready screen warns: worksheets would soon not fit.
pub const LOW_SPACE_BYTES: u64 = 50 * 1024 * 1024;

/// One QR code handing worksheets over: its text and its picture (SVG).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub text: String,
    pub svg: String,
}

/// What reading a picture of codes (or one code's text) did.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Received {
    /// Parcours codes found in this picture.
    pub found: usize,
    /// Codes of the set read so far, and how many it has.
    pub have: usize,
    pub total: usize,
    /// Set once the last code is in and the worksheets are saved.
    pub imported: Option<crate::userdata::ImportReport>,
    /// The titles of the worksheets received.
    pub titles: Vec<String>,
    /// The codes read before belonged to another set and were forgotten.
    pub restarted: bool,
}

/// The files written for some worksheets: where they are.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub json: String,
    pub markdown: String,
    /// A page to print, with the QR codes.
    pub html: String,
}
