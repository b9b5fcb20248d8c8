//! `routes`, their timed stops (`route_stops`) and where each leads back to (`route_back`, since
//! version 4).

use rusqlite::{Connection, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack) -> rusqlite::Result<()> {
    for (ord, r) in (0_i64..).zip(pack.routes.iter()) {
        tx.execute(
            "INSERT INTO routes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                ord,
                r.id.as_str(),
                json(&r.name),
                r.colour,
                r.symbol,
                r.line.as_str(),
                r.start.to_string(),
                r.end.to_string()
            ],
        )?;
        for (n, v) in (0_i64..).zip(r.schedule.iter()) {
            tx.execute(
                "INSERT INTO route_stops VALUES (?1, ?2, ?3, ?4, ?5)",
                params![r.id.as_str(), n, v.stop.as_str(), v.arrive.to_string(), v.depart.to_string()],
            )?;
        }
        if let Some(back) = &r.back_to {
            tx.execute("INSERT INTO route_back VALUES (?1, ?2)", params![r.id.as_str(), back.as_str()])?;
        }
    }
    Ok(())
}

pub(super) fn read(conn: &Connection, version: i64) -> Result<Vec<Route>, Bad> {
    let visits = rows(conn, "SELECT route_id, stop_id, arrive, depart FROM route_stops ORDER BY route_id, ord", |r| {
        Ok((r.get::<_, String>(0)?, PlannedVisit { stop: StopId(r.get(1)?), arrive: hm(r, 2)?, depart: hm(r, 3)? }))
    })?;
    let backs: Vec<(String, String)> = if version >= 4 {
        rows(conn, "SELECT route_id, stop_id FROM route_back", |r| Ok((r.get(0)?, r.get(1)?)))?
    } else {
        Vec::new()
    };
    rows(conn, "SELECT id, name, colour, symbol, line, start, \"end\" FROM routes ORDER BY ord", |r| {
        let id: String = r.get(0)?;
        let schedule: Vec<PlannedVisit> =
            visits.iter().filter(|(route, _)| *route == id).map(|(_, v)| v.clone()).collect();
        Ok(Route {
            name: loc(r, 1)?,
            colour: r.get(2)?,
            symbol: r.get(3)?,
            line: {
                let line: String = r.get(4)?;
                LineStyle::parse(&line).ok_or_else(|| Bad::Other(format!("bad line style {line:?}")))?
            },
            start: hm(r, 5)?,
            end: hm(r, 6)?,
            stops: schedule.iter().map(|v| v.stop.clone()).collect(),
            schedule,
            back_to: backs.iter().find(|(route, _)| *route == id).map(|(_, stop)| StopId(stop.clone())),
            id: RouteId(id),
        })
    })
}
