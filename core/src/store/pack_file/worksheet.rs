//! `worksheet`, `worksheet_columns` and `worksheet_ratings`: the form of the fiche chantier.

use rusqlite::{Connection, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack) -> rusqlite::Result<()> {
    let ws = &pack.worksheet;
    tx.execute(
        "INSERT INTO worksheet VALUES (1, ?1, ?2, ?3, ?4)",
        params![json(&ws.title), json(&ws.instructions), json(&ws.objectives), json(&ws.rating_instructions)],
    )?;
    for (ord, c) in (0_i64..).zip(ws.columns.iter()) {
        tx.execute(
            "INSERT INTO worksheet_columns VALUES (?1, ?2, ?3, ?4)",
            params![ord, c.id, json(&c.label), json(&c.help)],
        )?;
    }
    for (ord, r) in (0_i64..).zip(ws.ratings.iter()) {
        tx.execute(
            "INSERT INTO worksheet_ratings VALUES (?1, ?2, ?3, ?4, ?5)",
            params![ord, r.id, r.colour, json(&r.label), json(&r.meaning)],
        )?;
    }
    Ok(())
}

pub(super) fn read(conn: &Connection) -> Result<Worksheet, Bad> {
    let columns = rows(conn, "SELECT id, label, help FROM worksheet_columns ORDER BY ord", |r| {
        Ok(WorksheetColumn { id: r.get(0)?, label: loc(r, 1)?, help: loc(r, 2)? })
    })?;
    let ratings = rows(conn, "SELECT id, colour, label, meaning FROM worksheet_ratings ORDER BY ord", |r| {
        Ok(Rating { id: r.get(0)?, colour: r.get(1)?, label: loc(r, 2)?, meaning: loc(r, 3)? })
    })?;
    one(conn, "SELECT title, instructions, objectives, rating_instructions FROM worksheet", |r| {
        Ok(Worksheet {
            title: loc(r, 0)?,
            instructions: loc(r, 1)?,
            objectives: serde_json::from_str(&r.get::<_, String>(2)?)?,
            columns: columns.clone(),
            rating_instructions: loc(r, 3)?,
            ratings: ratings.clone(),
        })
    })
}
