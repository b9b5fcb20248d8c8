//! The street layer from an OpenStreetMap export (`mapdata::import`): the real Bayonne extract, as
//! GeoJSON and as the same data in OSM XML, makes the network the pack walks on; what is not walked on
//! is left out; near vertices are joined; hostile files are refused with their line.

use std::path::PathBuf;

use parcours_core::mapdata::{Bbox, ImportError, import};
use parcours_core::walk::Network;

/// The box of the Bayonne extract (`../shared/geodata/PROVENANCE.md`).
const BOX: &str = "-1.462295,43.493654,-1.443719,43.507129";

fn extract() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024/map/streets.geojson");
    std::fs::read(path).unwrap()
}

fn lines_of(geojson: &str) -> Vec<(String, Vec<[f64; 2]>)> {
    let v: serde_json::Value = serde_json::from_str(geojson).unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["properties"]["name"].as_str().unwrap_or_default().to_owned();
            let pts = f["geometry"]["coordinates"].as_array().unwrap();
            (name, pts.iter().map(|p| [p[0].as_f64().unwrap(), p[1].as_f64().unwrap()]).collect())
        })
        .collect()
}

/// The same streets as an OSM XML export: one node per distinct vertex (shared where lines meet), one
/// way per line with `highway` and `name`; and `extra` ways after them.
fn as_osm_xml(geojson: &[u8], extra: &str) -> String {
    let v: serde_json::Value = serde_json::from_slice(geojson).unwrap();
    let mut ids: std::collections::HashMap<(i64, i64), usize> = std::collections::HashMap::new();
    let (mut nodes, mut ways) = (String::new(), String::new());
    for (n, f) in v["features"].as_array().unwrap().iter().enumerate() {
        let mut refs = String::new();
        for p in f["geometry"]["coordinates"].as_array().unwrap() {
            let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            let key = ((lon * 1e7).round() as i64, (lat * 1e7).round() as i64);
            let next = ids.len() + 1;
            let id = *ids.entry(key).or_insert_with(|| {
                nodes.push_str(&format!("  <node id=\"{next}\" lat=\"{lat}\" lon=\"{lon}\" version=\"1\"/>\n"));
                next
            });
            refs.push_str(&format!("    <nd ref=\"{id}\"/>\n"));
        }
        let name = f["properties"]["name"].as_str().unwrap_or_default().replace('&', "&amp;").replace('"', "&quot;");
        let name = if name.is_empty() { String::new() } else { format!("    <tag k=\"name\" v=\"{name}\"/>\n") };
        ways.push_str(&format!(
            "  <way id=\"{}\">\n{refs}    <tag k=\"highway\" v=\"residential\"/>\n{name}  </way>\n",
            n + 1
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"test\">\n  <bounds minlat=\"43.49\" minlon=\"-1.47\" maxlat=\"43.51\" maxlon=\"-1.44\"/>\n{nodes}{ways}{extra}</osm>\n"
    )
}

#[test]
fn the_real_extract_makes_the_network_the_pack_walks_on_from_geojson_and_from_osm_xml() {
    let bbox = Bbox::parse(BOX).unwrap();
    let pack = crate::real_pack();
    let walked = Network::from_layers(&pack.map).unwrap().stats;
    let from_geojson = import("streets.geojson", &extract(), &bbox).unwrap();
    let stats = Network::from_named_lines(&lines_of(&from_geojson.geojson)).unwrap().stats;
    // The same network, but for the vertices less than 50 cm from another, now one.
    assert!(from_geojson.joined <= 4, "{} joined", from_geojson.joined);
    assert_eq!(stats.nodes + from_geojson.joined, walked.nodes);
    assert_eq!(stats.components, walked.components);
    assert!(walked.kept_nodes - stats.kept_nodes <= from_geojson.joined);
    // OSM XML: with a motorway, a way closed to walkers and a private one, each left out; nodes outside
    // the box cut the line there.
    let extra = "  <node id=\"900001\" lat=\"43.5\" lon=\"-1.45\"/>\n  <node id=\"900002\" lat=\"43.501\" lon=\"-1.451\"/>\n  <node id=\"900003\" lat=\"44.5\" lon=\"-1.45\"/>\n\
        <way id=\"90001\"><nd ref=\"900001\"/><nd ref=\"900002\"/><tag k=\"highway\" v=\"motorway\"/></way>\n\
        <way id=\"90002\"><nd ref=\"900001\"/><nd ref=\"900002\"/><tag k=\"highway\" v=\"residential\"/><tag k=\"foot\" v=\"no\"/></way>\n\
        <way id=\"90003\"><nd ref=\"900001\"/><nd ref=\"900002\"/><tag k=\"highway\" v=\"service\"/><tag k=\"access\" v=\"private\"/></way>\n\
        <way id=\"90004\"><nd ref=\"900002\"/><nd ref=\"900003\"/><tag k=\"highway\" v=\"footway\"/></way>\n";
    let xml = as_osm_xml(&extract(), extra);
    let from_xml = import("bayonne.osm", xml.as_bytes(), &bbox).unwrap();
    assert_eq!(from_xml.not_walkable, 3);
    let xml_lines = lines_of(&from_xml.geojson);
    // The footway leaving the box: cut on its edge, a piece of its own.
    assert_eq!(xml_lines.len(), from_geojson.lines + 1);
    let edge =
        xml_lines.iter().find(|(_, l)| l.iter().any(|p| (p[1] - 43.507129).abs() < 1e-9)).map(|(_, l)| l.clone());
    assert!(
        edge.is_some_and(|l| l.len() == 2 && (l[0][0] - -1.451).abs() < 1e-9),
        "the footway not cut on the north edge"
    );
    let stats = Network::from_named_lines(&xml_lines).unwrap().stats;
    assert_eq!((stats.nodes, stats.components), (walked.nodes - from_geojson.joined + 2, walked.components + 1));
    // The names come through; the file is the same each time (a stable order).
    assert!(from_xml.geojson.contains("\"name\":\"Allée Marcel Breuer\""), "no Allée Marcel Breuer");
    assert_eq!(import("bayonne.osm", xml.as_bytes(), &bbox).unwrap().geojson, from_xml.geojson);
}

#[test]
fn lines_a_few_centimetres_apart_are_joined_two_metres_apart_not() {
    let bbox = Bbox::parse("-1.46,43.49,-1.44,43.51").unwrap();
    let file = |gap_deg: f64| {
        format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"highway":"residential","name":"Rue A"}},"geometry":{{"type":"LineString","coordinates":[[-1.455,43.50],[-1.450,43.50]]}}}},
            {{"type":"Feature","properties":{{"highway":"residential","name":"Rue B"}},"geometry":{{"type":"LineString","coordinates":[[{},43.50],[-1.450,43.505]]}}}},
            {{"type":"Feature","properties":{{"highway":"motorway"}},"geometry":{{"type":"LineString","coordinates":[[-1.455,43.49],[-1.450,43.49]]}}}},
            {{"type":"Feature","properties":{{"highway":"pedestrian","area":"yes"}},"geometry":{{"type":"Polygon","coordinates":[[[-1.45,43.5],[-1.449,43.5],[-1.449,43.501],[-1.45,43.5]]]}}}}
            ]}}"#,
            -1.450 + gap_deg
        )
    };
    // 1e-6° of longitude here is about 8 cm; 2.5e-5° about 2 m.
    let near = import("near.geojson", file(1e-6).as_bytes(), &bbox).unwrap();
    assert_eq!((near.lines, near.joined, near.pieces, near.not_walkable), (2, 1, 1, 1));
    let far = import("far.geojson", file(2.5e-5).as_bytes(), &bbox).unwrap();
    assert_eq!((far.joined, far.pieces), (0, 2));
}

