//! Exports of a pack into formats other tools read, each written with a maintained crate:
//! iCalendar ([`ics`], `icalendar`), GPX 1.1 ([`gpx`], `gpx`), GeoJSON RFC 7946 ([`geojson`], `geojson`),
//! and the paper booklet ([`booklet`], HTML to print, `maud`).
//!
//! Routes are drawn along the pack's streets (shortest walking paths between the stops whose position is
//! known; straight lines if the pack has no street data); stops without a position are listed but not
//! drawn. [`trace`] reads and writes recorded walks (GPX tracks).

pub mod booklet;
pub mod trace;
pub mod worksheets;

#[cfg(feature = "tz")]
use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
#[cfg(feature = "tz")]
use icalendar::{Calendar, CalendarDateTime, Component, EventLike};
use serde_json::json;

#[cfg(feature = "tz")]
use crate::pack::Hm;
use crate::pack::{Pack, Route, Stop};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no route \"{wanted}\" in this pack (routes: {known})")]
    UnknownRoute { wanted: String, known: String },
    #[error("time zone \"{0}\" is unknown")]
    UnknownTimezone(String),
    #[error("cannot write GPX: {0}")]
    Gpx(String),
}

impl ExportError {
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::UnknownRoute { .. } => "unknown_route",
            ExportError::UnknownTimezone(_) => "unknown_timezone",
            ExportError::Gpx(_) => "gpx",
        }
    }
}

fn route<'p>(pack: &'p Pack, id: &str) -> Result<&'p Route, ExportError> {
    pack.route(id).ok_or_else(|| ExportError::UnknownRoute {
        wanted: id.to_owned(),
        known: pack.routes.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(", "),
    })
}

/// The stops of `route` in visiting order, numbered from 1.
fn visits<'p>(pack: &'p Pack, route: &'p Route) -> impl Iterator<Item = (usize, &'p Stop)> {
    route.stops.iter().filter_map(|id| pack.stop(id)).enumerate().map(|(n, s)| (n + 1, s))
}

/// The timetable as an iCalendar document: one VEVENT per item, times in the event's time zone (with
/// its VTIMEZONE for that day). An item without an end lasts until the next item starts; the last one
/// is a moment. `dtstamp` is when the export is made (passed in: the core reads no clock).
#[cfg(feature = "tz")]
pub fn ics(pack: &Pack, lang: &str, dtstamp: DateTime<Utc>) -> Result<String, ExportError> {
    let event = &pack.event;
    let tz: chrono_tz::Tz = event.timezone.parse().map_err(|_| ExportError::UnknownTimezone(event.timezone.clone()))?;
    let at = |t: Hm| NaiveDateTime::new(event.date, t.to_naive_time());
    let mut calendar = Calendar::new();
    calendar.name(event.title.get(lang)).timezone(event.timezone.as_str());
    for (n, item) in pack.timetable.iter().enumerate() {
        let end = item.end.or_else(|| pack.timetable.get(n + 1).map(|next| next.start));
        let mut vevent = icalendar::Event::new();
        vevent
            .uid(&format!("{}.{}@parcours", item.id, pack.pack.id))
            .timestamp(dtstamp)
            .summary(item.title.get(lang))
            .starts(CalendarDateTime::WithTimezone { date_time: at(item.start), tzid: event.timezone.clone() });
        if let Some(end) = end {
            vevent.ends(CalendarDateTime::WithTimezone { date_time: at(end), tzid: event.timezone.clone() });
        }
        let place = item
            .place
            .as_ref()
            .map_or_else(|| format!("{}, {}", event.venue, event.address), |p| p.get(lang).to_owned());
        vevent.location(&place);
        if let Some(description) = &item.description {
            vevent.description(description.get(lang));
        }
        calendar.push(vevent.done());
    }
    let text = calendar.done().to_string();
    // The `icalendar` crate writes no VTIMEZONE (and would add UID/DTSTAMP to one, which RFC 5545
    // forbids there), so ours goes in front of the first event.
    let zone = vtimezone(tz, at(event.start))?;
    Ok(match text.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{zone}{}", &text[..at], &text[at..]),
        None => text,
    })
}

