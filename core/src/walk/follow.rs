//! Following a route on foot: one step per position fix, pure (the time is in the fix).
//!
//! How noisy positions are handled (after the habits of Ferrostar, OsmAnd and Organic Maps):
//! - a fix whose accuracy is worse than [`Tuning::max_accuracy_m`], or older than the last one, changes nothing;
//! - off-route is judged once the walker has joined the leg's path ([`Tuning::join_fixes`] fixes in a row
//!   within half the off-route distance: a group may leave a door or a yard by another way than the path
//!   drawn), and needs persistence: [`Tuning::off_route_fixes`] fixes in a row *and* [`Tuning::off_route_s`]
//!   seconds farther than max(25 m, 1.5 × accuracy) from the leg's path *and* on a detour: the walking
//!   distance left from the fix exceeds, by that much, what was left on the path where the walker last
//!   was on it (a group on another way as short, or nearly — a street grid has many — is not lost); it
//!   clears after two fixes back within that distance or off the detour — so one wild fix never flips it
//!   either way;
//! - progress along the path looks near the last position first, anywhere on the path when nothing near
//!   is within that distance; a jump ahead faster than [`Tuning::max_speed_mps`] since progress last
//!   moved is not followed (a wild fix that happens to land on the path farther on), a group back on the
//!   path after a detour is;
//! - arrival at a precisely placed stop needs two fixes in a row inside its 30 m zone. An approximate stop
//!   gets a zone as wide as its uncertainty (hundreds of metres: a group walks through it), so arriving
//!   there also needs the group to have stopped: two minutes of fixes within 30 m ([`Tuning::still_s`]; a
//!   walk out and back along a street looks still over one minute, not over two);
//!   leaving needs two fixes outside a wider ring (hysteresis: no flapping at the
//!   edge). A stop's zone cannot fire while the group is still inside the zone of the stop it is at;
//! - a later stop (skipping the ones between) needs a longer dwell: [`Tuning::skip_fixes`] fixes over
//!   [`Tuning::skip_s`] seconds (a group walking past a later stop stays less than that in its zone), away
//!   from every stop in between — and a precise position: a zone of a few
//!   hundred metres around an approximate place overlaps its neighbours and proves nothing on its own;
//! - a stop without a position is reached by check-in only; the route goes on past it, and it is marked
//!   as not confirmed when the group reaches a later stop. Off-route is not judged on the way to it: where
//!   it is, nobody knows.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::network::{DistanceField, Network, Xy, project, straight_m};
pub use super::types::{Fix, Step, StopProgress, StopStatus};
use crate::pack::{Confidence, Pack, Route, StopId};

/// The thresholds, with the values used by the app.
#[derive(Clone, Copy, PartialEq, Debug, Serialize, Deserialize)]
pub struct Tuning {
    pub max_accuracy_m: f64,
    pub assumed_accuracy_m: f64,
    pub off_route_min_m: f64,
    pub off_route_accuracy_factor: f64,
    pub off_route_fixes: u32,
    pub off_route_s: f64,
    pub arrive_min_m: f64,
    pub arrive_fixes: u32,
    pub leave_fixes: u32,
    pub skip_fixes: u32,
    pub skip_s: f64,
    /// "The group has stopped": every fix of the last `still_s` seconds within max(`still_m`, 2 × accuracy)
    /// of the current one. Required to arrive at an approximate stop.
    pub still_s: f64,
    pub still_m: f64,
    /// Faster than this along the path is not walking: such a jump ahead is a wild fix, and the walker's
    /// progress stays where it was (a group on foot makes 1.2 m/s; a runner 4).
    pub max_speed_mps: f64,
    /// Fixes in a row within half the off-route distance of the leg's path before the walker counts as
    /// on it (and off-route can be judged).
    pub join_fixes: u32,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            max_accuracy_m: 50.0,
            assumed_accuracy_m: 10.0,
            off_route_min_m: 25.0,
            off_route_accuracy_factor: 1.5,
            off_route_fixes: 3,
            off_route_s: 10.0,
            arrive_min_m: 30.0,
            arrive_fixes: 2,
            leave_fixes: 2,
            skip_fixes: 6,
            skip_s: 120.0,
            still_s: 120.0,
            still_m: 30.0,
            max_speed_mps: 4.0,
            join_fixes: 2,
        }
    }
}

