//! The walk's rules: sessions (real or simulated, kept or started afresh), progress kept in the user
//! database and resumed, the guide's check-in and check-out, the run sheet, the 120 s rule for a stop's
//! recorded position, the replay of a recorded walk.

use parcours_core::walk::{Fix, StopStatus};
use parcours_core::wire::{CheckArgs, ErrorCode, FixArgs, FixIn, NoArgs, RouteArgs, StartArgs, StopArgs};

use crate::{at, device, device_with};

fn route(r: &str) -> RouteArgs {
    RouteArgs { route: r.into() }
}

fn start(r: &str, restart: bool, simulated: bool) -> StartArgs {
    StartArgs { route: r.into(), restart, simulated }
}

fn check(r: &str, stop: Option<&str>) -> CheckArgs {
    CheckArgs { route: r.into(), stop: stop.map(str::to_owned) }
}

/// A position from the device: no time, the clock's.
fn here(lat: f64, lon: f64) -> FixArgs {
    FixArgs { route: "pink".into(), fix: FixIn { lat, lon, accuracy_m: Some(9.0), time: None } }
}

#[test]
fn a_simulated_walk_arrives_keeps_its_own_clock_and_is_never_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T09:45");
    let plan = app.walk_plan(route("pink")).unwrap();
    assert_eq!(plan.legs.len(), 2);
    let fixes = app.simulate(route("pink")).unwrap();
    assert!(fixes.len() > 1000);
    let view = app.follow_start(start("pink", true, true)).unwrap();
    assert!(view.simulated && view.step.is_none());

    let (mut arrived, mut off_route) = (Vec::new(), false);
    let mut last = None;
    for fix in fixes.iter().take(500) {
        let view = app.follow_fix(FixArgs { route: "pink".into(), fix: FixIn::from(*fix) }).unwrap();
        let step = view.step.clone().unwrap();
        off_route |= step.off_route;
        arrived.extend(step.arrived.map(|s| s.to_string()));
        last = Some(view);
    }
    assert!(off_route, "the simulated excursion shows as off-route");
    assert_eq!(arrived, ["cyberbase-malegarie", "collectif-social-web"]);
    // The walk's own clock: the 500th fix is 41 min 35 s after 09:50, whatever the device's clock says.
    assert_eq!(last.unwrap().now.unwrap().to_string(), "10:31");
    let sheet = app.run_sheet(route("pink")).unwrap();
    assert_eq!(sheet.rows[0].status, StopStatus::Done);
    assert_eq!(sheet.others[0].route.as_str(), "green");

    // The guide checks in at the ESCM (no position), then leaves it.
    let view = app.check(check("pink", Some("escm"))).unwrap();
    assert_eq!((view.stops[2].status, view.stops[2].manual), (StopStatus::Here, true));
    let view = app.check(check("pink", None)).unwrap();
    assert_eq!(view.stops[2].status, StopStatus::Done);
    assert_eq!(app.check(check("pink", Some("nowhere"))).unwrap_err().code, ErrorCode::UnknownStop);
    assert_eq!(app.walk_plan(route("mauve")).unwrap_err().code, ErrorCode::UnknownRoute);

    // A simulated position is never recorded as a stop's place, and nothing of it was saved.
    let error = app.record_position(StopArgs { stop: "escm".into() }).unwrap_err();
    assert_eq!(error.code, ErrorCode::Simulated);
    let again = device(dir.path(), "2024-10-03T09:45");
    let view = again.follow_start(start("pink", false, false)).unwrap();
    assert!(view.stops.iter().all(|s| s.status == StopStatus::Pending), "{:?}", view.stops);
}

