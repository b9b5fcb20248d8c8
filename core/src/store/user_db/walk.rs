//! The walk's progress per route, and the stop positions a guide records (corrections).

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::*;

impl UserDb {
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
}