/// One stop of the route, ready for following.
#[derive(Clone, Debug)]
pub struct CourseStop {
    pub id: StopId,
    pub position: Option<[f64; 2]>,
    point: Option<Xy>,
    /// Arrival zone and the wider ring to leave it.
    pub enter_m: f64,
    pub leave_m: f64,
    /// A precise position (not "approximate"): only such a stop can be reached past placed stops.
    pub precise: bool,
    field: Field,
}

/// A stop's walking-distance field (a Dijkstra over the whole street network), computed the first time
/// the walk needs it and shared by every route entry of the same stop: opening a visit computes none,
/// and a visit's memory grows with the stops walked to, not with its routes.
type Field = Arc<OnceLock<Option<DistanceField>>>;

impl CourseStop {
    fn field(&self, net: &Network) -> Option<&DistanceField> {
        self.field.get_or_init(|| self.point.and_then(|p| net.field(p))).as_ref()
    }
}

/// A route prepared for following: its stops with zones and walking-distance fields. Build once.
#[derive(Clone, Debug)]
pub struct Course {
    pub route: Route,
    pub stops: Vec<CourseStop>,
    /// Where the group walks back to after its last stop (the route's `back_to`), if anywhere.
    pub back: Option<CourseStop>,
    pub speed_m_s: f64,
    pub tuning: Tuning,
}

impl Course {
    pub fn new(pack: &Pack, net: &Network, route: &Route) -> Course {
        Course::sharing(pack, net, route, &mut HashMap::new())
    }

    /// Every route of `pack`, the stops they share sharing their distance fields.
    pub fn all(pack: &Pack, net: &Network) -> Vec<Course> {
        let mut fields = HashMap::new();
        pack.routes.iter().map(|route| Course::sharing(pack, net, route, &mut fields)).collect()
    }

    fn sharing(pack: &Pack, net: &Network, route: &Route, fields: &mut HashMap<StopId, Field>) -> Course {
        let tuning = Tuning::default();
        let mut prepare = |id: &StopId| {
            let position = pack.stop(id).and_then(|s| s.position.as_ref());
            let enter_m = position.map_or(tuning.arrive_min_m, |p| p.accuracy_m.max(tuning.arrive_min_m));
            let point = position.map(|p| net.to_xy(p.lat, p.lon));
            CourseStop {
                id: id.clone(),
                position: position.map(|p| [p.lat, p.lon]),
                point,
                enter_m,
                leave_m: enter_m + (0.25 * enter_m).max(15.0),
                precise: position.is_some_and(|p| p.confidence == Confidence::High),
                field: fields.entry(id.clone()).or_default().clone(),
            }
        };
        let stops = route.stops.iter().map(&mut prepare).collect();
        let back = route.back_to.as_ref().map(prepare);
        Course { route: route.clone(), stops, back, speed_m_s: pack.pack.walking_speed_m_s, tuning }
    }

    pub fn index_of(&self, stop: &str) -> Option<usize> {
        self.stops.iter().position(|s| s.id.as_str() == stop)
    }
}

/// A visit ready to be walked: its street network and every route prepared for following, built once
/// (the app at opening, the CLI for `follow`, `directions` and `simulate`).
#[derive(Clone, Debug)]
pub struct Walkable {
    pub network: Network,
    pub courses: Vec<Course>,
}

impl Walkable {
    /// `None` when `pack` has no street data (no map layer of kind "streets").
    pub fn of(pack: &Pack) -> Option<Walkable> {
        let network = Network::from_layers(&pack.map)?;
        let courses = Course::all(pack, &network);
        Some(Walkable { network, courses })
    }

    /// The route `id` prepared for following.
    pub fn course(&self, id: &str) -> Option<&Course> {
        self.courses.iter().find(|c| c.route.id.as_str() == id)
    }
}

/// The reference path of the current leg, and how far along it the walker is.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
struct Leg {
    to: usize,
    points: Vec<Xy>,
    cum: Vec<f64>,
    along: f64,
    /// The walker has been on the path beyond its first segment (from a door or a yard to the street):
    /// off-route is judged only from then on, as a group may reach the street by another way.
    joined: bool,
    /// When `along` was last moved (a state saved before this field: unknown, no speed limit).
    #[serde(default)]
    since: Option<NaiveDateTime>,
    /// Before `joined`: how many fixes in a row were well on the path, and where and when the last was.
    #[serde(default)]
    near: Option<(u32, f64, NaiveDateTime)>,
}

