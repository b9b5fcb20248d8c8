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

mod bank;
mod booklet;
mod key;
mod map;
mod publish;
mod userdb;
mod walk;
