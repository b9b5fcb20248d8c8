//! The user database on real files: created, reopened, refused when it is not ours or too new.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::NaiveDateTime;
use parcours_core::store::{SNAPSHOTS_KEPT, USER_SCHEMA_VERSION, UserDb};
use parcours_core::walk::Correction;
use parcours_core::walk::simulate::Rng;
use parcours_core::worksheet::WorksheetDoc;

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
    assert_eq!(UserDb::open_or_set_aside(&newer).err().unwrap().code(), "too_new", "not set aside either");

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

fn fixture_v1(dir: &Path) -> PathBuf {
    let path = dir.join("user.sqlite");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/user-v1.sqlite"), &path).unwrap();
    path
}

fn version(path: &Path) -> i64 {
    rusqlite::Connection::open(path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_version_1_database_migrates_with_all_its_data_after_a_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture_v1(dir.path());
    assert_eq!(version(&path), 1);
    let db = UserDb::open(&path).unwrap();
    assert_eq!(version(&path), USER_SCHEMA_VERSION);
    assert_eq!(db.load_walk("bayonne-2024", "pink").unwrap().as_deref(), Some(r#"{"made":"by schema v1"}"#));
    assert_eq!(db.corrections("bayonne-2024").unwrap()[0].stop, "escm");
    assert!(db.worksheets("bayonne-2024").unwrap().is_empty());
    // The snapshot taken before migrating is the version 1 file, whole.
    let snapshot = dir.path().join(format!("user.sqlite.before-v{USER_SCHEMA_VERSION}.bak"));
    assert_eq!(version(&snapshot), 1);
    let conn = rusqlite::Connection::open(&snapshot).unwrap();
    let walks: i64 = conn.query_row("SELECT count(*) FROM walk", [], |r| r.get(0)).unwrap();
    assert_eq!(walks, 1);
    drop(db);
    // Opening again migrates nothing more.
    UserDb::open(&path).unwrap();
    assert_eq!(version(&path), USER_SCHEMA_VERSION);
}

#[test]
fn only_the_newest_snapshots_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture_v1(dir.path());
    // Older snapshots from earlier migrations, oldest first.
    for n in 0..4 {
        let old = dir.path().join(format!("user.sqlite.before-v0{n}.bak"));
        std::fs::write(&old, b"old").unwrap();
        let t = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + n);
        std::fs::File::options().write(true).open(&old).unwrap().set_modified(t).unwrap();
    }
    UserDb::open(&path).unwrap();
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".before-v"))
        .collect();
    left.sort();
    assert_eq!(left.len(), SNAPSHOTS_KEPT);
    let newest = format!("user.sqlite.before-v{USER_SCHEMA_VERSION}.bak");
    assert_eq!(left, ["user.sqlite.before-v02.bak", "user.sqlite.before-v03.bak", newest.as_str()]);
}

