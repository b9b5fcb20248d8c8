//! The checks a pack file from someone else passes before anything in it is trusted: its header read
//! by hand, a connection that trusts nothing in it ([`harden`]), its schema compared with the one
//! Parcours writes.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::Connection;

use super::{
    APPLICATION_ID, MAX_OPEN_STEPS, MAX_VALUE_BYTES, OLDEST_SCHEMA_VERSION, SCHEMA, SCHEMA_VERSION, SINCE, STEP_OPS,
};
use crate::pack::bounds::MAX_PACK_BYTES;
use crate::store::StoreError;

/// The FTS5 index's own tables, named by SQLite (their SQL may differ between SQLite versions).
const FTS_SHADOWS: &[&str] = &["search_config", "search_content", "search_data", "search_docsize", "search_idx"];
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Reads the 100-byte SQLite header: refuses what is not a pack before SQLite parses anything.
pub(super) fn check_header(path: &Path) -> Result<i64, StoreError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => StoreError::NotFound { path: shown.clone() },
        _ => StoreError::Io { path: shown.clone(), source },
    })?;
    let not_a_pack = |reason: &str| StoreError::NotAPack { path: shown.clone(), reason: reason.to_owned() };
    if meta.is_dir() {
        return Err(not_a_pack(
            "it is a folder; `parcours pack check` takes a source folder, the app a .parcours file",
        ));
    }
    if meta.len() > MAX_PACK_BYTES {
        return Err(not_a_pack(&too_big(meta.len())));
    }
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|source| StoreError::Io { path: shown.clone(), source })?;
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(source) => {
                return Err(StoreError::Io { path: shown.clone(), source });
            }
        }
    }
    check_header_bytes(shown, &header[..read])
}

pub(super) fn too_big(bytes: u64) -> String {
    format!("it is {bytes} bytes, more than a pack's {MAX_PACK_BYTES}")
}

/// The header checks of [`check_header`] on the file's first bytes (`shown` names it in errors).
pub(super) fn check_header_bytes(shown: String, header: &[u8]) -> Result<i64, StoreError> {
    let not_a_pack = |reason: &str| StoreError::NotAPack { path: shown.clone(), reason: reason.to_owned() };
    if header.len() < 100 || &header[..16] != SQLITE_MAGIC {
        return Err(not_a_pack("it is not an SQLite database"));
    }
    let be = |at: usize| i64::from(i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]));
    if be(68) != APPLICATION_ID {
        return Err(not_a_pack("it is an SQLite database of another application"));
    }
    let found = be(60);
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: shown, found, supported: SCHEMA_VERSION });
    }
    if found < OLDEST_SCHEMA_VERSION {
        return Err(StoreError::TooOld { path: shown, found, supported: OLDEST_SCHEMA_VERSION });
    }
    Ok(found)
}

/// A connection to a file from someone else: defensive mode (no writing to the schema, no shadow
/// tables by hand), no function or virtual table from the file's schema trusted, values bounded, and
/// a budget of work counted by the progress handler (the count is returned, in `STEP_OPS` steps).
pub(super) fn harden(conn: &mut Connection) -> rusqlite::Result<Arc<AtomicU64>> {
    use rusqlite::config::DbConfig;
    use rusqlite::limits::Limit;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)?;
    conn.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, 100_000)?;
    conn.set_limit(Limit::SQLITE_LIMIT_EXPR_DEPTH, 100)?;
    conn.set_limit(Limit::SQLITE_LIMIT_COMPOUND_SELECT, 10)?;
    let steps = Arc::new(AtomicU64::new(0));
    let counter = steps.clone();
    conn.progress_handler(
        STEP_OPS,
        Some(move || counter.fetch_add(1, Ordering::Relaxed) * STEP_OPS as u64 > MAX_OPEN_STEPS),
    )?;
    Ok(steps)
}

/// One object of `sqlite_schema`: type, name, table, SQL.
type SchemaRow = (String, String, String, Option<String>);

