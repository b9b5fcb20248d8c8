//! Where the map writes the street names: one label per name, half way along that street's longest
//! line, turned along it there and kept upright. The map draws them and hides those that would
//! overlap at the zoom shown; which streets and where is decided here, from the pack's street data.

use serde::{Deserialize, Serialize};

use crate::pack::MapLayer;

/// A street's name, where to write it and at what angle.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct StreetLabel {
    pub name: String,
    /// Half way along the street's longest line, `[lat, lon]`.
    pub at: [f64; 2],
    /// Clockwise from the screen's horizontal, in degrees, between −90 and 90 (text never upside down).
    pub angle_deg: f64,
    /// The length of that line, in metres: a label longer than it is not drawn.
    pub piece_m: f64,
    /// The street's whole length in the data: longer streets are labelled first.
    pub street_m: f64,
}

/// One label per street name of the `streets` layers, longest streets first.
pub fn street_labels(layers: &[MapLayer]) -> Vec<StreetLabel> {
    // Per name: the whole length and the longest line.
    let mut by_name: Vec<StreetLabel> = Vec::new();
    for (name, line) in crate::pack::street_lines(layers) {
        let name = name.as_str();
        if name.is_empty() {
            continue;
        }
        let points: Vec<[f64; 2]> = line.iter().map(|&[lon, lat]| [lat, lon]).collect();
        let lengths = lengths(&points);
        let total: f64 = lengths.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let entry = match by_name.iter().position(|l| l.name == name) {
            Some(i) => &mut by_name[i],
            None => {
                by_name.push(StreetLabel {
                    name: name.to_owned(),
                    at: points[0],
                    angle_deg: 0.0,
                    piece_m: 0.0,
                    street_m: 0.0,
                });
                let last = by_name.len() - 1;
                &mut by_name[last]
            }
        };
        entry.street_m += total;
        if total > entry.piece_m {
            // The label sits half way along the line, turned along the segment there.
            let mut along = 0.0;
            for (w, len) in points.windows(2).zip(&lengths) {
                if along + len >= total / 2.0 && *len > 0.0 {
                    let f = (total / 2.0 - along) / len;
                    let (a, b) = (w[0], w[1]);
                    let (dx, dy) = metres(a, b);
                    entry.at = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
                    entry.angle_deg = upright((-dy).atan2(dx).to_degrees());
                    break;
                }
                along += len;
            }
            entry.piece_m = total;
        }
    }
    by_name.sort_by(|a, b| b.street_m.total_cmp(&a.street_m).then_with(|| a.name.cmp(&b.name)));
    by_name
}

/// An arrow showing which way a route is walked: where, and its heading on the screen.
#[derive(Clone, Copy, PartialEq, Debug, Serialize, Deserialize)]
pub struct Arrow {
    /// `[lat, lon]` on the path.
    pub at: [f64; 2],
    /// Clockwise from pointing right (east), in degrees: the direction of walk there.
    pub angle_deg: f64,
}

/// Arrows along a walking path (`[lat, lon]` points, in the order walked): one every `every_m` metres,
/// the first half a spacing from the start; a path shorter than one spacing gets one, half way.
pub fn arrows(path: &[[f64; 2]], every_m: f64) -> Vec<Arrow> {
    let lengths = lengths(path);
    let total: f64 = lengths.iter().sum();
    if total <= 0.0 || !every_m.is_finite() || every_m <= 0.0 {
        return Vec::new();
    }
    let spacing = every_m.min(total);
    let mut marks = Vec::new();
    let mut next = spacing / 2.0;
    let mut along = 0.0;
    for (w, len) in path.windows(2).zip(&lengths) {
        while *len > 0.0 && next <= along + len {
            let f = (next - along) / len;
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = metres(a, b);
            marks.push(Arrow {
                at: [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f],
                angle_deg: (-dy).atan2(dx).to_degrees(),
            });
            next += spacing;
        }
        along += len;
    }
    marks
}