#[test]
fn a_damaged_database_is_set_aside_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    type Damage = Box<dyn Fn(&Path)>;
    let cases: [(&str, Damage); 3] = [
        (
            "random bytes",
            Box::new(|p: &Path| {
                let mut rng = Rng::new(7);
                let bytes: Vec<u8> = (0..20_000).map(|_| rng.next_u64() as u8).collect();
                std::fs::write(p, bytes).unwrap();
            }),
        ),
        (
            "truncated",
            Box::new(|p: &Path| {
                let mut db = UserDb::open(p).unwrap();
                db.set_note("bayonne-2024", "", "bonjour", at("2024-10-03T10:00:00")).unwrap();
                drop(db);
                let bytes = std::fs::read(p).unwrap();
                std::fs::write(p, &bytes[..bytes.len() / 2]).unwrap();
            }),
        ),
        (
            "garbage over the pages",
            Box::new(|p: &Path| {
                let mut db = UserDb::open(p).unwrap();
                for i in 0..200 {
                    db.set_note("bayonne-2024", &format!("s{i}"), &"x".repeat(500), at("2024-10-03T10:00:00")).unwrap();
                }
                drop(db);
                rusqlite::Connection::open(p).unwrap().pragma_update(None, "journal_mode", "DELETE").unwrap();
                // Three pages in the middle of the notes (the tables' root pages, at the start, stay sound).
                let mut bytes = std::fs::read(p).unwrap();
                let middle = bytes.len() / 2 / 4096 * 4096;
                for b in bytes.iter_mut().skip(middle).take(3 * 4096) {
                    *b = 0x5A;
                }
                std::fs::write(p, bytes).unwrap();
            }),
        ),
    ];
    for (name, damage) in cases {
        let path = dir.path().join(format!("{}.sqlite", name.replace(' ', "-")));
        damage(&path);
        let before = std::fs::read(&path).unwrap();
        let (mut db, aside) = UserDb::open_or_set_aside(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let aside = aside.unwrap_or_else(|| panic!("{name}: not set aside"));
        assert!(aside.moved_to.ends_with(".damaged-1"), "{name}: {}", aside.moved_to);
        assert_eq!(std::fs::read(&aside.moved_to).unwrap(), before, "{name}: the old file is kept as it was");
        // What could still be read is in the fresh database, exactly.
        let recovered = db.notes("bayonne-2024").unwrap();
        assert_eq!(recovered.len(), aside.recovered, "{name}");
        assert!(recovered.iter().all(|n| n.text == "x".repeat(500) || n.text == "bonjour"), "{name}");
        if name == "garbage over the pages" {
            assert!(aside.recovered > 0 && aside.recovered < 200, "{name}: {} recovered", aside.recovered);
            assert!(!aside.lost.is_empty(), "{name}: the loss is reported");
        }
        // The fresh database works.
        db.set_note("bayonne-2024", "", "nouveau", at("2024-10-03T11:00:00")).unwrap();
        assert!(db.notes("bayonne-2024").unwrap().iter().any(|n| n.text == "nouveau"));
    }
    // A zero-length file is an empty database: used as it is, nothing to set aside.
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let (_, aside) = UserDb::open_or_set_aside(&empty).unwrap();
    assert_eq!(aside, None);
}

#[test]
fn worksheets_and_notes_are_kept_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.sqlite");
    let pack = real_pack();
    let mut db = UserDb::open(&path).unwrap();
    let ws = WorksheetDoc {
        id: "dev1-1".into(),
        pack: "bayonne-2024".into(),
        workshop: "accompagnement".into(),
        fields: BTreeMap::new(),
        rating: None,
        created_at: at("2024-10-03T11:55:00"),
        updated_at: at("2024-10-03T11:55:00"),
    };
    db.save_worksheet(&ws).unwrap();
    db.set_worksheet_field("dev1-1", "enjeu", "Réduire la fracture", at("2024-10-03T12:00:00")).unwrap();
    db.set_worksheet_field("dev1-1", "titre", "Un café numérique\nchaque mardi", at("2024-10-03T12:01:00")).unwrap();
    db.set_worksheet_field("dev1-1", "ancienne-colonne", "gardée", at("2024-10-03T12:02:00")).unwrap();
    let saved = db.set_worksheet_field("dev1-1", "rating", "vert", at("2024-10-03T12:03:00")).unwrap().unwrap();
    assert_eq!(saved.rating.as_deref(), Some("vert"));
    assert_eq!(db.set_worksheet_field("nope", "enjeu", "x", at("2024-10-03T12:03:00")).unwrap(), None);
    drop(db);
    let db = UserDb::open(&path).unwrap();
    let list = db.worksheets("bayonne-2024").unwrap();
    assert_eq!(list.len(), 1);
    let ws = &list[0];
    assert_eq!(ws.fields["enjeu"], "Réduire la fracture");
    assert_eq!(ws.title(&pack.worksheet), "Un café numérique");
    assert_eq!(ws.orphan_fields(&pack.worksheet), [("ancienne-colonne", "gardée")]);
    assert_eq!(ws.updated_at, at("2024-10-03T12:03:00"));
    assert_eq!(db.worksheet("dev1-1").unwrap().as_ref(), Some(ws));
}

