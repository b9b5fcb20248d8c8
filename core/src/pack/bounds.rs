//! What any visit must keep to, however it came: checked on the model, so that a compiled pack from
//! someone else (whose SQLite tables can say anything) is held to the same rules as a source folder
//! before the app builds anything from it (file names from its id, a street grid from its extent).

use super::Pack;

/// A pack file bigger than this is refused before anything reads it (Bayonne's is 232 KiB; recordings
/// add a few MB at most).
pub const MAX_PACK_BYTES: u64 = 64 * 1024 * 1024;
/// The longest text a pack may hold (a stop's description is a few KB).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// The most programme items, workshops, initiatives or organisations of each kind (the booklet has
/// 16 initiatives; a city's bank of projects may list hundreds).
pub const MAX_ENTRIES: usize = 500;
/// The most stops of a visit: a real walk has 4 to 20; a heritage day's trail across a town, 50.
pub const MAX_STOPS: usize = 80;
/// The most routes: Bayonne has two groups; a big day, one per group of 15 to 25 people.
pub const MAX_ROUTES: usize = 8;
/// The most stops one route visits, and all routes together (each route entry is a zone and a
/// planned time to follow; the walking-distance work is per distinct stop, not per entry).
pub const MAX_ROUTE_STOPS: usize = 40;
pub const MAX_ROUTE_STOPS_ALL: usize = 160;
/// The most entries of a list inside one thing: a stop's speakers and facts, a workshop's questions,
/// the worksheet's objectives and columns, the key figures, a stop's recordings.
pub const MAX_LIST: usize = 30;
/// The most feasibility colours of the worksheet (the booklet has three).
pub const MAX_RATINGS: usize = 10;
/// The most map layers, and the most points in all of them: Bayonne's neighbourhood has 1,717; a
/// whole town centre of 5 km × 5 km, every walkable way, about 100,000. Each point is a street node
/// the walk's distance fields (12 bytes a node, one per stop reached) are computed over.
pub const MAX_MAP_LAYERS: usize = 10;
pub const MAX_MAP_POINTS: usize = 150_000;
/// The longest map layer, as GeoJSON text, checked before it is parsed (150,000 points written with
/// seven decimals and a street's name take about 6 MB; a parsed point takes about 100 bytes).
pub const MAX_MAP_BYTES: usize = 8 * 1024 * 1024;
/// How far apart (in degrees of latitude or longitude) the visit's places and streets may be: a
/// neighbourhood walk, with room for a city (0.5° is about 55 km north–south).
pub const MAX_EXTENT_DEG: f64 = 0.5;

/// The widest a stop's position may be uncertain, in metres: its arrival zone is that wide.
pub const MAX_ACCURACY_M: f64 = 2000.0;

/// Whether `text` is an id: `a-z`, `0-9` and `-`, not starting or ending with `-`, at most 64.
pub fn is_slug(text: &str) -> bool {
    let mut chars = text.chars();
    text.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.ends_with('-')
}

