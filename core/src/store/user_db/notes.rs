//! A note per stop.

use chrono::NaiveDateTime;
use rusqlite::params;

use super::*;

impl UserDb {
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
}