#[test]
fn a_version_2_database_migrates_with_its_worksheets_notes_and_positions() {
    // Made by `parcours userdb import` at schema 2 (cli/tests/fixtures/group-a-worksheets.json, two notes,
    // one recorded position).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.sqlite");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/user-v2.sqlite"), &path).unwrap();
    assert_eq!(version(&path), 2);
    // What a damaged version 2 file would give back (no `removed_at` column there).
    let (recovered, lost) = UserDb::recover(&path);
    assert!(lost.is_empty(), "{lost:?}");
    assert_eq!(recovered.worksheets.len(), 2);
    assert!(recovered.worksheets.iter().all(|w| w.removed_at.is_none()));
    let db = UserDb::open(&path).unwrap();
    assert_eq!(version(&path), USER_SCHEMA_VERSION);
    let list = db.worksheets("bayonne-2024").unwrap();
    let ids: Vec<&str> = list.iter().map(|w| w.id.as_str()).collect();
    assert_eq!(ids, ["5eed0001-1", "5eed0001-2"]);
    assert_eq!(list[1].fields["titre"], "Un annuaire partagé des lieux d'aide");
    assert_eq!(list[0].rating.as_deref(), Some("orange"));
    assert!(db.removed_worksheets("bayonne-2024").unwrap().is_empty());
    let notes = db.notes("bayonne-2024").unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[1].text, "Note écrite avec le schéma v2");
    assert_eq!(db.corrections("bayonne-2024").unwrap().len(), 1);
    assert_eq!(version(&dir.path().join(format!("user.sqlite.before-v{USER_SCHEMA_VERSION}.bak"))), 2);
}

#[test]
fn a_removed_worksheet_is_kept_can_be_put_back_and_travels_in_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.sqlite");
    let mut db = UserDb::open(&path).unwrap();
    let sheet = |id: &str, title: &str| WorksheetDoc {
        id: id.into(),
        pack: "bayonne-2024".into(),
        workshop: "aller-vers".into(),
        fields: BTreeMap::from([("titre".to_owned(), title.to_owned())]),
        rating: None,
        created_at: at("2024-10-03T12:00:00"),
        updated_at: at("2024-10-03T12:10:00"),
    };
    db.save_worksheet(&sheet("dev1-1", "Gardée")).unwrap();
    db.save_worksheet(&sheet("dev1-2", "Créée par erreur")).unwrap();
    assert!(db.remove_worksheet("dev1-2", at("2024-10-03T12:20:00")).unwrap());
    assert!(!db.remove_worksheet("nope", at("2024-10-03T12:20:00")).unwrap());
    // Another visit's worksheet: kept, not in this visit's list, listed apart.
    db.save_worksheet(&WorksheetDoc { pack: "bayonne-2023".into(), ..sheet("0ld-1", "L'an dernier") }).unwrap();
    let others = db.other_visits("bayonne-2024").unwrap();
    assert_eq!(others.iter().map(|w| w.id.as_str()).collect::<Vec<_>>(), ["0ld-1"]);
    assert!(db.other_visits("bayonne-2023").unwrap().iter().all(|w| w.pack == "bayonne-2024"));
    drop(db);
    let mut db = UserDb::open(&path).unwrap();
    let ids = |db: &UserDb| db.worksheets("bayonne-2024").unwrap().into_iter().map(|w| w.id).collect::<Vec<_>>();
    assert_eq!(ids(&db), ["dev1-1"]);
    let removed = db.removed_worksheets("bayonne-2024").unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].worksheet, sheet("dev1-2", "Créée par erreur"));
    assert_eq!(removed[0].removed_at, at("2024-10-03T12:20:00"));
    // A backup holds it, marked removed (and the other visit's); restored on another device, it stays
    // removed there.
    let backup = db.export(None, None).unwrap();
    let json = backup.to_json();
    assert!(json.contains("\"removed_at\": \"2024-10-03T12:20:00\""), "{json}");
    let other = dir.path().join("other.sqlite");
    let mut fresh = UserDb::open(&other).unwrap();
    let parsed = parcours_core::userdata::UserData::parse(json.as_bytes()).unwrap();
    assert_eq!(fresh.import(&parsed).unwrap().added, 3);
    assert_eq!(ids(&fresh), ["dev1-1"]);
    assert_eq!(fresh.other_visits("bayonne-2024").unwrap().len(), 1);
    assert_eq!(fresh.removed_worksheets("bayonne-2024").unwrap().len(), 1);
    // Importing the same backup again changes nothing.
    let again = fresh.import(&parsed).unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));
    // A file holding the worksheet not removed (opened on purpose) brings it back.
    let mut kept = parsed.clone();
    kept.worksheets.iter_mut().for_each(|w| w.removed_at = None);
    assert_eq!(fresh.import(&kept).unwrap().updated, 1);
    assert_eq!(ids(&fresh), ["dev1-1", "dev1-2"]);
    // Put back by hand: in the list again, with its text.
    assert!(db.restore_worksheet("dev1-2").unwrap());
    assert_eq!(ids(&db), ["dev1-1", "dev1-2"]);
    assert_eq!(db.worksheet("dev1-2").unwrap().unwrap().fields["titre"], "Créée par erreur");
    assert!(db.removed_worksheets("bayonne-2024").unwrap().is_empty());
}

