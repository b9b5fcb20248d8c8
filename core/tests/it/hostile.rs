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
    // A position "accurate" to infinity: its arrival zone would hold every fix.
    let (_e, file) = tampered("UPDATE stops SET accuracy_m = 9e999 WHERE ord = 0 AND accuracy_m IS NOT NULL;");
    refused(&file, "accurate to inf m");
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

#[test]
fn a_colour_carrying_markup_or_an_id_that_is_not_a_slug_is_refused() {
    // What once reached the map's arrows as HTML, and the booklet's styles.
    let markup = "#000\"/></svg><style>*{display:none}</style><meta http-equiv=\"refresh\" content=\"0;url=https://example.org\">";
    let (_a, file) =
        tampered(&format!("UPDATE routes SET colour = '{}' WHERE id = 'green';", markup.replace('\'', "''")));
    let message = refused(&file, "route \"green\" has a colour");
    assert!(message.contains("that is not written #rrggbb"), "{message}");
    let (_b, file) =
        tampered("UPDATE worksheet_ratings SET colour = 'red;background:url(https://example.org/t)' WHERE ord = 0;");
    refused(&file, "that is not written #rrggbb");
    // Ids of colours and columns end up in attributes and in the user's database.
    let (_c, file) = tampered("UPDATE worksheet_ratings SET id = 'x\" onclick=\"y' WHERE ord = 0;");
    refused(&file, "is not made of a-z, 0-9 and -");
    let (_d, file) = tampered("UPDATE worksheet_columns SET id = '<b>' WHERE ord = 0;");
    refused(&file, "the id \"<b>\" is not made of a-z, 0-9 and -");
    let (_e, file) = tampered("UPDATE routes SET symbol = 'a long mark' WHERE id = 'green';");
    refused(&file, "route \"green\" has a mark that is not one or two characters");
}

#[test]
fn lists_longer_than_any_walk_needs_are_refused() {
    // A route visiting its stops again and again: each entry is followed (a zone, a planned time).
    let (_a, file) = tampered(&format!(
        "INSERT INTO route_stops (route_id, ord, stop_id, arrive, depart)
         WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < {})
         SELECT 'green', i, (SELECT id FROM stops WHERE ord = 0), '10:00', '10:05' FROM n;",
        100 + parcours_core::pack::bounds::MAX_ROUTE_STOPS
    ));
    refused(&file, "stops on one route, at most 40");
    let (_b, file) = tampered(
        "INSERT INTO facts (stop_id, ord, text)
         WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
         SELECT (SELECT id FROM stops WHERE ord = 0), i, json_object('fr', 'x', 'en', 'x') FROM n;",
    );
    refused(&file, "facts at one stop, at most 30");
}

#[test]
fn a_map_too_big_to_parse_is_refused_before_it_is_parsed() {
    // 9 MB of tiny points: parsed, they would take about 150 MB.
    let (_a, file) = tampered(
        "UPDATE map_layers SET geojson = '{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[' || substr(replace(printf('%.*c', 1500000, 'x'), 'x', '[0,0],'), 1, 8999999) || '[0,0]]}}]}' WHERE ord = 0;",
    );
    refused(&file, "it holds a map layer of");
}

#[test]
fn a_search_index_filled_to_keep_searches_busy_is_stopped() {
    // The index is the file's own: 300,000 rows, none of which matches.
    let (_dir, file) = tampered(
        "INSERT INTO search (kind, ref, lang, title, body)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
         SELECT 'stop', 'x' || i, 'fr', 'titre ' || i, 'texte numero ' || i FROM n;",
    );
    let opened = PackFile::open(&file).expect("the visit itself is sound");
    let start = Instant::now();
    let error = opened.search("zzzz", None, 5).expect_err("a search over the filled index must be stopped");
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    assert!(error.to_string().contains("far more work than a pack ever needs"), "{error}");
    // The real searches still work on the real pack, under the same budget.
    let (_real, real) = built();
    assert!(!PackFile::open(&real).unwrap().search("lycee", None, 5).unwrap().is_empty());
}

#[test]
fn a_value_past_the_checks_stays_a_value_in_the_pages_parcours_writes() {
    // Defence in depth: a model built in memory is not checked; what it holds is escaped all the same,
    // and each page forbids anything fetched or run.
    let mut pack = super::real_pack();
    let markup = "#000\"/><style>*{background:url(https://example.org/t)}</style>";
    pack.routes[0].colour = markup.to_owned();
    pack.worksheet.ratings[0].colour = markup.to_owned();
    let booklet = parcours_core::export::booklet::document(&pack, "fr", None, Default::default());
    let poster = parcours_core::export::booklet::poster(&pack, "fr", "https://example.org/visite/");
    let sheets = parcours_core::export::worksheets::worksheets_html(&[], Some(&pack), "fr", &[]);
    for page in [&booklet, &poster, &sheets] {
        let csp = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">", parcours_core::PAGE_CSP);
        assert!(page.contains(&csp.replace('\'', "&#39;")) || page.contains(&csp), "no CSP in {}", &page[..300]);
        assert!(!page.contains("<style>*{background"), "a value became markup");
    }
    assert!(booklet.contains("#000&quot;/&gt;&lt;style&gt;"), "the value is not escaped");
}

#[test]
fn a_value_past_the_checks_stays_text_on_the_web_apps_first_screen() {
    let mut pack = super::real_pack();
    pack.event.title.0.insert("fr".into(), "<script>alert(1)</script>".into());
    pack.routes[0].id = parcours_core::pack::RouteId("x\"><img src=x onerror=alert(1)>".into());
    let screen = parcours_core::export::booklet::first_screen(&pack, "fr");
    assert!(!screen.contains("<script>") && !screen.contains("<img"), "a value became markup: {screen}");
    assert!(screen.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), "{screen}");
    assert!(screen.contains("route-x&quot;&gt;&lt;img"), "{screen}");
}