#[test]
fn hostile_or_wrong_files_and_boxes_are_refused_with_the_reason() {
    let bbox = Bbox::parse(BOX).unwrap();
    let xml = as_osm_xml(&extract(), "");
    let cut = &xml.as_bytes()[..xml.len() / 2];
    let refused = |name: &str, bytes: &[u8]| import(name, bytes, &bbox).unwrap_err();
    match refused("coupé.osm", cut) {
        ImportError::Unreadable { name, line, .. } => assert!(name == "coupé.osm" && line > 1),
        other => panic!("{other:?}"),
    }
    assert!(matches!(refused("photo.jpg", b"\xff\xd8\xff\xe0 JFIF"), ImportError::Unknown { .. }));
    assert!(matches!(refused("autre.xml", b"<html><body>no</body></html>"), ImportError::Unknown { .. }));
    assert!(matches!(refused("vide.geojson", b"{\"type\":\"FeatureCollection\"}"), ImportError::Unknown { .. }));
    let broken = refused("cassé.geojson", b"{\"type\":\"FeatureCollection\",\n\"features\": [ {");
    assert!(matches!(broken, ImportError::Unreadable { line: 2, .. }), "{broken:?}");
    let off = b"<osm><node id=\"1\" lat=\"600\" lon=\"1\"/></osm>";
    assert!(refused("loin.osm", off).to_string().contains("not on Earth"));
    // Another town's export: nothing inside this box.
    let elsewhere = b"<osm><node id=\"1\" lat=\"48.85\" lon=\"2.35\"/><node id=\"2\" lat=\"48.851\" lon=\"2.351\"/><way id=\"1\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"residential\"/></way></osm>";
    assert!(refused("paris.osm", elsewhere).to_string().contains("no street people walk on inside the box"));
    // An entity defined in the file is not expanded (no "billion laughs").
    let laughs = b"<?xml version=\"1.0\"?><!DOCTYPE osm [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><osm><way id=\"1\"><tag k=\"name\" v=\"&b;\"/></way></osm>";
    assert!(import("rires.osm", laughs, &bbox).is_err());
    for bad in ["1,2,3", "-1.44,43.49,-1.46,43.51", "-1.46,43.49,-1.0,43.51", "a,b,c,d", "-200,43,-1,44"] {
        assert!(matches!(Bbox::parse(bad), Err(ImportError::Bbox(_))), "{bad}");
    }
}
