//! `workshops` and their further questions (`workshop_questions`, since version 4), with each
//! workshop's rows of the search index.

use rusqlite::{Connection, Statement, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack, index: &mut Statement<'_>) -> rusqlite::Result<()> {
    let info = &pack.pack;
    for (ord, w) in (0_i64..).zip(pack.workshops.iter()) {
        tx.execute(
            "INSERT INTO workshops VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                ord,
                w.id.as_str(),
                w.number,
                json(&w.title),
                json(&w.question),
                opt_json(w.topics.as_ref()),
                opt_json(w.easy_read.as_ref())
            ],
        )?;
        for (n, q) in (0_i64..).zip(w.more_questions.iter()) {
            tx.execute("INSERT INTO workshop_questions VALUES (?1, ?2, ?3)", params![w.id.as_str(), n, json(q)])?;
        }
        for lang in &info.languages {
            let topics = w.topics.as_ref().map_or("", |t| t.get(lang));
            let more: Vec<&str> = w.more_questions.iter().map(|q| q.get(lang)).collect();
            let body = format!("{}\n{}\n{}", w.question.get(lang), more.join("\n"), topics);
            index.execute(params!["workshop", w.id.as_str(), lang, w.title.get(lang), body])?;
        }
    }
    Ok(())
}

pub(super) fn read(conn: &Connection, version: i64) -> Result<Vec<Workshop>, Bad> {
    let questions: Vec<(String, Localized)> = if version >= 4 {
        rows(conn, "SELECT workshop_id, text FROM workshop_questions ORDER BY workshop_id, ord", |r| {
            Ok((r.get(0)?, loc(r, 1)?))
        })?
    } else {
        Vec::new()
    };

    rows(conn, "SELECT id, number, title, question, topics, easy_read FROM workshops ORDER BY ord", |r| {
        let id: String = r.get(0)?;
        Ok(Workshop {
            more_questions: questions.iter().filter(|(w, _)| *w == id).map(|(_, q)| q.clone()).collect(),
            id: WorkshopId(id),
            number: r.get(1)?,
            title: loc(r, 2)?,
            question: loc(r, 3)?,
            topics: opt_loc(r, 4)?,
            easy_read: opt_loc(r, 5)?,
        })
    })
}