/// The child of the crash test: writes worksheets and notes in a loop, printing `ack N` after each
/// commit, until it is killed. Runs only when the parent test starts it.
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os("PARCOURS_CRASH_DB") else { return };
    let mut db = UserDb::open(Path::new(&path)).unwrap();
    let start: u64 = std::env::var("PARCOURS_CRASH_FROM").unwrap().parse().unwrap();
    for n in start.. {
        let t = at("2024-10-03T12:00:00");
        if n % 2 == 0 {
            let ws = WorksheetDoc {
                id: format!("crash-{n}"),
                pack: "bayonne-2024".into(),
                workshop: "accompagnement".into(),
                fields: BTreeMap::from([("enjeu".to_string(), format!("texte {n} ").repeat(20))]),
                rating: Some("orange".into()),
                created_at: t,
                updated_at: t,
            };
            db.save_worksheet(&ws).unwrap();
        } else {
            db.set_note("bayonne-2024", &format!("note-{n}"), &format!("note {n}"), t).unwrap();
        }
        println!("ack {n}");
    }
}

#[test]
fn every_acknowledged_write_survives_sigkill() {
    let kills: u64 = std::env::var("PARCOURS_CRASH_KILLS").ok().and_then(|k| k.parse().ok()).unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.sqlite");
    let mut rng = Rng::new(2024);
    let mut acked: Vec<u64> = Vec::new();
    let mut next = 0;
    for _ in 0..kills {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "user_db::crash_child", "--nocapture", "--test-threads", "1"])
            .env("PARCOURS_CRASH_DB", &path)
            .env("PARCOURS_CRASH_FROM", next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill after a random number of acknowledged writes (0 to 30), at a random moment after it.
        let wait_for = rng.next_u64() % 31;
        let mut seen = 0;
        while seen < wait_for {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(n) = line.strip_prefix("ack ").and_then(|n| n.parse::<u64>().ok()) {
                        acked.push(n);
                        seen += 1;
                    }
                }
                _ => break,
            }
        }
        std::thread::sleep(std::time::Duration::from_micros(rng.next_u64() % 3000));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Acknowledgements already written to the pipe before the kill count too.
        for line in lines.map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("ack ").and_then(|n| n.parse::<u64>().ok()) {
                acked.push(n);
            }
        }
        next = acked.last().map_or(next, |n| n + 1) + 1000;
    }
    let db = UserDb::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let worksheets: std::collections::HashSet<String> =
        db.worksheets("bayonne-2024").unwrap().into_iter().map(|w| w.id).collect();
    let notes: std::collections::HashSet<String> =
        db.notes("bayonne-2024").unwrap().into_iter().map(|n| n.stop).collect();
    assert!(acked.len() as u64 >= kills, "too few writes acknowledged: {}", acked.len());
    for n in &acked {
        let found =
            if n % 2 == 0 { worksheets.contains(&format!("crash-{n}")) } else { notes.contains(&format!("note-{n}")) };
        assert!(found, "write {n} was acknowledged, then lost");
    }
    println!("{kills} kills, {} acknowledged writes, all present", acked.len());
}

