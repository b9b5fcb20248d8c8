//! Worksheets: saved whole or field by field, listed by visit, removed (kept) and put back.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::*;

impl UserDb {
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
    pub(super) fn worksheets_where(&self, condition: &str, pack: &str) -> Result<Vec<WorksheetDoc>, StoreError> {
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

    pub(super) fn set_removed(&mut self, id: &str, at: Option<NaiveDateTime>) -> Result<bool, StoreError> {
        let err = sqlite_error(&self.path);
        let tx = self.conn.transaction().map_err(&err)?;
        let changed = tx
            .execute("UPDATE worksheet SET removed_at = ?2 WHERE id = ?1", params![id, at.map(stamp)])
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        Ok(changed > 0)
    }
}

pub(super) const WORKSHEET_SELECT: &str =
    "SELECT id, pack, workshop, fields, rating, created_at, updated_at FROM worksheet";
/// [`WORKSHEET_SELECT`] and `removed_at` (column 7).
pub(super) const WORKSHEET_SELECT_REMOVED: &str =
    "SELECT id, pack, workshop, fields, rating, created_at, updated_at, removed_at FROM worksheet";

/// A row of [`WORKSHEET_SELECT_REMOVED`] into a removed worksheet; `None` if it cannot be read.
pub(super) fn removed_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Removed>> {
    let at: Option<String> = r.get(7)?;
    Ok(worksheet_row(r)?
        .zip(at.as_deref().and_then(parse_stamp))
        .map(|(worksheet, removed_at)| Removed { worksheet, removed_at }))
}

/// When the worksheet `id` was removed here (its stamp), if it was.
pub(super) fn removed_in(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT removed_at FROM worksheet WHERE id = ?1", [id], |r| r.get(0))
}

/// A row into a worksheet; `None` for a row whose dates or fields cannot be read (kept in the file).
pub(super) fn worksheet_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<WorksheetDoc>> {
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

pub(super) fn worksheet_in(conn: &Connection, id: &str) -> rusqlite::Result<Option<WorksheetDoc>> {
    Ok(conn.query_row(&format!("{WORKSHEET_SELECT} WHERE id = ?1"), [id], worksheet_row).optional()?.flatten())
}