impl Leg {
    fn new(to: usize, points: Vec<Xy>) -> Leg {
        let mut cum = Vec::with_capacity(points.len());
        let mut total = 0.0;
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                total += p.dist(points[i - 1]);
            }
            cum.push(total);
        }
        Leg { to, points, cum, along: 0.0, joined: false, since: None, near: None }
    }

    fn length(&self) -> f64 {
        self.cum.last().copied().unwrap_or(0.0)
    }

    /// Distance from `p` to the path and the position along it, looking first near the last position
    /// (a path that doubles back must not make the walker jump ahead), then anywhere when nothing near
    /// it is within `near` metres of `p`.
    fn locate(&self, p: Xy, window: f64, near: f64) -> (f64, f64) {
        let mut best = (f64::INFINITY, self.along);
        let scan = |lo: f64, hi: f64, best: &mut (f64, f64)| {
            for i in 1..self.points.len() {
                if self.cum[i] < lo || self.cum[i - 1] > hi {
                    continue;
                }
                let (t, q) = project(p, self.points[i - 1], self.points[i]);
                let d = p.dist(q);
                if d < best.0 {
                    *best = (d, self.cum[i - 1] + t * (self.cum[i] - self.cum[i - 1]));
                }
            }
        };
        scan(self.along - window, self.along + window, &mut best);
        if best.0 > near {
            scan(f64::MIN, f64::MAX, &mut best);
        }
        best
    }
}

/// Everything the engine remembers between fixes. Serializable, so a session can be saved and resumed.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct FollowState {
    pub stops: Vec<StopProgress>,
    /// The stop the group is at, if any.
    pub at: Option<usize>,
    pub off_route: bool,
    pub last: Option<Fix>,
    /// Metres walked along the route's legs (completed legs plus the current one).
    pub along_m: f64,
    done_m: f64,
    leg: Option<Leg>,
    enter: Option<(usize, u32, NaiveDateTime)>,
    leave: u32,
    off: Option<(u32, NaiveDateTime)>,
    back: u32,
    /// The used fixes of the last minute or so, to tell a group that has stopped from one walking by.
    recent: std::collections::VecDeque<(NaiveDateTime, Xy)>,
}

impl FollowState {
    /// Whether this state (read back from a database, which someone may have changed) fits `course`:
    /// as many stops, every index among them, every number finite. One that does not is not resumed.
    pub fn fits(&self, course: &Course) -> bool {
        let n = course.stops.len();
        self.stops.len() == n
            && self.at.is_none_or(|a| a < n)
            && self.enter.is_none_or(|(k, _, _)| k < n)
            && self.leg.as_ref().is_none_or(|l| {
                l.to < n
                    && !l.points.is_empty()
                    && l.points.len() == l.cum.len()
                    && l.along.is_finite()
                    && l.points.iter().all(|p| p.x.is_finite() && p.y.is_finite())
            })
            && self.along_m.is_finite()
            && self.done_m.is_finite()
            && self.recent.len() <= 10_000
    }

    /// What is kept to resume a walk after the app is killed: the progress, without the trail of
    /// recent positions or the last fix (nothing of where the person went is kept on the device).
    pub fn to_resume(&self) -> FollowState {
        let mut kept = self.clone();
        kept.recent.clear();
        kept.last = None;
        if let Some(leg) = kept.leg.as_mut() {
            leg.near = None;
        }
        kept
    }

    pub fn new(course: &Course) -> FollowState {
        FollowState {
            stops: course
                .stops
                .iter()
                .map(|_| StopProgress { status: StopStatus::Pending, arrived: None, departed: None, manual: false })
                .collect(),
            at: None,
            off_route: false,
            last: None,
            along_m: 0.0,
            done_m: 0.0,
            leg: None,
            enter: None,
            leave: 0,
            off: None,
            back: 0,
            recent: std::collections::VecDeque::new(),
        }
    }

    /// The next stop to reach: the first one after the last stop reached that is still pending.
    pub fn next(&self) -> Option<usize> {
        let from = self.last_reached().map_or(0, |i| i + 1);
        (from..self.stops.len()).find(|&i| self.stops[i].status == StopStatus::Pending)
    }

    fn last_reached(&self) -> Option<usize> {
        self.stops.iter().rposition(|s| matches!(s.status, StopStatus::Here | StopStatus::Done))
    }

