//! `map_layers`: the map's GeoJSON layers with their source and licence.

use rusqlite::{Connection, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack) -> rusqlite::Result<()> {
    for (ord, m) in (0_i64..).zip(pack.map.iter()) {
        tx.execute(
            "INSERT INTO map_layers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![ord, m.id, m.kind, m.attribution, m.licence, m.source, json(&m.geojson)],
        )?;
    }
    Ok(())
}

pub(super) fn read(conn: &Connection) -> Result<Vec<MapLayer>, Bad> {
    rows(conn, "SELECT id, kind, attribution, licence, source, geojson FROM map_layers ORDER BY ord", |r| {
        Ok(MapLayer {
            id: r.get(0)?,
            kind: r.get(1)?,
            attribution: r.get(2)?,
            licence: r.get(3)?,
            source: r.get(4)?,
            geojson: map_json(r.get::<_, String>(5)?)?,
        })
    })
}

/// A map layer's GeoJSON, its length checked before it is parsed (a parsed point takes far more memory
/// than its text).
fn map_json(text: String) -> Result<serde_json::Value, Bad> {
    let most = crate::pack::bounds::MAX_MAP_BYTES;
    if text.len() > most {
        return Err(Bad::Other(format!("it holds a map layer of {} bytes, at most {most}", text.len())));
    }
    Ok(serde_json::from_str(&text)?)
}
