//! Synthetic walks over the street network: for tests, for rehearsing a route at a desk, and for the app's
//! "simulate" switch. Deterministic: the same seed gives the same trace (no clock, no system randomness).

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::follow::{Course, Fix};
use super::network::{Network, Xy};
use crate::pack::{Hm, Pack};

/// A walk off the route: at the middle of the leg to stop `to`, the walker goes `metres` away at a right
/// angle and comes back.
#[derive(Clone, Copy, PartialEq, Debug, Serialize, Deserialize)]
pub struct Excursion {
    pub to: usize,
    pub metres: f64,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct SimOptions {
    pub seed: u64,
    /// Where and when the walk starts.
    pub start: [f64; 2],
    pub start_time: NaiveDateTime,
    pub interval_s: f64,
    pub speed_m_s: f64,
    /// Standard deviation of the position noise, and the accuracy the fixes report.
    pub noise_m: f64,
    pub accuracy_m: f64,
    /// Fixes replaced by a wild position 150–500 m away that still claims `accuracy_m`.
    pub outliers: usize,
    pub excursion: Option<Excursion>,
    /// Stops (indices in the route) the walker does not go to.
    pub skip: Vec<usize>,
    /// Minimum time at each stop; the walker also waits for the planned departure.
    pub min_dwell_s: f64,
    /// Extra time (seconds) at one stop (index in the route), beyond the planned departure.
    pub delay: Option<(usize, f64)>,
}

impl SimOptions {
    /// A walk of `route` in `pack` as planned: from the event's venue at the route's start time, a fix every
    /// 5 s, σ = 5 m noise, no outlier, no excursion.
    pub fn planned(pack: &Pack, route: &crate::pack::Route) -> SimOptions {
        SimOptions {
            seed: 1,
            start: venue(pack).unwrap_or_default(),
            start_time: pack.event.date.and_time(route.start.to_naive_time()),
            interval_s: 5.0,
            speed_m_s: pack.pack.walking_speed_m_s,
            noise_m: 5.0,
            accuracy_m: 8.0,
            outliers: 0,
            excursion: None,
            skip: Vec::new(),
            min_dwell_s: 300.0,
            delay: None,
        }
    }
}

/// The venue's position: the stop named like the event's venue, else the first stop with a position.
pub fn venue(pack: &Pack) -> Option<[f64; 2]> {
    let named = pack.stops.iter().find(|s| s.name == pack.event.venue).and_then(|s| s.position.as_ref());
    named.or_else(|| pack.stops.iter().find_map(|s| s.position.as_ref())).map(|p| [p.lat, p.lon])
}

/// What really happened in a synthetic walk, to check the engine against.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct Truth {
    /// Per stop of the route: when the walker got there and left (None for stops skipped).
    pub visits: Vec<Option<(NaiveDateTime, NaiveDateTime)>>,
    /// When the walker was farther than 25 m from the planned path.
    pub excursion: Option<(NaiveDateTime, NaiveDateTime)>,
    /// Indices (in the trace) of the wild fixes.
    pub outliers: Vec<usize>,
}

#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct Trace {
    pub fixes: Vec<Fix>,
    pub truth: Truth,
}

/// Small, fast, deterministic generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.unit().max(f64::MIN_POSITIVE);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

struct Walker<'a> {
    net: &'a Network,
    rng: Rng,
    opts: &'a SimOptions,
    time: NaiveDateTime,
    pos: Xy,
    trace: Vec<(NaiveDateTime, Xy)>,
}

impl Walker<'_> {
    fn tick(&mut self) {
        self.time += Duration::milliseconds((self.opts.interval_s * 1000.0) as i64);
    }

    fn record(&mut self) {
        let noise = Xy { x: self.rng.normal() * self.opts.noise_m, y: self.rng.normal() * self.opts.noise_m };
        self.trace.push((self.time, Xy { x: self.pos.x + noise.x, y: self.pos.y + noise.y }));
    }

    /// Walks along `points`, one fix per interval.
    fn follow(&mut self, points: &[Xy]) {
        let step = self.opts.speed_m_s * self.opts.interval_s;
        let mut carry = 0.0;
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let len = a.dist(b);
            let mut s = step - carry;
            while s <= len {
                let t = if len > 0.0 { s / len } else { 1.0 };
                self.pos = Xy { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
                self.tick();
                self.record();
                s += step;
            }
            carry = len - (s - step);
            self.pos = b;
        }
    }

    fn dwell_until(&mut self, until: NaiveDateTime) {
        while self.time < until {
            self.tick();
            self.record();
        }
    }
}