    pub fn finished(&self) -> bool {
        self.next().is_none() && self.at.is_none_or(|i| i + 1 == self.stops.len())
    }

    /// Apply one fix. Never panics; a fix that cannot be used returns a [`Step`] with `used: false`.
    pub fn step(&mut self, course: &Course, net: &Network, fix: &Fix) -> Step {
        let tuning = &course.tuning;
        let accuracy = fix.accuracy_m.filter(|a| a.is_finite() && *a >= 0.0).unwrap_or(tuning.assumed_accuracy_m);
        let usable = fix.lat.is_finite()
            && fix.lon.is_finite()
            && (-90.0..=90.0).contains(&fix.lat)
            && (-180.0..=180.0).contains(&fix.lon)
            && accuracy <= tuning.max_accuracy_m
            && self.last.is_none_or(|l| fix.time > l.time);
        if !usable {
            return self.view(course, net, fix, false, None, None, Vec::new());
        }
        let p = net.to_xy(fix.lat, fix.lon);
        while self.recent.front().is_some_and(|(t, _)| seconds(*t, fix.time) > tuning.still_s + 30.0) {
            self.recent.pop_front();
        }
        self.recent.push_back((fix.time, p));
        // Since when the group has been still (None: it is moving, or not long enough to tell).
        let still_since = {
            let radius = tuning.still_m.max(2.0 * accuracy);
            let first_still = self.recent.iter().rev().take_while(|(_, q)| q.dist(p) <= radius).last().map(|(t, _)| *t);
            first_still.filter(|t| seconds(*t, fix.time) >= tuning.still_s)
        };
        let mut arrived = None;
        let mut departed = None;
        let mut skipped = Vec::new();

        // Leaving the stop the group is at.
        if let Some(at) = self.at
            && let Some(point) = course.stops[at].point
        {
            if p.dist(point) > course.stops[at].leave_m {
                self.leave += 1;
                if self.leave >= tuning.leave_fixes {
                    departed = Some(course.stops[at].id.clone());
                    self.depart(course, net, at, fix.time, p, false);
                }
            } else {
                self.leave = 0;
            }
        }

        // Arriving: the next stop, or a later one after a longer dwell.
        if let Some(next) = self.next() {
            let blocked = self
                .at
                .and_then(|at| course.stops[at].point.map(|q| p.dist(q) <= course.stops[at].enter_m))
                .unwrap_or(false);
            let candidate = (!blocked)
                .then(|| {
                    (next..course.stops.len()).find(|&k| {
                        let s = &course.stops[k];
                        self.stops[k].status == StopStatus::Pending
                            && s.point.is_some_and(|q| p.dist(q) <= s.enter_m)
                            && (k == next || course.stops[next..k].iter().all(|i| i.point.is_none()) || s.precise)
                            && (next..k)
                                .all(|i| course.stops[i].point.is_none_or(|q| p.dist(q) > course.stops[i].leave_m))
                    })
                })
                .flatten();
            match candidate {
                Some(k) => {
                    let (count, since) = match self.enter {
                        Some((j, n, since)) if j == k => (n + 1, since),
                        _ => (1, fix.time),
                    };
                    self.enter = Some((k, count, since));
                    let later = k > next && course.stops[next..k].iter().any(|s| s.point.is_some());
                    let (enough, when) = if !course.stops[k].precise {
                        (still_since.is_some(), still_since.unwrap_or(since).max(since))
                    } else if later {
                        (count >= tuning.skip_fixes && seconds(since, fix.time) >= tuning.skip_s, since)
                    } else {
                        (count >= tuning.arrive_fixes, since)
                    };
                    if enough {
                        if let Some(at) = self.at {
                            departed = Some(course.stops[at].id.clone());
                        }
                        skipped = self.arrive(course, k, when, false);
                        arrived = Some(course.stops[k].id.clone());
                    }
                }
                None => self.enter = None,
            }
        }

        // The current leg and off-route.
        if self.at.is_none() && self.leg.is_none() {
            self.start_leg(course, net, p);
        }
        let judged = self.at.is_none() && self.next().is_some_and(|n| course.stops[n].point.is_some());
        match (&mut self.leg, judged) {
            (Some(leg), true) => {
                let limit = tuning.off_route_min_m.max(tuning.off_route_accuracy_factor * accuracy);
                // Near the last position first; anywhere on the path if that is not within the limit
                // (so a wild fix that moved the walker cannot keep the next ones off the path).
                let (d, along) = leg.locate(p, 80.0, limit.min(40.0));
                if !leg.joined {
                    // Well on the path, not just near it: a group crossing a yard towards the street
                    // must not count as on it (and then as off it) while still a street's width away.
                    // In a row, and at a walking pace from one to the next (not a wild fix that happens
                    // to land on the path farther on).
                    if d <= limit / 2.0 && along >= leg.cum.get(1).copied().unwrap_or(0.0) {
                        let n = match leg.near {
                            Some((n, a, t)) if along - a <= tuning.max_speed_mps * seconds(t, fix.time) + limit => {
                                n + 1
                            }
                            _ => 1,
                        };
                        leg.near = Some((n, along, fix.time));
                        if n >= tuning.join_fixes {
                            leg.joined = true;
                            leg.along = along;
                            leg.since = Some(fix.time);
                        }
                    } else {
                        leg.near = None;
                    }
                } else if d > limit && {
                    // Away from the path drawn, but is it a detour? The walking distance left from here
                    // against what was left on the drawn path where the walker last was on it: a group
                    // on another street as short, or nearly (a street grid has many), is not lost.
                    let left = course.stops[leg.to].field(net).and_then(|f| f.distance_from(net, p));
                    left.is_none_or(|left| left - (leg.length() - leg.along) > limit)
                } {
                    self.back = 0;
                    let (n, since) = self.off.map_or((1, fix.time), |(n, s)| (n + 1, s));
                    self.off = Some((n, since));
                    if n >= tuning.off_route_fixes && seconds(since, fix.time) >= tuning.off_route_s {
                        self.off_route = true;
                    }
                } else {
                    self.off = None;
                    if self.off_route {
                        self.back += 1;
                        if self.back >= 2 {
                            self.off_route = false;
                            self.back = 0;
                        }
                    }
                    // Measured from when progress last moved, not from the last fix: a group that cut
                    // a corner off the path, or took another way as short, is followed when it comes
                    // back onto the path farther on.
                    let dt = leg.since.map_or(f64::INFINITY, |t| seconds(t, fix.time));
                    if d <= limit && along - leg.along <= tuning.max_speed_mps * dt + limit {
                        leg.along = along;
                        leg.since = Some(fix.time);
                    }
                }
                self.along_m = self.done_m + leg.along;
            }
            _ => {
                self.off = None;
                self.off_route = false;
                self.back = 0;
            }
        }

        self.last = Some(*fix);
        self.view(course, net, fix, true, arrived, departed, skipped)
    }

