//! A route walked without going out: `parcours follow` (a recorded walk replayed), `directions` (the
//! way in words) and `simulate` (a synthetic walk).

use std::path::PathBuf;

use clap::Args;
use parcours_core::export::trace;
use parcours_core::pack::Pack;
use parcours_core::walk::directions;
use parcours_core::walk::simulate::{Excursion, SimOptions, simulate};
use parcours_core::walk::{Course, FollowState, Network, Walkable};

use crate::shared::*;

/// The arguments of `parcours follow` (its help is on its line in `main.rs`).
#[derive(Args)]
pub struct FollowArgs {
    /// A source folder or a compiled pack file.
    pub path: PathBuf,
    /// The route's id (e.g. green, pink); may be left out when the visit has one route.
    #[arg(long)]
    pub route: Option<String>,
    /// The recorded walk: a GPX file whose track points have times (accuracy read from HDOP × 5 m).
    #[arg(long)]
    pub gpx: PathBuf,
}

/// The arguments of `parcours directions` (its help is on its line in `main.rs`).
#[derive(Args)]
pub struct DirectionsArgs {
    /// A source folder or a compiled pack file.
    pub path: PathBuf,
    /// The route's id (e.g. green, pink); may be left out when the visit has one route.
    #[arg(long)]
    pub route: Option<String>,
    /// fr or en (default: the pack's first language).
    #[arg(long)]
    pub lang: Option<String>,
}

/// The arguments of `parcours simulate` (its help is on its line in `main.rs`).
#[derive(Args)]
pub struct SimulateArgs {
    /// A source folder or a compiled pack file.
    pub path: PathBuf,
    /// The route's id (e.g. green, pink); may be left out when the visit has one route.
    #[arg(long)]
    pub route: Option<String>,
    /// The GPX file to write ("-" for standard output).
    #[arg(short, long)]
    pub output: PathBuf,
    /// Seed of the position noise (same seed, same walk).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Standard deviation of the position noise, in metres.
    #[arg(long, default_value_t = 5.0)]
    pub noise: f64,
    /// Seconds between two positions, from 0.5 to 60 (a phone gives one a second).
    #[arg(long, default_value_t = 5.0, value_parser = every_s)]
    pub every: f64,
    /// Wild positions (150–500 m off) mixed in.
    #[arg(long, default_value_t = 0)]
    pub outliers: usize,
    /// A walk off the route on the way to this stop (id), this many metres away: STOP:METRES.
    #[arg(long)]
    pub excursion: Option<String>,
    /// Stops (ids) the walker leaves out.
    #[arg(long)]
    pub skip: Vec<String>,
}

/// `parcours directions`.
pub fn directions(args: DirectionsArgs) -> Outcome {
    let DirectionsArgs { path, route, lang } = args;
    let pack = load_any(&path)?;
    let (net, course) = course(&pack, route.as_deref())?;
    let lang = lang.unwrap_or_else(|| pack.pack.languages.first().cloned().unwrap_or_else(|| "fr".into()));
    let name = |id: &str| pack.stops.iter().find(|s| s.id.as_str() == id).map_or(id.to_owned(), |s| s.name.clone());
    let mut text = format!("{}\n", course.route.name.get(&lang));
    for (n, leg) in directions::route_directions(&pack, &net, &course.route).iter().enumerate() {
        let (from, to) = (name(&leg.from), name(&leg.to));
        let far = directions::spoken_metres(leg.directions.length_m, &lang);
        let w = parcours_i18n::Lang::from_tag(&lang).words();
        let number = if leg.back { w.way_leg_back().to_owned() } else { w.way_leg_number(&(n + 1)) };
        text.push_str(&format!("{number} {from} → {to} ({far})\n   {}\n", directions::say(&leg.directions, &lang)));
    }
    out(&text)
}

