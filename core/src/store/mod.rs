// The one module of the core allowed to touch files (clippy.toml forbids it everywhere else).
#![allow(clippy::disallowed_methods)]

//! All of the core's I/O: reading a pack source folder, the compiled pack file (SQLite, read-only) and the
//! user database (SQLite, what the person records).

mod pack_file;
mod set_aside;
pub mod sign;
mod source;
mod user_db;

use crate::wire::{AppError, ErrorCode};
pub use pack_file::{
    APPLICATION_ID, MAX_OPEN_STEPS, MAX_PACK_BYTES, MAX_VALUE_BYTES, PackFile, SCHEMA_VERSION, SearchHit,
    build_pack_file, build_signed_pack_file,
};
pub use source::{MAX_SOURCE_FILE_BYTES, read_source};

pub use set_aside::{is_damage, set_aside_name};
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
    /// The stable code the interface acts on.
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::NotFound { .. } => ErrorCode::NotFound,
            StoreError::NotAPack { .. } => ErrorCode::NotAPack,
            StoreError::TooNew { .. } => ErrorCode::TooNew,
            StoreError::TooOld { .. } => ErrorCode::TooOld,
            StoreError::Corrupt { .. } => ErrorCode::Corrupt,
            // A folder the app may not write to is, for the user, the same as a read-only medium.
            StoreError::Io { source, .. } => match source.kind() {
                std::io::ErrorKind::StorageFull => ErrorCode::DiskFull,
                std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => ErrorCode::ReadOnly,
                _ => ErrorCode::Io,
            },
            StoreError::Sqlite { source, .. } => match source.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DiskFull) => ErrorCode::DiskFull,
                Some(rusqlite::ErrorCode::ReadOnly) => ErrorCode::ReadOnly,
                Some(rusqlite::ErrorCode::CannotOpen) => ErrorCode::CannotOpen,
                _ => ErrorCode::Sqlite,
            },
        }
    }
}

impl From<&StoreError> for AppError {
    fn from(e: &StoreError) -> AppError {
        AppError { code: e.code(), message: e.to_string() }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        AppError::from(&e)
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
