//! User data leaving and arriving as one document (`userdata`): export, import (the newer copy wins),
//! what a phone receives from others, and what can be read from a damaged file.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::worksheets::{WORKSHEET_SELECT, WORKSHEET_SELECT_REMOVED, removed_in, worksheet_in, worksheet_row};
use super::*;

impl UserDb {
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
    pub(super) fn recover_from(conn: &Connection) -> (UserData, Vec<String>) {
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
