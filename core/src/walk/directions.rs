//! The way in words: a walking path told as a person would tell it, from the street data alone
//! (offline): "Prenez l'avenue de Sainte-Croix sur 250 m, puis tournez à gauche dans l'allée Marcel
//! Breuer sur 100 m ; l'étape est à droite."
//!
//! The path is cut into stretches along one street (each piece of the path takes the name of the street
//! it runs on); stretches too short to be told (a corner, a crossing) are merged into their neighbour;
//! the turn between two stretches comes from the geometry (left, right, straight on, back); the side of
//! the stop from where it stands off the last street. Distances are rounded as people say them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "walk")]
use super::network::{Network, WalkPath, Xy};

/// How the walker turns into a stretch.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Turn {
    /// The first stretch: no turn, "Prenez…".
    Start,
    Straight,
    Left,
    Right,
    Back,
}

/// Where the stop is at the end of the way.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Ahead,
    Left,
    Right,
}

/// One stretch along one street.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Stretch {
    pub turn: Turn,
    /// The street's name, if the data has one.
    pub street: Option<String>,
    pub metres: f64,
    /// The street walked before ends where this stretch turns off it: "au bout de la rue".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub at_end: bool,
}

/// The way to a stop, stretch by stretch.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Directions {
    pub stretches: Vec<Stretch>,
    pub side: Side,
    pub length_m: f64,
}

#[cfg(feature = "walk")]
/// A piece of the path shorter than this is not told on its own (a corner, a crossing, a kink).
const SHORT_M: f64 = 20.0;
#[cfg(feature = "walk")]
/// A piece of the path this far from any street runs off the streets (a yard, a square): no name.
const ON_STREET_M: f64 = 6.0;

#[cfg(feature = "walk")]
/// How far past a corner the street walked is looked for: not found, the walker turns at its end.
const END_PROBE_M: f64 = 15.0;

#[cfg(feature = "walk")]
/// The way along `path` (from [`Network::route`]) to the stop at its end.
pub fn directions(net: &Network, path: &WalkPath) -> Directions {
    // Each segment named by the street under its middle.
    let mut pieces: Vec<(Option<String>, Xy, Xy)> = Vec::new();
    for pair in path.points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.dist(b) < 0.5 {
            continue;
        }
        let mid = Xy { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 };
        pieces.push((net.street_at(mid, ON_STREET_M).map(str::to_owned), a, b));
    }
    // Runs of one name: (name, length, points).
    let mut runs: Vec<(Option<String>, f64, Vec<Xy>)> = Vec::new();
    for (name, a, b) in &pieces {
        let len = a.dist(*b);
        match runs.last_mut() {
            Some(run) if run.0 == *name => {
                run.1 += len;
                run.2.push(*b);
            }
            _ => runs.push((name.clone(), len, vec![*a, *b])),
        }
    }
    // Short runs go into a neighbour, and so do roundabouts walked around on the way: their length
    // counts, their shape does not (the turn is told from the street before to the street after).
    let mut i = 0;
    while runs.len() > 1 && i < runs.len() {
        if runs[i].1 >= SHORT_M && !is_junction(runs[i].0.as_deref(), runs[i].1) {
            i += 1;
            continue;
        }
        let run = runs.remove(i);
        let into = if i > 0 { i - 1 } else { 0 };
        runs[into].1 += run.1;
        // The neighbours may now share a name: join them.
        if i > 0 && i < runs.len() && runs[i - 1].0 == runs[i].0 {
            let next = runs.remove(i);
            runs[i - 1].1 += next.1;
            runs[i - 1].2.extend(next.2);
        }
        i = i.saturating_sub(1);
    }
    let mut stretches = Vec::new();
    // The heading at the end of the stretch before, its last point and its street.
    let mut before: Option<(f64, Xy, Option<String>)> = None;
    for (name, metres, points) in runs {
        let (turn, at_end) = match &before {
            None => (Turn::Start, false),
            Some((h, corner, street)) => {
                let turn = turn_of(*h, heading(&points, false));
                // Does the street walked go on past the corner? Looked for a little further ahead.
                let ahead = Xy { x: corner.x + END_PROBE_M * h.cos(), y: corner.y + END_PROBE_M * h.sin() };
                let goes_on = net.street_at(ahead, ON_STREET_M) == street.as_deref();
                (turn, street.is_some() && matches!(turn, Turn::Left | Turn::Right) && !goes_on)
            }
        };
        let corner = points.last().copied().unwrap_or_default();
        before = Some((heading(&points, true), corner, name.clone()));
        stretches.push(Stretch { turn, street: name, metres, at_end });
    }
    let side = side_of(path);
    Directions { stretches, side, length_m: path.length_m }
}

