//! The `parcours` binary end to end: real files on disk, real processes, exit codes and messages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn parcours(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_parcours")).args(args).output().expect("run parcours")
}

fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Never a panic (Rust exits 101 and prints "panicked" when one happens).
fn assert_no_panic(out: &Output) {
    assert_ne!(out.status.code(), Some(101), "panic: {}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

fn build(dir: &Path) -> PathBuf {
    let file = dir.join("b.parcours");
    let out = parcours(&["pack", "build", source_dir().to_str().unwrap(), "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    file
}

/// A copy of the real source folder to break.
fn copy_source(to: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = to.join("pack");
    copy(&source_dir(), &dir);
    dir
}

#[test]
fn build_then_dump_shows_the_whole_visit() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    let out = parcours(&["pack", "dump", file.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["event", "timetable", "stops", "routes", "workshops", "initiatives", "worksheet"] {
        assert!(json.get(key).is_some(), "no {key}");
    }
    assert_eq!(json["event"]["date"], "2024-10-03");
    assert_eq!(json["event"]["timezone"], "Europe/Paris");
    assert_eq!(json["timetable"][0]["start"], "09:00");
    assert_eq!(json["stops"][0]["id"], "college-albert-camus");
    assert_eq!(json["stops"][0]["name"], "Collège Albert Camus");
    let position = &json["stops"][0]["position"];
    assert_eq!(position["lat"], 43.499360089811226);
    assert!(position["accuracy_m"].is_number() && position["source"].is_string() && position["lon"].is_number());
    assert!(json["stops"][1]["position"].is_null(), "ESCM has no known position");
    assert_eq!(json["routes"][0]["id"], "green");
    assert_eq!(json["routes"][1]["id"], "pink");
    assert_eq!(json["routes"][1]["stops"][0], "cyberbase-malegarie");
    assert_eq!(json["initiatives"].as_array().unwrap().len(), 16);
    assert!(json["initiatives"][0]["holder"].is_string());
    assert_eq!(json["worksheet"]["columns"].as_array().unwrap().len(), 7);
    // A source folder dumps the same visit as its compiled pack.
    let from_source = parcours(&["pack", "dump", source_dir().to_str().unwrap(), "--json"]);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&from_source.stdout).unwrap(), json);
}

#[test]
fn sqlite3_itself_finds_the_pack_sound() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    let out = Command::new("sqlite3")
        .arg(&file)
        .arg("PRAGMA integrity_check; PRAGMA user_version; SELECT count(*) FROM initiatives;")
        .output()
        .expect("sqlite3 is installed by `cargo xtask setup`");
    assert_eq!(text(&out.stdout), "ok\n5\n16\n");
}

#[test]
fn check_reports_every_problem_as_path_line_message() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_source(tmp.path());
    let routes = dir.join("routes.toml");
    std::fs::write(
        &routes,
        std::fs::read_to_string(&routes).unwrap().replacen("stop = \"escm\"", "stop = \"escn\"", 1),
    )
    .unwrap();
    let timetable = dir.join("timetable.toml");
    std::fs::write(&timetable, std::fs::read_to_string(&timetable).unwrap().replacen("\"09:20\"", "\"9:20\"", 1))
        .unwrap();
    for args in
        [vec!["pack", "check", dir.to_str().unwrap()], vec!["pack", "build", dir.to_str().unwrap(), "-o", "/dev/null"]]
    {
        let out = parcours(&args);
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            lines,
            [
                format!("{}:23: route \"green\" names unknown stop \"escn\" (not in stops.toml)", routes.display()),
                format!("{}:13: start \"9:20\" is not a time written HH:MM (e.g. 09:50)", timetable.display()),
            ]
        );
    }
}

