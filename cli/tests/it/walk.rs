//! `parcours follow`, `directions` and `simulate`: a route walked without going out.

use std::path::Path;

use super::*;

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

/// Each JSON line of `parcours follow`.
pub fn follow_lines(pack: &str, route: &str, gpx: &Path) -> Vec<serde_json::Value> {
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
fn a_simulated_walk_gives_a_position_as_often_as_asked_at_walking_pace() {
    let tmp = tempfile::tempdir().unwrap();
    let file = build(tmp.path());
    let gpx = tmp.path().join("green.gpx");
    let args = ["simulate", file.to_str().unwrap(), "--route", "green", "--noise", "0", "--every", "1", "-o"];
    let out = parcours(&[&args[..], &[gpx.to_str().unwrap()]].concat());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc = gpx::read(std::fs::File::open(&gpx).unwrap()).unwrap();
    let points = &doc.tracks[0].segments[0].points;
    let (a, b) = (&points[0], &points[1]);
    let at = |p: &gpx::Waypoint| chrono::DateTime::parse_from_rfc3339(&p.time.unwrap().format().unwrap()).unwrap();
    assert_eq!((at(b) - at(a)).num_milliseconds(), 1000, "one position a second");
    // At the pack's walking pace (1.2 m/s): the farthest step is about a metre and a fifth, not six.
    let step = |(a, b): (&gpx::Waypoint, &gpx::Waypoint)| {
        let (a, b) = (a.point(), b.point());
        (b.y() - a.y()).hypot((b.x() - a.x()) * a.y().to_radians().cos()) * 111_320.0
    };
    let farthest = points.iter().zip(&points[1..]).map(step).fold(0.0, f64::max);
    assert!((1.0..1.4).contains(&farthest), "{farthest} m at most between two positions");
    for every in ["0", "0.1", "61", "soon"] {
        let out = parcours(&["simulate", file.to_str().unwrap(), "--route", "green", "--every", every, "-o", "-"]);
        assert_no_panic(&out);
        assert!(!out.status.success(), "--every {every}");
        assert!(text(&out.stderr).contains("expected seconds from 0.5 to 60"), "{every}: {}", text(&out.stderr));
    }
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
