//! Visits kept on the device (a pack file opened from someone else, stored whole), by id.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::*;

impl UserDb {
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
}
