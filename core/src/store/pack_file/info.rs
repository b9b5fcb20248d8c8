//! `pack_info`: the pack's id, version, format, languages, walking speed and easy-read flag, as keys
//! and values.

use rusqlite::{Connection, params};

use super::cells::*;
use crate::pack::*;

pub(super) fn write(tx: &Connection, pack: &Pack) -> rusqlite::Result<()> {
    let info = &pack.pack;
    for (key, value) in [
        ("id", info.id.clone()),
        ("version", info.version.clone()),
        ("format", info.format.to_string()),
        ("languages", json(&info.languages)),
        ("walking_speed_m_s", info.walking_speed_m_s.to_string()),
        ("easy_read", info.easy_read.to_string()),
    ] {
        tx.execute("INSERT INTO pack_info (key, value) VALUES (?1, ?2)", params![key, value])?;
    }
    Ok(())
}

pub(super) fn read(conn: &Connection) -> Result<PackInfo, Bad> {
    let info: std::collections::BTreeMap<String, String> =
        rows(conn, "SELECT key, value FROM pack_info", |r| Ok((r.get(0)?, r.get(1)?)))?.into_iter().collect();
    let get = |key: &str| info.get(key).cloned().ok_or_else(|| Bad::Other(format!("pack_info has no {key}")));
    Ok(PackInfo {
        id: get("id")?,
        version: get("version")?,
        format: get("format")?.parse().map_err(|_| Bad::Other("bad format".into()))?,
        languages: serde_json::from_str(&get("languages")?)?,
        walking_speed_m_s: get("walking_speed_m_s")?.parse().map_err(|_| Bad::Other("bad walking speed".into()))?,
        easy_read: get("easy_read")? == "true",
    })
}
