//! Packs made to hurt: a copy of the real pack file changed with SQLite behind Parcours's back (a view
//! in place of a table, a trigger, a table added or changed, a huge value, a place 1,000 km away, an id
//! that is a path), and a file too big to be a pack. Each is refused by name with its reason, through
//! the file and through its bytes (the web app's way), without SQLite running what the file asks.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use parcours_core::store::{MAX_PACK_BYTES, PackFile, StoreError};

use super::built;

/// The real pack, copied and changed by `sql` (run by a plain connection that trusts the file).
fn tampered(sql: &str) -> (tempfile::TempDir, PathBuf) {
    let (dir, file) = built();
    let conn = rusqlite::Connection::open(&file).unwrap();
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}")).unwrap_or_else(|e| panic!("{sql}: {e}"));
    drop(conn);
    (dir, file)
}

/// Opened both ways, refused both ways, the reason containing `reason`; never slow (a hang guard: the
/// real figure is in `cargo xtask bench`).
fn refused(file: &Path, reason: &str) -> String {
    let bytes = std::fs::read(file).unwrap();
    let mut messages = Vec::new();
    for opened in [
        Box::new(|| PackFile::open(file)) as Box<dyn Fn() -> Result<PackFile, StoreError>>,
        Box::new(|| PackFile::from_bytes("t.parcours", &bytes)),
    ] {
        let start = Instant::now();
        let error = opened().map(|_| ()).expect_err("a tampered pack must be refused");
        assert!(start.elapsed() < Duration::from_secs(10), "{error} took {:?}", start.elapsed());
        let message = error.to_string();
        assert!(message.contains(reason), "{message}");
        assert!(message.contains("t.parcours") || message.contains(&file.display().to_string()), "{message}");
        messages.push(message);
    }
    messages.remove(0)
}

#[test]
fn a_view_in_place_of_a_table_is_refused_before_it_runs() {
    // The view never ends (a recursive CTE), and asks for big blobs while it runs.
    let (_dir, file) = tampered(
        "DROP TABLE stops;
         CREATE VIEW stops AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
         SELECT 'x' AS id, zeroblob(1000000) AS name, '{}' AS theme, '' AS host, '{}' AS meeting_place,
                '{}' AS description, NULL AS easy_read, NULL AS lat, NULL AS lon, NULL AS accuracy_m,
                NULL AS position_confidence, NULL AS position_source, NULL AS position_licence, i AS ord FROM n;",
    );
    let message = refused(&file, "it holds a view \"stops\", which a pack never has");
    assert!(message.starts_with(&format!("{}: ", file.display())), "{message}");
}

#[test]
fn a_trigger_an_added_table_and_a_changed_table_are_refused() {
    let (_a, file) = tampered("CREATE TRIGGER t AFTER UPDATE ON stops BEGIN SELECT 1; END;");
    refused(&file, "it holds a trigger \"t\"");
    let (_b, file) = tampered("CREATE TABLE extra (x); INSERT INTO extra VALUES (1);");
    refused(&file, "it holds a table \"extra\" that is not part of a pack");
    let (_c, file) = tampered("DROP TABLE facts; CREATE TABLE facts (stop_id, ord, text);");
    refused(&file, "its table \"facts\" is not the one Parcours writes");
    let (_d, file) = tampered("DROP TABLE initiatives;");
    refused(&file, "its table \"initiatives\" is missing");
}

#[test]
fn a_huge_value_is_refused_and_a_long_text_too() {
    // 40 MB in one cell: past SQLite's length limit for packs.
    let (_a, file) = tampered(
        "UPDATE stops SET description = json_object('fr', printf('%.*c', 40000000, 'x'), 'en', 'x') WHERE ord = 0;",
    );
    refused(&file, "bigger than 33554432 bytes");
    // 1 MB: readable, but no text of a visit is that long.
    let (_b, file) = tampered(
        "UPDATE stops SET description = json_object('fr', printf('%.*c', 1000000, 'x'), 'en', 'x') WHERE ord = 0;",
    );
    refused(&file, "it holds a text of 1000000 bytes, at most 65536");
}

#[test]
fn places_far_apart_out_of_range_or_an_id_that_is_a_path_are_refused() {
    // A stop 1,000 km away: the street grid would be sized by it.
    let (_a, file) = tampered("UPDATE stops SET lat = 52.5 WHERE ord = 0;");
    refused(&file, "more than the 0.5° of a visit on foot");
    let (_b, file) = tampered("UPDATE stops SET lat = 143.5 WHERE ord = 0;");
    refused(&file, "outside the Earth's coordinates");
    // The pack's id names files (exports, the user database's rows).
    let (_c, file) = tampered("UPDATE pack_info SET value = '../../etc/x' WHERE key = 'id';");
    refused(&file, "its id \"../../etc/x\" is not made of a-z, 0-9 and -");
    // A route naming a stop that is not there.
    let (_d, file) = tampered("UPDATE route_stops SET stop_id = 'nowhere' WHERE ord = 0 AND route_id = 'green';");
    refused(&file, "route \"green\" names a stop it does not have");
}

#[test]
fn a_file_too_big_to_be_a_pack_is_refused_before_sqlite_reads_it() {
    let (_dir, file) = built();
    let big = file.with_file_name("big.parcours");
    std::fs::copy(&file, &big).unwrap();
    // Sparse: no disk used, but its size says 65 MB.
    std::fs::OpenOptions::new().write(true).open(&big).unwrap().set_len(MAX_PACK_BYTES + 1).unwrap();
    let error = PackFile::open(&big).map(|_| ()).unwrap_err();
    assert_eq!(error.code(), "not_a_pack");
    assert!(error.to_string().contains(&format!("more than a pack's {MAX_PACK_BYTES}")), "{error}");
}

#[test]
fn the_real_pack_still_opens_both_ways_and_searches() {
    let (_dir, file) = built();
    let opened = PackFile::open(&file).unwrap();
    assert!(!opened.search("malegarie", None, 5).unwrap().is_empty());
    let bytes = std::fs::read(&file).unwrap();
    let opened = PackFile::from_bytes("b.parcours", &bytes).unwrap();
    assert!(!opened.search("harcelement", None, 5).unwrap().is_empty());
}