    fn start_leg(&mut self, course: &Course, net: &Network, from: Xy) {
        self.leg = self.next().and_then(|n| {
            let field = course.stops[n].field(net)?;
            Some(Leg::new(n, field.path_from(net, from)?.points))
        });
    }

    fn depart(&mut self, course: &Course, net: &Network, at: usize, time: NaiveDateTime, p: Xy, manual: bool) {
        let stop = &mut self.stops[at];
        stop.status = StopStatus::Done;
        stop.departed = Some(time);
        stop.manual |= manual;
        self.at = None;
        self.leave = 0;
        self.off = None;
        self.off_route = false;
        // The leg starts at the stop itself: the fix that says "left" may be a wild one.
        self.start_leg(course, net, course.stops[at].point.unwrap_or(p));
    }

    /// Marks stop `k` reached at `time`; returns the stops passed by on the way.
    fn arrive(&mut self, course: &Course, k: usize, time: NaiveDateTime, manual: bool) -> Vec<StopId> {
        if let Some(at) = self.at.take() {
            let stop = &mut self.stops[at];
            stop.status = StopStatus::Done;
            stop.departed.get_or_insert(time);
        }
        let mut skipped = Vec::new();
        let from = self.last_reached().map_or(0, |i| i + 1);
        for i in from..k {
            if self.stops[i].status == StopStatus::Pending {
                self.stops[i].status =
                    if course.stops[i].point.is_none() { StopStatus::Unconfirmed } else { StopStatus::Skipped };
                skipped.push(course.stops[i].id.clone());
            }
        }
        let stop = &mut self.stops[k];
        stop.status = StopStatus::Here;
        stop.arrived = Some(time);
        stop.departed = None;
        stop.manual = manual;
        self.at = Some(k);
        if let Some(leg) = self.leg.take() {
            self.done_m += leg.length();
        }
        self.along_m = self.done_m;
        self.enter = None;
        self.leave = 0;
        self.off = None;
        self.off_route = false;
        skipped
    }

