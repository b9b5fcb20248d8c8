//! The largest visit the bounds allow opens, both ways, and can be walked; one step past a bound is
//! refused. How long it takes and how much memory: `cargo xtask bench` (`benches/worst.rs`).

use std::time::{Duration, Instant};

use parcours_core::pack::bounds;
use parcours_core::store::PackFile;
use parcours_core::walk::{Course, Fix, FollowState, Network};

#[path = "../support/worst_visit.rs"]
mod worst_visit;

#[test]
fn the_largest_visit_allowed_opens_and_walks_and_one_more_stop_is_refused() {
    let pack = worst_visit::worst_visit(super::real_pack());
    assert_eq!(bounds::problems(&pack), Vec::<String>::new());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("worst.parcours");
    parcours_core::store::build_pack_file(&pack, &file).unwrap();
    let start = Instant::now();
    let opened = PackFile::open(&file).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    PackFile::from_bytes("worst.parcours", &bytes).unwrap();
    let net = Network::from_layers(&opened.pack().map).expect("the grid is a network");
    let courses = Course::all(opened.pack(), &net);
    // A hang guard (debug build): the real figures are in the bench.
    assert!(start.elapsed() < Duration::from_secs(60), "{:?}", start.elapsed());
    assert_eq!(courses.len(), 4);
    // The way to each stop of a route, in turn: every distance field it needs, computed when needed.
    let course = &courses[0];
    let mut state = FollowState::new(course);
    let time = chrono::NaiveDate::from_ymd_opt(2024, 10, 3).unwrap().and_hms_opt(10, 0, 0).unwrap();
    for k in 0..3 {
        let [lat, lon] = course.stops[k].position.unwrap();
        let time = time + chrono::Duration::minutes(10 * k as i64);
        state.check_in(course, k, time);
        let step = state.step(course, &net, &Fix { time, lat, lon, accuracy_m: Some(5.0) });
        assert!(step.distance_m.is_some_and(|d| d > 0.0), "{step:?}");
        assert!(state.path_to_next(course, &net).is_some_and(|p| p.len() >= 2));
    }

    let mut more = pack.clone();
    let mut extra = more.stops[0].clone();
    extra.id = parcours_core::pack::StopId("etape-de-trop".into());
    more.stops.push(extra);
    assert_eq!(bounds::problems(&more), vec![format!("it has 81 stops, at most {}", bounds::MAX_STOPS)]);
}