/// One leg of a route in words: from a placed stop to the next placed one.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Leg {
    pub from: String,
    pub to: String,
    pub directions: Directions,
    /// The way back after the last stop (to the route's `back_to`), not a leg to a stop of the route.
    #[serde(default)]
    pub back: bool,
}

#[cfg(feature = "walk")]
/// The whole route in words, leg by leg, between its stops that have a position (a stop whose place is
/// not known is left out of the way, as on the map).
pub fn route_directions(pack: &crate::pack::Pack, net: &Network, route: &crate::pack::Route) -> Vec<Leg> {
    super::route_path(pack, net, route).words
}

#[cfg(feature = "walk")]
/// The heading (radians, counter-clockwise from east) of the first 25 m of `points`, or with `end` of the
/// last 25 m: the way a street goes, not the kink of its last vertex.
fn heading(points: &[Xy], end: bool) -> f64 {
    let ordered: Vec<Xy> = if end { points.iter().rev().copied().collect() } else { points.to_vec() };
    let first = ordered.first().copied().unwrap_or_default();
    let mut along = 0.0;
    let mut far = first;
    for pair in ordered.windows(2) {
        along += pair[0].dist(pair[1]);
        far = pair[1];
        if along >= 25.0 {
            break;
        }
    }
    let (from, to) = if end { (far, first) } else { (first, far) };
    (to.y - from.y).atan2(to.x - from.x)
}

#[cfg(feature = "walk")]
/// A roundabout or a crossing with a name of its own, passed rather than followed.
fn is_junction(name: Option<&str>, metres: f64) -> bool {
    let lower = name.unwrap_or_default().to_lowercase();
    metres < 80.0 && ["giratoire", "rond-point", "carrefour"].iter().any(|k| lower.starts_with(k))
}

#[cfg(feature = "walk")]
/// The turn from heading `before` to heading `after` (radians, counter-clockwise from east).
fn turn_of(before: f64, after: f64) -> Turn {
    let mut a = (after - before).to_degrees();
    while a > 180.0 {
        a -= 360.0;
    }
    while a <= -180.0 {
        a += 360.0;
    }
    match a {
        a if a.abs() < 35.0 => Turn::Straight,
        a if a.abs() > 150.0 => Turn::Back,
        a if a > 0.0 => Turn::Left,
        _ => Turn::Right,
    }
}

#[cfg(feature = "walk")]
/// Which side the stop stands on, from the last stretch of street walked: the path's last point is the
/// stop, the one before it where the street comes nearest.
fn side_of(path: &WalkPath) -> Side {
    let n = path.points.len();
    if n < 3 {
        return Side::Ahead;
    }
    let (stop, on_street) = (path.points[n - 1], path.points[n - 2]);
    let Some(&before) = path.points[..n - 2].iter().rev().find(|p| p.dist(on_street) > 1.0) else {
        return Side::Ahead;
    };
    if stop.dist(on_street) < 8.0 {
        return Side::Ahead;
    }
    let (dx, dy) = (on_street.x - before.x, on_street.y - before.y);
    let (sx, sy) = (stop.x - on_street.x, stop.y - on_street.y);
    if dx * sy - dy * sx > 0.0 { Side::Left } else { Side::Right }
}

/// A distance as people say it: to 10 m under 100 m, to 50 m under 1 km, then in km to one decimal
/// ("1,2 km" in French: the decimal mark is the message files').
pub fn spoken_metres(m: f64, lang: &str) -> String {
    let w = parcours_i18n::Lang::from_tag(lang).words();
    match m {
        m if m < 100.0 => w.distance_m(&(((m / 10.0).round() * 10.0).max(10.0) as u32)),
        m if m < 1000.0 => w.distance_m(&(((m / 50.0).round() * 50.0) as u32)),
        m => w.distance_km(&format!("{:.1}", m / 1000.0).replace('.', w.decimal_mark())),
    }
}

