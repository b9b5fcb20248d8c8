//! Walking: the street network and shortest paths ([`network`]), following a route from position fixes
//! ([`follow`]), the guide's run sheet ([`guide`]) and synthetic walks ([`simulate`]).
//!
//! All pure: positions and times come in as values.

//! The data types ([`types`]) and the run sheet ([`guide`]) are always built (the UI reads them); the
//! engine itself needs the `walk` feature (the `geo` crate).

#[cfg(all(feature = "walk", feature = "source"))]
pub mod advice;
pub mod directions;
#[cfg(feature = "walk")]
pub mod follow;
pub mod guide;
#[cfg(feature = "walk")]
pub mod network;
#[cfg(feature = "walk")]
pub mod simulate;
pub mod types;

#[cfg(feature = "walk")]
pub use follow::{Course, FollowState, Tuning, Walkable};
#[cfg(feature = "walk")]
pub use network::{Network, WalkPath, Xy};
pub use types::{Correction, Fix, FixGate, FollowView, Step, StopProgress, StopStatus};

use serde::{Deserialize, Serialize};

#[cfg(feature = "walk")]
use crate::pack::{Pack, Route};

/// A route drawn along the streets: one line per leg between consecutive stops that have a position.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct RoutePath {
    pub route: String,
    /// `[lat, lon]` points per leg.
    pub legs: Vec<Vec<[f64; 2]>>,
    pub length_m: f64,
    /// Each leg in words, from one placed stop to the next: the way before any position is known.
    #[serde(default)]
    pub words: Vec<directions::Leg>,
}

impl RoutePath {
    /// The leg that ends at `stop` (from the placed stop before it), if the stop is placed and not first.
    pub fn leg_to(&self, stop: &str) -> Option<&directions::Leg> {
        self.words.iter().find(|leg| leg.to == stop && !leg.back)
    }

    /// The way back from the last placed stop to the route's `back_to`, when it has one.
    pub fn way_back(&self) -> Option<&directions::Leg> {
        self.words.iter().find(|leg| leg.back)
    }
}

/// The walking path of `route` through its placed stops, in order.
#[cfg(feature = "walk")]
pub fn route_path(pack: &Pack, net: &Network, route: &Route) -> RoutePath {
    let placed = |id: &crate::pack::StopId| {
        pack.stop(id).and_then(|s| s.position.as_ref().map(|p| (s.id.as_str(), net.to_xy(p.lat, p.lon))))
    };
    let mut points: Vec<(&str, Xy)> = route.stops.iter().filter_map(placed).collect();
    // The way back is the last leg, when the place it goes back to is known.
    let back = route.back_to.as_ref().and_then(placed).filter(|_| !points.is_empty());
    points.extend(back);
    let mut legs = Vec::new();
    let mut words = Vec::new();
    let mut length_m = 0.0;
    for (k, pair) in points.windows(2).enumerate() {
        if let Some(path) = net.route(pair[0].1, pair[1].1) {
            length_m += path.length_m;
            legs.push(path.points.iter().map(|&p| net.projection.to_lat_lon(p)).collect());
            words.push(directions::Leg {
                from: pair[0].0.to_owned(),
                to: pair[1].0.to_owned(),
                directions: directions::directions(net, &path),
                back: back.is_some() && k + 2 == points.len(),
            });
        }
    }
    RoutePath { route: route.id.as_str().to_string(), legs, length_m, words }
}