    /// The guide taps "we are here": stop `k` is reached now (a stop without a position is only reached
    /// this way). Returns the stops passed by.
    pub fn check_in(&mut self, course: &Course, k: usize, time: NaiveDateTime) -> Vec<StopId> {
        if k >= self.stops.len() {
            return Vec::new();
        }
        self.arrive(course, k, time, true)
    }

    /// The guide taps "we leave": the group leaves the stop it is at.
    pub fn check_out(&mut self, course: &Course, net: &Network, time: NaiveDateTime) -> Option<StopId> {
        let at = self.at?;
        let from = self.last.map(|f| net.to_xy(f.lat, f.lon)).or(course.stops[at].point).unwrap_or_default();
        self.depart(course, net, at, time, from, true);
        Some(course.stops[at].id.clone())
    }

    /// Whether the group has left its last stop and has the way back ahead (the route's `back_to`).
    pub fn going_back(&self, course: &Course) -> bool {
        course.back.is_some() && self.next().is_none() && self.at.is_none() && self.last_reached().is_some()
    }

    /// Where the group walks to now: the next stop, or once the last is left, the way back's end.
    fn target<'c>(&self, course: &'c Course) -> Option<&'c CourseStop> {
        match self.next() {
            Some(k) => course.stops.get(k),
            None if self.going_back(course) => course.back.as_ref(),
            None => None,
        }
    }

    /// The walking path from the last position to the next stop (or back, after the last).
    fn path_to_target(&self, course: &Course, net: &Network) -> Option<crate::walk::WalkPath> {
        let fix = self.last?;
        let field = self.target(course)?.field(net)?;
        field.path_from(net, net.to_xy(fix.lat, fix.lon))
    }

    /// The current walking path to the next stop (or back, after the last), as `[lat, lon]` points (for
    /// the map's dotted line).
    pub fn path_to_next(&self, course: &Course, net: &Network) -> Option<Vec<[f64; 2]>> {
        Some(lat_lons(net, &self.path_to_target(course, net)?))
    }

    /// The way to the next stop in words, from the last position ([`crate::walk::directions`]).
    pub fn way_to_next(&self, course: &Course, net: &Network) -> Option<crate::walk::directions::Directions> {
        Some(crate::walk::directions::directions(net, &self.path_to_target(course, net)?))
    }

    /// [`FollowState::path_to_next`] and [`FollowState::way_to_next`] from one search of the path (what
    /// each position's view shows).
    pub fn to_next(
        &self,
        course: &Course,
        net: &Network,
    ) -> Option<(Vec<[f64; 2]>, crate::walk::directions::Directions)> {
        let path = self.path_to_target(course, net)?;
        Some((lat_lons(net, &path), crate::walk::directions::directions(net, &path)))
    }

    #[allow(clippy::too_many_arguments)]
    fn view(
        &self,
        course: &Course,
        net: &Network,
        fix: &Fix,
        used: bool,
        arrived: Option<StopId>,
        departed: Option<StopId>,
        skipped: Vec<StopId>,
    ) -> Step {
        let next = self.next();
        let place = if used { Some(*fix) } else { self.last };
        let target = next.map(|n| &course.stops[n]);
        let straight_m = place.zip(target.and_then(|s| s.position)).map(|(f, q)| straight_m([f.lat, f.lon], q));
        let distance_m = place
            .zip(target.and_then(|s| s.field(net)))
            .and_then(|(f, field)| field.distance_from(net, net.to_xy(f.lat, f.lon)));
        Step {
            time: fix.time,
            used,
            at_stop: self.at.map(|i| course.stops[i].id.clone()),
            next_stop: target.map(|s| s.id.clone()),
            straight_m,
            distance_m,
            walk_s: distance_m.map(|d| d / course.speed_m_s),
            along_m: self.along_m,
            off_route: self.off_route,
            arrived,
            departed,
            skipped,
        }
    }
}

/// A path's points as `[lat, lon]`, the order Leaflet takes.
fn lat_lons(net: &Network, path: &crate::walk::WalkPath) -> Vec<[f64; 2]> {
    path.points.iter().map(|&p| net.projection.to_lat_lon(p)).collect()
}

fn seconds(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    (to - from).num_milliseconds() as f64 / 1000.0
}
