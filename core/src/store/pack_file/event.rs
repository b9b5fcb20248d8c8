//! `event`, `organisations` and `key_figures`: the day, who made it, its figures.

use rusqlite::{Connection, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack) -> rusqlite::Result<()> {
    let e = &pack.event;
    tx.execute(
        "INSERT INTO event VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            json(&e.title),
            json(&e.subtitle),
            e.date.format("%Y-%m-%d").to_string(),
            e.timezone,
            e.start.to_string(),
            e.end.to_string(),
            e.city,
            e.neighbourhood,
            e.venue,
            e.address,
            json(&e.introduction)
        ],
    )?;
    for (ord, o) in (0_i64..).zip(e.organisations.iter()) {
        tx.execute(
            "INSERT INTO organisations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                ord,
                o.id,
                o.role.as_str(),
                o.name,
                opt_json(o.about.as_ref()),
                o.address,
                o.phone,
                o.email,
                o.website
            ],
        )?;
    }
    for (ord, f) in (0_i64..).zip(e.key_figures.iter()) {
        tx.execute("INSERT INTO key_figures VALUES (?1, ?2, ?3, ?4)", params![ord, f.value, json(&f.label), f.source])?;
    }
    Ok(())
}

pub(super) fn read(conn: &Connection) -> Result<Event, Bad> {
    let organisations = rows(
        conn,
        "SELECT id, role, name, about, address, phone, email, website FROM organisations ORDER BY ord",
        |r| {
            let role: String = r.get(1)?;
            Ok(Organisation {
                id: r.get(0)?,
                role: OrganisationRole::parse(&role).ok_or_else(|| Bad::Other(format!("bad role {role:?}")))?,
                name: r.get(2)?,
                about: opt_loc(r, 3)?,
                address: r.get(4)?,
                phone: r.get(5)?,
                email: r.get(6)?,
                website: r.get(7)?,
            })
        },
    )?;
    let key_figures = rows(conn, "SELECT value, label, source FROM key_figures ORDER BY ord", |r| {
        Ok(KeyFigure { value: r.get(0)?, label: loc(r, 1)?, source: r.get(2)? })
    })?;
    one(
        conn,
        "SELECT title, subtitle, date, timezone, start, \"end\", city, neighbourhood, venue, address, introduction FROM event",
        |r| {
            let date: String = r.get(2)?;
            Ok(Event {
                title: loc(r, 0)?,
                subtitle: loc(r, 1)?,
                date: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                    .map_err(|_| Bad::Other(format!("bad date {date:?}")))?,
                timezone: r.get(3)?,
                start: hm(r, 4)?,
                end: hm(r, 5)?,
                city: r.get(6)?,
                neighbourhood: r.get(7)?,
                venue: r.get(8)?,
                address: r.get(9)?,
                introduction: loc(r, 10)?,
                organisations: organisations.clone(),
                key_figures: key_figures.clone(),
            })
        },
    )
}
