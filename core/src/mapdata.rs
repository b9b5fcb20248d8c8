//! Streets from OpenStreetMap for a pack's street layer (`map/streets.geojson`): an export of the
//! area — OSM XML (openstreetmap.org's "Export" button, or any extract cut to the area) or GeoJSON
//! (overpass-turbo's "Export → GeoJSON") — cleaned and joined into the lines the walking engine reads.
//!
//! Cleaned: only ways people walk on (`highway` of the kinds in [`WALKABLE`], not `foot=no`, not
//! private), cut to the box (the runs of vertices inside it), tags reduced to the name and the kind.
//! Joined: vertices less than [`JOIN_M`] apart become one (OSM ways share their nodes already;
//! GeoJSON from other tools may be off by a few centimetres), so lines meet where streets meet.
//!
//! The file is someone else's: at most [`MAX_BYTES`], at most [`MAX_VERTICES`] vertices, and any
//! unreadable part refused with its line. Pure: bytes in, text out.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

/// The largest export read.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;
/// The most nodes (OSM XML) or vertices (GeoJSON) read.
pub const MAX_VERTICES: usize = 5_000_000;
/// The most ways read from an export (a city's export holds tens of thousands).
pub const MAX_WAYS: usize = 1_000_000;
/// The tags of a way that are kept while reading: the street's name and what says who may walk it.
const KEPT_TAGS: &[&str] = &["highway", "name", "foot", "access"];
/// The largest box: 0.2° a side, some 15–20 km (a neighbourhood is a few hundred metres).
pub const MAX_BOX_DEG: f64 = 0.2;
/// Vertices closer than this are one.
pub const JOIN_M: f64 = 0.5;

/// The `highway` kinds people walk on (OpenStreetMap's values). Not motorways, trunk roads, roads
/// under construction or only planned.
pub const WALKABLE: [&str; 21] = [
    "footway",
    "pedestrian",
    "path",
    "steps",
    "living_street",
    "residential",
    "service",
    "unclassified",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "track",
    "cycleway",
    "road",
    "bridleway",
    "corridor",
    "crossing",
    "elevator",
];