#[test]
fn a_real_walk_is_resumed_by_the_next_app_and_a_simulation_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    {
        let app = device(dir.path(), "2024-10-03T10:58");
        app.follow_fix(here(43.5006, -1.4514)).unwrap();
        let view = app.check(check("pink", Some("escm"))).unwrap();
        assert_eq!(view.stops[2].status, StopStatus::Here);
        assert_eq!(view.now.unwrap().to_string(), "10:58", "a real walk's time is the clock's");
    }
    let app = device(dir.path(), "2024-10-03T11:00");
    let view = app.follow_start(start("pink", false, false)).unwrap();
    assert_eq!((view.stops[2].status, view.stops[2].manual), (StopStatus::Here, true));
    assert_eq!(view.stops[0].status, StopStatus::Skipped);
    // A simulation neither sees it nor touches it.
    let sim = app.follow_start(start("pink", true, true)).unwrap();
    assert_eq!(sim.stops[2].status, StopStatus::Pending);
    let back = app.follow_start(start("pink", true, false)).unwrap();
    assert_eq!(back.stops[2].status, StopStatus::Here, "the real walk, from the database");
    // "Start again" forgets it, in memory and on disk.
    let fresh = app.follow_reset(route("pink")).unwrap();
    assert_eq!(fresh.stops[2].status, StopStatus::Pending);
    let next = device(dir.path(), "2024-10-03T11:05");
    assert_eq!(next.follow_start(start("pink", false, false)).unwrap().stops[2].status, StopStatus::Pending);
}

#[test]
fn a_stops_position_is_recorded_only_from_a_real_fix_of_the_last_two_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T10:58");
    let stop = || StopArgs { stop: "escm".into() };
    assert_eq!(app.record_position(stop()).unwrap_err().code, ErrorCode::NoPosition, "no walk yet");
    app.follow_fix(here(43.5006, -1.4514)).unwrap();
    app.host().advance(120);
    let list = app.record_position(stop()).unwrap();
    assert_eq!((list.len(), list[0].lat, list[0].accuracy_m), (1, 43.5006, Some(9.0)));
    assert_eq!(list[0].recorded_at, at("2024-10-03T10:58"));
    app.host().advance(1);
    assert_eq!(app.record_position(stop()).unwrap_err().code, ErrorCode::NoPosition, "121 s is too old");
    assert_eq!(app.record_position(StopArgs { stop: "nowhere".into() }).unwrap_err().code, ErrorCode::UnknownStop);
    assert_eq!(app.corrections(NoArgs {}).unwrap().len(), 1);
    let path = app.export_corrections(NoArgs {}).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(path.ends_with("parcours-positions-bayonne-2024-20241003-1100.geojson"), "{path}");
    assert!(text.contains("\"escm\"") && text.contains("43.5006"), "{text}");
}

#[test]
fn the_simulation_replays_the_hosts_recorded_walk_or_says_what_is_wrong_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let fix = |t: &str, lat, lon| Fix { time: at(t), lat, lon, accuracy_m: Some(6.0) };
    let walk = [
        fix("2024-10-03T09:50", 43.4994, -1.4535),
        fix("2024-10-03T09:51", 43.4995, -1.4534),
        fix("2024-10-03T09:52", 43.4996, -1.4533),
    ];
    let gpx = parcours_core::export::trace::write_gpx(&walk, "Europe/Paris", "recorded").unwrap();
    let file = dir.path().join("walk.gpx");
    std::fs::write(&file, gpx).unwrap();
    let app = device_with(dir.path(), "2024-10-03T09:45", |h| h.replay = Some(file.clone()));
    let fixes = app.simulate(route("green")).unwrap();
    assert_eq!(fixes, walk);
    std::fs::write(&file, "not a walk").unwrap();
    let error = app.simulate(route("green")).unwrap_err();
    assert_eq!(error.code, ErrorCode::BadReplay);
    assert!(error.message.contains("walk.gpx"), "{error}");
}

