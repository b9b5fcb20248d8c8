//! `stops` and what hangs on a stop: `speakers`, `stop_audio`, `facts`, `stop_access` and `stop_photo`
//! (the last two since version 4), with each stop's rows of the search index.

use rusqlite::{Connection, Statement, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack, index: &mut Statement<'_>) -> rusqlite::Result<()> {
    let mut access = tx.prepare("INSERT INTO stop_access VALUES (?1, ?2)")?;
    let mut photo = tx.prepare("INSERT INTO stop_photo VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    let info = &pack.pack;
    for (ord, s) in (0_i64..).zip(pack.stops.iter()) {
        let p = s.position.as_ref();
        tx.execute(
            "INSERT INTO stops VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                ord,
                s.id.as_str(),
                s.name,
                json(&s.theme),
                s.host,
                json(&s.meeting_place),
                json(&s.description),
                opt_json(s.easy_read.as_ref()),
                p.map(|p| p.lat),
                p.map(|p| p.lon),
                p.map(|p| p.accuracy_m),
                p.map(|p| p.confidence.as_str()),
                p.map(|p| p.source.clone()),
                p.map(|p| p.licence.clone())
            ],
        )?;
        for (n, sp) in (0_i64..).zip(s.speakers.iter()) {
            tx.execute(
                "INSERT INTO speakers VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.id.as_str(), n, sp.name, json(&sp.role), sp.organisation],
            )?;
        }
        for a in &s.audio {
            let data = pack.media.get(&Pack::media_key(&s.id, &a.lang)).map_or(&[][..], Vec::as_slice);
            tx.execute("INSERT INTO stop_audio VALUES (?1, ?2, ?3, ?4)", params![s.id.as_str(), a.lang, a.mime, data])?;
        }
        for (n, fact) in (0_i64..).zip(s.facts.iter()) {
            tx.execute("INSERT INTO facts VALUES (?1, ?2, ?3)", params![s.id.as_str(), n, json(fact)])?;
        }
        if let Some(text) = &s.access {
            access.execute(params![s.id.as_str(), json(text)])?;
        }
        if let Some(p) = &s.photo {
            let data = pack.media.get(&Pack::photo_key(&s.id)).map_or(&[][..], Vec::as_slice);
            photo.execute(params![s.id.as_str(), p.mime, p.width, p.height, json(&p.alt), p.credit, data])?;
        }
        for lang in &info.languages {
            let speakers: Vec<String> =
                s.speakers.iter().map(|sp| format!("{}, {}", sp.name, sp.role.get(lang))).collect();
            let facts: Vec<&str> = s.facts.iter().map(|f| f.get(lang)).collect();
            let body = [
                s.theme.get(lang),
                &s.host,
                s.meeting_place.get(lang),
                &speakers.join("\n"),
                s.description.get(lang),
                &facts.join("\n"),
                s.access.as_ref().map_or("", |a| a.get(lang)),
            ]
            .join("\n");
            index.execute(params!["stop", s.id.as_str(), lang, s.name, body])?;
        }
    }
    Ok(())
}

pub(super) fn read(conn: &Connection, version: i64) -> Result<Vec<Stop>, Bad> {
    let mut stops = rows(
        conn,
        "SELECT id, name, theme, host, meeting_place, description, lat, lon, accuracy_m, position_confidence,
                position_source, position_licence, easy_read FROM stops ORDER BY ord",
        |r| {
            let lat: Option<f64> = r.get(6)?;
            let lon: Option<f64> = r.get(7)?;
            let position = match (lat, lon) {
                (Some(lat), Some(lon)) => {
                    let confidence: String = r.get::<_, Option<String>>(9)?.unwrap_or_default();
                    Some(Position {
                        lat,
                        lon,
                        accuracy_m: r.get::<_, Option<f64>>(8)?.unwrap_or(0.0),
                        confidence: Confidence::parse(&confidence)
                            .ok_or_else(|| Bad::Other(format!("bad confidence {confidence:?}")))?,
                        source: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                        licence: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                    })
                }
                _ => None,
            };
            Ok(Stop {
                id: StopId(r.get(0)?),
                name: r.get(1)?,
                theme: loc(r, 2)?,
                host: r.get(3)?,
                meeting_place: loc(r, 4)?,
                speakers: Vec::new(),
                description: loc(r, 5)?,
                easy_read: opt_loc(r, 12)?,
                audio: Vec::new(),
                access: None,
                photo: None,
                facts: Vec::new(),
                position,
            })
        },
    )?;
    let speakers = rows(conn, "SELECT stop_id, name, role, organisation FROM speakers ORDER BY stop_id, ord", |r| {
        Ok((r.get::<_, String>(0)?, Speaker { name: r.get(1)?, role: loc(r, 2)?, organisation: r.get(3)? }))
    })?;
    let facts = rows(conn, "SELECT stop_id, text FROM facts ORDER BY stop_id, ord", |r| {
        Ok((r.get::<_, String>(0)?, loc(r, 1)?))
    })?;
    let audio = rows(conn, "SELECT stop_id, lang, mime, length(data) FROM stop_audio ORDER BY stop_id, lang", |r| {
        let bytes: i64 = r.get(3)?;
        Ok((r.get::<_, String>(0)?, Audio { lang: r.get(1)?, mime: r.get(2)?, bytes: bytes.max(0) as u64 }))
    })?;
    // The tables of version 4; a file of version 3 has none of them.
    let access = if version >= 4 {
        rows(conn, "SELECT stop_id, text FROM stop_access", |r| Ok((r.get::<_, String>(0)?, loc(r, 1)?)))?
    } else {
        Vec::new()
    };
    let photos = if version >= 4 {
        rows(conn, "SELECT stop_id, mime, width, height, alt, credit, length(data) FROM stop_photo", |r| {
            let number = |i: usize| -> Result<u32, Bad> {
                let n: i64 = r.get(i)?;
                u32::try_from(n).map_err(|_| Bad::Other(format!("bad photo size {n}")))
            };
            Ok((
                r.get::<_, String>(0)?,
                Photo {
                    mime: r.get(1)?,
                    width: number(2)?,
                    height: number(3)?,
                    alt: loc(r, 4)?,
                    credit: r.get(5)?,
                    bytes: number(6)?.into(),
                },
            ))
        })?
    } else {
        Vec::new()
    };
    for stop in &mut stops {
        stop.access = access.iter().find(|(id, _)| id == stop.id.as_str()).map(|(_, a)| a.clone());
        stop.photo = photos.iter().find(|(id, _)| id == stop.id.as_str()).map(|(_, p)| p.clone());
        stop.audio = audio.iter().filter(|(id, _)| id == stop.id.as_str()).map(|(_, a)| a.clone()).collect();
        stop.speakers = speakers.iter().filter(|(id, _)| id == stop.id.as_str()).map(|(_, s)| s.clone()).collect();
        stop.facts = facts.iter().filter(|(id, _)| id == stop.id.as_str()).map(|(_, f)| f.clone()).collect();
    }
    Ok(stops)
}