/// `parcours simulate`.
pub fn simulate_walk(args: SimulateArgs) -> Outcome {
    let SimulateArgs { path, route, output, seed, noise, every, outliers, excursion, skip } = args;
    let pack = load_any(&path)?;
    let (net, course) = course(&pack, route.as_deref())?;
    let mut opts = SimOptions::planned(&pack, &course.route);
    opts.seed = seed;
    opts.interval_s = every;
    opts.noise_m = noise;
    opts.outliers = outliers;
    for id in skip {
        opts.skip.push(stop_index(&course, &id)?);
    }
    if let Some(text) = excursion {
        let (stop, metres) = text
            .split_once(':')
            .and_then(|(s, m)| Some((s, m.parse::<f64>().ok().filter(|m| m.is_finite() && *m > 0.0)?)))
            .ok_or_else(|| Failure::Problems(vec![format!("--excursion {text}: expected STOP:METRES")]))?;
        opts.excursion = Some(Excursion { to: stop_index(&course, stop)?, metres });
    }
    let trace = simulate(&course, &net, &opts);
    let name = format!("{} — {}", course.route.name.get("fr"), "simulation");
    write_file(&output, &trace::write_gpx(&trace.fixes, &pack.event.timezone, &name)?)
}

/// `--every`: seconds between two positions, 0.5 to 60 (fewer would make a two-hour walk millions of
/// positions).
fn every_s(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| (0.5..=60.0).contains(s))
        .ok_or_else(|| format!("{text}: expected seconds from 0.5 to 60"))
}

/// The visit's street network and the route asked for (or its only one), ready for following.
fn course(pack: &Pack, route: Option<&str>) -> Result<(Network, Course), Failure> {
    let route = &route_id(pack, route)?;
    let Walkable { network, mut courses } = Walkable::of(pack).ok_or_else(|| {
        Failure::Problems(vec!["this pack has no street data (a map layer of kind \"streets\")".into()])
    })?;
    let Some(at) = courses.iter().position(|c| c.route.id.as_str() == route) else {
        let known: Vec<&str> = pack.routes.iter().map(|r| r.id.as_str()).collect();
        return Err(Failure::Problems(vec![format!(
            "no route \"{route}\" in this pack (routes: {})",
            known.join(", ")
        )]));
    };
    Ok((network, courses.swap_remove(at)))
}

fn stop_index(course: &Course, id: &str) -> Result<usize, Failure> {
    course.index_of(id).ok_or_else(|| {
        let known: Vec<&str> = course.stops.iter().map(|s| s.id.as_str()).collect();
        Failure::Problems(vec![format!("no stop \"{id}\" on this route (stops: {})", known.join(", "))])
    })
}

/// `parcours follow`: one JSON line per track point, written as it is computed.
pub fn follow(args: FollowArgs) -> Outcome {
    let FollowArgs { path, route, gpx } = args;
    let (path, route, gpx) = (path.as_path(), route.as_deref(), gpx.as_path());
    let pack = load_any(path)?;
    let (net, course) = course(&pack, route)?;
    let bytes = std::fs::read(gpx).map_err(|e| Failure::Problems(vec![format!("{}: {e}", gpx.display())]))?;
    let points = trace::read_gpx(&bytes, &pack.event.timezone)
        .map_err(|e| Failure::Problems(vec![format!("{}: {e}", gpx.display())]))?;
    let mut state = FollowState::new(&course);
    let mut text = String::new();
    for point in points {
        let step = state.step(&course, &net, &point.fix);
        let id = |s: &Option<parcours_core::pack::StopId>| s.as_ref().map(|s| s.as_str().to_string());
        let line = serde_json::json!({
            "time": point.utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "local_time": step.time.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "used": step.used,
            "at_stop": id(&step.at_stop),
            "next_stop": id(&step.next_stop),
            "distance_m": step.distance_m.map(|d| (d * 10.0).round() / 10.0),
            "straight_m": step.straight_m.map(|d| (d * 10.0).round() / 10.0),
            "walk_s": step.walk_s.map(f64::round),
            "along_m": (step.along_m * 10.0).round() / 10.0,
            "off_route": step.off_route,
            "arrived": id(&step.arrived),
            "departed": id(&step.departed),
            "skipped": step.skipped.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        });
        text.push_str(&line.to_string());
        text.push('\n');
        if text.len() > 64 * 1024 {
            out(&text)?;
            text.clear();
        }
    }
    out(&text)
}
