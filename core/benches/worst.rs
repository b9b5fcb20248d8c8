//! The largest visit the bounds allow (`tests/support/worst_visit.rs`): how long it takes to open and
//! to walk, and how much memory, on this machine. `cargo bench -p parcours-core --bench worst` (or
//! `cargo xtask bench`). Memory is the process's peak resident size (`VmHWM`), reset before each part.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods, clippy::print_stdout)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use parcours_core::store::PackFile;
use parcours_core::walk::{Course, Fix, FollowState, Network};

#[path = "../tests/support/worst_visit.rs"]
mod worst_visit;

/// The peak resident memory since the last [`reset_peak`], in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kib / 1024.0
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024");
    let (source, problems) = parcours_core::store::read_source(&dir);
    assert!(problems.is_empty());
    let pack = worst_visit::worst_visit(parcours_core::pack::load(&source).unwrap());
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("worst.parcours");
    parcours_core::store::build_pack_file(&pack, &file).unwrap();
    drop(pack);
    let size = std::fs::metadata(&file).unwrap().len();
    println!(
        "worst visit: {} stops, 4 routes of 40, a {}×{} street grid; its file {size} bytes",
        parcours_core::pack::bounds::MAX_STOPS,
        worst_visit::SIDE,
        worst_visit::SIDE
    );

    let mut runs = Vec::new();
    reset_peak();
    for _ in 0..5 {
        let start = Instant::now();
        let opened = PackFile::open(&file).unwrap();
        let net = Network::from_layers(&opened.pack().map).unwrap();
        let courses = Course::all(opened.pack(), &net);
        runs.push(start.elapsed());
        drop((courses, net, opened));
    }
    println!(
        "{:<40} {:.0} ms median of 5, peak {:.0} MiB",
        "worst visit: open (checks + network)",
        median(runs).as_secs_f64() * 1000.0,
        peak_mib()
    );

    let opened = PackFile::open(&file).unwrap();
    let net = Network::from_layers(&opened.pack().map).unwrap();
    let courses = Course::all(opened.pack(), &net);
    let time = chrono::NaiveDate::from_ymd_opt(2024, 10, 3).unwrap().and_hms_opt(10, 0, 0).unwrap();
    let (mut fields, mut slowest) = (0, Duration::ZERO);
    let start = Instant::now();
    for course in &courses {
        let mut state = FollowState::new(course);
        for k in 0..course.stops.len() {
            let [lat, lon] = course.stops[k].position.unwrap();
            let t = time + chrono::Duration::minutes(k as i64);
            state.check_in(course, k, t);
            let one = Instant::now();
            state.step(course, &net, &Fix { time: t, lat, lon, accuracy_m: Some(5.0) });
            slowest = slowest.max(one.elapsed());
            fields += 1;
        }
    }
    println!(
        "{:<40} {:.0} ms for {fields} steps (each stop's field once), slowest step {:.0} ms, peak {:.0} MiB",
        "worst visit: walked to every stop",
        start.elapsed().as_secs_f64() * 1000.0,
        slowest.as_secs_f64() * 1000.0,
        peak_mib()
    );
}