#[test]
fn check_warns_of_what_will_fail_on_the_day_without_refusing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_source(tmp.path());
    let edit = |file: &str, from: &str, to: &str| {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // A second layer of a kind the app does not walk (the streets stay); a stop 2 km from any street
    // (the first stop with a position, ESCM having none); a walk planned in 2 minutes.
    let map = dir.join("map.toml");
    let layers = std::fs::read_to_string(&map).unwrap();
    std::fs::write(&map, format!("{layers}\n[[layer]]\nid = \"rues\"\nkind = \"rues\"\nfile = \"map/streets.geojson\"\nattribution = \"© OpenStreetMap contributors\"\nlicence = \"ODbL 1.0\"\nsource = \"test\"\n")).unwrap();
    edit("stops.toml", "lat = 43.499360089811226", "lat = 43.518");
    edit("routes.toml", "arrive = \"11:20\"", "arrive = \"11:12\"");
    let out = parcours(&["pack", "check", dir.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "warnings never refuse a pack: {stderr}");
    assert!(text(&out.stdout).starts_with("ok: "));
    let warning = |file: &str, says: &str| {
        stderr
            .lines()
            .find(|l| {
                l.starts_with(&dir.join(file).display().to_string()) && l.contains(": warning: ") && l.contains(says)
            })
            .unwrap_or_else(|| panic!("no warning in {file} saying {says}:\n{stderr}"))
            .to_owned()
    };
    // The line: of the layer's kind, of the stop's id, of the stop walked to in that route.
    let line_of = |file: &str, text: &str| {
        let content = std::fs::read_to_string(dir.join(file)).unwrap();
        format!("{file}:{}: ", content.lines().position(|l| l.contains(text)).unwrap() + 1)
    };
    assert!(warning("map.toml", "kind = \"rues\"").contains(&line_of("map.toml", "kind = \"rues\"")), "{stderr}");
    let far = warning("stops.toml", "m from the nearest street");
    assert!(far.contains(&line_of("stops.toml", "id = \"college-albert-camus\"")), "{far}");
    let walk = warning("routes.toml", "2 min planned");
    assert!(walk.contains(&line_of("routes.toml", "stop = \"collectif-social-web\"")), "{walk}");
    assert!(walk.contains("leave earlier or arrive later"), "{walk}");
    assert!(stderr.contains("warning(s): the pack is valid"), "{stderr}");
    // The real pack: not one warning.
    let out = parcours(&["pack", "check", source_dir().to_str().unwrap()]);
    assert!(!text(&out.stderr).contains("warning"), "{}", text(&out.stderr));
}

#[test]
fn pack_new_writes_a_visit_that_checks_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nouvelle-visite");
    let d = dir.to_str().unwrap();
    let title = "Visite \"numérique\" du quartier";
    let new =
        |dir: &str, date: &str| parcours(&["pack", "new", dir, "--title", title, "--date", date, "--city", "Pau"]);
    let out = new(d, "2025-05-15");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("(id pau-2025)"), "{}", text(&out.stdout));
    // Checked as it is: valid, with the one thing left to do said (the streets).
    let check = parcours(&["pack", "check", d]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(text(&check.stdout).starts_with("ok: "));
    let stderr = text(&check.stderr);
    assert_eq!(stderr.lines().filter(|l| l.contains(": warning: ")).count(), 1, "{stderr}");
    assert!(stderr.contains("no layer of kind = \"streets\""), "{stderr}");
    // It builds, and the title comes back as typed (quotes and accents in TOML).
    let file = tmp.path().join("v.parcours");
    assert!(parcours(&["pack", "build", d, "-o", file.to_str().unwrap()]).status.success());
    let dump: serde_json::Value =
        serde_json::from_slice(&parcours(&["pack", "dump", "--json", file.to_str().unwrap()]).stdout).unwrap();
    assert_eq!(dump["event"]["title"]["fr"], title);
    assert_eq!(dump["pack"]["languages"], serde_json::json!(["fr"]));
    // One route: --route may be left out; with two (Bayonne), the error names them.
    let gpx = parcours(&["export", "gpx", d, "-o", "-"]);
    assert!(gpx.status.success() && text(&gpx.stdout).contains("<name>Parcours vert</name>"), "{}", text(&gpx.stderr));
    let two = parcours(&["export", "gpx", source_dir().to_str().unwrap(), "-o", "-"]);
    assert_eq!(two.status.code(), Some(1));
    assert!(text(&two.stderr).contains("say which: --route green, --route pink"), "{}", text(&two.stderr));
    // Every file commented in French for the organiser.
    for name in ["pack.toml", "event.toml", "stops.toml", "routes.toml", "worksheet.toml", "map.toml"] {
        let content = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(content.starts_with("# ") && content.contains(" : "), "{name}");
    }
    // Never over a folder in use; a date as the organiser may write it is refused with the form to use.
    let before = std::fs::read(dir.join("stops.toml")).unwrap();
    let again = new(d, "2025-05-15");
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("not empty"), "{}", text(&again.stderr));
    assert_eq!(std::fs::read(dir.join("stops.toml")).unwrap(), before);
    let other = tmp.path().join("autre");
    let bad = new(other.to_str().unwrap(), "15/05/2025");
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("YYYY-MM-DD"), "{}", text(&bad.stderr));
    assert!(!other.exists());
}