/// Writes the fixture `cli/tests/fixtures/group-a-worksheets.json` (run with PARCOURS_WRITE_FIXTURE=1).
#[test]
fn write_worksheet_fixture() {
    if std::env::var_os("PARCOURS_WRITE_FIXTURE").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut db = UserDb::open(&dir.path().join("user.sqlite")).unwrap();
    db.set_setting("device", "5eed0001").unwrap();
    let pack = real_pack();
    let mk = |id: &str, workshop: &str| WorksheetDoc {
        id: id.into(),
        pack: "bayonne-2024".into(),
        workshop: workshop.into(),
        fields: BTreeMap::new(),
        rating: None,
        created_at: at("2024-10-03T11:58:00"),
        updated_at: at("2024-10-03T11:58:00"),
    };
    db.save_worksheet(&mk("5eed0001-1", "aller-vers")).unwrap();
    for (field, text, t) in [
        ("enjeu", "Des habitants ne viennent pas aux permanences numériques.", "12:05:00"),
        ("titre", "Un café numérique chaque mardi, au pied des immeubles", "12:07:00"),
        (
            "objectifs",
            "Vingt personnes accompagnées par mois ; des démarches faites avec elles, pas pour elles.",
            "12:12:00",
        ),
        (
            "actions",
            "Un stand mobile avec deux médiateurs, une tablette et du café.\nUne affiche dans les halls.",
            "12:20:00",
        ),
        (
            "gouvernance",
            "Pilote : le centre social. Font : les médiateurs, les bailleurs. Associer : la mairie, \"les habitants relais\".",
            "12:28:00",
        ),
        (
            "ressources",
            "Mobilisables : les médiateurs, le local. À mobiliser : un financement pour les tablettes.",
            "12:35:00",
        ),
        ("freins", "Trouver un créneau qui convienne aux habitants ; la confiance.", "12:41:00"),
        ("rating", "orange", "12:44:00"),
    ] {
        db.set_worksheet_field("5eed0001-1", field, text, at(&format!("2024-10-03T{t}"))).unwrap();
    }
    db.save_worksheet(&mk("5eed0001-2", "cooperation")).unwrap();
    db.set_worksheet_field("5eed0001-2", "titre", "Un annuaire partagé des lieux d'aide", at("2024-10-03T12:50:00"))
        .unwrap();
    db.set_worksheet_field("5eed0001-2", "rating", "vert", at("2024-10-03T12:52:00")).unwrap();
    db.set_note("bayonne-2024", "escm", "Demander les horaires des permanences.", at("2024-10-03T11:05:00")).unwrap();
    let data = db.export(Some(at("2024-10-03T13:00:00")), Some(&pack)).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/fixtures/group-a-worksheets.json");
    std::fs::write(path, data.to_json()).unwrap();
}

