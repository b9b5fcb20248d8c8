//! The map's layers (`map/*.geojson`), each checked to be GeoJSON around the visit.

use std::collections::BTreeMap;

use super::{Doc, Loader};
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn map(&mut self) -> Option<Vec<MapLayer>> {
        let (raw, doc) = self.toml::<raw::MapToml>("map.toml")?;
        let mut seen = BTreeMap::new();
        let mut layers = Vec::new();
        let mut complete = true;
        for layer in &raw.layers {
            let line = doc.line(layer.span());
            let l = layer.get_ref();
            let id = self.id(&doc, &l.id, "layer", &mut seen);
            let kind = self.required(&doc, &l.kind, "kind");
            let attribution = self.required(&doc, &l.attribution, "attribution");
            let licence = self.required(&doc, &l.licence, "licence");
            let source = self.required(&doc, &l.source, "source");
            if licence.contains("ODbL") && !attribution.contains("OpenStreetMap") {
                self.at(&doc, &l.attribution, "ODbL map data must be shown with \"© OpenStreetMap contributors\"");
            }
            let file = l.file.get_ref().clone();
            match self.geojson(&file, &doc, line) {
                Some(geojson) => layers.push(MapLayer { id, kind, attribution, licence, source, geojson }),
                None => complete = false,
            }
        }
        complete.then_some(layers)
    }

    /// A GeoJSON FeatureCollection whose coordinates are all valid WGS 84 longitudes/latitudes.
    pub(super) fn geojson(&mut self, path: &str, wanted_by: &Doc, line: u32) -> Option<serde_json::Value> {
        let (text, doc) = self.text_file(path, Some((wanted_by, line, "map layer")))?;
        if text.len() > super::bounds::MAX_MAP_BYTES {
            let most = super::bounds::MAX_MAP_BYTES;
            self.problem(
                &doc,
                1,
                format!("a map layer of {} bytes, at most {most}: cut it to the visit's area", text.len()),
            );
            return None;
        }
        let value: serde_json::Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            Err(error) => {
                let line = u32::try_from(error.line()).unwrap_or(1);
                self.problem(&doc, line, format!("not valid JSON: {error}"));
                return None;
            }
        };
        let collection = match serde_json::from_value::<geojson::FeatureCollection>(value.clone()) {
            Ok(collection) => collection,
            Err(error) => {
                self.problem(&doc, 1, format!("not a GeoJSON FeatureCollection: {error}"));
                return None;
            }
        };
        let mut ok = true;
        for (n, feature) in collection.features.iter().enumerate() {
            let mut bad = None;
            if let Some(geometry) = &feature.geometry {
                visit_positions(&geometry.value, &mut |p| {
                    let (lon, lat) = (p.first().copied().unwrap_or(f64::NAN), p.get(1).copied().unwrap_or(f64::NAN));
                    if bad.is_none() && !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
                        bad = Some((lon, lat));
                    }
                });
            }
            if let Some((lon, lat)) = bad {
                ok = false;
                self.problem(
                    &doc,
                    1,
                    format!(
                        "feature {} has a position [{lon}, {lat}] outside longitude -180..180 / latitude -90..90",
                        n + 1
                    ),
                );
            }
        }
        ok.then_some(value)
    }
}

fn visit_positions(value: &geojson::GeometryValue, f: &mut impl FnMut(&[f64])) {
    use geojson::GeometryValue as V;
    match value {
        V::Point { coordinates } => f(coordinates.as_slice()),
        V::MultiPoint { coordinates } | V::LineString { coordinates } => {
            coordinates.iter().for_each(|p| f(p.as_slice()));
        }
        V::MultiLineString { coordinates } | V::Polygon { coordinates } => {
            coordinates.iter().flatten().for_each(|p| f(p.as_slice()));
        }
        V::MultiPolygon { coordinates } => coordinates.iter().flatten().flatten().for_each(|p| f(p.as_slice())),
        V::GeometryCollection { geometries } => geometries.iter().for_each(|g| visit_positions(&g.value, f)),
    }
}
