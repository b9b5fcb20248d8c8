//! The user database: what a person records on the device — worksheets, notes, the walk's progress, the
//! stop positions a guide records — in its own SQLite file beside, never inside, the read-only pack.
//!
//! Durability first: WAL journal, `synchronous = FULL`, every write in one transaction, and a write is
//! acknowledged only once committed. The schema version is `user_version`; migrations run one version
//! at a time, each in one transaction, after a `VACUUM INTO` snapshot of the file (the last three are
//! kept). A file from a newer Parcours is refused, never rewritten; a damaged one is refused too
//! (`quick_check`), and [`UserDb::open_or_set_aside`] moves it aside rather than ever deleting it.
//!
//! Here: the file, its schema and migrations, opening and erasing. What it keeps, one file each:
//! `worksheets`, `notes`, `walk` (progress and recorded positions), `visits` (visits kept on the
//! device); `exchange` (export, import, recovery).

mod exchange;
mod notes;
mod visits;
mod walk;
mod worksheets;

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
pub use crate::status::SetAside;
use crate::userdata::{ExportedWorksheet, ImportReport, Stage, UserData};
use crate::walk::Correction;
use crate::worksheet::{Note, Removed, WorksheetDoc};

/// "PRCU": Parcours user data (the pack file is "PRCS").
pub const USER_APPLICATION_ID: i32 = 0x5052_4355;
/// The user database's schema version (`PRAGMA user_version`).
pub const USER_SCHEMA_VERSION: i64 = 4;
/// How many pre-migration snapshots are kept beside the database.
pub const SNAPSHOTS_KEPT: usize = 3;

const SCHEMA_V1: &str = "
CREATE TABLE walk (
    pack TEXT NOT NULL,
    route TEXT NOT NULL,
    state TEXT NOT NULL,          -- the engine's FollowState, JSON
    updated_at TEXT NOT NULL,     -- event time zone, YYYY-MM-DDTHH:MM:SS
    PRIMARY KEY (pack, route)
);
CREATE TABLE correction (
    id INTEGER PRIMARY KEY,
    pack TEXT NOT NULL,
    stop TEXT NOT NULL,           -- stable stop id of the pack
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    accuracy_m REAL,
    recorded_at TEXT NOT NULL
);
";

/// Version 2: worksheets, notes, settings.
const SCHEMA_V2: &str = "
CREATE TABLE worksheet (
    id TEXT PRIMARY KEY,          -- made by the app: unique across devices
    pack TEXT NOT NULL,
    workshop TEXT NOT NULL,       -- stable workshop id of the pack
    fields TEXT NOT NULL DEFAULT '{}',  -- JSON object: column id -> text
    rating TEXT,                  -- rating id of the pack's worksheet, or NULL
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE note (
    pack TEXT NOT NULL,
    stop TEXT NOT NULL,           -- stable stop id, or '' for the notes of the day
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (pack, stop)
);
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
";

/// Version 3: a worksheet can be removed and put back; a removed one is kept, with the time.
const SCHEMA_V3: &str = "
ALTER TABLE worksheet ADD COLUMN removed_at TEXT;  -- NULL: in the lists; else when it was removed
";

/// Version 4: other visits opened on this device (their compiled pack files, checked when opened and
/// again whenever read), so that one can switch between them with no file system (the web app).
const SCHEMA_V4: &str = "
CREATE TABLE visit (
    id       TEXT PRIMARY KEY,   -- the pack's id
    bytes    BLOB NOT NULL,      -- the compiled pack file
    added_at TEXT NOT NULL
) STRICT;
";

/// `MIGRATIONS[v]` takes the schema from version `v` to `v + 1`.
const MIGRATIONS: [&str; 4] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4];

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn parse_stamp(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok()
}

fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + use<> {
    let path = path.display().to_string();
    move |source| StoreError::Sqlite { path: path.clone(), source }
}

/// `VACUUM INTO <name>.before-v<to>.bak` (a consistent copy, even in WAL mode), keeping the newest
/// [`SNAPSHOTS_KEPT`] snapshots.
fn snapshot(conn: &Connection, path: &Path, to: i64) -> Result<(), StoreError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let target = path.with_file_name(format!("{name}.before-v{to}.bak"));
    let io = |source| StoreError::Io { path: target.display().to_string(), source };
    if target.exists() {
        std::fs::remove_file(&target).map_err(io)?;
    }
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()]).map_err(sqlite_error(&target))?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let prefix = format!("{name}.before-v");
    // Pruning the old ones is best effort: where files are not the file system's (OPFS in a browser),
    // the folder cannot be listed and the snapshot just made is what matters.
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    let mut snapshots: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    snapshots.sort();
    let extra = snapshots.len().saturating_sub(SNAPSHOTS_KEPT);
    for (_, old) in snapshots.into_iter().take(extra) {
        let _ = std::fs::remove_file(old);
    }
    Ok(())
}