/// A walk of `course` as `opts` says. Unplaced stops are visited at the middle of the way between their
/// neighbours (nobody knows where they are, only that the walk passes by).
pub fn simulate(course: &Course, net: &Network, opts: &SimOptions) -> Trace {
    let mut w = Walker {
        net,
        rng: Rng::new(opts.seed),
        opts,
        time: opts.start_time,
        pos: net.to_xy(opts.start[0], opts.start[1]),
        trace: Vec::new(),
    };
    w.record();
    let mut truth = Truth { visits: vec![None; course.stops.len()], ..Truth::default() };
    let plan = &course.route.schedule;
    for (i, stop) in course.stops.iter().enumerate() {
        if opts.skip.contains(&i) {
            continue;
        }
        let target = match stop.position {
            Some([lat, lon]) => w.net.to_xy(lat, lon),
            None => {
                // Halfway to the next placed stop that is visited.
                let after = course.stops[i + 1..]
                    .iter()
                    .enumerate()
                    .find(|(j, s)| s.position.is_some() && !opts.skip.contains(&(i + 1 + j)))
                    .and_then(|(_, s)| s.position);
                match after.and_then(|[lat, lon]| w.net.route(w.pos, w.net.to_xy(lat, lon))) {
                    Some(path) => point_at(&path.points, path.length_m / 2.0),
                    None => w.pos,
                }
            }
        };
        let Some(path) = w.net.route(w.pos, target) else { continue };
        match opts.excursion {
            Some(ex) if ex.to == i && path.points.len() >= 2 => {
                let half = path.length_m / 2.0;
                let (first, second) = split_at(&path.points, half);
                w.follow(&first);
                let here = w.pos;
                let dir = direction_at(&path.points, half);
                let away = Xy { x: here.x - dir.y * ex.metres, y: here.y + dir.x * ex.metres };
                let start_index = w.trace.len();
                w.follow(&[here, away, here]);
                let times: Vec<NaiveDateTime> =
                    w.trace[start_index..].iter().filter(|(_, p)| p.dist(here) > 25.0).map(|(t, _)| *t).collect();
                if let (Some(a), Some(b)) = (times.first(), times.last()) {
                    truth.excursion = Some((*a, *b));
                }
                w.follow(&second);
            }
            _ => w.follow(&path.points),
        }
        let arrived = w.time;
        let planned_depart = plan.get(i).map(|v| at(opts.start_time, v.depart));
        let extra = opts.delay.filter(|(stop, _)| *stop == i).map_or(0.0, |(_, s)| s);
        let leave =
            planned_depart.unwrap_or(arrived).max(arrived + Duration::milliseconds((opts.min_dwell_s * 1000.0) as i64))
                + Duration::milliseconds((extra * 1000.0) as i64);
        w.dwell_until(leave);
        truth.visits[i] = Some((arrived, w.time));
    }

    // Wild fixes: never among the first three, never two in a row.
    let mut fixes: Vec<Fix> = w
        .trace
        .iter()
        .map(|&(time, p)| {
            let [lat, lon] = net.projection.to_lat_lon(p);
            Fix { time, lat, lon, accuracy_m: Some(opts.accuracy_m) }
        })
        .collect();
    let mut rng = Rng::new(opts.seed ^ 0x5EED);
    let mut chosen: Vec<usize> = Vec::new();
    let candidates = fixes.len().saturating_sub(4);
    let mut guard = 0;
    while chosen.len() < opts.outliers.min(candidates / 3) && guard < 10_000 {
        guard += 1;
        let i = 3 + (rng.next_u64() % candidates as u64) as usize;
        if chosen.iter().any(|&c| c.abs_diff(i) < 2) {
            continue;
        }
        let angle = rng.unit() * std::f64::consts::TAU;
        let r = 150.0 + rng.unit() * 350.0;
        let p = net.to_xy(fixes[i].lat, fixes[i].lon);
        let [lat, lon] = net.projection.to_lat_lon(Xy { x: p.x + r * angle.cos(), y: p.y + r * angle.sin() });
        fixes[i].lat = lat;
        fixes[i].lon = lon;
        chosen.push(i);
    }
    chosen.sort_unstable();
    truth.outliers = chosen;
    Trace { fixes, truth }
}

fn at(start: NaiveDateTime, hm: Hm) -> NaiveDateTime {
    start.date().and_time(hm.to_naive_time())
}

fn split_at(points: &[Xy], at: f64) -> (Vec<Xy>, Vec<Xy>) {
    let mid = point_at(points, at);
    let mut walked = 0.0;
    let mut first = vec![points[0]];
    let mut second = Vec::new();
    for pair in points.windows(2) {
        let len = pair[0].dist(pair[1]);
        if second.is_empty() && walked + len >= at {
            first.push(mid);
            second.push(mid);
        }
        if second.is_empty() {
            first.push(pair[1]);
        } else {
            second.push(pair[1]);
        }
        walked += len;
    }
    if second.is_empty() {
        second.push(mid);
    }
    (first, second)
}

fn point_at(points: &[Xy], at: f64) -> Xy {
    let mut walked = 0.0;
    for pair in points.windows(2) {
        let len = pair[0].dist(pair[1]);
        if walked + len >= at && len > 0.0 {
            let t = (at - walked) / len;
            return Xy { x: pair[0].x + t * (pair[1].x - pair[0].x), y: pair[0].y + t * (pair[1].y - pair[0].y) };
        }
        walked += len;
    }
    points.last().copied().unwrap_or_default()
}

fn direction_at(points: &[Xy], at: f64) -> Xy {
    let mut walked = 0.0;
    for pair in points.windows(2) {
        let len = pair[0].dist(pair[1]);
        if walked + len >= at && len > 0.0 {
            return Xy { x: (pair[1].x - pair[0].x) / len, y: (pair[1].y - pair[0].y) / len };
        }
        walked += len;
    }
    Xy { x: 1.0, y: 0.0 }
}