#[test]
fn the_saved_walk_keeps_no_trail_a_tampered_one_is_not_resumed_and_it_goes_the_day_after() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("data/user.sqlite");
    let saved = || parcours_core::store::UserDb::open(&db_path).unwrap().load_walk("bayonne-2024", "pink").unwrap();
    {
        let app = device(dir.path(), "2024-10-03T10:58");
        app.follow_fix(here(43.5006, -1.4514)).unwrap();
        app.check(check("pink", Some("escm"))).unwrap();
    }
    let json = saved().expect("the walk is saved");
    assert!(!json.contains("43.5006") && !json.contains("-1.4514"), "a position is kept: {json}");
    // Someone changes the saved walk: a stop index out of range is not resumed (and does not panic).
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["at"] = serde_json::json!(99);
    let mut db = parcours_core::store::UserDb::open(&db_path).unwrap();
    db.save_walk("bayonne-2024", "pink", &value.to_string(), at("2024-10-03T11:00")).unwrap();
    drop(db);
    let app = device(dir.path(), "2024-10-03T11:01");
    let view = app.follow_start(start("pink", false, false)).unwrap();
    assert!(view.stops.iter().all(|s| s.status == StopStatus::Pending), "{:?}", view.stops);
    app.follow_fix(here(43.5006, -1.4514)).unwrap();
    app.check(check("pink", Some("escm"))).unwrap();
    drop(app);
    // The day after the event, the walk is dropped from the device.
    let next_day = device(dir.path(), "2024-10-04T09:00");
    assert!(
        next_day
            .follow_start(start("pink", false, false))
            .unwrap()
            .stops
            .iter()
            .all(|s| s.status == StopStatus::Pending)
    );
    assert_eq!(saved(), None);
}

#[test]
fn once_the_last_stop_is_left_the_green_route_leads_back_to_the_college() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T11:20");
    let plan = app.walk_plan(route("green")).unwrap();
    let back = plan.way_back().expect("the green route walks back to the college");
    assert_eq!((back.from.as_str(), back.to.as_str()), ("collectif-social-web", "college-albert-camus"));
    app.follow_start(start("green", true, false)).unwrap();
    // At the Collectif Social Web, the last stop: where the group is, still no way back.
    let (lat, lon) = (43.502824, -1.452229);
    let fix = FixArgs { route: "green".into(), fix: FixIn { lat, lon, accuracy_m: Some(9.0), time: None } };
    app.follow_fix(fix.clone()).unwrap();
    let view = app.check(check("green", Some("collectif-social-web"))).unwrap();
    assert!(!view.going_back && view.path_to_next.is_none());
    let view = app.check(check("green", None)).unwrap();
    assert!(view.going_back, "{view:?}");
    let way = view.way_to_next.expect("the way back in words");
    assert!(
        (way.length_m - back.directions.length_m).abs() < 150.0,
        "{} m, {} m planned",
        way.length_m,
        back.directions.length_m
    );
    let path = view.path_to_next.unwrap();
    let pack = app.pack(NoArgs {}).unwrap();
    let college =
        pack.stops.iter().find(|s| s.id.as_str() == "college-albert-camus").unwrap().position.clone().unwrap();
    let end = path.last().unwrap();
    assert!((end[0] - college.lat).abs() < 5e-4 && (end[1] - college.lon).abs() < 5e-4, "{end:?}");
}

#[test]
fn a_fix_that_is_no_position_is_refused_and_reaches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T09:45");
    app.follow_start(start("pink", true, false)).unwrap();
    let with = |lat: f64, lon: f64, accuracy_m: Option<f64>| FixArgs {
        route: "pink".into(),
        fix: FixIn { lat, lon, accuracy_m, time: None },
    };
    for bad in [
        with(43.5006, -1.4514, Some(f64::INFINITY)),
        with(43.5006, -1.4514, Some(f64::NAN)),
        with(43.5006, -1.4514, Some(-1.0)),
        with(f64::NAN, -1.4514, Some(9.0)),
        with(43.5006, f64::NEG_INFINITY, Some(9.0)),
        with(91.0, -1.4514, Some(9.0)),
    ] {
        let error = app.follow_fix(bad).expect_err("a fix that is no position");
        assert_eq!(error.code, ErrorCode::BadRequest, "{}", error.message);
    }
    // Nothing was reached, and a real fix still follows.
    let view = app.follow_fix(here(43.5006, -1.4514)).unwrap();
    assert!(view.stops.iter().all(|p| p.arrived.is_none()), "{:?}", view.stops);
}