/// A box in degrees: west, south, east, north (the order of OpenStreetMap's and overpass-turbo's).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Bbox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bbox {
    /// `W,S,E,N` in degrees, e.g. `-1.4623,43.4937,-1.4437,43.5071`.
    pub fn parse(text: &str) -> Result<Bbox, ImportError> {
        let bad = |why: &str| {
            ImportError::Bbox(format!(
                "{text}: {why}; give west,south,east,north in degrees, e.g. -1.4623,43.4937,-1.4437,43.5071"
            ))
        };
        let numbers: Vec<f64> = text
            .split(',')
            .map(|n| n.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad("not four numbers"))?;
        let [west, south, east, north] = numbers[..] else { return Err(bad("not four numbers")) };
        if !(numbers.iter().all(|n| n.is_finite())
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north))
        {
            return Err(bad("not a place on Earth"));
        }
        if west >= east || south >= north {
            return Err(bad("west must be less than east, and south less than north"));
        }
        if east - west > MAX_BOX_DEG || north - south > MAX_BOX_DEG {
            return Err(bad(&format!("larger than {MAX_BOX_DEG}° a side (a neighbourhood is a few hundredths)")));
        }
        Ok(Bbox { west, south, east, north })
    }

    /// The part of the segment `a`–`b` (`[lon, lat]`) inside the box (Liang–Barsky), if any.
    fn clip(&self, a: [f64; 2], b: [f64; 2]) -> Option<([f64; 2], [f64; 2])> {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in
            [(-dx, a[0] - self.west), (dx, self.east - a[0]), (-dy, a[1] - self.south), (dy, self.north - a[1])]
        {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        if t0 > t1 {
            return None;
        }
        let at = |t: f64| {
            if t == 0.0 {
                a
            } else if t == 1.0 {
                b
            } else {
                [a[0] + t * dx, a[1] + t * dy]
            }
        };
        Some((at(t0), at(t1)))
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImportError {
    #[error("--bbox {0}")]
    Bbox(String),
    #[error("{name}: larger than {} MiB", MAX_BYTES / 1024 / 1024)]
    TooBig { name: String },
    #[error("{name}: more than {MAX_VERTICES} points; export a smaller area")]
    TooManyPoints { name: String },
    #[error("{name}: more than {MAX_WAYS} ways; export a smaller area")]
    TooManyWays { name: String },
    #[error("{name}: neither OpenStreetMap XML (<osm …>) nor GeoJSON ({{\"type\": \"FeatureCollection\" …}})")]
    Unknown { name: String },
    #[error("{name}:{line}: {reason}")]
    Unreadable { name: String, line: usize, reason: String },
    #[error("{name}: no street people walk on inside the box ({ways} ways read, {walkable} walkable, none inside)")]
    NoStreets { name: String, ways: usize, walkable: usize },
}

/// The street layer made, and what was done.
#[derive(Debug)]
pub struct Imported {
    /// A GeoJSON FeatureCollection of LineStrings, `properties`: `name` (if any), `highway`, `osm_id`.
    pub geojson: String,
    pub lines: usize,
    pub vertices: usize,
    /// Ways read, and those left out as not walked on.
    pub ways: usize,
    pub not_walkable: usize,
    /// Vertices moved onto a neighbour less than [`JOIN_M`] away.
    pub joined: usize,
    /// The network they make: its pieces, and the crossings and bends of the largest against all.
    pub pieces: usize,
    pub kept_nodes: usize,
    pub nodes: usize,
}

/// A way as read: its tags that matter and its points `[lon, lat]` in order.
struct Way {
    id: String,
    highway: Option<String>,
    name: Option<String>,
    points: Vec<[f64; 2]>,
    walkable: bool,
}

fn walkable(highway: Option<&str>, tag: impl Fn(&str) -> Option<String>) -> bool {
    let foot = tag("foot");
    if matches!(foot.as_deref(), Some("no" | "private")) {
        return false;
    }
    let allowed = matches!(foot.as_deref(), Some("yes" | "designated" | "permissive"));
    if !allowed && matches!(tag("access").as_deref(), Some("no" | "private")) {
        return false;
    }
    highway.is_some_and(|h| WALKABLE.contains(&h))
}

/// The street layer of the walkable ways of `bytes` (an export named `name`) inside `bbox`.
pub fn import(name: &str, bytes: &[u8], bbox: &Bbox) -> Result<Imported, ImportError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImportError::TooBig { name: name.to_owned() });
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace() && **b != 0xef && **b != 0xbb && **b != 0xbf);
    let ways = match first {
        Some(b'<') => osm_xml(name, bytes, (MAX_VERTICES, MAX_WAYS))?,
        Some(b'{') => geojson(name, bytes)?,
        _ => return Err(ImportError::Unknown { name: name.to_owned() }),
    };
    let read = ways.len();
    let walkable_count = ways.iter().filter(|w| w.walkable).count();
    // Cut to the box: each segment clipped to it (a street leaving the box ends on its edge); the runs
    // of segments that follow each other are the lines. A point the export lacks breaks the line.
    let mut lines: Vec<(&Way, Vec<[f64; 2]>)> = Vec::new();
    for way in ways.iter().filter(|w| w.walkable) {
        let mut run: Vec<[f64; 2]> = Vec::new();
        for pair in way.points.windows(2) {
            let clipped = if pair.iter().all(|p| p[0].is_finite()) { bbox.clip(pair[0], pair[1]) } else { None };
            match clipped {
                Some((a, b)) => {
                    if run.last() != Some(&a) {
                        if run.len() >= 2 {
                            lines.push((way, std::mem::take(&mut run)));
                        }
                        run = vec![a];
                    }
                    if a != b {
                        run.push(b);
                    }
                }
                None => {
                    if run.len() >= 2 {
                        lines.push((way, std::mem::take(&mut run)));
                    }
                    run.clear();
                }
            }
        }
        if run.len() >= 2 {
            lines.push((way, run));
        }
    }
    if lines.is_empty() {
        return Err(ImportError::NoStreets { name: name.to_owned(), ways: read, walkable: walkable_count });
    }
    // Join: each vertex onto the first one kept within JOIN_M (a grid of about 1 m cells).
    let lat0 = (bbox.south + bbox.north) / 2.0;
    let (ky, kx) = (111_132.0, 111_320.0 * lat0.to_radians().cos());
    let cell = |p: [f64; 2]| ((p[0] * kx).floor() as i64, (p[1] * ky).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<[f64; 2]>> = HashMap::new();
    let mut joined = 0;
    let mut features = Vec::new();
    let mut vertices = 0;
    let mut out_lines: Vec<(String, Vec<[f64; 2]>)> = Vec::new();
    for (way, line) in &mut lines {
        for p in line.iter_mut() {
            let rounded = [(p[0] * 1e7).round() / 1e7, (p[1] * 1e7).round() / 1e7];
            let (cx, cy) = cell(rounded);
            let near = (cx - 1..=cx + 1)
                .flat_map(|x| (cy - 1..=cy + 1).map(move |y| (x, y)))
                .filter_map(|c| grid.get(&c))
                .flatten()
                .find(|q| ((q[0] - rounded[0]) * kx).hypot((q[1] - rounded[1]) * ky) < JOIN_M)
                .copied();
            *p = match near {
                Some(q) => {
                    if q != rounded {
                        joined += 1;
                    }
                    q
                }
                None => {
                    grid.entry((cx, cy)).or_default().push(rounded);
                    rounded
                }
            };
        }
        line.dedup();
        if line.len() < 2 {
            continue;
        }
        vertices += line.len();
        let mut properties = serde_json::Map::new();
        if let Some(n) = &way.name {
            properties.insert("name".into(), n.clone().into());
        }
        if let Some(h) = &way.highway {
            properties.insert("highway".into(), h.clone().into());
        }
        properties.insert("osm_id".into(), way.id.clone().into());
        out_lines.push((way.name.clone().unwrap_or_default(), line.clone()));
        features.push((
            (way.name.clone().unwrap_or_default(), way.id.clone()),
            json!({"type": "Feature", "properties": properties, "geometry": {"type": "LineString", "coordinates": line}}),
        ));
    }
    // A stable order (by name, then id): an import done again gives the same file.
    features.sort_by(|a, b| a.0.cmp(&b.0));
    let stats = crate::walk::Network::from_named_lines(&out_lines).map(|n| n.stats);
    let collection = json!({
        "type": "FeatureCollection",
        "features": features.into_iter().map(|(_, f)| f).collect::<Vec<_>>(),
    });
    Ok(Imported {
        geojson: format!("{}\n", collection),
        lines: out_lines.len(),
        vertices,
        ways: read,
        not_walkable: read - walkable_count,
        joined,
        pieces: stats.as_ref().map_or(0, |s| s.components),
        kept_nodes: stats.as_ref().map_or(0, |s| s.kept_nodes),
        nodes: stats.as_ref().map_or(0, |s| s.nodes),
    })
}

