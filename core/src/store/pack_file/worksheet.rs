//! `worksheet`, `worksheet_columns`, `worksheet_ratings` and `worksheet_form` (since version 5): the form
//! of the fiche chantier.

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
    tx.execute(
        "INSERT INTO worksheet_form VALUES (1, ?1, ?2)",
        params![ws.title_column, opt_json(ws.rating_title.as_ref())],
    )?;
    Ok(())
}

pub(super) fn read(conn: &Connection, version: i64) -> Result<Worksheet, Bad> {
    let columns = rows(conn, "SELECT id, label, help FROM worksheet_columns ORDER BY ord", |r| {
        Ok(WorksheetColumn { id: r.get(0)?, label: loc(r, 1)?, help: loc(r, 2)? })
    })?;
    let ratings = rows(conn, "SELECT id, colour, label, meaning FROM worksheet_ratings ORDER BY ord", |r| {
        Ok(Rating { id: r.get(0)?, colour: r.get(1)?, label: loc(r, 2)?, meaning: loc(r, 3)? })
    })?;
    let (title_column, rating_title) = if version >= 5 {
        one(conn, "SELECT title_column, rating_title FROM worksheet_form", |r| Ok((r.get(0)?, opt_loc(r, 1)?)))?
    } else {
        // Before version 5 a form had no title column of its own: its column "titre" was taken.
        (columns.iter().find(|c| c.id == "titre").map(|c| c.id.clone()), None)
    };
    one(conn, "SELECT title, instructions, objectives, rating_instructions FROM worksheet", |r| {
        Ok(Worksheet {
            title_column: title_column.clone(),
            rating_title: rating_title.clone(),
            title: loc(r, 0)?,
            instructions: loc(r, 1)?,
            objectives: serde_json::from_str(&r.get::<_, String>(2)?)?,
            columns: columns.clone(),
            rating_instructions: loc(r, 3)?,
            ratings: ratings.clone(),
        })
    })
}