/// Whether `text` is a colour written `#rrggbb` (lower case), the only way a colour from a visit
/// reaches a style, an SVG attribute or the map.
pub fn is_colour(text: &str) -> bool {
    text.len() == 7
        && text.starts_with('#')
        && text[1..].chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

/// Every rule [`check`] finds broken, one sentence each; empty when the visit keeps to them.
pub fn problems(pack: &Pack) -> Vec<String> {
    let mut found = Vec::new();
    let info = &pack.pack;
    if !is_slug(&info.id) {
        found.push(format!("its id {:?} is not made of a-z, 0-9 and -", short(&info.id)));
    }
    if info.languages.is_empty()
        || info.languages.len() > 10
        || info.languages.iter().any(|l| !(2..=3).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_lowercase()))
    {
        found.push("its language list is not one to ten codes such as \"fr\"".to_owned());
    }
    if !(0.3..=3.0).contains(&info.walking_speed_m_s) {
        found.push(format!("its walking speed {} m/s is not a walking speed", info.walking_speed_m_s));
    }
    let route_stops = |r: &crate::pack::Route| r.stops.len() + usize::from(r.back_to.is_some());
    let mut counts = vec![
        ("stops", pack.stops.len(), MAX_STOPS),
        ("programme items", pack.timetable.len(), MAX_ENTRIES),
        ("routes", pack.routes.len(), MAX_ROUTES),
        ("stops on its routes in all", pack.routes.iter().map(route_stops).sum(), MAX_ROUTE_STOPS_ALL),
        ("workshops", pack.workshops.len(), MAX_ENTRIES),
        ("initiatives", pack.initiatives.len(), MAX_ENTRIES),
        ("organisations", pack.event.organisations.len(), MAX_ENTRIES),
        ("key figures", pack.event.key_figures.len(), MAX_LIST),
        ("map layers", pack.map.len(), MAX_MAP_LAYERS),
    ];
    let lists = pack
        .routes
        .iter()
        .map(|r| ("stops on one route", route_stops(r), MAX_ROUTE_STOPS))
        .chain(pack.stops.iter().flat_map(|s| {
            [
                ("speakers at one stop", s.speakers.len(), MAX_LIST),
                ("facts at one stop", s.facts.len(), MAX_LIST),
                ("recordings at one stop", s.audio.len(), MAX_LIST),
            ]
        }))
        .chain(pack.workshops.iter().map(|w| ("questions in one workshop", w.more_questions.len() + 1, MAX_LIST)));
    counts.extend(lists);
    let sheet = &pack.worksheet;
    counts.push(("worksheet objectives", sheet.objectives.len(), MAX_LIST));
    counts.push(("worksheet columns", sheet.columns.len(), MAX_LIST));
    counts.push(("worksheet colours", sheet.ratings.len(), MAX_RATINGS));
    // Said once for each kind of list too long.
    let mut said = std::collections::BTreeSet::new();
    for (what, n, most) in counts {
        if n > most && said.insert(what) {
            found.push(format!("it has {n} {what}, at most {most}"));
        }
    }
    let ids = pack
        .stops
        .iter()
        .map(|s| s.id.as_str())
        .chain(pack.routes.iter().map(|r| r.id.as_str()))
        .chain(pack.timetable.iter().map(|i| i.id.as_str()))
        .chain(pack.workshops.iter().map(|w| w.id.as_str()))
        .chain(pack.initiatives.iter().map(|i| i.id.as_str()))
        .chain(pack.event.organisations.iter().map(|o| o.id.as_str()))
        .chain(pack.map.iter().map(|m| m.id.as_str()))
        .chain(pack.worksheet.columns.iter().map(|c| c.id.as_str()))
        .chain(pack.worksheet.ratings.iter().map(|r| r.id.as_str()));
    for id in ids {
        if !is_slug(id) {
            found.push(format!("the id {:?} is not made of a-z, 0-9 and -", short(id)));
        }
    }
    // What reaches a style, an SVG attribute or the map's options: a colour and nothing else.
    let colours = pack
        .routes
        .iter()
        .map(|r| (format!("route {:?}", short(r.id.as_str())), &r.colour))
        .chain(pack.worksheet.ratings.iter().map(|r| (format!("colour {:?}", short(&r.id)), &r.colour)));
    for (whose, colour) in colours {
        if !is_colour(colour) {
            found.push(format!("{whose} has a colour {:?} that is not written #rrggbb", short(colour)));
        }
    }
    for route in &pack.routes {
        let symbol = route.symbol.chars().count();
        if !(1..=2).contains(&symbol) || route.symbol.chars().any(char::is_control) {
            found.push(format!("route {:?} has a mark that is not one or two characters", route.id.as_str()));
        }
        for stop in &route.stops {
            if pack.stop(stop).is_none() {
                found.push(format!(
                    "route {:?} names a stop it does not have: {:?}",
                    route.id.as_str(),
                    short(stop.as_str())
                ));
            }
        }
        if let Some(back) = &route.back_to
            && pack.stop(back).is_none()
        {
            found.push(format!("route {:?} walks back to a stop it does not have", route.id.as_str()));
        }
        if route.schedule.iter().map(|v| &v.stop).ne(route.stops.iter()) {
            found.push(format!("route {:?} has a schedule that is not its stops", route.id.as_str()));
        }
    }
    for initiative in &pack.initiatives {
        if pack.workshop(&initiative.workshop).is_none() {
            found.push(format!("initiative {:?} names a workshop it does not have", initiative.id.as_str()));
        }
    }
    for stop in &pack.stops {
        if let Some(p) = &stop.position
            && !(0.0..=MAX_ACCURACY_M).contains(&p.accuracy_m)
        {
            found.push(format!(
                "stop {:?} has a position accurate to {} m, not a distance from 0 to {MAX_ACCURACY_M} m",
                stop.id.as_str(),
                p.accuracy_m
            ));
        }
        for audio in &stop.audio {
            if !matches!(audio.mime.as_str(), "audio/mpeg" | "audio/mp4") || !info.languages.contains(&audio.lang) {
                found.push(format!("stop {:?} has a recording of an unknown kind or language", stop.id.as_str()));
            }
        }
        if let Some(photo) = &stop.photo {
            let side = super::MAX_PHOTO_SIDE;
            if !matches!(photo.mime.as_str(), "image/jpeg" | "image/png" | "image/webp")
                || !(1..=side).contains(&photo.width)
                || !(1..=side).contains(&photo.height)
                || photo.bytes > super::MAX_PHOTO_BYTES
            {
                found.push(format!("stop {:?} has a photo of an unknown kind or size", stop.id.as_str()));
            }
        }
    }
    // Every place: the stops and every coordinate of the map, in range and close together.
    let mut places = Vec::new();
    for layer in &pack.map {
        coordinates(&layer.geojson, &mut places);
    }
    if places.len() > MAX_MAP_POINTS {
        found.push(format!("its map has {} points, at most {MAX_MAP_POINTS}", places.len()));
    }
    places.extend(pack.stops.iter().filter_map(|s| s.position.as_ref()).map(|p| (p.lat, p.lon)));
    if let Some(&(lat, lon)) =
        places.iter().find(|(lat, lon)| !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lon))
    {
        found.push(format!("a place lies outside the Earth's coordinates ({lat}, {lon})"));
    } else if !places.is_empty() {
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(lat, lon) in &places {
            (lat0, lat1, lon0, lon1) = (lat0.min(lat), lat1.max(lat), lon0.min(lon), lon1.max(lon));
        }
        if lat1 - lat0 > MAX_EXTENT_DEG || lon1 - lon0 > MAX_EXTENT_DEG {
            found.push(format!(
                "its places and streets spread over {:.2}° × {:.2}°, more than the {MAX_EXTENT_DEG}° of a visit on foot",
                lat1 - lat0,
                lon1 - lon0
            ));
        }
    }
    if let Some(len) = longest_text(pack).filter(|n| *n > MAX_TEXT_BYTES) {
        found.push(format!("it holds a text of {len} bytes, at most {MAX_TEXT_BYTES}"));
    }
    found
}