/// The line of byte `at` in `bytes`, from 1.
fn line_at(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Ways of an OpenStreetMap XML file (`<osm>`: `<node id lat lon>`, `<way id>` with `<nd ref>` and
/// `<tag k v>`). Relations are not read (streets are ways).
/// `most`: the points and the ways read before the file is refused.
fn osm_xml(name: &str, bytes: &[u8], most: (usize, usize)) -> Result<Vec<Way>, ImportError> {
    use quick_xml::events::{BytesStart, Event};
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let unreadable = |at: u64, reason: String| ImportError::Unreadable {
        name: name.to_owned(),
        line: line_at(bytes, at as usize),
        reason,
    };
    let attr = |e: &BytesStart<'_>, key: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
            .map(|v| v.into_owned())
    };
    let mut nodes: HashMap<i64, [f64; 2]> = HashMap::new();
    let mut raw: Vec<(String, Vec<i64>, BTreeMap<String, String>)> = Vec::new();
    let mut current: Option<(String, Vec<i64>, BTreeMap<String, String>)> = None;
    let mut seen_osm = false;
    let mut buf = Vec::new();
    // Every `<nd>` and every `<way>`, counted as read: what is kept stays bounded whatever the file.
    let (mut refs_read, mut ways_read) = (0usize, 0usize);
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event_into(&mut buf).map_err(|e| unreadable(at, e.to_string()))?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if e.name().as_ref() == "way" {
                    raw.extend(current.take());
                }
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        {
            {
                match e.name().as_ref() {
                    "osm" => seen_osm = true,
                    "node" => {
                        let (Some(id), Some(lat), Some(lon)) = (attr(&e, "id"), attr(&e, "lat"), attr(&e, "lon"))
                        else {
                            return Err(unreadable(at, "a <node> without id, lat and lon".into()));
                        };
                        let parsed = (id.parse::<i64>(), lat.parse::<f64>(), lon.parse::<f64>());
                        let (Ok(id), Ok(lat), Ok(lon)) = parsed else {
                            return Err(unreadable(at, format!("a <node> with id {id:?}, lat {lat:?}, lon {lon:?}")));
                        };
                        if !(lat.abs() <= 90.0 && lon.abs() <= 180.0) {
                            return Err(unreadable(at, format!("node {id}: lat {lat}, lon {lon} is not on Earth")));
                        }
                        if nodes.len() >= MAX_VERTICES {
                            return Err(ImportError::TooManyPoints { name: name.to_owned() });
                        }
                        nodes.insert(id, [lon, lat]);
                    }
                    "way" => {
                        ways_read += 1;
                        if ways_read > most.1 {
                            return Err(ImportError::TooManyWays { name: name.to_owned() });
                        }
                        let id = attr(&e, "id").unwrap_or_default();
                        current = Some((id, Vec::new(), BTreeMap::new()));
                    }
                    "nd" => {
                        if let Some((_, refs, _)) = current.as_mut() {
                            let r = attr(&e, "ref").and_then(|r| r.parse::<i64>().ok());
                            let Some(r) = r else { return Err(unreadable(at, "an <nd> without a ref".into())) };
                            refs_read += 1;
                            if refs_read > most.0 {
                                return Err(ImportError::TooManyPoints { name: name.to_owned() });
                            }
                            refs.push(r);
                        }
                    }
                    "tag" => {
                        if let (Some((_, _, tags)), Some(k), Some(v)) = (current.as_mut(), attr(&e, "k"), attr(&e, "v"))
                            && KEPT_TAGS.contains(&k.as_str())
                        {
                            tags.insert(k, v);
                        }
                    }
                    _ => {}
                }
                // `<way …/>` with nothing inside ends at once.
                if empty && e.name().as_ref() == "way" {
                    raw.extend(current.take());
                }
            }
        }
        buf.clear();
    }
    if !seen_osm {
        return Err(ImportError::Unknown { name: name.to_owned() });
    }
    let mut points_read = 0usize;
    let mut ways = Vec::with_capacity(raw.len());
    for (id, refs, tags) in raw {
        points_read += refs.len();
        if points_read > MAX_VERTICES {
            return Err(ImportError::TooManyPoints { name: name.to_owned() });
        }
        let highway = tags.get("highway").cloned();
        let walkable = walkable(highway.as_deref(), |k| tags.get(k).cloned());
        // A node the export does not hold (cut at its edge): the line stops there.
        let points = refs.iter().map(|r| nodes.get(r).copied().unwrap_or([f64::NAN, f64::NAN])).collect();
        let name = tags.get("name").map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        ways.push(Way { id: format!("way/{id}"), name, highway, points, walkable });
    }
    Ok(ways)
}

