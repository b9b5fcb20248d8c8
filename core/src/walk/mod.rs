//! Walking: the street network and shortest paths ([`network`]), following a route from position fixes
//! ([`follow`]), the guide's run sheet ([`guide`]) and synthetic walks ([`simulate`]).
//!
//! All pure: positions and times come in as values.

pub mod follow;
pub mod guide;
pub mod network;
pub mod simulate;

pub use follow::{Course, Fix, FollowState, Step, StopProgress, StopStatus, Tuning};
pub use network::{Network, WalkPath, Xy};

use serde::{Deserialize, Serialize};

use crate::pack::{Pack, Route};

/// A route drawn along the streets: one line per leg between consecutive stops that have a position.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct RoutePath {
    pub route: String,
    /// `[lat, lon]` points per leg.
    pub legs: Vec<Vec<[f64; 2]>>,
    pub length_m: f64,
}

/// The walking path of `route` through its placed stops, in order.
pub fn route_path(pack: &Pack, net: &Network, route: &Route) -> RoutePath {
    let points: Vec<Xy> = route
        .stops
        .iter()
        .filter_map(|id| pack.stop(id)?.position.as_ref())
        .map(|p| net.to_xy(p.lat, p.lon))
        .collect();
    let mut legs = Vec::new();
    let mut length_m = 0.0;
    for pair in points.windows(2) {
        if let Some(path) = net.route(pair[0], pair[1]) {
            length_m += path.length_m;
            legs.push(path.points.iter().map(|&p| net.projection.to_lat_lon(p)).collect());
        }
    }
    RoutePath { route: route.id.as_str().to_string(), legs, length_m }
}
