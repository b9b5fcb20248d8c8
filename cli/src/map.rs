//! `parcours map import`: the street layer from an OpenStreetMap export.

use std::path::PathBuf;

use clap::Subcommand;

use crate::shared::*;

#[derive(Subcommand)]
pub enum MapCommand {
    /// The street layer (map/streets.geojson) from an export of the area from OpenStreetMap: OSM XML
    /// (openstreetmap.org → Export) or GeoJSON (overpass-turbo → Export). Keeps the ways people walk
    /// on, cut to the box, their vertices joined where streets meet.
    Import {
        /// The export (.osm or .geojson).
        file: PathBuf,
        /// The area: west,south,east,north in degrees (e.g. -1.4623,43.4937,-1.4437,43.5071).
        #[arg(long, allow_hyphen_values = true)]
        bbox: String,
        /// The GeoJSON file to write (e.g. ma-visite/map/streets.geojson).
        #[arg(short, long)]
        output: PathBuf,
    },
}

pub fn run(command: MapCommand) -> Outcome {
    let MapCommand::Import { file, bbox, output } = command;
    use parcours_core::mapdata;
    let problem = |e: mapdata::ImportError| Failure::Problems(vec![e.to_string()]);
    let bbox = mapdata::Bbox::parse(&bbox).map_err(problem)?;
    let bytes = read_bounded(&file, mapdata::MAX_BYTES)?;
    let name = file.display().to_string();
    let made = mapdata::import(&name, &bytes, &bbox).map_err(problem)?;
    // The folder `map/` of a new visit is made here.
    if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Failure::Problems(vec![format!("{}: {e}", dir.display())]))?;
    }
    write_file(&output, &made.geojson)?;
    let mut report = format!(
        "wrote {}: {} lines, {} points, from {} ways ({} not walked on, left out); {} points joined\n",
        output.display(),
        made.lines,
        made.vertices,
        made.ways,
        made.not_walkable,
        made.joined
    );
    if made.pieces > 1 {
        report.push_str(&format!(
            "the streets make {} pieces that do not meet; the largest holds {} of {} crossings and bends (the way is found on it only)\n",
            made.pieces, made.kept_nodes, made.nodes
        ));
    }
    report.push_str(&format!(
        "in map.toml:\n[[layer]]\nid = \"streets\"\nkind = \"streets\"\nfile = \"map/{}\"\nattribution = \"© OpenStreetMap contributors\"\nlicence = \"ODbL 1.0\"\nsource = \"OpenStreetMap ({}), cut to {},{},{},{}\"\n",
        output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        bbox.west,
        bbox.south,
        bbox.east,
        bbox.north
    ));
    out(&report)
}
