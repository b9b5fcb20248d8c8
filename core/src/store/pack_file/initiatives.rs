//! `initiatives`: the project bank, with each initiative's rows of the search index.

use rusqlite::{Connection, Statement, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack, index: &mut Statement<'_>) -> rusqlite::Result<()> {
    let info = &pack.pack;
    for (ord, i) in (0_i64..).zip(pack.initiatives.iter()) {
        tx.execute(
            "INSERT INTO initiatives VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                ord,
                i.id.as_str(),
                i.workshop.as_str(),
                json(&i.title),
                i.holder,
                json(&i.acts_on),
                i.territory,
                json(&i.description)
            ],
        )?;
        for lang in &info.languages {
            let body = [i.holder.as_str(), i.acts_on.get(lang), &i.territory, i.description.get(lang)].join("\n");
            index.execute(params!["initiative", i.id.as_str(), lang, i.title.get(lang), body])?;
        }
    }
    Ok(())
}

pub(super) fn read(conn: &Connection) -> Result<Vec<Initiative>, Bad> {
    rows(
        conn,
        "SELECT id, workshop_id, title, holder, acts_on, territory, description FROM initiatives ORDER BY ord",
        |r| {
            Ok(Initiative {
                id: InitiativeId(r.get(0)?),
                workshop: WorkshopId(r.get(1)?),
                title: loc(r, 2)?,
                holder: r.get(3)?,
                acts_on: loc(r, 4)?,
                territory: r.get(5)?,
                description: loc(r, 6)?,
            })
        },
    )
}
