//! `parcours map import`: the street layer from an OpenStreetMap export.

use std::path::Path;

use super::*;

#[test]
fn map_import_writes_the_street_layer_and_says_what_to_put_in_map_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let out_file = tmp.path().join("streets.geojson");
    let export = source_dir().join("map/streets.geojson");
    let bbox = "--bbox=-1.462295,43.493654,-1.443719,43.507129";
    let run = |file: &Path, bbox: &str| {
        parcours(&["map", "import", file.to_str().unwrap(), bbox, "-o", out_file.to_str().unwrap()])
    };
    let done = run(&export, bbox);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let said = text(&done.stdout);
    assert!(
        said.contains("pieces that do not meet") && said.contains("attribution = \"© OpenStreetMap contributors\""),
        "{said}"
    );
    let layer: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert!(layer["features"].as_array().is_some_and(|f| f.len() > 200));
    // Refused with the file's name or the box, exit 1, nothing written over.
    let before = std::fs::read(&out_file).unwrap();
    let photo = tmp.path().join("photo.jpg");
    std::fs::write(&photo, b"\xff\xd8\xff\xe0").unwrap();
    for (out, reason) in [
        (run(&photo, bbox), "photo.jpg: neither OpenStreetMap XML"),
        (run(&export, "--bbox=1,2,3"), "not four numbers"),
        (run(&tmp.path().join("absent.osm"), bbox), "absent.osm"),
    ] {
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains(reason), "{reason}: {}", text(&out.stderr));
    }
    assert_eq!(std::fs::read(&out_file).unwrap(), before);
}