/// Reads the header (application id, version, number of tables) and checks the file: ours, not newer,
/// sound. Returns the version and the number of tables.
fn check_header(conn: &Connection, path: &Path) -> Result<(i64, i64), StoreError> {
    let shown = path.display().to_string();
    let failed = |e: rusqlite::Error| {
        if damaged(&e) {
            StoreError::Corrupt { path: shown.clone(), reason: e.to_string() }
        } else {
            StoreError::Sqlite { path: shown.clone(), source: e }
        }
    };
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(failed)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(failed)?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(failed)?;
    if id != USER_APPLICATION_ID && !(id == 0 && tables == 0) {
        return Err(StoreError::NotAPack { path: shown, reason: "not a Parcours user database".into() });
    }
    if version > USER_SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: shown, found: version, supported: USER_SCHEMA_VERSION });
    }
    if tables > 0 {
        super::quick_check(conn).map_err(|reason| StoreError::Corrupt { path: shown.clone(), reason })?;
    }
    Ok((version, tables))
}

pub struct UserDb {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
}

/// Damage (or not a database at all), as opposed to a failure to reach a sound file (busy, no
/// permission, read-only medium): only damage sets a file aside.
fn damaged(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase))
}

impl UserDb {
    /// Opens the user database at `path`, creating it if it does not exist and migrating it to the
    /// current schema (after a snapshot) if it is older.
    pub fn open(path: &Path) -> Result<UserDb, StoreError> {
        let sqlite = sqlite_error(path);
        let mut conn = Connection::open(path).map_err(&sqlite)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(&sqlite)?;
        let (version, tables) = check_header(&conn, path)?;
        // SQLite falls back to reading only when the file cannot be written (a read-only medium whose
        // -wal and -shm are there): say so, and do not try to migrate.
        if conn.is_readonly(rusqlite::MAIN_DB).map_err(&sqlite)? {
            if version < USER_SCHEMA_VERSION {
                return Err(StoreError::TooOld {
                    path: path.display().to_string(),
                    found: version,
                    supported: USER_SCHEMA_VERSION,
                });
            }
            return Ok(UserDb { conn, path: path.to_owned(), read_only: true });
        }
        conn.pragma_update(None, "journal_mode", "WAL").map_err(&sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(&sqlite)?;
        if version < USER_SCHEMA_VERSION {
            if tables > 0 {
                snapshot(&conn, path, USER_SCHEMA_VERSION)?;
            }
            for (v, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
                let tx = conn.transaction().map_err(&sqlite)?;
                tx.execute_batch(sql).map_err(&sqlite)?;
                tx.pragma_update(None, "application_id", USER_APPLICATION_ID).map_err(&sqlite)?;
                tx.pragma_update(None, "user_version", v as i64 + 1).map_err(&sqlite)?;
                tx.commit().map_err(&sqlite)?;
            }
        }
        Ok(UserDb { conn, path: path.to_owned(), read_only: false })
    }

    /// Opens the user database for reading only, when it cannot be written (a read-only medium or
    /// folder): what was saved can be shown; every write fails with `read_only`. A database that would
    /// need migrating cannot be read this way.
    pub fn open_read_only(path: &Path) -> Result<UserDb, StoreError> {
        let sqlite = sqlite_error(path);
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
            | rusqlite::OpenFlags::SQLITE_OPEN_URI;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // Without a -wal file everything is in the main file, and `immutable` lets SQLite read it with no
        // -shm (which a read-only folder cannot hold). With one, SQLite reads it through its -shm.
        let has_wal = path.with_file_name(format!("{name}-wal")).exists();
        let uri = format!(
            "file:{}{}",
            path.display().to_string().replace('%', "%25").replace('?', "%3f").replace('#', "%23"),
            if has_wal { "?mode=ro" } else { "?immutable=1" }
        );
        let conn = Connection::open_with_flags(uri, flags).map_err(&sqlite)?;
        let (version, _) = check_header(&conn, path)?;
        if version < USER_SCHEMA_VERSION {
            return Err(StoreError::TooOld {
                path: path.display().to_string(),
                found: version,
                supported: USER_SCHEMA_VERSION,
            });
        }
        Ok(UserDb { conn, path: path.to_owned(), read_only: true })
    }

    /// Opened by [`UserDb::open_read_only`]: nothing can be saved.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// [`UserDb::open_or_set_aside`] for a database kept whole as one image (a browser without OPFS
    /// keeps `user.sqlite` in IndexedDB, [`UserDb::image`] written after each commit): `image` (empty:
    /// none yet) is checked in memory first, then copied into `path` (SQLite's backup, through its default
    /// file system: the browser's memory) and opened there. A damaged image, or one not ours,
    /// is not copied: a fresh database is made at `path`, what can be read from the image is brought
    /// into it ([`UserDb::recover`]), and the [`SetAside`] says the image must be kept as `aside` —
    /// the caller keeps it, nothing is dropped. An image from a newer Parcours is an error, as a file is.
    pub fn open_image(path: &Path, image: &[u8], aside: &str) -> Result<(UserDb, Option<SetAside>), StoreError> {
        if image.is_empty() {
            return UserDb::open(path).map(|db| (db, None));
        }
        let sqlite = sqlite_error(path);
        let shown = path.display().to_string();
        // A WAL database's image says so in its header (bytes 18 and 19): read as one whole file, it is
        // in rollback mode, or SQLite would look for a `-wal` beside it.
        let mut whole = image.to_vec();
        if whole.len() >= 20 && whole[18] == 2 && whole[19] == 2 {
            (whole[18], whole[19]) = (1, 1);
        }
        let mut source = Connection::open_in_memory().map_err(&sqlite)?;
        let checked = source
            .deserialize_read_exact(rusqlite::MAIN_DB, whole.as_slice(), whole.len(), true)
            .map_err(|e| StoreError::Corrupt { path: shown.clone(), reason: e.to_string() })
            .and_then(|()| check_header(&source, path));
        match checked {
            Ok(_) => {
                // Page by page into the file at `path` (SQLite's backup: the image's own memory file
                // system cannot write anywhere else).
                let mut target = Connection::open(path).map_err(&sqlite)?;
                rusqlite::backup::Backup::new(&source, &mut target)
                    .and_then(|copy| copy.run_to_completion(1024, std::time::Duration::ZERO, None))
                    .map_err(&sqlite)?;
                drop(target);
                UserDb::open(path).map(|db| (db, None))
            }
            Err(error @ (StoreError::Corrupt { .. } | StoreError::NotAPack { .. })) => {
                let mut db = UserDb::open(path)?;
                let (data, lost) = UserDb::recover_from(&source);
                let report = db.import(&data)?;
                let reason = error.to_string();
                Ok((db, Some(SetAside { moved_to: aside.to_owned(), reason, recovered: report.added, lost })))
            }
            Err(other) => Err(other),
        }
    }

    /// The whole database as one image (SQLite's serialization of its pages, the write-ahead log
    /// included): what [`UserDb::open_image`] opens again.
    pub fn image(&mut self) -> Result<Vec<u8>, StoreError> {
        let data = self.conn.serialize(rusqlite::MAIN_DB).map_err(sqlite_error(&self.path))?;
        Ok(data.to_vec())
    }

    /// How many rows this connection has inserted, changed or deleted since it opened: a shell that
    /// keeps [`UserDb::image`] writes it again only when this moved.
    pub fn changes(&self) -> u64 {
        self.conn.total_changes()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bytes the database takes: its pages (as SQLite counts them, wherever the file is: a folder,
    /// or OPFS in a browser) and its write-ahead log.
    pub fn size_bytes(&self) -> u64 {
        let pages: i64 = self
            .conn
            .query_row("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", [], |r| r.get(0))
            .unwrap_or(0);
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        pages.max(0) as u64 + std::fs::metadata(Path::new(&wal)).map_or(0, |m| m.len())
    }

    /// `PRAGMA quick_check` now: `Ok` or what is wrong.
    pub fn quick_check(&self) -> Result<(), String> {
        super::quick_check(&self.conn)
    }

    /// Erases everything this database and its folder hold for the person, for good: every row of
    /// every table deleted with `secure_delete` on (the freed pages overwritten), the WAL checkpointed
    /// and truncated to nothing, the file rebuilt by `VACUUM` (no old page left), then the
    /// pre-migration snapshots and the set-aside copies beside it removed. Returns how many of those
    /// files went. The device id goes too: the next one drawn is new. Folders that cannot be listed
    /// (OPFS in a browser) keep no such copies by name: there, the database itself is what is erased.
    pub fn erase(&mut self) -> Result<usize, StoreError> {
        let err = sqlite_error(&self.path);
        self.conn.execute_batch("PRAGMA secure_delete = ON").map_err(&err)?;
        let tx = self.conn.transaction().map_err(&err)?;
        for table in ["worksheet", "note", "walk", "correction", "setting", "visit"] {
            tx.execute(&format!("DELETE FROM {table}"), []).map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        let wal = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0)).map_err(&err)? == "wal";
        if wal {
            self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").map_err(&err)?;
        }
        self.conn.execute_batch("VACUUM").map_err(&err)?;
        if wal {
            self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").map_err(&err)?;
        }
        let name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = self.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let copies = [format!("{name}.before-v"), format!("{name}.damaged-")];
        let mut removed = 0;
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.filter_map(Result::ok) {
                let file = entry.file_name().to_string_lossy().into_owned();
                if copies.iter().any(|c| file.starts_with(c)) {
                    std::fs::remove_file(entry.path())
                        .map_err(|source| StoreError::Io { path: entry.path().display().to_string(), source })?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// The pre-migration snapshots beside the database, newest first.
    pub fn snapshots(&self) -> Vec<PathBuf> {
        let name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let dir = self.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let prefix = format!("{name}.before-v");
        let mut found: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                    .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by(|a, b| b.cmp(a));
        found.into_iter().map(|(_, p)| p).collect()
    }

    /// One statement in its own transaction; returns once committed.
    fn write(&mut self, sql: &str, values: impl rusqlite::Params) -> Result<(), StoreError> {
        let err = sqlite_error(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        tx.execute(sql, values).map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// A setting kept on the device (e.g. the device's id).
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let err = sqlite_error(&self.path);
        self.conn.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional().map_err(&err)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.write(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )
    }
}
