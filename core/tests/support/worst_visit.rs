//! The largest visit the bounds allow (`pack::bounds`), made from the real one: every stop, route, route
//! entry and map point it may have, the streets a grid as dense as the point budget lets it be. Shared by
//! the test that opens it (`tests/it/worst.rs`) and the bench that says its time and memory
//! (`benches/worst.rs`).

use parcours_core::pack::bounds::{MAX_MAP_POINTS, MAX_ROUTE_STOPS, MAX_ROUTE_STOPS_ALL, MAX_STOPS};
use parcours_core::pack::{Confidence, MapLayer, Pack, PlannedVisit, Position, StopId};

/// Lines of the street grid each way: `2 × SIDE²` points, within [`MAX_MAP_POINTS`].
pub const SIDE: usize = 273;
/// The grid's spacing, in degrees (about 11 m north–south): a 3 km square.
const STEP_DEG: f64 = 0.0001;

/// `real` made as big as a visit may be.
pub fn worst_visit(mut real: Pack) -> Pack {
    const { assert!(2 * SIDE * SIDE <= MAX_MAP_POINTS) };
    let (lat0, lon0) = (43.49, -1.47);
    let point = |i: usize, j: usize| serde_json::json!([lon0 + j as f64 * STEP_DEG, lat0 + i as f64 * STEP_DEG]);
    let line = |points: Vec<serde_json::Value>| serde_json::json!({ "type": "Feature", "properties": { "name": "" }, "geometry": { "type": "LineString", "coordinates": points } });
    let mut features = Vec::new();
    for i in 0..SIDE {
        features.push(line((0..SIDE).map(|j| point(i, j)).collect()));
        features.push(line((0..SIDE).map(|j| point(j, i)).collect()));
    }
    let streets = real.map.iter().find(|l| l.kind == "streets").cloned().expect("a street layer");
    real.map =
        vec![MapLayer { geojson: serde_json::json!({ "type": "FeatureCollection", "features": features }), ..streets }];
    // Stops spread over the grid, each on a crossing.
    let model = real.stops[0].clone();
    real.stops = (0..MAX_STOPS)
        .map(|k| {
            let (i, j) = ((k * 37) % SIDE, (k * 101) % SIDE);
            let mut stop = model.clone();
            stop.id = StopId(format!("etape-{k}"));
            stop.name = format!("Étape {k}");
            stop.audio.clear();
            stop.photo = None;
            stop.position = Some(Position {
                lat: lat0 + i as f64 * STEP_DEG,
                lon: lon0 + j as f64 * STEP_DEG,
                accuracy_m: 10.0,
                confidence: Confidence::High,
                source: "test".into(),
                licence: "test".into(),
            });
            stop
        })
        .collect();
    real.media.clear();
    // As many routes as the route entries allow, each as long as a route may be.
    let model = real.routes[0].clone();
    let visit = model.schedule[0].clone();
    real.routes = (0..MAX_ROUTE_STOPS_ALL / MAX_ROUTE_STOPS)
        .map(|r| {
            let mut route = model.clone();
            route.id = parcours_core::pack::RouteId(format!("parcours-{r}"));
            route.back_to = None;
            route.stops = (0..MAX_ROUTE_STOPS).map(|k| StopId(format!("etape-{}", (k + r * 20) % MAX_STOPS))).collect();
            route.schedule = route.stops.iter().map(|s| PlannedVisit { stop: s.clone(), ..visit.clone() }).collect();
            route
        })
        .collect();
    real
}
