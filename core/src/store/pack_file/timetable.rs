//! `timetable`: the day's programme.

use rusqlite::{Connection, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack) -> rusqlite::Result<()> {
    for (ord, t) in (0_i64..).zip(pack.timetable.iter()) {
        tx.execute(
            "INSERT INTO timetable VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                ord,
                t.id.as_str(),
                t.start.to_string(),
                t.end.map(|e| e.to_string()),
                json(&t.title),
                opt_json(t.place.as_ref()),
                opt_json(t.description.as_ref()),
                opt_json(t.easy_read.as_ref())
            ],
        )?;
    }
    Ok(())
}

pub(super) fn read(conn: &Connection) -> Result<Vec<TimetableItem>, Bad> {
    rows(conn, "SELECT id, start, \"end\", title, place, description, easy_read FROM timetable ORDER BY ord", |r| {
        let end: Option<String> = r.get(2)?;
        Ok(TimetableItem {
            id: ItemId(r.get(0)?),
            start: hm(r, 1)?,
            end: match end {
                Some(_) => Some(hm(r, 2)?),
                None => None,
            },
            title: loc(r, 3)?,
            place: opt_loc(r, 4)?,
            description: opt_loc(r, 5)?,
            easy_read: opt_loc(r, 6)?,
        })
    })
}