/// A VTIMEZONE valid for the event's day: the zone's offset and abbreviation on that day, from the IANA
/// database (RFC 5545 wants one per TZID used). Enough for a one-day event; not a full zone history.
#[cfg(feature = "tz")]
fn vtimezone(tz: chrono_tz::Tz, day: NaiveDateTime) -> Result<String, ExportError> {
    use chrono_tz::{OffsetComponents, OffsetName};
    let offset = tz
        .offset_from_local_datetime(&day)
        .earliest()
        .ok_or_else(|| ExportError::UnknownTimezone(tz.name().to_owned()))?;
    let seconds = offset.fix().local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let hhmm = format!("{sign}{:02}{:02}", seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    let kind = if offset.dst_offset().num_seconds() != 0 { "DAYLIGHT" } else { "STANDARD" };
    let abbreviation = offset.abbreviation().unwrap_or("");
    Ok(format!(
        "BEGIN:VTIMEZONE\r\nTZID:{}\r\nBEGIN:{kind}\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:{hhmm}\r\nTZOFFSETTO:{hhmm}\r\nTZNAME:{abbreviation}\r\nEND:{kind}\r\nEND:VTIMEZONE\r\n",
        tz.name()
    ))
}

/// A route as GPX 1.1: a waypoint per stop with a known position (named "N. stop", N in the route's
/// order) and a `rte` through them in visiting order.
pub fn gpx(pack: &Pack, route_id: &str, lang: &str) -> Result<String, ExportError> {
    let route = route(pack, route_id)?;
    let mut waypoints = Vec::new();
    let mut unplaced = Vec::new();
    for (n, stop) in visits(pack, route) {
        let Some(p) = &stop.position else {
            unplaced.push(format!("{n}. {}", stop.name));
            continue;
        };
        let mut waypoint = gpx::Waypoint::new(geo_types::Point::new(p.lon, p.lat));
        waypoint.name = Some(format!("{n}. {}", stop.name));
        waypoint.description =
            Some(format!("{} — ±{} m ({}) — {}", stop.theme.get(lang), p.accuracy_m, p.confidence.as_str(), p.source));
        waypoint.source = Some(p.licence.clone());
        waypoints.push(waypoint);
    }
    let mut description = format!("{} — {}", pack.event.title.get(lang), pack.event.date.format("%Y-%m-%d"));
    if !unplaced.is_empty() {
        description.push_str(&parcours_i18n::Lang::from_tag(lang).words().gpx_unplaced(&unplaced.join(", ")));
    }
    let rte = gpx::Route {
        name: Some(route.name.get(lang).to_owned()),
        description: Some(description.clone()),
        points: waypoints.clone(),
        ..gpx::Route::default()
    };
    let mut segment = gpx::TrackSegment::new();
    let network = crate::walk::Network::from_layers(&pack.map);
    for [lat, lon] in path_of(pack, network.as_ref(), route) {
        segment.points.push(gpx::Waypoint::new(geo_types::Point::new(lon, lat)));
    }
    let mut track = gpx::Track::new();
    track.name = Some(parcours_i18n::Lang::from_tag(lang).words().gpx_on_foot(&route.name.get(lang)));
    track.segments.push(segment);
    let doc = gpx::Gpx {
        version: gpx::GpxVersion::Gpx11,
        creator: Some("Parcours".to_owned()),
        metadata: Some(gpx::Metadata {
            name: Some(route.name.get(lang).to_owned()),
            description: Some(description),
            ..gpx::Metadata::default()
        }),
        waypoints,
        tracks: vec![track],
        routes: vec![rte],
    };
    let mut out = Vec::new();
    gpx::write(&doc, &mut out).map_err(|e| ExportError::Gpx(e.to_string()))?;
    String::from_utf8(out).map_err(|e| ExportError::Gpx(e.to_string()))
}

/// `[lat, lon]` points of a route's walking path: along the streets when there are any, else straight.
fn path_of(pack: &Pack, network: Option<&crate::walk::Network>, route: &Route) -> Vec<[f64; 2]> {
    if let Some(net) = network {
        let path = crate::walk::route_path(pack, net, route);
        let mut points: Vec<[f64; 2]> = Vec::new();
        for leg in path.legs {
            for p in leg {
                if points.last() != Some(&p) {
                    points.push(p);
                }
            }
        }
        if !points.is_empty() {
            return points;
        }
    }
    visits(pack, route).filter_map(|(_, s)| s.position.as_ref()).map(|p| [p.lat, p.lon]).collect()
}

/// Stops and routes as an RFC 7946 FeatureCollection: a Point per stop (null geometry where the position
/// is unknown) and a LineString per route through its placed stops, in visiting order.
pub fn geojson(pack: &Pack, lang: &str) -> String {
    let mut features = Vec::new();
    for stop in &pack.stops {
        let p = stop.position.as_ref();
        let properties = json!({
            "kind": "stop",
            "id": stop.id.as_str(),
            "name": stop.name,
            "theme": stop.theme.get(lang),
            "accuracy_m": p.map(|p| p.accuracy_m),
            "confidence": p.map(|p| p.confidence.as_str()),
            "source": p.map(|p| p.source.as_str()),
            "licence": p.map(|p| p.licence.as_str()),
        });
        features.push(geojson::Feature {
            geometry: p.map(|p| geojson::Geometry::new_point([p.lon, p.lat])),
            id: Some(geojson::feature::Id::String(stop.id.to_string())),
            properties: properties.as_object().cloned(),
            ..geojson::Feature::default()
        });
    }
    let network = crate::walk::Network::from_layers(&pack.map);
    for route in &pack.routes {
        let line: Vec<[f64; 2]> =
            path_of(pack, network.as_ref(), route).into_iter().map(|[lat, lon]| [lon, lat]).collect();
        let properties = json!({
            "kind": "route",
            "id": route.id.as_str(),
            "name": route.name.get(lang),
            "colour": route.colour,
            "stops": route.stops.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            "path": if network.is_some() { "streets" } else { "straight" },
        });
        features.push(geojson::Feature {
            geometry: (line.len() >= 2).then(|| geojson::Geometry::new_line_string(line)),
            id: Some(geojson::feature::Id::String(format!("route-{}", route.id))),
            properties: properties.as_object().cloned(),
            ..geojson::Feature::default()
        });
    }
    geojson::FeatureCollection { bbox: None, features, foreign_members: None }.to_string()
}

/// Stop positions recorded on site, as an RFC 7946 FeatureCollection for the organiser: one Point per
/// recording, with the stop's name, the accuracy, when, and how far it is from the pack's position.
pub fn corrections_geojson(pack: &Pack, corrections: &[crate::walk::Correction]) -> String {
    let features = corrections
        .iter()
        .map(|c| {
            let stop = pack.stops.iter().find(|s| s.id.as_str() == c.stop);
            let before = stop.and_then(|s| s.position.as_ref());
            let properties = json!({
                "kind": "recorded_position",
                "stop": c.stop,
                "name": stop.map(|s| s.name.as_str()),
                "accuracy_m": c.accuracy_m,
                "recorded_at": c.recorded_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                "timezone": pack.event.timezone,
                "pack": pack.pack.id,
                "pack_version": pack.pack.version,
                "pack_position": before.map(|p| json!({"lat": p.lat, "lon": p.lon, "accuracy_m": p.accuracy_m, "confidence": p.confidence.as_str()})),
                "moved_m": before.map(|p| (crate::walk::network::straight_m([p.lat, p.lon], [c.lat, c.lon]) * 10.0).round() / 10.0),
            });
            geojson::Feature {
                geometry: Some(geojson::Geometry::new_point([c.lon, c.lat])),
                id: Some(geojson::feature::Id::String(format!("{}-{}", c.stop, c.id))),
                properties: properties.as_object().cloned(),
                ..geojson::Feature::default()
            }
        })
        .collect();
    geojson::FeatureCollection { bbox: None, features, foreign_members: None }.to_string()
}
