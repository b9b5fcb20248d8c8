//! What every table's reading and writing shares: values as JSON text, the rows of a query, and
//! [`Bad`], why a checked file still cannot be read as a visit.

use rusqlite::{Connection, Row};
use serde::Serialize;

use crate::pack::{Hm, Localized};

pub(super) fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

pub(super) fn opt_json<T: Serialize>(value: Option<&T>) -> Option<String> {
    value.map(json)
}

/// Why a pack file that passed the integrity check still cannot be read as a visit.
pub(super) enum Bad {
    Sqlite(rusqlite::Error),
    Other(String),
}

impl From<rusqlite::Error> for Bad {
    fn from(e: rusqlite::Error) -> Bad {
        Bad::Sqlite(e)
    }
}

impl From<serde_json::Error> for Bad {
    fn from(e: serde_json::Error) -> Bad {
        Bad::Other(format!("bad JSON in a text column: {e}"))
    }
}

pub(super) fn loc(row: &Row<'_>, i: usize) -> Result<Localized, Bad> {
    Ok(serde_json::from_str(&row.get::<_, String>(i)?)?)
}

pub(super) fn opt_loc(row: &Row<'_>, i: usize) -> Result<Option<Localized>, Bad> {
    row.get::<_, Option<String>>(i)?.map(|t| serde_json::from_str(&t)).transpose().map_err(Bad::from)
}

pub(super) fn hm(row: &Row<'_>, i: usize) -> Result<Hm, Bad> {
    let text: String = row.get(i)?;
    Hm::parse(&text).ok_or_else(|| Bad::Other(format!("bad time {text:?}")))
}

/// Runs `sql` and maps each row; `f` may fail with a [`Bad`].
pub(super) fn rows<T>(conn: &Connection, sql: &str, f: impl Fn(&Row<'_>) -> Result<T, Bad>) -> Result<Vec<T>, Bad> {
    let mut stmt = conn.prepare(sql)?;
    let mut out = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        out.push(f(row)?);
    }
    Ok(out)
}

pub(super) fn one<T>(conn: &Connection, sql: &str, f: impl Fn(&Row<'_>) -> Result<T, Bad>) -> Result<T, Bad> {
    rows(conn, sql, f)?.into_iter().next().ok_or_else(|| Bad::Other(format!("missing row: {sql}")))
}