#[test]
fn check_accepts_the_source_and_the_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    for path in [source_dir(), file] {
        let out = parcours(&["pack", "check", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(stdout.starts_with("ok: "), "{stdout}");
        assert!(stdout.contains("16 initiatives"), "{stdout}");
        // The easy-read figures, from the texts themselves (FALC: at most 15 words a sentence).
        let easy =
            stdout.lines().find(|l| l.starts_with("easy-read (fr): 18 texts, ")).unwrap_or_else(|| panic!("{stdout}"));
        let longest: usize = easy.rsplit("longest ").next().and_then(|n| n.trim().parse().ok()).unwrap();
        assert!((1..=15).contains(&longest), "{easy}");
    }
}

#[test]
fn bad_input_gets_exit_1_and_a_message_never_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let garbage = tmp.path().join("garbage.parcours");
    std::fs::write(&garbage, [0xff_u8, 0xfe, 0, 1, 2, 3].repeat(100)).unwrap();
    let zero = tmp.path().join("zero.parcours");
    std::fs::write(&zero, b"").unwrap();
    let broken = copy_source(tmp.path());
    std::fs::write(broken.join("stops.toml"), b"# stops\nid = \xff\n").unwrap();
    std::fs::write(broken.join("routes.toml"), b"[[route]\nid = 'green'\n").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["pack".into(), "check".into(), empty.display().to_string()], "pack.toml:1: file is missing"),
        (vec!["pack".into(), "check".into(), "/nonexistent/x".into()], "no such file"),
        (vec!["pack".into(), "dump".into(), garbage.display().to_string(), "--json".into()], "not an SQLite database"),
        (vec!["pack".into(), "check".into(), zero.display().to_string()], "not a Parcours pack"),
        (vec!["search".into(), garbage.display().to_string(), "x".into()], "not a Parcours pack"),
        (vec!["export".into(), "ics".into(), zero.display().to_string()], "not a Parcours pack"),
        (
            vec!["pack".into(), "check".into(), broken.display().to_string()],
            "stops.toml:2: the file is not valid UTF-8",
        ),
        (vec!["pack".into(), "check".into(), broken.display().to_string()], "routes.toml:1: unclosed array table"),
        (
            vec![
                "export".into(),
                "gpx".into(),
                source_dir().display().to_string(),
                "--route".into(),
                "blue".into(),
                "-o".into(),
                "-".into(),
            ],
            "no route \"blue\"",
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = parcours(&args);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["pack", "--help"],
        vec!["pack", "build", "--help"],
        vec!["pack", "check", "--help"],
        vec!["pack", "dump", "--help"],
        vec!["pack", "new", "--help"],
        vec!["search", "--help"],
        vec!["export", "--help"],
        vec!["export", "ics", "--help"],
        vec!["export", "gpx", "--help"],
        vec!["export", "geojson", "--help"],
        vec!["follow", "--help"],
        vec!["simulate", "--help"],
        vec!["directions", "--help"],
    ] {
        let out = parcours(&args);
        assert!(out.status.success(), "{args:?}");
        assert!(text(&out.stdout).contains("Usage: parcours"), "{args:?}");
    }
    let out = parcours(&["pack", "frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn directions_tell_the_bayonne_routes_naming_their_streets() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    for (route, lang, words) in [
        (
            "green",
            "fr",
            ["Parcours vert", "1. Collège Albert Camus → Cyberbase", "l'avenue André Malraux", "l'étape est"],
        ),
        (
            "pink",
            "fr",
            ["Parcours rose", "2. Collectif Social Web → Collège Albert Camus", "l'allée Marcel Breuer", "tournez à"],
        ),
        ("pink", "en", ["Pink route", "Take ", "Allée Marcel Breuer", "the stop is"]),
    ] {
        let out = parcours(&["directions", file.to_str().unwrap(), "--route", route, "--lang", lang]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        // No-break spaces (in distances) and French typography's narrow ones read as spaces.
        let said = text(&out.stdout).replace(['\u{a0}', '\u{202f}'], " ");
        for w in words {
            assert!(said.contains(w), "{route} {lang}: no {w:?} in\n{said}");
        }
        // Two legs between the three placed stops (the ESCM's place is not known); then the green
        // route's way back to the college.
        let back = route == "green";
        assert_eq!(said.lines().filter(|l| l.contains(" → ")).count(), 2 + usize::from(back), "{said}");
        assert_eq!(said.contains("Retour : Collectif Social Web → Collège Albert Camus"), back, "{said}");
    }
    let out = parcours(&["directions", file.to_str().unwrap(), "--route", "blue"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no route \"blue\""), "{}", text(&out.stderr));
}

#[test]
fn search_finds_malegarie_without_its_accent() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    let out = parcours(&["search", file.to_str().unwrap(), "malegarie", "--json"]);
    assert!(out.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["id"], "cyberbase-malegarie");
    assert!(hits[0]["title"].as_str().unwrap().contains("Malégarie"));
    let out = parcours(&["search", file.to_str().unwrap(), "zzzzqqq"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("nothing found"));
}

#[test]
fn exports_are_read_back_by_their_crates() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    let f = file.to_str().unwrap();

    let out = parcours(&["export", "ics", f]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let calendar: icalendar::Calendar = text(&out.stdout).parse().unwrap();
    assert_eq!(calendar.components.iter().filter(|c| c.as_event().is_some()).count(), 10);

    let gpx_path = tmp.path().join("pink.gpx");
    let out = parcours(&["export", "gpx", f, "--route", "pink", "-o", gpx_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let gpx = gpx::read(std::fs::File::open(&gpx_path).unwrap()).unwrap();
    assert_eq!(gpx.waypoints[0].name.as_deref(), Some("1. Cyberbase de l'École Charles Malégarie"));

    let geo_path = tmp.path().join("visit.geojson");
    let out = parcours(&["export", "geojson", f, "-o", geo_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let collection: geojson::FeatureCollection = std::fs::read_to_string(&geo_path).unwrap().parse().unwrap();
    assert_eq!(collection.features.len(), 6, "4 stops + 2 routes");
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' pack dump '{}' --json | head -c 10 >/dev/null",
            env!("CARGO_BIN_EXE_parcours"),
            file.display()
        ))
        .output()
        .unwrap();
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

/// Each JSON line of `parcours follow`.
fn follow_lines(pack: &str, route: &str, gpx: &Path) -> Vec<serde_json::Value> {
    let out = parcours(&["follow", pack, "--route", route, "--gpx", gpx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn a_simulated_walk_replayed_by_follow() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    let pack = file.to_str().unwrap();
    let gpx = tmp.path().join("pink.gpx");
    let out = parcours(&[
        "simulate",
        pack,
        "--route",
        "pink",
        "-o",
        gpx.to_str().unwrap(),
        "--excursion",
        "cyberbase-malegarie:150",
        "--outliers",
        "5",
        "--seed",
        "7",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // Other tools read the trace: the gpx crate, with times and HDOP.
    let doc = gpx::read(std::fs::File::open(&gpx).unwrap()).unwrap();
    let points = &doc.tracks[0].segments[0].points;
    assert!(points.len() > 1000);
    assert!(points.iter().all(|p| p.time.is_some() && p.hdop.is_some()));

    let lines = follow_lines(pack, "pink", &gpx);
    assert_eq!(lines.len(), points.len(), "one line per fix");
    for key in ["time", "next_stop", "distance_m", "walk_s", "off_route", "arrived"] {
        assert!(lines.iter().all(|l| l.get(key).is_some()), "every line has {key}");
    }
    assert_eq!(lines[0]["time"], "2024-10-03T07:50:00Z", "times as recorded (UTC)");
    assert_eq!(lines[0]["local_time"], "2024-10-03T09:50:00");
    assert_eq!(lines[0]["next_stop"], "cyberbase-malegarie");
    assert!(lines[0]["distance_m"].as_f64().unwrap() > 400.0);
    let arrived: Vec<&str> = lines.iter().filter_map(|l| l["arrived"].as_str()).collect();
    assert_eq!(arrived, ["cyberbase-malegarie", "collectif-social-web", "college-albert-camus"]);
    // One off-route episode (the excursion), then back on the route.
    let flips = lines.windows(2).filter(|w| w[0]["off_route"] != w[1]["off_route"]).count();
    assert_eq!(flips, 2);
    assert_eq!(lines.last().unwrap()["next_stop"], serde_json::Value::Null, "the route is done");
}

#[test]
fn follow_names_the_file_when_the_trace_is_bad() {
    let tmp = tempfile::tempdir().unwrap();
    let pack = source_dir();
    let pack = pack.to_str().unwrap();
    let no_time = tmp.path().join("no-time.gpx");
    std::fs::write(
        &no_time,
        r#"<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="43.5" lon="-1.45"></trkpt></trkseg></trk></gpx>"#,
    )
    .unwrap();
    let not_gpx = tmp.path().join("notes.gpx");
    std::fs::write(&not_gpx, "bonjour\n").unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["follow", pack, "--route", "pink", "--gpx", no_time.to_str().unwrap()], "track point 1 has no time"),
        (&["follow", pack, "--route", "pink", "--gpx", not_gpx.to_str().unwrap()], "notes.gpx: not a GPX file"),
        (&["follow", pack, "--route", "mauve", "--gpx", not_gpx.to_str().unwrap()], "no route \"mauve\""),
        (&["simulate", pack, "--route", "pink", "-o", "-", "--excursion", "nowhere:100"], "no stop \"nowhere\""),
    ];
    for (args, message) in cases {
        let out = parcours(args);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stderr).contains(message), "{args:?}: {}", text(&out.stderr));
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn user_data(path: &Path) -> serde_json::Value {
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
fn the_project_bank_groups_worksheets_by_workshop_and_colour() {
    let tmp = tempfile::tempdir().unwrap();
    // A second group's file: the fixture with other ids, and one worksheet of group A edited later.
    let mut b = user_data(&fixture("group-a-worksheets.json"));
    b["device"] = "5eed0002".into();
    b["worksheets"][0]["id"] = "5eed0002-1".into();
    b["worksheets"][0]["rating"] = "rouge".into();
    b["worksheets"][0]["workshop"] = "education-medias".into();
    b["worksheets"][1]["fields"]["titre"] = "Un annuaire partagé, version finale".into();
    b["worksheets"][1]["title"] = "Un annuaire partagé, version finale".into();
    b["worksheets"][1]["updated_at"] = "2024-10-03T13:30:00".into();
    let b_path = tmp.path().join("group-b.json");
    std::fs::write(&b_path, serde_json::to_string(&b).unwrap()).unwrap();
    let csv = tmp.path().join("bank.csv");
    let out = parcours(&[
        "bank",
        "merge",
        fixture("group-a-worksheets.json").to_str().unwrap(),
        b_path.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
        "--pack",
        source_dir().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
    // Records end with CRLF outside quotes (a cell may hold line breaks).
    let mut lines: Vec<String> = vec![String::new()];
    let mut quoted = false;
    for c in csv.trim_start_matches('\u{feff}').chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                lines.push(String::new());
                continue;
            }
            _ => {}
        }
        lines.last_mut().unwrap().push(c);
    }
    lines.retain(|l| !l.trim().is_empty());
    assert!(lines[0].starts_with("Atelier,Couleur,Titre,Enjeu,Titre du chantier clé,"), "{}", lines[0]);
    assert_eq!(lines.len(), 4, "three worksheets (the edited one once): {csv}");
    // Grouped by workshop number: 1 (éducation aux médias), then 3 (aller vers), then 4 (coopération).
    assert!(lines[1].starts_with("1 — ") && lines[1].contains(",rouge,"), "{}", lines[1]);
    assert!(lines[2].contains(",orange,") && lines[2].contains("\"Pilote : le centre social"), "{}", lines[2]);
    assert!(lines[2].contains("\"\"les habitants relais\"\""), "quotes doubled: {}", lines[2]);
    assert!(
        lines[3].contains("version finale") && lines[3].contains("group-b.json"),
        "the newer copy wins: {}",
        lines[3]
    );
}

/// A screenshot of the app's codes, as a PNG (4 px a module, white margins, side by side).
fn codes_png(codes: &[String], path: &Path) {
    let drawn: Vec<(usize, Vec<bool>)> = codes.iter().map(|c| parcours_core::handover::modules(c).unwrap()).collect();
    let side = drawn.iter().map(|(w, _)| *w as u32 + 8).max().unwrap() * 4;
    let img = image::GrayImage::from_fn(side * drawn.len() as u32, side, |x, y| {
        let (width, dark) = &drawn[(x / side) as usize];
        let (mx, my) = (((x % side) / 4) as i64 - 4, (y / 4) as i64 - 4);
        let inside = mx >= 0 && my >= 0 && (mx as usize) < *width && (my as usize) < *width;
        image::Luma([if inside && dark[my as usize * width + mx as usize] { 0 } else { 255 }])
    });
    img.save(path).unwrap();
}

#[test]
fn a_worksheet_removed_on_its_phone_is_left_out_of_the_bank() {
    let tmp = tempfile::tempdir().unwrap();
    // A backup of group A's phone after one worksheet was removed; the older file still has it.
    let mut later = user_data(&fixture("group-a-worksheets.json"));
    later["worksheets"][1]["removed_at"] = "2024-10-03T13:10:00".into();
    let later_path = tmp.path().join("sauvegarde.json");
    std::fs::write(&later_path, serde_json::to_string(&later).unwrap()).unwrap();
    let csv = tmp.path().join("bank.csv");
    let out = parcours(&[
        "bank",
        "merge",
        fixture("group-a-worksheets.json").to_str().unwrap(),
        later_path.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1 removed worksheets left out"), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.contains("5eed0001-1"), "{csv}");
    assert!(!csv.contains("5eed0001-2"), "{csv}");
}

#[test]
fn the_bank_reads_photos_of_the_apps_codes_and_prints_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let data =
        parcours_core::userdata::UserData::parse(&std::fs::read(fixture("group-a-worksheets.json")).unwrap()).unwrap();
    let docs: Vec<_> = data.worksheets.iter().map(|w| w.to_doc()).collect();
    let codes = parcours_core::handover::encode(&docs, Some("5eed0001")).unwrap();
    assert!(codes.len() >= 2, "the fixture needs {} codes", codes.len());
    // The last code alone on one photo, all the others on another.
    let (first, last) = (tmp.path().join("codes-1.png"), tmp.path().join("codes-2.png"));
    codes_png(&codes[..codes.len() - 1], &first);
    codes_png(&codes[codes.len() - 1..], &last);
    let (csv, page) = (tmp.path().join("bank.csv"), tmp.path().join("bank.html"));
    let out = parcours(&[
        "bank",
        "merge",
        last.to_str().unwrap(),
        first.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
        "--html",
        page.to_str().unwrap(),
        "--pack",
        source_dir().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&csv).unwrap();
    let page = std::fs::read_to_string(&page).unwrap();
    for w in &data.worksheets {
        assert!(csv.contains(&w.title), "{} in the CSV", w.title);
        assert!(page.contains(&format!("<h2>{}</h2>", w.title)), "{} on the page", w.title);
    }
    assert!(csv.contains(",photos\r\n"), "the source is named: {csv}");
    // A set with a code missing: exit 1, naming what is missing.
    let out = parcours(&["bank", "merge", first.to_str().unwrap(), "-o", "-"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("codes missing"), "{}", text(&out.stderr));
    // A photo with no code at all.
    let blank = tmp.path().join("blank.png");
    image::GrayImage::from_pixel(64, 64, image::Luma([255])).save(&blank).unwrap();
    let out = parcours(&["bank", "merge", blank.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("blank.png: no Parcours code"), "{}", text(&out.stderr));
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

mod booklet;
mod key;
mod publish;

#[test]
fn map_import_writes_the_street_layer_and_says_what_to_put_in_map_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let out_file = tmp.path().join("streets.geojson");
    let export = source_dir().join("map/streets.geojson");
    let bbox = "--bbox=-1.462295,43.493654,-1.443719,43.507129";
    let run = |file: &Path, bbox: &str| {
        parcours(&["map", "import", file.to_str().unwrap(), bbox, "-o", out_file.to_str().unwrap()])
    };
    let done = run(&export, bbox);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let said = text(&done.stdout);
    assert!(
        said.contains("pieces that do not meet") && said.contains("attribution = \"© OpenStreetMap contributors\""),
        "{said}"
    );
    let layer: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert!(layer["features"].as_array().is_some_and(|f| f.len() > 200));
    // Refused with the file's name or the box, exit 1, nothing written over.
    let before = std::fs::read(&out_file).unwrap();
    let photo = tmp.path().join("photo.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0").unwrap();
    for (out, reason) in [
        (run(&photo, bbox), "photo.jpg: neither OpenStreetMap XML"),
        (run(&export, "--bbox=1,2,3"), "not four numbers"),
        (run(&tmp.path().join("absent.osm"), bbox), "absent.osm"),
    ] {
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains(reason), "{reason}: {}", text(&out.stderr));
    }
    assert_eq!(std::fs::read(&out_file).unwrap(), before);
}