/// The first few characters of a value from the file, for a message.
fn short(text: &str) -> String {
    text.chars().take(40).collect()
}

/// `[lon, lat]` positions anywhere in a GeoJSON value, as `(lat, lon)`.
fn coordinates(value: &serde_json::Value, out: &mut Vec<(f64, f64)>) {
    match value {
        serde_json::Value::Array(items) => {
            if let [lon, lat, ..] = items.as_slice()
                && let (Some(lon), Some(lat)) = (lon.as_f64(), lat.as_f64())
            {
                out.push((lat, lon));
                return;
            }
            items.iter().for_each(|v| coordinates(v, out));
        }
        serde_json::Value::Object(map) => {
            if let Some(c) = map.get("coordinates") {
                coordinates(c, out);
            }
            for key in ["features", "geometry", "geometries"] {
                if let Some(v) = map.get(key) {
                    coordinates(v, out);
                }
            }
        }
        _ => {}
    }
}

/// The length of the longest text of the visit (localized texts, names, the map's strings).
fn longest_text(pack: &Pack) -> Option<usize> {
    fn walk(value: &serde_json::Value, longest: &mut usize) {
        match value {
            serde_json::Value::String(s) => *longest = (*longest).max(s.len()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, longest)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| {
                *longest = (*longest).max(k.len());
                walk(v, longest);
            }),
            _ => {}
        }
    }
    let value = serde_json::to_value(pack).ok()?;
    let mut longest = 0;
    walk(&value, &mut longest);
    Some(longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("college-albert-camus") && is_slug("a1"));
        assert!(!is_slug("") && !is_slug("-a") && !is_slug("a-") && !is_slug("A") && !is_slug("../x"));
        assert!(!is_slug(&"a".repeat(65)));
    }

    #[test]
    fn colours() {
        assert!(is_colour("#1a7f37") && is_colour("#000000"));
        for bad in ["#1A7F37", "1a7f37", "#1a7f3", "#1a7f37\"", "red", "#000\"/><style>", "#ééé", ""] {
            assert!(!is_colour(bad), "{bad}");
        }
    }
}