fn schema_rows(conn: &Connection) -> rusqlite::Result<Vec<SchemaRow>> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// The schema a pack of `version` has: [`SCHEMA`] up to the tables of the next version ([`SINCE`]),
/// made in memory once per version.
fn expected_schema(version: i64) -> &'static [SchemaRow] {
    static EXPECTED: std::sync::OnceLock<Vec<(i64, Vec<SchemaRow>)>> = std::sync::OnceLock::new();
    let made = |sql: &str| {
        Connection::open_in_memory()
            .and_then(|conn| {
                conn.execute_batch(sql)?;
                schema_rows(&conn)
            })
            .unwrap_or_default()
    };
    let all = EXPECTED.get_or_init(|| {
        (OLDEST_SCHEMA_VERSION..=SCHEMA_VERSION)
            .map(|v| {
                let next = SINCE.iter().find(|(since, _)| *since == v + 1).map(|(_, line)| *line);
                let sql = next.map_or(SCHEMA, |line| SCHEMA.split(line).next().unwrap_or(SCHEMA));
                (v, made(sql))
            })
            .collect()
    });
    all.iter().find(|(v, _)| *v == version).map_or(&[], |(_, rows)| rows.as_slice())
}

/// The file's tables, indexes and virtual table are exactly those [`SCHEMA`] makes (the FTS5 index's
/// own tables by name only); no view, no trigger. `Ok(reason)` says what differs.
pub(super) fn check_schema(conn: &Connection, version: i64) -> Result<(), Result<String, rusqlite::Error>> {
    let found = schema_rows(conn).map_err(Err)?;
    let expected = expected_schema(version);
    let shadow = |row: &SchemaRow| row.0 == "table" && FTS_SHADOWS.contains(&row.1.as_str());
    let same = |a: &SchemaRow, b: &SchemaRow| a == b || (shadow(a) && shadow(b) && a.1 == b.1);
    for row in &found {
        if expected.iter().any(|e| same(e, row)) {
            continue;
        }
        let name: String = row.1.chars().take(40).collect();
        return Err(Ok(match row.0.as_str() {
            "view" | "trigger" => format!("it holds a {} \"{name}\", which a pack never has", row.0),
            kind if expected.iter().any(|e| e.0 == kind && e.1 == row.1) => {
                format!("its {kind} \"{name}\" is not the one Parcours writes")
            }
            kind => format!("it holds a {kind} \"{name}\" that is not part of a pack"),
        }));
    }
    let missing = |e: &&SchemaRow| !found.iter().any(|f| same(e, f));
    if let Some(missing) = expected.iter().filter(|e| e.0 == "table").find(missing).or(expected.iter().find(missing)) {
        return Err(Ok(format!("its {} \"{}\" is missing", missing.0, missing.1)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_budget_stops_a_query_that_never_ends_and_values_are_bounded() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = harden(&mut conn).unwrap();
        let endless = conn.query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
            [],
            |r| r.get::<_, i64>(0),
        );
        assert_eq!(endless.unwrap_err().sqlite_error_code(), Some(rusqlite::ErrorCode::OperationInterrupted));
        assert!(steps.load(Ordering::Relaxed) * STEP_OPS as u64 > MAX_OPEN_STEPS);
        let mut conn = Connection::open_in_memory().unwrap();
        harden(&mut conn).unwrap();
        let big =
            conn.query_row("SELECT length(zeroblob(?1))", [i64::from(MAX_VALUE_BYTES) + 1], |r| r.get::<_, i64>(0));
        assert_eq!(big.unwrap_err().sqlite_error_code(), Some(rusqlite::ErrorCode::TooBig));
        // Defensive mode: the schema cannot be written by hand.
        let schema =
            conn.execute_batch("PRAGMA writable_schema = ON; CREATE TABLE t (x); UPDATE sqlite_schema SET sql = 'x'");
        assert!(schema.is_err());
    }
}
