//! The user database: what a person records on the device — worksheets, notes, the walk's progress, the
//! stop positions a guide records — in its own SQLite file beside, never inside, the read-only pack.
//!
//! Durability first: WAL journal, `synchronous = FULL`, every write in one transaction, and a write is
//! acknowledged only once committed. The schema version is `user_version`; migrations run one version
//! at a time, each in one transaction, after a `VACUUM INTO` snapshot of the file (the last three are
//! kept). A file from a newer Parcours is refused, never rewritten; a damaged one is refused too
//! (`quick_check`), and [`UserDb::open_or_set_aside`] moves it aside rather than ever deleting it.

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

    /// Keeps the compiled pack file `bytes` of visit `id` (replacing an older version of it).
    pub fn save_visit(&mut self, id: &str, bytes: &[u8], now: NaiveDateTime) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO visit (id, bytes, added_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET bytes = excluded.bytes, added_at = excluded.added_at",
                params![id, bytes, stamp(now)],
            )
            .map_err(sqlite_error(&self.path))?;
        Ok(())
    }

    /// The visits kept (ids, in the order they were added).
    pub fn visit_ids(&self) -> Result<Vec<String>, StoreError> {
        let err = sqlite_error(&self.path);
        let mut stmt = self.conn.prepare("SELECT id FROM visit ORDER BY added_at, id").map_err(&err)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(&err)?;
        Ok(rows.filter_map(Result::ok).collect())
    }

    /// A kept visit's pack file.
    pub fn visit_bytes(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.conn
            .query_row("SELECT bytes FROM visit WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(sqlite_error(&self.path))
    }

    /// Forgets a kept visit's pack file (its worksheets and notes stay).
    pub fn remove_visit(&mut self, id: &str) -> Result<bool, StoreError> {
        let n = self.conn.execute("DELETE FROM visit WHERE id = ?1", [id]).map_err(sqlite_error(&self.path))?;
        Ok(n > 0)
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

    /// Saves the progress of a walk (replacing the previous one for that route); returns once committed.
    pub fn save_walk(
        &mut self,
        pack: &str,
        route: &str,
        state_json: &str,
        at: NaiveDateTime,
    ) -> Result<(), StoreError> {
        self.write(
            "INSERT INTO walk (pack, route, state, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (pack, route) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            params![pack, route, state_json, stamp(at)],
        )
    }

    pub fn load_walk(&self, pack: &str, route: &str) -> Result<Option<String>, StoreError> {
        let err = sqlite_error(&self.path);
        self.conn
            .query_row("SELECT state FROM walk WHERE pack = ?1 AND route = ?2", params![pack, route], |r| r.get(0))
            .optional()
            .map_err(&err)
    }

    pub fn delete_walk(&mut self, pack: &str, route: &str) -> Result<(), StoreError> {
        self.write("DELETE FROM walk WHERE pack = ?1 AND route = ?2", params![pack, route])
    }

    /// Records a stop's position as measured on site; returns its id once committed.
    pub fn add_correction(&mut self, pack: &str, c: &Correction) -> Result<i64, StoreError> {
        let err = sqlite_error(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        tx.execute(
            "INSERT INTO correction (pack, stop, lat, lon, accuracy_m, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![pack, c.stop, c.lat, c.lon, c.accuracy_m, stamp(c.recorded_at)],
        )
        .map_err(&err)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(&err)?;
        Ok(id)
    }

    /// Every recorded position for `pack`, oldest first. Rows that cannot be read are skipped, not fatal.
    pub fn corrections(&self, pack: &str) -> Result<Vec<Correction>, StoreError> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare("SELECT id, stop, lat, lon, accuracy_m, recorded_at FROM correction WHERE pack = ?1 ORDER BY id")
            .map_err(&err)?;
        let rows = stmt
            .query_map(params![pack], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(&err)?;
        Ok(rows
            .filter_map(Result::ok)
            .filter_map(|(id, stop, lat, lon, accuracy_m, at)| {
                let recorded_at = parse_stamp(&at)?;
                Some(Correction { id, stop, lat, lon, accuracy_m, recorded_at })
            })
            .collect())
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

    /// Saves a whole worksheet (inserted, or replacing the one with its id); returns once committed.
    pub fn save_worksheet(&mut self, ws: &WorksheetDoc) -> Result<(), StoreError> {
        let fields = serde_json::to_string(&ws.fields).unwrap_or_else(|_| "{}".into());
        self.write(
            "INSERT INTO worksheet (id, pack, workshop, fields, rating, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO UPDATE SET workshop = excluded.workshop, fields = excluded.fields,
                 rating = excluded.rating, updated_at = excluded.updated_at",
            params![ws.id, ws.pack, ws.workshop, fields, ws.rating, stamp(ws.created_at), stamp(ws.updated_at)],
        )
    }

    /// Sets one field of a worksheet (`rating` sets the rating; empty text clears it); returns the
    /// worksheet as saved, once committed. The field and the worksheet are read and written in one
    /// transaction, so two quick edits of two fields never lose one another.
    pub fn set_worksheet_field(
        &mut self,
        id: &str,
        field: &str,
        value: &str,
        now: NaiveDateTime,
    ) -> Result<Option<WorksheetDoc>, StoreError> {
        let err = sqlite_error(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        let Some(mut ws) = worksheet_in(&tx, id).map_err(&err)? else { return Ok(None) };
        if field == "rating" {
            ws.rating = (!value.is_empty()).then(|| value.to_owned());
        } else if value.is_empty() {
            ws.fields.remove(field);
        } else {
            ws.fields.insert(field.to_owned(), value.to_owned());
        }
        ws.updated_at = now;
        let fields = serde_json::to_string(&ws.fields).unwrap_or_else(|_| "{}".into());
        tx.execute(
            "UPDATE worksheet SET fields = ?2, rating = ?3, updated_at = ?4 WHERE id = ?1",
            params![ws.id, fields, ws.rating, stamp(ws.updated_at)],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(Some(ws))
    }

    pub fn worksheet(&self, id: &str) -> Result<Option<WorksheetDoc>, StoreError> {
        worksheet_in(&self.conn, id).map_err(sqlite_error(&self.path))
    }

    /// Every worksheet of `pack` but the removed ones, oldest first.
    pub fn worksheets(&self, pack: &str) -> Result<Vec<WorksheetDoc>, StoreError> {
        self.worksheets_where("pack = ?1 AND removed_at IS NULL ORDER BY created_at, id", pack)
    }

    /// The readable worksheets matching `condition` (with `?1` = `pack`).
    fn worksheets_where(&self, condition: &str, pack: &str) -> Result<Vec<WorksheetDoc>, StoreError> {
        let err = sqlite_error(&self.path);
        let mut stmt = self.conn.prepare(&format!("{WORKSHEET_SELECT} WHERE {condition}")).map_err(&err)?;
        let rows = stmt.query_map([pack], worksheet_row).map_err(&err)?;
        Ok(rows.filter_map(Result::ok).flatten().collect())
    }

    /// The worksheets of every other visit (pack) than `pack`, not removed: kept on the device, shown
    /// apart. By pack, oldest first.
    pub fn other_visits(&self, pack: &str) -> Result<Vec<WorksheetDoc>, StoreError> {
        self.worksheets_where("pack <> ?1 AND removed_at IS NULL ORDER BY pack, created_at, id", pack)
    }

    /// The removed worksheets of `pack`, most recently removed first.
    pub fn removed_worksheets(&self, pack: &str) -> Result<Vec<Removed>, StoreError> {
        let err = sqlite_error(&self.path);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{WORKSHEET_SELECT_REMOVED} WHERE pack = ?1 AND removed_at IS NOT NULL ORDER BY removed_at DESC, id"
            ))
            .map_err(&err)?;
        let rows = stmt.query_map([pack], removed_row).map_err(&err)?;
        Ok(rows.filter_map(Result::ok).flatten().collect())
    }

    /// Removes a worksheet from the lists (it stays in the file, and can be put back); `false` if there is
    /// no such worksheet. Returns once committed.
    pub fn remove_worksheet(&mut self, id: &str, now: NaiveDateTime) -> Result<bool, StoreError> {
        self.set_removed(id, Some(now))
    }

    /// Puts a removed worksheet back in the lists; `false` if there is no such worksheet.
    pub fn restore_worksheet(&mut self, id: &str) -> Result<bool, StoreError> {
        self.set_removed(id, None)
    }

    fn set_removed(&mut self, id: &str, at: Option<NaiveDateTime>) -> Result<bool, StoreError> {
        let err = sqlite_error(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        let changed = tx
            .execute("UPDATE worksheet SET removed_at = ?2 WHERE id = ?1", params![id, at.map(stamp)])
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(changed > 0)
    }

    /// Sets the note of a stop (`stop = ""`: the notes of the day); returns it once committed.
    pub fn set_note(&mut self, pack: &str, stop: &str, text: &str, now: NaiveDateTime) -> Result<Note, StoreError> {
        self.write(
            "INSERT INTO note (pack, stop, text, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (pack, stop) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            params![pack, stop, text, stamp(now)],
        )?;
        // The time as stored (to the second), as `notes` will read it back.
        let updated_at = parse_stamp(&stamp(now)).unwrap_or(now);
        Ok(Note { pack: pack.to_owned(), stop: stop.to_owned(), text: text.to_owned(), updated_at })
    }

    pub fn notes(&self, pack: &str) -> Result<Vec<Note>, StoreError> {
        let err = sqlite_error(&self.path);
        let mut stmt =
            self.conn.prepare("SELECT stop, text, updated_at FROM note WHERE pack = ?1 ORDER BY stop").map_err(&err)?;
        let rows = stmt
            .query_map([pack], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
            .map_err(&err)?;
        Ok(rows
            .filter_map(Result::ok)
            .filter_map(|(stop, text, at)| {
                Some(Note { pack: pack.to_owned(), stop, text, updated_at: parse_stamp(&at)? })
            })
            .collect())
    }
    /// Everything in the database (every pack), as a user-data document.
    pub fn export(
        &self,
        exported_at: Option<NaiveDateTime>,
        pack: Option<&crate::pack::Pack>,
    ) -> Result<UserData, StoreError> {
        let err = sqlite_error(&self.path);
        let mut data = UserData::new(exported_at, self.setting("device")?);
        let packs: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT pack FROM worksheet UNION SELECT pack FROM note UNION SELECT pack FROM correction ORDER BY 1")
                .map_err(&err)?;
            let rows = stmt.query_map([], |r| r.get(0)).map_err(&err)?;
            rows.filter_map(Result::ok).collect()
        };
        for id in packs {
            let form = pack.filter(|p| p.pack.id == id);
            data.worksheets.extend(self.worksheets(&id)?.iter().map(|w| ExportedWorksheet::new(w, form)));
            data.worksheets.extend(self.removed_worksheets(&id)?.iter().map(|r| ExportedWorksheet {
                removed_at: Some(r.removed_at),
                ..ExportedWorksheet::new(&r.worksheet, form)
            }));
            data.notes.extend(self.notes(&id)?);
            data.corrections.extend(self.corrections(&id)?.into_iter().map(|mut c| {
                c.id = 0;
                c
            }));
        }
        Ok(data)
    }

    /// Worksheets from someone else (codes, a file handed over): [`UserDb::import`] of the worksheets
    /// only (someone else's notes and recorded positions are theirs: never taken as this device's),
    /// except that nothing received ever changes this device's own worksheets. A received worksheet
    /// with one of this device's ids (anyone who saw its codes can write such ids) is left out if it is
    /// what this device holds already (whatever dates or visit it claims); otherwise it is kept as a
    /// copy under an id of its own (`<id>-copie<k>`), shown with the received ones. Anything dated more than a day after `now`,
    /// or with more than [`crate::userdata::MAX_FIELDS`] fields or a field longer than
    /// [`crate::userdata::MAX_FIELD_BYTES`], is left out and counted.
    pub fn import_received(&mut self, data: &UserData, now: NaiveDateTime) -> Result<ImportReport, StoreError> {
        use crate::userdata::{MAX_FIELD_BYTES, MAX_FIELDS};
        let err = sqlite_error(&self.path);
        let mine = self.setting("device")?;
        let ahead = now + chrono::Duration::days(1);
        let mut data = UserData { notes: Vec::new(), corrections: Vec::new(), ..data.clone() };
        let before = data.worksheets.len();
        data.worksheets.retain(|w| {
            w.created_at <= ahead
                && w.updated_at <= ahead
                && w.removed_at.is_none_or(|r| r <= ahead)
                && w.fields.len() <= MAX_FIELDS
                && w.fields.iter().all(|(k, v)| k.len() <= 64 && v.len() <= MAX_FIELD_BYTES)
                && w.id.len() <= 128
        });
        let refused = before - data.worksheets.len();
        let mut copies = 0;
        let mut already = 0;
        let mut taken = Vec::with_capacity(data.worksheets.len());
        for mut w in std::mem::take(&mut data.worksheets) {
            if mine.is_none() || crate::worksheet::device_of(&w.id) != mine.as_deref() {
                taken.push(w);
                continue;
            }
            let same = |h: &WorksheetDoc| h.fields == w.fields && h.rating == w.rating && h.workshop == w.workshop;
            if worksheet_in(&self.conn, &w.id).map_err(&err)?.as_ref().is_some_and(same) {
                already += 1;
                continue;
            }
            // The first copy id that is free, or that holds this very copy already.
            let mut k = 1;
            let id = loop {
                let id = format!("{}-copie{k}", w.id);
                match worksheet_in(&self.conn, &id).map_err(&err)? {
                    None => break id,
                    Some(h) if same(&h) => break id,
                    Some(_) => k += 1,
                }
            };
            w.id = id;
            copies += 1;
            taken.push(w);
        }
        data.worksheets = taken;
        let mut report = self.import(&data)?;
        (report.copies, report.refused) = (copies, refused);
        report.unchanged += already;
        Ok(report)
    }

    /// Adds what `data` holds, in one transaction: a worksheet or a note is taken if it is new or newer
    /// than the one here (same id / same stop; a worksheet's copies by their [`Stage`]); a recorded position if it is not here yet. Nothing is
    /// written unless everything is.
    pub fn import(&mut self, data: &UserData) -> Result<ImportReport, StoreError> {
        let err = sqlite_error(&self.path);
        let mut report = ImportReport::default();
        let tx = self.conn.transaction().map_err(&err)?;
        for w in &data.worksheets {
            let here = worksheet_in(&tx, &w.id).map_err(&err)?;
            let removed_here = match &here {
                Some(h) => removed_in(&tx, &w.id).map_err(&err)?.map(|at| parse_stamp(&at).unwrap_or(h.updated_at)),
                None => None,
            };
            match here {
                // The same or an older copy ([`Stage`]): nothing to take, unless this one was removed
                // here and the file's is not (opening a file that holds it is asking for it back).
                Some(h) if (Stage { edited: h.updated_at, removed: removed_here }) >= w.stage() => {
                    if removed_here.is_some() && w.removed_at.is_none() {
                        tx.execute("UPDATE worksheet SET removed_at = NULL WHERE id = ?1", [&w.id]).map_err(&err)?;
                        report.updated += 1;
                    } else {
                        report.unchanged += 1;
                    }
                }
                found => {
                    let fields = serde_json::to_string(&w.fields).unwrap_or_else(|_| "{}".into());
                    tx.execute(
                        "INSERT INTO worksheet (id, pack, workshop, fields, rating, created_at, updated_at, removed_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                         ON CONFLICT (id) DO UPDATE SET pack = excluded.pack, workshop = excluded.workshop,
                             fields = excluded.fields, rating = excluded.rating, updated_at = excluded.updated_at,
                             removed_at = excluded.removed_at",
                        params![
                            w.id,
                            w.pack,
                            w.workshop,
                            fields,
                            w.rating,
                            stamp(w.created_at),
                            stamp(w.updated_at),
                            w.removed_at.map(stamp)
                        ],
                    )
                    .map_err(&err)?;
                    if found.is_some() { report.updated += 1 } else { report.added += 1 }
                }
            }
        }
        for n in &data.notes {
            let here: Option<String> = tx
                .query_row("SELECT updated_at FROM note WHERE pack = ?1 AND stop = ?2", params![n.pack, n.stop], |r| {
                    r.get(0)
                })
                .optional()
                .map_err(&err)?;
            match here.as_deref().and_then(parse_stamp) {
                Some(t) if t >= n.updated_at => report.unchanged += 1,
                found => {
                    tx.execute(
                        "INSERT INTO note (pack, stop, text, updated_at) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (pack, stop) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                        params![n.pack, n.stop, n.text, stamp(n.updated_at)],
                    )
                    .map_err(&err)?;
                    if found.is_some() || here.is_some() { report.updated += 1 } else { report.added += 1 }
                }
            }
        }
        for c in &data.corrections {
            let exists: i64 = tx
                .query_row(
                    "SELECT count(*) FROM correction WHERE stop = ?1 AND lat = ?2 AND lon = ?3 AND recorded_at = ?4",
                    params![c.stop, c.lat, c.lon, stamp(c.recorded_at)],
                    |r| r.get(0),
                )
                .map_err(&err)?;
            if exists > 0 {
                report.unchanged += 1;
                continue;
            }
            let pack = data.worksheets.first().map(|w| w.pack.clone()).unwrap_or_default();
            tx.execute(
                "INSERT INTO correction (pack, stop, lat, lon, accuracy_m, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![pack, c.stop, c.lat, c.lon, c.accuracy_m, stamp(c.recorded_at)],
            )
            .map_err(&err)?;
            report.added += 1;
        }
        tx.commit().map_err(&err)?;
        Ok(report)
    }

    /// Reads whatever can still be read from a damaged user database, row by row, without writing to it.
    /// Returns the data and, in words, what could not be read.
    pub fn recover(path: &Path) -> (UserData, Vec<String>) {
        match Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            Ok(conn) => UserDb::recover_from(&conn),
            Err(e) => (UserData::new(None, None), vec![format!("the file cannot be opened at all: {e}")]),
        }
    }

    /// [`UserDb::recover`] from a connection already open on the damaged database.
    fn recover_from(conn: &Connection) -> (UserData, Vec<String>) {
        let mut data = UserData::new(None, None);
        let mut lost = Vec::new();
        // Every row id of a table: all at once if the table's pages can be walked; else probed one by one
        // (a seek by row id reaches every row whose own page is sound), until 2,000 ids in a row give
        // nothing.
        let rowids = |table: &str, lost: &mut Vec<String>| -> Vec<i64> {
            let all = conn
                .prepare(&format!("SELECT rowid FROM {table}"))
                .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>());
            if let Ok(ids) = all {
                return ids;
            }
            let (mut ids, mut unreadable, mut free_run, mut id) = (Vec::new(), 0, 0, 0i64);
            while free_run < 2000 {
                id += 1;
                match conn
                    .query_row(&format!("SELECT rowid FROM {table} WHERE rowid = ?1"), [id], |r| r.get::<_, i64>(0))
                {
                    Ok(found) => {
                        ids.push(found);
                        free_run = 0;
                    }
                    Err(rusqlite::Error::QueryReturnedNoRows) => free_run += 1,
                    Err(_) => {
                        // Counted as lost, but not as a hit: a table whose every page is gone ends too.
                        unreadable += 1;
                        free_run += 1;
                    }
                }
            }
            if unreadable > 0 || ids.is_empty() {
                lost.push(format!("table {table}: {unreadable} rows could not be read (damaged pages)"));
            }
            ids
        };
        // A file from before version 3 has no `removed_at`.
        let with_removed = conn.prepare("SELECT removed_at FROM worksheet LIMIT 0").is_ok();
        for rowid in rowids("worksheet", &mut lost) {
            let row = if with_removed {
                conn.query_row(&format!("{WORKSHEET_SELECT_REMOVED} WHERE rowid = ?1"), [rowid], |r| {
                    Ok(worksheet_row(r)?.map(|w| (w, r.get::<_, Option<String>>(7).ok().flatten())))
                })
            } else {
                conn.query_row(&format!("{WORKSHEET_SELECT} WHERE rowid = ?1"), [rowid], |r| {
                    Ok(worksheet_row(r)?.map(|w| (w, None)))
                })
            };
            match row {
                Ok(Some((w, removed))) => data.worksheets.push(ExportedWorksheet {
                    removed_at: removed.as_deref().and_then(parse_stamp),
                    ..ExportedWorksheet::new(&w, None)
                }),
                Ok(None) => lost.push(format!("worksheet row {rowid}: unreadable dates or fields")),
                Err(e) => lost.push(format!("worksheet row {rowid}: {e}")),
            }
        }
        for rowid in rowids("note", &mut lost) {
            let row = conn.query_row("SELECT pack, stop, text, updated_at FROM note WHERE rowid = ?1", [rowid], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            });
            match row {
                Ok((pack, stop, text, at)) => match parse_stamp(&at) {
                    Some(updated_at) => data.notes.push(Note { pack, stop, text, updated_at }),
                    None => lost.push(format!("note row {rowid}: unreadable date")),
                },
                Err(e) => lost.push(format!("note row {rowid}: {e}")),
            }
        }
        for rowid in rowids("correction", &mut lost) {
            let row = conn.query_row(
                "SELECT stop, lat, lon, accuracy_m, recorded_at FROM correction WHERE rowid = ?1",
                [rowid],
                |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?)),
            );
            match row {
                Ok((stop, lat, lon, accuracy_m, at)) => match parse_stamp(&at) {
                    Some(recorded_at) => {
                        data.corrections.push(Correction { id: 0, stop, lat, lon, accuracy_m, recorded_at })
                    }
                    None => lost.push(format!("recorded position row {rowid}: unreadable date")),
                },
                Err(e) => lost.push(format!("recorded position row {rowid}: {e}")),
            }
        }
        (data, lost)
    }
}

