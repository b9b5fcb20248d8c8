//! What any visit must keep to, however it came: checked on the model, so that a compiled pack from
//! someone else (whose SQLite tables can say anything) is held to the same rules as a source folder
//! before the app builds anything from it (file names from its id, a street grid from its extent).

use super::Pack;

/// The longest text a pack may hold (a stop's description is a few KB).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;
/// The most stops, items, routes, workshops, initiatives or organisations of each kind.
pub const MAX_ENTRIES: usize = 500;
/// How far apart (in degrees of latitude or longitude) the visit's places and streets may be: a
/// neighbourhood walk, with room for a city (0.5° is about 55 km north–south).
pub const MAX_EXTENT_DEG: f64 = 0.5;

/// Whether `text` is an id: `a-z`, `0-9` and `-`, not starting or ending with `-`, at most 64.
pub fn is_slug(text: &str) -> bool {
    let mut chars = text.chars();
    text.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.ends_with('-')
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
    let counts = [
        ("stops", pack.stops.len()),
        ("programme items", pack.timetable.len()),
        ("routes", pack.routes.len()),
        ("workshops", pack.workshops.len()),
        ("initiatives", pack.initiatives.len()),
        ("organisations", pack.event.organisations.len()),
    ];
    for (what, n) in counts {
        if n > MAX_ENTRIES {
            found.push(format!("it has {n} {what}, at most {MAX_ENTRIES}"));
        }
    }
    let ids = pack
        .stops
        .iter()
        .map(|s| s.id.as_str())
        .chain(pack.routes.iter().map(|r| r.id.as_str()))
        .chain(pack.timetable.iter().map(|i| i.id.as_str()))
        .chain(pack.workshops.iter().map(|w| w.id.as_str()))
        .chain(pack.initiatives.iter().map(|i| i.id.as_str()));
    for id in ids {
        if !is_slug(id) {
            found.push(format!("the id {:?} is not made of a-z, 0-9 and -", short(id)));
        }
    }
    for route in &pack.routes {
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
    let mut places: Vec<(f64, f64)> =
        pack.stops.iter().filter_map(|s| s.position.as_ref()).map(|p| (p.lat, p.lon)).collect();
    for layer in &pack.map {
        coordinates(&layer.geojson, &mut places);
    }
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
}
