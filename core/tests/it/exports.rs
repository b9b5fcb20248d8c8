//! Exports are read back with the same crates that wrote them, and checked.

use chrono::TimeZone;
use icalendar::Component;
use parcours_core::export;

use super::real_pack;

#[test]
fn ics_has_one_event_per_item_in_paris_time() {
    let pack = real_pack();
    let stamp = chrono::Utc.with_ymd_and_hms(2024, 9, 1, 12, 0, 0).unwrap();
    let text = export::ics(&pack, "fr", stamp).unwrap();
    let calendar: icalendar::Calendar = text.parse().unwrap();
    let events: Vec<&icalendar::Event> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), pack.timetable.len());
    let first = events[0];
    assert_eq!(first.get_summary(), Some("Accueil café"));
    assert_eq!(first.property_value("DTSTART"), Some("20241003T090000"));
    assert!(text.contains("DTSTART;TZID=Europe/Paris:20241003T090000"));
    // The walk has its own end; the others end when the next one starts.
    assert!(text.contains("DTEND;TZID=Europe/Paris:20241003T114500"));
    assert!(text.contains("DTEND;TZID=Europe/Paris:20241003T092000"));
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:DAYLIGHT"), "October 3 is summer time");
    assert!(text.contains("TZOFFSETTO:+0200"));
    assert!(text.contains("DTSTAMP:20240901T120000Z"));
    let uids: std::collections::BTreeSet<_> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");
    // English texts on request.
    let en = export::ics(&pack, "en", stamp).unwrap();
    assert!(en.contains("SUMMARY:Welcome coffee"));
}

#[test]
fn gpx_holds_the_route_in_order() {
    let pack = real_pack();
    let text = export::gpx(&pack, "green", "fr").unwrap();
    let gpx = gpx::read(text.as_bytes()).unwrap();
    assert_eq!(gpx.version, gpx::GpxVersion::Gpx11);
    let names: Vec<&str> = gpx.waypoints.iter().filter_map(|w| w.name.as_deref()).collect();
    // The ESCM (stop 2 of the green route) has no known position: it is named, not drawn.
    assert_eq!(
        names,
        ["1. Collège Albert Camus", "3. Cyberbase de l'École Charles Malégarie", "4. Collectif Social Web"]
    );
    assert_eq!(gpx.routes.len(), 1);
    assert_eq!(gpx.routes[0].points.len(), 3);
    // The walking path along the streets, as a track.
    assert_eq!(gpx.tracks.len(), 1);
    assert!(gpx.tracks[0].segments[0].points.len() > 20);
    let first = gpx.routes[0].points[0].point();
    assert!((first.y() - 43.499360089811226).abs() < 1e-9 && (first.x() + 1.4534808198389901).abs() < 1e-9);
    assert!(gpx.metadata.unwrap().description.unwrap().contains("ESCM"));
    assert!(matches!(export::gpx(&pack, "blue", "fr"), Err(export::ExportError::UnknownRoute { .. })));
}

#[test]
fn geojson_holds_stops_and_routes() {
    let pack = real_pack();
    let collection: geojson::FeatureCollection = export::geojson(&pack, "fr").parse().unwrap();
    let stops: Vec<_> =
        collection.features.iter().filter(|f| f.property("kind").and_then(|k| k.as_str()) == Some("stop")).collect();
    assert_eq!(stops.len(), 4);
    let escm = stops.iter().find(|f| f.property("id").and_then(|v| v.as_str()) == Some("escm")).unwrap();
    assert!(escm.geometry.is_none(), "unknown position stays null");
    let pink = collection
        .features
        .iter()
        .find(|f| {
            f.property("id").and_then(|v| v.as_str()) == Some("pink")
                && f.property("kind").and_then(|k| k.as_str()) == Some("route")
        })
        .unwrap();
    match &pink.geometry.as_ref().unwrap().value {
        geojson::GeometryValue::LineString { coordinates } => {
            // Along the streets: many points, starting and ending at the first and last placed stops.
            assert!(coordinates.len() > 20, "{}", coordinates.len());
            let stop = |id: &str| pack.stop(&parcours_core::pack::StopId(id.into())).unwrap().position.clone().unwrap();
            let (first, last) = (stop("cyberbase-malegarie"), stop("college-albert-camus"));
            let near = |c: &[f64], lon: f64, lat: f64| (c[0] - lon).abs() < 1e-9 && (c[1] - lat).abs() < 1e-9;
            assert!(near(&coordinates.first().unwrap()[..], first.lon, first.lat));
            assert!(near(&coordinates.last().unwrap()[..], last.lon, last.lat));
        }
        other => panic!("route geometry is {other:?}"),
    }
    let order = pink.property("stops").unwrap().as_array().unwrap();
    assert_eq!(order[0], "cyberbase-malegarie");
    assert_eq!(order[3], "college-albert-camus");
}

#[test]
fn a_gpx_trace_too_big_is_refused_before_it_is_parsed() {
    use parcours_core::export::trace::{MAX_GPX_BYTES, TraceError, read_gpx};
    let big = vec![b' '; MAX_GPX_BYTES + 1];
    assert!(matches!(read_gpx(&big, "Europe/Paris"), Err(TraceError::TooBig(n)) if n == MAX_GPX_BYTES + 1));
    assert!(matches!(read_gpx(b"<gpx", "Europe/Paris"), Err(TraceError::Gpx(_))));
}
