//! The user database on real files: created, reopened, refused when it is not ours or too new.

use chrono::NaiveDateTime;
use parcours_core::store::{USER_SCHEMA_VERSION, UserDb};
use parcours_core::walk::Correction;

use crate::{built, real_pack};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap()
}

#[test]
fn walks_and_corrections_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.sqlite");
    {
        let mut db = UserDb::open(&path).unwrap();
        db.save_walk("bayonne-2024", "pink", r#"{"v":1}"#, at("2024-10-03T10:00:00")).unwrap();
        db.save_walk("bayonne-2024", "pink", r#"{"v":2}"#, at("2024-10-03T10:05:00")).unwrap();
        let c = Correction {
            id: 0,
            stop: "escm".into(),
            lat: 43.5005,
            lon: -1.4515,
            accuracy_m: Some(12.0),
            recorded_at: at("2024-10-03T10:58:00"),
        };
        assert_eq!(db.add_correction("bayonne-2024", &c).unwrap(), 1);
    }
    let db = UserDb::open(&path).unwrap();
    assert_eq!(db.load_walk("bayonne-2024", "pink").unwrap().as_deref(), Some(r#"{"v":2}"#));
    assert_eq!(db.load_walk("bayonne-2024", "green").unwrap(), None);
    let corrections = db.corrections("bayonne-2024").unwrap();
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].stop, "escm");
    assert_eq!(corrections[0].accuracy_m, Some(12.0));
    assert!(db.corrections("another-pack").unwrap().is_empty());

    // The file is a sound SQLite database in WAL mode, with our schema version.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, USER_SCHEMA_VERSION);
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn a_newer_or_foreign_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.sqlite");
    UserDb::open(&newer).unwrap();
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let before = std::fs::read(&newer).unwrap();
    let error = UserDb::open(&newer).err().unwrap();
    assert_eq!(error.code(), "too_new");
    assert!(error.to_string().contains("newer Parcours"), "{error}");
    assert_eq!(std::fs::read(&newer).unwrap(), before, "never rewritten");

    let (_keep, pack) = built();
    let error = UserDb::open(&pack).err().unwrap();
    assert_eq!(error.code(), "not_a_pack");
}

#[test]
fn recorded_positions_export_as_geojson() {
    let pack = real_pack();
    let c = Correction {
        id: 3,
        stop: "cyberbase-malegarie".into(),
        lat: 43.5025,
        lon: -1.4490,
        accuracy_m: Some(8.0),
        recorded_at: at("2024-10-03T10:05:00"),
    };
    let text = parcours_core::export::corrections_geojson(&pack, &[c]);
    let collection: geojson::FeatureCollection = text.parse().unwrap();
    assert_eq!(collection.features.len(), 1);
    let f = &collection.features[0];
    assert_eq!(f.property("stop").unwrap(), "cyberbase-malegarie");
    assert_eq!(f.property("recorded_at").unwrap(), "2024-10-03T10:05:00");
    let moved = f.property("moved_m").unwrap().as_f64().unwrap();
    assert!(moved > 30.0 && moved < 80.0, "{moved}");
    assert_eq!(f.property("pack_position").unwrap()["confidence"], "low");
}