/// Every byte of every file under `dir`.
fn all_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_bytes(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn holds(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn erasing_leaves_no_trace_of_a_typed_sentence_in_any_file_of_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.sqlite");
    let sentence = "Madame Itxaso Etcheverry habite au 12 allée Marcel Breuer";
    let mut db = UserDb::open(&path).unwrap();
    db.set_setting("device", "dev1").unwrap();
    // Many rows, then one more edit: the sentence is in the WAL, in freed pages, in the live rows.
    for n in 0..200 {
        let ws = WorksheetDoc {
            id: format!("dev1-{n}"),
            pack: "bayonne-2024".into(),
            workshop: "aller-vers".into(),
            fields: BTreeMap::from([("enjeu".to_owned(), format!("{sentence} ({n})"))]),
            rating: None,
            created_at: at("2024-10-03T11:55:00"),
            updated_at: at("2024-10-03T11:55:00"),
        };
        db.save_worksheet(&ws).unwrap();
    }
    db.set_worksheet_field("dev1-1", "titre", sentence, at("2024-10-03T12:00:00")).unwrap();
    db.set_note("bayonne-2024", "escm", sentence, at("2024-10-03T12:01:00")).unwrap();
    db.save_walk("bayonne-2024", "green", &format!("{{\"who\": \"{sentence}\"}}"), at("2024-10-03T12:02:00")).unwrap();
    // Copies beside it: a pre-migration snapshot and a set-aside file, both holding the sentence.
    std::fs::write(dir.path().join("user.sqlite.before-v3.bak"), sentence).unwrap();
    std::fs::write(dir.path().join("user.sqlite.damaged-1"), sentence).unwrap();
    std::fs::write(dir.path().join("notes-a-moi.txt"), "not Parcours's: left alone").unwrap();
    assert!(all_bytes(dir.path()).iter().any(|(_, b)| holds(b, sentence.as_bytes())));

    assert_eq!(db.erase().unwrap(), 2);
    for (file, bytes) in all_bytes(dir.path()) {
        assert!(!holds(&bytes, sentence.as_bytes()), "{} still holds the sentence", file.display());
        assert!(!holds(&bytes, b"Etcheverry"), "{} still holds a part of it", file.display());
    }
    assert!(dir.path().join("notes-a-moi.txt").exists());
    assert!(db.worksheets("bayonne-2024").unwrap().is_empty() && db.notes("bayonne-2024").unwrap().is_empty());
    assert_eq!(db.load_walk("bayonne-2024", "green").unwrap(), None);
    assert_eq!(db.setting("device").unwrap(), None);
    // The database goes on working, and its file is sound.
    db.set_note("bayonne-2024", "", "nouveau", at("2024-10-03T12:05:00")).unwrap();
    drop(db);
    let db = UserDb::open(&path).unwrap();
    assert_eq!(db.notes("bayonne-2024").unwrap().len(), 1);
    assert!(db.quick_check().is_ok());
}

/// The web app's way where OPFS is missing (IndexedDB): the database kept whole as one image after each
/// commit, opened again from it; a damaged image is kept aside by the caller and what it holds recovered.
#[test]
fn a_database_kept_as_one_image_opens_again_and_a_damaged_image_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.sqlite");
    let (mut db, aside) = UserDb::open_image(&first, &[], "unused").unwrap();
    assert_eq!(aside, None);
    let before = db.changes();
    for i in 0..120 {
        db.set_note(
            "bayonne-2024",
            &format!("s{i}"),
            &format!("note {i} {}", "y".repeat(400)),
            at("2024-10-03T10:00:00"),
        )
        .unwrap();
    }
    assert!(db.changes() > before, "a commit moves the counter the shell watches");
    let image = db.image().unwrap();
    drop(db);
    // Opened again from the image alone, somewhere else: every note is there, and it can be written.
    let again = dir.path().join("again.sqlite");
    let (mut db, aside) = UserDb::open_image(&again, &image, "unused").unwrap();
    assert_eq!(aside, None);
    assert_eq!(db.notes("bayonne-2024").unwrap().len(), 120);
    db.set_note("bayonne-2024", "", "encore", at("2024-10-03T11:00:00")).unwrap();
    assert!(db.image().unwrap().len() >= image.len());
    drop(db);
    // Damaged in the middle: a fresh database, part of the notes recovered, the loss said, the image
    // to be kept under the name given.
    let mut damaged = image.clone();
    let middle = damaged.len() / 2 / 4096 * 4096;
    for b in damaged.iter_mut().skip(middle).take(3 * 4096) {
        *b = 0x5A;
    }
    let (mut db, aside) =
        UserDb::open_image(&dir.path().join("damaged.sqlite"), &damaged, "user.sqlite.damaged-1").unwrap();
    let aside = aside.expect("set aside");
    assert_eq!(aside.moved_to, "user.sqlite.damaged-1");
    let recovered = db.notes("bayonne-2024").unwrap().len();
    assert_eq!(recovered, aside.recovered);
    assert!(recovered > 0 && recovered < 120, "{recovered} recovered");
    assert!(!aside.lost.is_empty());
    db.set_note("bayonne-2024", "", "nouveau", at("2024-10-03T11:00:00")).unwrap();
    // Not a database at all, or cut short: a fresh one, nothing recovered, said.
    for (name, bytes) in [("noise", vec![0x42u8; 5000]), ("cut", image[..image.len() / 3].to_vec())] {
        let (db, aside) = UserDb::open_image(&dir.path().join(format!("{name}.sqlite")), &bytes, "aside")
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(aside.is_some(), "{name}: not set aside");
        assert!(db.notes("bayonne-2024").unwrap().len() < 120, "{name}");
    }
    // From a newer Parcours: refused, as a file is.
    let newer = dir.path().join("newer.sqlite");
    let mut db = UserDb::open(&newer).unwrap();
    db.set_note("bayonne-2024", "", "x", at("2024-10-03T10:00:00")).unwrap();
    drop(db);
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", USER_SCHEMA_VERSION + 1).unwrap();
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "journal_mode", "DELETE").unwrap();
    let bytes = std::fs::read(&newer).unwrap();
    let refused = UserDb::open_image(&dir.path().join("from-newer.sqlite"), &bytes, "aside");
    assert!(
        refused.is_err_and(|e| e.to_string().contains("newer") || e.code() == parcours_core::wire::ErrorCode::TooNew)
    );
}