/// Ways of a GeoJSON FeatureCollection: LineStrings and MultiLineStrings, their tags in `properties`
/// (overpass-turbo's export). A file with no `highway` at all (drawn by hand) is taken whole.
fn geojson(name: &str, bytes: &[u8]) -> Result<Vec<Way>, ImportError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| ImportError::Unreadable {
        name: name.to_owned(),
        line: e.line(),
        reason: e.to_string(),
    })?;
    let Some(features) = value.get("features").and_then(|f| f.as_array()) else {
        return Err(ImportError::Unknown { name: name.to_owned() });
    };
    let tagged = features.iter().any(|f| f.pointer("/properties/highway").is_some());
    let mut ways = Vec::new();
    let mut points_read = 0usize;
    for (n, feature) in features.iter().enumerate() {
        let props = feature.get("properties");
        let tag = |k: &str| {
            props
                .and_then(|p| p.get(k))
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let highway = tag("highway");
        let walkable = if tagged { walkable(highway.as_deref(), tag) } else { true };
        let id = tag("@id")
            .or_else(|| tag("osm_id"))
            .or_else(|| tag("id"))
            .or_else(|| feature.get("id").and_then(|i| i.as_str()).map(str::to_owned));
        let id = id.unwrap_or_else(|| format!("feature/{}", n + 1));
        let geometry = feature.get("geometry");
        let coords = geometry.and_then(|g| g.get("coordinates"));
        let parts: Vec<&serde_json::Value> = match geometry.and_then(|g| g.get("type")).and_then(|t| t.as_str()) {
            Some("LineString") => coords.into_iter().collect(),
            Some("MultiLineString") => coords.and_then(|c| c.as_array()).into_iter().flatten().collect(),
            _ => continue,
        };
        for part in parts {
            let points: Vec<[f64; 2]> = part
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| match (p.get(0).and_then(|v| v.as_f64()), p.get(1).and_then(|v| v.as_f64())) {
                    (Some(lon), Some(lat)) if lon.abs() <= 180.0 && lat.abs() <= 90.0 => [lon, lat],
                    _ => [f64::NAN, f64::NAN],
                })
                .collect();
            points_read += points.len();
            if points_read > MAX_VERTICES {
                return Err(ImportError::TooManyPoints { name: name.to_owned() });
            }
            ways.push(Way { id: id.clone(), name: tag("name"), highway: highway.clone(), points, walkable });
        }
    }
    Ok(ways)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ways_and_their_points_are_counted_as_they_are_read() {
        let file = |ways: usize, refs: usize| {
            let way = format!("<way id=\"1\">{}<tag k=\"highway\" v=\"path\"/></way>", "<nd ref=\"1\"/>".repeat(refs));
            format!("<osm><node id=\"1\" lat=\"43.5\" lon=\"-1.45\"/>{}</osm>", way.repeat(ways))
        };
        let most = (100, 10);
        assert_eq!(osm_xml("a.osm", file(10, 10).as_bytes(), most).map(|w| w.len()), Ok(10));
        let many = osm_xml("b.osm", file(11, 1).as_bytes(), most);
        assert_eq!(many.map(|w| w.len()), Err(ImportError::TooManyWays { name: "b.osm".into() }));
        let long = osm_xml("c.osm", file(3, 34).as_bytes(), most);
        assert_eq!(long.map(|w| w.len()), Err(ImportError::TooManyPoints { name: "c.osm".into() }));
    }
}
