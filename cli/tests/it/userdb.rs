//! `parcours userdb`: a phone's database checked, exported, imported into, recovered.

use std::path::{Path, PathBuf};

use super::*;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn user_data(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn user_data_round_trips_through_a_database() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("user.sqlite");
    let db = db.to_str().unwrap();
    let file = fixture("group-a-worksheets.json");
    let out = parcours(&["userdb", "import", db, file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("3 added, 0 updated, 0 already there"), "{}", text(&out.stdout));
    // Again: nothing new.
    let out = parcours(&["userdb", "import", db, file.to_str().unwrap()]);
    assert!(text(&out.stdout).contains("0 added, 0 updated, 3 already there"), "{}", text(&out.stdout));
    let out = parcours(&["userdb", "check", db]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("ok — schema 4, 2 worksheets (0 removed), 1 notes, 0 recorded positions"),
        "{}",
        text(&out.stdout)
    );
    let exported = tmp.path().join("again.json");
    let out = parcours(&["userdb", "export", db, "-o", exported.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (a, b) = (user_data(&file), user_data(&exported));
    assert_eq!(a["worksheets"], b["worksheets"], "worksheets come back exactly");
    assert_eq!(a["notes"], b["notes"]);
    assert_eq!(b["format"], "parcours-user-data");
    // sqlite3 itself finds the database sound.
    let check = Command::new("sqlite3").args([db, "PRAGMA integrity_check"]).output().unwrap();
    assert_eq!(text(&check.stdout).trim(), "ok");
}

#[test]
fn a_bad_user_data_file_changes_nothing_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("user.sqlite");
    let good = fixture("group-a-worksheets.json");
    let out = parcours(&["userdb", "import", db.to_str().unwrap(), good.to_str().unwrap()]);
    assert!(out.status.success());
    let before = parcours(&["userdb", "export", db.to_str().unwrap(), "-o", "-"]).stdout;
    let original = std::fs::read(&good).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated.json", original[..original.len() / 2].to_vec(), "not valid JSON"),
        ("other.json", br#"{"format": "something-else", "version": 1}"#.to_vec(), "not a Parcours user-data file"),
        ("future.json", br#"{"format": "parcours-user-data", "version": 9}"#.to_vec(), "newer Parcours"),
        ("latin1.json", b"{\"format\": \"parcours-user-data\", \"x\": \"caf\xe9\"}".to_vec(), "not UTF-8"),
        (
            "shape.json",
            br#"{"format": "parcours-user-data", "version": 1, "worksheets": [{"id": 3}]}"#.to_vec(),
            "expected shape",
        ),
        ("huge.json", vec![b' '; 17 * 1024 * 1024], "too big"),
    ];
    for (name, bytes, message) in cases {
        let bad = tmp.path().join(name);
        std::fs::write(&bad, bytes).unwrap();
        // The good file first: it must not be imported either, since the bad one fails.
        let out = parcours(&["userdb", "import", db.to_str().unwrap(), good.to_str().unwrap(), bad.to_str().unwrap()]);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = text(&out.stderr);
        assert!(err.contains(name) && err.contains(message), "{name}: {err}");
        let after = parcours(&["userdb", "export", db.to_str().unwrap(), "-o", "-"]).stdout;
        assert_eq!(after, before, "{name}: the database changed");
    }
    let out = parcours(&["userdb", "import", db.to_str().unwrap(), "/nonexistent.json"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_damaged_database_is_reported_and_what_is_left_recovered() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("user.sqlite");
    let good = fixture("group-a-worksheets.json");
    assert!(parcours(&["userdb", "import", db.to_str().unwrap(), good.to_str().unwrap()]).status.success());
    // Damage every page but the first (the header and the schema stay readable).
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 4096);
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let out = parcours(&["userdb", "check", db.to_str().unwrap()]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("damaged"), "{}", text(&out.stderr));
    let saved = tmp.path().join("saved.json");
    let out = parcours(&["userdb", "recover", db.to_str().unwrap(), "-o", saved.to_str().unwrap()]);
    assert_no_panic(&out);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("recovered"), "{}", text(&out.stderr));
    assert_eq!(user_data(&saved)["format"], "parcours-user-data");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "recover never writes to the damaged file");
    // Random bytes: still no panic, a clear exit.
    std::fs::write(&db, vec![7u8; 10_000]).unwrap();
    for args in [vec!["userdb", "check"], vec!["userdb", "export"]] {
        let mut args = args.clone();
        args.push(db.to_str().unwrap());
        if args[1] == "export" {
            args.extend(["-o", "-"]);
        }
        let out = parcours(&args);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
    let out = parcours(&["userdb", "recover", db.to_str().unwrap(), "-o", "-"]);
    assert_no_panic(&out);
}

#[test]
fn userdb_check_and_export_change_nothing_in_the_file_they_read() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("user.sqlite");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/group-a-worksheets.json");
    assert!(parcours(&["userdb", "import", db.to_str().unwrap(), fixture.to_str().unwrap()]).status.success());
    let listing = |dir: &Path| {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    let (before, files) = (std::fs::read(&db).unwrap(), listing(tmp.path()));
    let out = parcours(&["userdb", "check", db.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = parcours(&["userdb", "export", db.to_str().unwrap(), "-o", "-"]);
    assert!(out.status.success() && text(&out.stdout).contains("parcours-user-data"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database's bytes changed");
    assert_eq!(listing(tmp.path()), files, "files appeared or went");
}
