//! All of the core's I/O: reading a pack source folder, the compiled pack file (SQLite, read-only) and the
//! user database (SQLite, what the person records).

mod pack_file;
mod source;
mod user_db;

pub use pack_file::{APPLICATION_ID, PackFile, SCHEMA_VERSION, SearchHit, build_pack_file};
pub use source::{MAX_SOURCE_FILE_BYTES, read_source};
pub use user_db::{SNAPSHOTS_KEPT, SetAside, USER_APPLICATION_ID, USER_SCHEMA_VERSION, UserDb};

/// Why a pack file could not be written or opened. [`StoreError::code`] is stable for the UI.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: no such file")]
    NotFound { path: String },
    #[error("{path}: not a Parcours pack ({reason})")]
    NotAPack { path: String, reason: String },
    #[error(
        "{path}: this pack was made by a newer Parcours (schema {found}, this one reads {supported}); update Parcours"
    )]
    TooNew { path: String, found: i64, supported: i64 },
    #[error(
        "{path}: this pack was made by an older Parcours (schema {found}, this one reads {supported}); rebuild it with `parcours pack build`"
    )]
    TooOld { path: String, found: i64, supported: i64 },
    #[error("{path}: the pack file is damaged ({reason}); rebuild it or copy it again")]
    Corrupt { path: String, reason: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "not_found",
            StoreError::NotAPack { .. } => "not_a_pack",
            StoreError::TooNew { .. } => "too_new",
            StoreError::TooOld { .. } => "too_old",
            StoreError::Corrupt { .. } => "corrupt",
            // ENOSPC; EROFS, and EACCES (a folder the app may not write to: the same for the user).
            StoreError::Io { source, .. } => match source.raw_os_error() {
                Some(28) => "disk_full",
                Some(30) | Some(13) => "read_only",
                _ => "io",
            },
            StoreError::Sqlite { source, .. } => match source.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DiskFull) => "disk_full",
                Some(rusqlite::ErrorCode::ReadOnly) => "read_only",
                Some(rusqlite::ErrorCode::CannotOpen) => "cannot_open",
                _ => "sqlite",
            },
        }
    }
}

/// `PRAGMA quick_check` on an open database: `Ok`, or the first problems it lists.
pub(crate) fn quick_check(conn: &rusqlite::Connection) -> Result<(), String> {
    let report: Vec<String> = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get::<_, String>(0))?.collect())
        .map_err(|e| e.to_string())?;
    if report == ["ok"] { Ok(()) } else { Err(report.into_iter().take(3).collect::<Vec<_>>().join("; ")) }
}