/// The length in metres of each segment of a line of `[lat, lon]` points.
fn lengths(points: &[[f64; 2]]) -> Vec<f64> {
    points
        .windows(2)
        .map(|w| {
            let (dx, dy) = metres(w[0], w[1]);
            dx.hypot(dy)
        })
        .collect()
}

/// East and north metres from `a` to `b` (`[lat, lon]`), flat over a street's length.
fn metres(a: [f64; 2], b: [f64; 2]) -> (f64, f64) {
    let k = 111_195.0;
    ((b[1] - a[1]) * k * a[0].to_radians().cos(), (b[0] - a[0]) * k)
}

/// An angle brought between −90° and 90°: text read left to right.
fn upright(mut deg: f64) -> f64 {
    while deg > 90.0 {
        deg -= 180.0;
    }
    while deg < -90.0 {
        deg += 180.0;
    }
    deg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(features: serde_json::Value) -> MapLayer {
        MapLayer::streets_of(features)
    }

    fn street(name: &str, coords: serde_json::Value) -> serde_json::Value {
        serde_json::json!({"type": "Feature", "properties": {"name": name}, "geometry": {"type": "LineString", "coordinates": coords}})
    }

    #[test]
    fn arrows_point_the_way_walked_at_even_spacing() {
        // North 1 km (0.009°), then east.
        let path = [[43.500, -1.47], [43.509, -1.47], [43.509, -1.457]];
        let marks = arrows(&path, 250.0);
        assert_eq!(marks.len(), 8, "{marks:?}");
        // Going north is pointing up on the screen: −90° from "right".
        assert!((marks[0].angle_deg + 90.0).abs() < 0.01, "{:?}", marks[0]);
        assert!((marks[0].at[0] - 43.501_124).abs() < 0.0001, "half a spacing from the start");
        assert!(marks[7].angle_deg.abs() < 0.01, "east is 0°: {:?}", marks[7]);
        // Back the other way: the arrows turn round.
        let back: Vec<[f64; 2]> = path.iter().rev().copied().collect();
        assert!((arrows(&back, 250.0)[0].angle_deg.abs() - 180.0).abs() < 0.01);
        assert_eq!(arrows(&path[..2], 5000.0).len(), 1, "a short path gets one arrow");
        assert!(arrows(&[[43.5, -1.47]], 100.0).is_empty());
        assert!(arrows(&path, 0.0).is_empty());
    }

    #[test]
    fn one_label_per_street_half_way_along_its_longest_line_upright_longest_street_first() {
        let layers = [layer(serde_json::json!([
            // West to east, then a longer piece going north-east.
            street("Avenue de Sainte-Croix", serde_json::json!([[-1.470, 43.500], [-1.469, 43.500], [-1.466, 43.503]])),
            street("Allée Marcel Breuer", serde_json::json!([[-1.466, 43.503], [-1.466, 43.502]])),
            street("", serde_json::json!([[-1.466, 43.502], [-1.465, 43.502]])),
        ]))];
        let labels = street_labels(&layers);
        let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Avenue de Sainte-Croix", "Allée Marcel Breuer"]);
        let avenue = &labels[0];
        // Half way along its 493 m: 40 % of the way up its second piece.
        assert!((avenue.at[0] - 43.50120).abs() < 1e-4 && (avenue.at[1] + 1.46779).abs() < 1e-4, "{avenue:?}");
        assert!((avenue.piece_m - 493.0).abs() < 2.0, "{avenue:?}");
        // North-east on the screen: up and to the right, about −53° (the screen's y goes down).
        assert!((-60.0..-45.0).contains(&avenue.angle_deg), "{avenue:?}");
        // A street going south is written top to bottom turned upright: +90° or −90°, never 270.
        assert!((labels[1].angle_deg.abs() - 90.0).abs() < 1e-6, "{:?}", labels[1]);
    }

    #[test]
    fn no_label_without_streets() {
        assert!(street_labels(&[]).is_empty());
    }
}
