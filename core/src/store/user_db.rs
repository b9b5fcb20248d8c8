//! The user database: what a person records on the device (for now: the walk's progress and the stop
//! positions a guide records), in its own SQLite file beside — never inside — the read-only pack.
//!
//! Durability first: WAL journal, `synchronous = FULL`, every write in one transaction, and a write is
//! acknowledged only once committed. The schema version is `user_version`; a file from a newer Parcours
//! is refused, never rewritten.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use crate::walk::Correction;

/// "PRCU": Parcours user data (the pack file is "PRCS").
pub const USER_APPLICATION_ID: i32 = 0x5052_4355;
/// The user database's schema version (`PRAGMA user_version`).
pub const USER_SCHEMA_VERSION: i64 = 1;

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

fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + use<> {
    let path = path.display().to_string();
    move |source| StoreError::Sqlite { path: path.clone(), source }
}

pub struct UserDb {
    conn: Connection,
    path: PathBuf,
}

impl UserDb {
    /// Opens the user database at `path`, creating it (and its schema) if it does not exist.
    pub fn open(path: &Path) -> Result<UserDb, StoreError> {
        let shown = path.display().to_string();
        let sqlite = |source: rusqlite::Error| StoreError::Sqlite { path: shown.clone(), source };
        let conn = Connection::open(path).map_err(sqlite)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sqlite)?;
        let id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| StoreError::Corrupt { path: shown.clone(), reason: e.to_string() })?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sqlite)?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(sqlite)?;
        if id != USER_APPLICATION_ID && !(id == 0 && tables == 0) {
            return Err(StoreError::NotAPack { path: shown, reason: "not a Parcours user database".into() });
        }
        if version > USER_SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: shown, found: version, supported: USER_SCHEMA_VERSION });
        }
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(sqlite)?;
        if tables == 0 {
            let mut conn = conn;
            let tx = conn.transaction().map_err(sqlite)?;
            tx.execute_batch(SCHEMA_V1).map_err(sqlite)?;
            tx.pragma_update(None, "application_id", USER_APPLICATION_ID).map_err(sqlite)?;
            tx.pragma_update(None, "user_version", USER_SCHEMA_VERSION).map_err(sqlite)?;
            tx.commit().map_err(sqlite)?;
            return Ok(UserDb { conn, path: path.to_owned() });
        }
        Ok(UserDb { conn, path: path.to_owned() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Saves the progress of a walk (replacing the previous one for that route); returns once committed.
    pub fn save_walk(
        &mut self,
        pack: &str,
        route: &str,
        state_json: &str,
        at: NaiveDateTime,
    ) -> Result<(), StoreError> {
        let err = sqlite_error(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        tx.execute(
            "INSERT INTO walk (pack, route, state, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (pack, route) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            params![pack, route, state_json, at.format("%Y-%m-%dT%H:%M:%S").to_string()],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    pub fn load_walk(&self, pack: &str, route: &str) -> Result<Option<String>, StoreError> {
        let err = sqlite_error(&self.path);
        self.conn
            .query_row("SELECT state FROM walk WHERE pack = ?1 AND route = ?2", params![pack, route], |r| r.get(0))
            .optional()
            .map_err(&err)
    }

    pub fn delete_walk(&mut self, pack: &str, route: &str) -> Result<(), StoreError> {
        let err = sqlite_error(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        tx.execute("DELETE FROM walk WHERE pack = ?1 AND route = ?2", params![pack, route]).map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// Records a stop's position as measured on site; returns its id once committed.
    pub fn add_correction(&mut self, pack: &str, c: &Correction) -> Result<i64, StoreError> {
        let err = sqlite_error(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        tx.execute(
            "INSERT INTO correction (pack, stop, lat, lon, accuracy_m, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![pack, c.stop, c.lat, c.lon, c.accuracy_m, c.recorded_at.format("%Y-%m-%dT%H:%M:%S").to_string()],
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
                let recorded_at = NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%S").ok()?;
                Some(Correction { id, stop, lat, lon, accuracy_m, recorded_at })
            })
            .collect())
    }
}
