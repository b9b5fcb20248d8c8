//! The walking engine's data, shared with the UI (no geometry crate needed to read them).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::pack::{Hm, StopId};

/// One position from the device (or a recorded trace).
#[derive(Clone, Copy, PartialEq, Debug, Serialize, Deserialize)]
pub struct Fix {
    /// Wall-clock time in the event's time zone.
    pub time: NaiveDateTime,
    pub lat: f64,
    pub lon: f64,
    /// Horizontal accuracy in metres (radius), when the device gives it.
    pub accuracy_m: Option<f64>,
}

/// Which of the device's positions go on to the engine. A phone gives one a second; the engine's
/// thresholds count fixes a few seconds apart (its module's notes; a planned walk's fixes are 5 s apart),
/// and each fix costs the phone a round of work (the engine's step, the path to the next stop, the
/// screens). A position goes on when it is the first, when its accuracy changed by a quarter or more
/// since the last one that went on, or once [`FixGate::EVERY_S`] seconds have passed since then: the pace
/// the engine is tuned for. Those left out would move the dot by about a position's own uncertainty or
/// less: 5 s at walking pace is 6 m, and a phone's position is good to 5–10 m.
#[derive(Clone, Copy, Default, Debug)]
pub struct FixGate {
    /// The last position that went on: its accuracy in metres, its time in ms.
    last: Option<(f64, f64)>,
}

impl FixGate {
    pub const EVERY_S: f64 = 5.0;
    /// How much sooner than [`FixGate::EVERY_S`] a position may come and still go on: a device that
    /// gives a position every 5 s stamps some of them 4.9 s apart, and each must go on, not every other.
    pub const EARLY_S: f64 = 0.5;

    /// Whether a position `accuracy_m` wide, taken at `at_ms` (the device's time stamp, in ms), goes on;
    /// if it does, it is the one the next are compared with.
    pub fn admit(&mut self, accuracy_m: f64, at_ms: f64) -> bool {
        let goes = self.last.is_none_or(|(accuracy, ms)| {
            (accuracy_m - accuracy).abs() >= accuracy.max(1.0) / 4.0
                || !(0.0..(Self::EVERY_S - Self::EARLY_S) * 1000.0).contains(&(at_ms - ms))
        });
        if goes {
            self.last = Some((accuracy_m, at_ms));
        }
        goes
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopStatus {
    Pending,
    /// The group is there.
    Here,
    Done,
    /// Passed by: a later stop was reached first.
    Skipped,
    /// A stop without a position that was passed without a check-in.
    Unconfirmed,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct StopProgress {
    pub status: StopStatus,
    pub arrived: Option<NaiveDateTime>,
    pub departed: Option<NaiveDateTime>,
    /// Checked in or out by hand rather than detected.
    pub manual: bool,
}

/// What one fix tells (one line of `parcours follow`).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Step {
    pub time: NaiveDateTime,
    /// False when the fix was too imprecise (or out of order) to be used.
    pub used: bool,
    pub at_stop: Option<StopId>,
    /// `None` once the last stop is reached.
    pub next_stop: Option<StopId>,
    pub straight_m: Option<f64>,
    /// Walking distance to the next stop (`None` when it has no position).
    pub distance_m: Option<f64>,
    pub walk_s: Option<f64>,
    pub along_m: f64,
    pub off_route: bool,
    pub arrived: Option<StopId>,
    pub departed: Option<StopId>,
    pub skipped: Vec<StopId>,
}

/// What the app's map and guide screens show about the walk, after each fix or check-in.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct FollowView {
    pub route: String,
    /// The time of the walk: the last fix's (a simulated walk has its own clock), or now.
    pub now: Option<Hm>,
    /// The last usable position: `[lat, lon]` and its accuracy in metres.
    pub position: Option<[f64; 2]>,
    pub accuracy_m: Option<f64>,
    pub step: Option<Step>,
    pub stops: Vec<StopProgress>,
    /// The walking path from the position to the next stop, `[lat, lon]` points.
    pub path_to_next: Option<Vec<[f64; 2]>>,
    /// That path in words, street by street ([`crate::walk::directions::say`] tells it).
    #[serde(default)]
    pub way_to_next: Option<crate::walk::directions::Directions>,
    /// The last stop is left and the path and way above lead back (to the route's `back_to`).
    #[serde(default)]
    pub going_back: bool,
    pub simulated: bool,
}

/// A stop's position as measured on site by a guide ("record this stop's position here"), for the
/// organiser to check and carry into the next version of the pack.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Correction {
    pub id: i64,
    pub stop: String,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: Option<f64>,
    /// Event time zone.
    pub recorded_at: NaiveDateTime,
}