const WORKSHEET_SELECT: &str = "SELECT id, pack, workshop, fields, rating, created_at, updated_at FROM worksheet";
/// [`WORKSHEET_SELECT`] and `removed_at` (column 7).
const WORKSHEET_SELECT_REMOVED: &str =
    "SELECT id, pack, workshop, fields, rating, created_at, updated_at, removed_at FROM worksheet";

/// A row of [`WORKSHEET_SELECT_REMOVED`] into a removed worksheet; `None` if it cannot be read.
fn removed_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Removed>> {
    let at: Option<String> = r.get(7)?;
    Ok(worksheet_row(r)?
        .zip(at.as_deref().and_then(parse_stamp))
        .map(|(worksheet, removed_at)| Removed { worksheet, removed_at }))
}

/// When the worksheet `id` was removed here (its stamp), if it was.
fn removed_in(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT removed_at FROM worksheet WHERE id = ?1", [id], |r| r.get(0))
}

/// A row into a worksheet; `None` for a row whose dates or fields cannot be read (kept in the file).
fn worksheet_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<WorksheetDoc>> {
    let fields: String = r.get(3)?;
    let (created, updated): (String, String) = (r.get(5)?, r.get(6)?);
    Ok((|| {
        Some(WorksheetDoc {
            id: r.get(0).ok()?,
            pack: r.get(1).ok()?,
            workshop: r.get(2).ok()?,
            fields: serde_json::from_str(&fields).ok()?,
            rating: r.get(4).ok()?,
            created_at: parse_stamp(&created)?,
            updated_at: parse_stamp(&updated)?,
        })
    })())
}

fn worksheet_in(conn: &Connection, id: &str) -> rusqlite::Result<Option<WorksheetDoc>> {
    Ok(conn.query_row(&format!("{WORKSHEET_SELECT} WHERE id = ?1"), [id], worksheet_row).optional()?.flatten())
}