#[test]
fn copies_of_one_worksheet_meet_by_one_rule_in_the_bank_and_in_a_phone() {
    use parcours_core::userdata::{ExportedWorksheet, newest_copies};
    let copy = |title: &str, edited: &str, removed: Option<&str>| ExportedWorksheet {
        id: "dev1-1".into(),
        pack: "bayonne-2024".into(),
        workshop: "aller-vers".into(),
        title: title.into(),
        fields: BTreeMap::from([("titre".to_owned(), title.to_owned())]),
        rating: None,
        created_at: at("2024-10-03T12:00:00"),
        updated_at: at(edited),
        removed_at: removed.map(at),
    };
    let before = copy("Avant", "2024-10-03T12:10:00", None);
    let after = copy("Après", "2024-10-03T12:20:00", None);
    let removed = copy("Après", "2024-10-03T12:20:00", Some("2024-10-03T12:30:00"));
    // The organiser's bank: the later edit, whatever the order of the files; at the same edit, the
    // copy that says it was removed since.
    let bank = |copies: Vec<(&'static str, ExportedWorksheet)>| {
        let kept = newest_copies(copies);
        assert_eq!(kept.len(), 1);
        kept[0].0
    };
    assert_eq!(bank(vec![("a", before.clone()), ("b", after.clone())]), "b");
    assert_eq!(bank(vec![("b", after.clone()), ("a", before.clone())]), "b");
    assert_eq!(bank(vec![("b", after.clone()), ("r", removed.clone())]), "r");
    assert_eq!(bank(vec![("r", removed.clone()), ("b", after.clone())]), "r");
    // A phone opening the same files: the same rule.
    let dir = tempfile::tempdir().unwrap();
    let mut db = UserDb::open(&dir.path().join("user.sqlite")).unwrap();
    let file = |w: &ExportedWorksheet| {
        let mut data = parcours_core::userdata::UserData::new(None, None);
        data.worksheets.push(w.clone());
        data
    };
    let title = |db: &UserDb| db.worksheet("dev1-1").unwrap().map(|w| w.fields["titre"].clone());
    let listed = |db: &UserDb| db.worksheets("bayonne-2024").unwrap().len();
    assert_eq!(db.import(&file(&after)).unwrap().added, 1);
    assert_eq!(db.import(&file(&before)).unwrap().unchanged, 1);
    assert_eq!(title(&db).as_deref(), Some("Après"));
    // At the same edit, the removed copy is the newer: it is removed here too.
    assert_eq!(db.import(&file(&removed)).unwrap().updated, 1);
    assert_eq!(listed(&db), 0);
    // An older copy, not removed, opened on purpose: asked back, it is listed again, its text kept.
    assert_eq!(db.import(&file(&before)).unwrap().updated, 1);
    assert_eq!(listed(&db), 1);
    assert_eq!(title(&db).as_deref(), Some("Après"));
}