/// Whole minutes to walk `walk_s` seconds, at least one: what a person is told.
pub fn walk_minutes(walk_s: f64) -> u32 {
    (walk_s / 60.0).ceil().max(1.0) as u32
}

/// "350 m, 5 min à pied": a distance and the time to walk it, as the map's card says them.
pub fn on_foot(distance_m: f64, walk_s: f64, lang: &str) -> String {
    parcours_i18n::Lang::from_tag(lang).words().walk_distance(&spoken_metres(distance_m, lang), &walk_minutes(walk_s))
}

/// A street as `lang` says it in the way in words: in French with the article of its kind ("l'avenue
/// de Sainte-Croix", "la rue Albert Camus", "le chemin de Mounédé"; the message files hold which kind
/// takes which article); a way with no name is `way-unnamed`.
fn street_said(street: Option<&str>, w: &parcours_i18n::Words) -> String {
    let Some(street) = street else { return w.way_unnamed().to_owned() };
    let (kind, rest) = street.split_once(' ').unwrap_or((street, ""));
    let lower = kind.to_lowercase();
    let name = if rest.is_empty() { lower } else { format!("{lower} {rest}") };
    w.way_street(&crate::text::fold(kind), &name, &street)
}

/// The way in one or two sentences, in `lang` (the words and their order are the message files').
pub fn say(d: &Directions, lang: &str) -> String {
    let w = parcours_i18n::Lang::from_tag(lang).words();
    let mut parts = Vec::new();
    for s in &d.stretches {
        let far = spoken_metres(s.metres, lang);
        let street = street_said(s.street.as_deref(), w);
        let turn = match s.turn {
            Turn::Start => w.way_start(&street, &far),
            Turn::Straight => w.way_straight(&street, &far),
            Turn::Left => w.way_left(&street, &far),
            Turn::Right => w.way_right(&street, &far),
            Turn::Back => w.way_back(&street, &far),
        };
        parts.push(if s.at_end && matches!(s.turn, Turn::Left | Turn::Right) { w.way_at_end(&turn) } else { turn });
    }
    let end = match d.side {
        Side::Ahead => w.way_ahead(),
        Side::Left => w.way_on_left(),
        Side::Right => w.way_on_right(),
    };
    if parts.is_empty() {
        return w.way_only_end(&capitalise(end));
    }
    w.way_sentence(&parts.join(w.way_then()), &end)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

#[cfg(all(test, feature = "walk"))]
mod tests {
    use super::*;

    /// Streets on a small grid around (43.5°N, −1.47°E): 1 m ≈ 1/111,000° of latitude.
    fn net() -> Network {
        let p = |x: f64, y: f64| [-1.47 + x / 80_700.0, 43.5 + y / 111_100.0];
        let line = |name: &str, pts: &[(f64, f64)]| (name.to_owned(), pts.iter().map(|&(x, y)| p(x, y)).collect());
        Network::from_named_lines(&[
            // East along the avenue for 300 m, then the allée goes north from its end.
            line("Avenue de Sainte-Croix", &[(0.0, 0.0), (150.0, 0.0), (300.0, 0.0)]),
            line("Allée Marcel Breuer", &[(300.0, 0.0), (300.0, 120.0)]),
            line("Rue Albert Camus", &[(300.0, 0.0), (300.0, -200.0)]),
        ])
        .expect("a network")
    }

    fn at(net: &Network, x: f64, y: f64) -> Xy {
        let [lon, lat] = [-1.47 + x / 80_700.0, 43.5 + y / 111_100.0];
        net.to_xy(lat, lon)
    }

    #[test]
    fn a_walk_is_told_street_by_street_with_its_turn_and_the_side_of_the_stop() {
        let net = net();
        // From the avenue's start to a stop 15 m east of the allée, 100 m up it.
        let path = net.route(at(&net, 5.0, 0.0), at(&net, 315.0, 100.0)).expect("a path");
        let d = directions(&net, &path);
        let streets: Vec<_> = d.stretches.iter().map(|s| (s.turn, s.street.as_deref())).collect();
        assert_eq!(
            streets,
            [(Turn::Start, Some("Avenue de Sainte-Croix")), (Turn::Left, Some("Allée Marcel Breuer"))],
            "{d:?}"
        );
        assert_eq!(d.side, Side::Right);
        assert_eq!(
            say(&d, "fr"),
            "Prenez l'avenue de Sainte-Croix sur 300\u{a0}m, puis au bout de la rue, tournez à gauche dans l'allée Marcel Breuer sur 100\u{a0}m\u{202f}; l'étape est à droite."
        );
        assert_eq!(
            say(&d, "en"),
            "Take Avenue de Sainte-Croix for 300\u{a0}m, then at the end of the street, turn left into Allée Marcel Breuer for 100\u{a0}m; the stop is on your right."
        );
    }

    #[test]
    fn a_right_turn_and_a_stop_on_the_left() {
        let net = net();
        // Walking south, east is on the left.
        let path = net.route(at(&net, 5.0, 0.0), at(&net, 315.0, -150.0)).expect("a path");
        let d = directions(&net, &path);
        assert_eq!(
            d.stretches.last().map(|s| (s.turn, s.street.as_deref())),
            Some((Turn::Right, Some("Rue Albert Camus")))
        );
        assert_eq!(d.side, Side::Left);
        assert!(
            say(&d, "fr")
                .contains("tournez à droite dans la rue Albert Camus sur 150\u{a0}m\u{202f}; l'étape est à gauche.")
        );
    }

    #[test]
    fn the_end_of_the_street_is_said_only_where_the_street_ends() {
        let p = |x: f64, y: f64| [-1.47 + x / 80_700.0, 43.5 + y / 111_100.0];
        let line = |name: &str, pts: &[(f64, f64)]| (name.to_owned(), pts.iter().map(|&(x, y)| p(x, y)).collect());
        // The avenue goes on east past the allée.
        let net = Network::from_named_lines(&[
            line("Avenue de Sainte-Croix", &[(0.0, 0.0), (150.0, 0.0), (300.0, 0.0), (450.0, 0.0)]),
            line("Allée Marcel Breuer", &[(300.0, 0.0), (300.0, 120.0)]),
        ])
        .expect("a network");
        let path = net.route(at(&net, 5.0, 0.0), at(&net, 315.0, 100.0)).expect("a path");
        let d = directions(&net, &path);
        assert!(!d.stretches[1].at_end, "{d:?}");
        assert!(say(&d, "fr").contains("puis tournez à gauche dans l'allée Marcel Breuer"), "{}", say(&d, "fr"));
        // On the grid of the other tests the avenue stops at the allée.
        let grid = super::tests::net();
        let path = grid.route(at(&grid, 5.0, 0.0), at(&grid, 315.0, 100.0)).expect("a path");
        assert!(directions(&grid, &path).stretches[1].at_end);
    }

    #[test]
    fn distances_are_rounded_as_people_say_them() {
        assert_eq!(spoken_metres(4.0, "fr"), "10\u{a0}m");
        assert_eq!(spoken_metres(87.0, "fr"), "90\u{a0}m");
        assert_eq!(spoken_metres(263.0, "fr"), "250\u{a0}m");
        assert_eq!(spoken_metres(1240.0, "fr"), "1,2\u{a0}km");
        assert_eq!(spoken_metres(1240.0, "en"), "1.2\u{a0}km");
    }

    #[test]
    fn street_names_take_their_french_article() {
        let (fr, en) = (parcours_i18n::Lang::Fr.words(), parcours_i18n::Lang::En.words());
        assert_eq!(street_said(Some("Avenue de Sainte-Croix"), fr), "l'avenue de Sainte-Croix");
        assert_eq!(street_said(Some("Rue Albert Camus"), fr), "la rue Albert Camus");
        assert_eq!(street_said(Some("Chemin de Mounédé"), fr), "le chemin de Mounédé");
        assert_eq!(street_said(Some("Allée Marcel Breuer"), fr), "l'allée Marcel Breuer");
        assert_eq!(street_said(Some("Fronton de Sainte-Croix"), fr), "Fronton de Sainte-Croix");
        assert_eq!(street_said(None, fr), "le chemin");
        assert_eq!(street_said(Some("Allée Marcel Breuer"), en), "Allée Marcel Breuer");
    }
}
