//! What each fuzz target asserts. Compiled twice: by the fuzz crate (`cargo xtask fuzz`, libFuzzer),
//! and by the workspace's tests, which replay the seeds, the corpora and the regressions kept in git
//! (core/tests/it/fuzz_replay.rs). Every check asserts more than "no panic": a round trip, a bound on
//! what comes out, or that a refused input changed nothing.
//!
//! The seeds are drawn from the real Bayonne pack (its source, its file, codes and files made from its
//! worksheet form, a walk along its green route), so the fuzzer starts from what the app really reads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use parcours_core::export::trace::{MAX_GPX_POINTS, read_gpx, write_gpx};
use parcours_core::handover::{self, Assembler, HandoverError, MAX_INFLATED, PREFIX};
use parcours_core::pack::{Pack, bounds, load};
use parcours_core::store::{PackFile, UserDb, build_pack_file};
use parcours_core::userdata::{ExportedWorksheet, UserData};
use parcours_core::walk::Fix;
use parcours_core::walk::network::Network;
use parcours_core::worksheet::WorksheetDoc;

use super::seed::{PACK_NAME, mutated, real, scratch, source_dir};

/// The targets, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: &[&str] =
    &["qr_image", "handover_text", "user_data", "pack_file", "pack_source", "gpx_trace", "map_import"];

/// This device's id in the user-data target.
const MY_DEVICE: &str = "d0d00001";
const MY_SHEET: &str = "d0d00001-1";
const TIMEZONE: &str = "Europe/Paris";

/// The pack as the interface sees it (the recordings are read on demand, not compared).
fn as_value(pack: &Pack) -> serde_json::Value {
    serde_json::to_value(pack).expect("a pack serialises")
}

fn at(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 10, 3).and_then(|d| d.and_hms_opt(h, m, 0)).expect("a time")
}

/// A worksheet of the real form, filled.
fn sheet(id: &str, workshop: &str, text: &str) -> WorksheetDoc {
    let pack = &real().pack;
    let fields: BTreeMap<String, String> =
        pack.worksheet.columns.iter().map(|c| (c.id.clone(), format!("{text} ({})", c.id))).collect();
    WorksheetDoc {
        id: id.into(),
        pack: pack.pack.id.clone(),
        workshop: workshop.into(),
        fields,
        rating: pack.worksheet.ratings.first().map(|r| r.id.clone()),
        created_at: at(14, 0),
        updated_at: at(14, 30),
    }
}

// ---------------------------------------------------------------------------------------------------
// qr_image: a photo of codes (PNG, JPEG, or anything claiming to be one).

/// Any bytes: refused with a reason, or read into Parcours codes only, each no longer than a QR code
/// holds, which the assembler takes or refuses without panicking. Then the same bytes, as text drawn
/// into a clean code picture, read back as exactly that text (the reader finds what the app draws).
pub fn qr_image(data: &[u8]) {
    qr_image_read(data);
    qr_image_round_trip(data);
}

/// [`qr_image`]'s first half: any bytes read as a photo, refused or read into Parcours codes only; then
/// as a browser's pixels (RGBA: the first byte gives the width, the rest as many whole rows as it makes).
pub fn qr_image_read(data: &[u8]) {
    only_parcours_codes(handover::read_image(data));
    if let Some((&first, rest)) = data.split_first() {
        let width = usize::from(first) + 1;
        let height = rest.len() / 4 / width;
        only_parcours_codes(handover::read_pixels(width as u32, height as u32, &rest[..width * height * 4]));
    }
}

/// Codes read from a picture: Parcours codes only, which the assembler takes or refuses without
/// panicking; or a reason.
fn only_parcours_codes(read: Result<Vec<String>, HandoverError>) {
    match read {
        Ok(codes) => {
            let mut assembler = Assembler::new();
            for code in &codes {
                assert!(code.starts_with("PCR"), "a code that is not Parcours's was kept: {code:?}");
                assert!(code.len() <= 7089, "a code longer than a QR code holds: {}", code.len());
                let _ = assembler.add(code);
            }
            let _ = assembler.finish();
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// [`qr_image`]'s second half: the bytes as text, drawn into a clean code picture and read back.
pub fn qr_image_round_trip(data: &[u8]) {
    // Base45's alphabet, as in the codes the app draws.
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let text: String = std::iter::once(format!("{PREFIX}:1/1:"))
        .chain(data.iter().take(300).map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]).to_string()))
        .collect();
    let png = code_picture(&text);
    let read = handover::read_image(&png).expect("a clean code picture is read");
    assert_eq!(read, vec![text], "the code read is not the code drawn");
}

/// A PNG of one code: 4 pixels a module, a quiet zone of 4 modules.
pub fn code_picture(text: &str) -> Vec<u8> {
    let (width, modules) = handover::modules(text).expect("the text fits a code");
    let (scale, quiet) = (4u32, 4u32);
    let side = (width as u32 + 2 * quiet) * scale;
    let picture = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / scale).checked_sub(quiet), (y / scale).checked_sub(quiet));
        let dark = matches!((mx, my), (Some(mx), Some(my)) if (mx as usize) < width && (my as usize) < width
            && modules[my as usize * width + mx as usize]);
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut png = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("a PNG");
    png
}

// ---------------------------------------------------------------------------------------------------
// handover_text: the texts of a set of codes (one a line), as a camera or a paste gives them.

/// Decoded, or refused with a reason; what decodes stays within the inflate bound, and encodes back
/// into codes that decode into the same worksheets (the hand-over is lossless).
pub fn handover_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let codes: Vec<&str> = text.lines().collect();
    match handover::decode(&codes) {
        Ok(received) => {
            let size: usize =
                received.worksheets.iter().map(|w| w.fields.values().map(String::len).sum::<usize>()).sum();
            assert!(size <= MAX_INFLATED, "{size} bytes of fields from codes inflating to at most {MAX_INFLATED}");
            match handover::encode(&received.worksheets, received.device.as_deref()) {
                Ok(again) => assert_eq!(handover::decode(&again), Ok(received), "codes → worksheets → codes differ"),
                Err(HandoverError::TooLong { .. }) => {}
                Err(e) => panic!("decoded worksheets cannot be encoded again: {e}"),
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

// ---------------------------------------------------------------------------------------------------
// user_data: a worksheets file received from someone else (the project bank, a hand-over file).

/// Read or refused with a reason; what is read writes back to the same document; received into a
/// device that has its own worksheet and note, it never changes them (whatever ids and dates the file
/// claims), never stores anything dated beyond a day ahead, and a refused import changes nothing.
pub fn user_data(data: &[u8]) {
    let received = match UserData::parse(data) {
        Ok(received) => received,
        Err(e) => return assert!(!e.to_string().is_empty()),
    };
    let again = UserData::parse(received.to_json().as_bytes()).expect("a written user-data file reads back");
    assert_eq!(again, received, "user data → JSON → user data differs");

    let dir = scratch();
    let mut db = mine(dir.path());
    let now = at(15, 0);
    let before = db.export(None, None).expect("export");
    let my_sheet = db.worksheet(MY_SHEET).expect("read");
    let my_notes = db.notes(&real().pack.pack.id).expect("read");
    match db.import_received(&received, now) {
        Ok(report) => {
            let taken = report.added + report.updated + report.unchanged + report.refused;
            assert!(report.copies <= received.worksheets.len(), "{report:?}");
            assert!(
                taken <= received.worksheets.len() + received.notes.len() + received.corrections.len(),
                "{report:?}"
            );
        }
        Err(_) => assert_eq!(db.export(None, None).expect("export"), before, "a refused import changed the data"),
    }
    assert_eq!(db.worksheet(MY_SHEET).expect("read"), my_sheet, "a received file changed my worksheet");
    assert!(
        db.removed_worksheets(&real().pack.pack.id).expect("read").iter().all(|r| r.worksheet.id != MY_SHEET),
        "a received file removed my worksheet"
    );
    assert_eq!(db.notes(&real().pack.pack.id).expect("read"), my_notes, "a received file changed my notes");
    let after = db.export(None, None).expect("export");
    let ahead = now + chrono::Duration::days(1);
    for w in &after.worksheets {
        assert!(w.updated_at <= ahead && w.created_at <= ahead, "{} is dated {}", w.id, w.updated_at);
    }
}

/// A device's user database with its own worksheet and note.
fn mine(dir: &Path) -> UserDb {
    let mut db = UserDb::open(&dir.join("user.sqlite")).expect("a user database");
    db.set_setting("device", MY_DEVICE).expect("device");
    db.save_worksheet(&sheet(MY_SHEET, first_workshop(), "Ma fiche")).expect("my worksheet");
    let stop = real().pack.stops[0].id.as_str().to_owned();
    db.set_note(&real().pack.pack.id, &stop, "Ma note", at(11, 0)).expect("my note");
    db
}

fn first_workshop() -> &'static str {
    real().pack.workshops[0].id.as_str()
}

// ---------------------------------------------------------------------------------------------------
// pack_file: a compiled pack file from someone else, made from the real one.

/// The real pack file changed by the input: bytes set at offsets (5 bytes a change: offset, value), or,
/// when the input starts with `;`, by the SQL that follows (run by a plain SQLite that trusts the file,
/// as an attacker would). Opened from its bytes, it is refused naming the file, or it is a pack held to
/// the bounds, within the step budget, whose street network builds and whose routes have a finite
/// length, and which writes back into a file that opens as the same pack.
pub fn pack_file(data: &[u8]) {
    let bytes = match data.strip_prefix(b";") {
        Some(sql) => with_sql(&String::from_utf8_lossy(sql)),
        None => mutated(data),
    };
    let opened = match PackFile::from_bytes(PACK_NAME, &bytes) {
        Ok(opened) => opened,
        Err(e) => {
            let message = e.to_string();
            return assert!(message.contains(PACK_NAME), "a refusal that does not name the file: {message}");
        }
    };
    let pack = opened.pack();
    assert_eq!(bounds::problems(pack), Vec::<String>::new(), "an opened pack outside the bounds");
    assert!(opened.open_steps() <= parcours_core::store::MAX_OPEN_STEPS);
    held_to_use(pack);
    let dir = scratch();
    let path = dir.path().join(PACK_NAME);
    build_pack_file(pack, &path).expect("an opened pack writes back");
    let back = PackFile::open(&path).expect("a written pack opens");
    assert_eq!(as_value(back.pack()), as_value(pack), "pack → file → pack differs");
}

/// The real pack file after `sql` (SQLite's own limits keep the statement from running for ever).
fn with_sql(sql: &str) -> Vec<u8> {
    let dir = scratch();
    let path = dir.path().join(PACK_NAME);
    std::fs::write(&path, &real().file).expect("a copy");
    {
        let mut conn = rusqlite::Connection::open(&path).expect("a copy opens");
        let mut steps = 0u32;
        let _ = conn.progress_handler(
            1000,
            Some(move || {
                steps += 1;
                steps > 2000
            }),
        );
        conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, 4 * 1024 * 1024).ok();
        let _ = conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"));
    }
    std::fs::read(&path).expect("the copy")
}

/// What the app does with an opened pack at once: the street network, each route's path.
fn held_to_use(pack: &Pack) {
    if let Some(net) = Network::from_layers(&pack.map) {
        for route in &pack.routes {
            let path = parcours_core::walk::route_path(pack, &net, route);
            assert!(path.length_m.is_finite() && path.length_m >= 0.0, "{}: {} m", route.id.as_str(), path.length_m);
            assert!(path.legs.len() <= route.stops.len(), "more legs than stops");
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// pack_source: a pack's source folder, as an organiser (or anyone) writes it.

/// The real source with one file replaced by the input's rest (its first byte picks which; past the
/// last file, the rest is added as a new file). Refused with problems that each say which file and a
/// line within it, or a pack held to the bounds that compiles into a file opening as the same pack.
pub fn pack_source(data: &[u8]) {
    let Some((&pick, content)) = data.split_first() else { return };
    let mut source = real().source.clone();
    let paths: Vec<String> = source.paths().map(str::to_owned).collect();
    let path = paths.get(usize::from(pick)).cloned().unwrap_or_else(|| "texts/ajout.md".to_owned());
    source.insert(path, content.to_vec());
    match load(&source) {
        Ok(pack) => {
            assert_eq!(bounds::problems(&pack), Vec::<String>::new(), "a loaded pack outside the bounds");
            held_to_use(&pack);
            let dir = scratch();
            let file = dir.path().join(PACK_NAME);
            build_pack_file(&pack, &file).expect("a valid source compiles");
            let opened = PackFile::open(&file).expect("a compiled pack opens");
            assert_eq!(as_value(opened.pack()), as_value(&pack), "source → file → pack differs");
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without a reason");
            for p in &problems {
                assert!(!p.message.is_empty() && p.line >= 1, "{p:?}");
                if let Some(bytes) = source.get(&p.file) {
                    let lines = bytes.iter().filter(|b| **b == b'\n').count() + 1;
                    assert!(p.line as usize <= lines, "{}:{} but the file has {lines} lines", p.file, p.line);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// gpx_trace: a recorded walk (GPX) given to `parcours follow` or the rehearsal.

/// Read or refused with a reason; what is read has at most the point cap, places on Earth, and an
/// accuracy that is a distance; written back as GPX, it reads as the same fixes.
pub fn gpx_trace(data: &[u8]) {
    let points = match read_gpx(data, TIMEZONE) {
        Ok(points) => points,
        Err(e) => return assert!(!e.to_string().is_empty()),
    };
    assert!(!points.is_empty() && points.len() <= MAX_GPX_POINTS, "{} points", points.len());
    for p in &points {
        let Fix { lat, lon, accuracy_m, .. } = p.fix;
        assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon), "a place off Earth: {lat}, {lon}");
        assert!(accuracy_m.is_none_or(|a| a.is_finite() && a >= 0.0), "an accuracy of {accuracy_m:?} m");
    }
    let fixes: Vec<Fix> = points.iter().map(|p| p.fix).collect();
    let written = write_gpx(&fixes, TIMEZONE, "fuzz").expect("fixes read from GPX write back");
    let back: Vec<Fix> =
        read_gpx(written.as_bytes(), TIMEZONE).expect("written GPX reads").iter().map(|p| p.fix).collect();
    assert_eq!(back.len(), fixes.len());
    for (a, b) in fixes.iter().zip(&back) {
        assert_eq!((a.time, a.lat, a.lon), (b.time, b.lat, b.lon), "GPX → fixes → GPX differs");
        assert!(
            a.accuracy_m.zip(b.accuracy_m).is_none_or(|(x, y)| (x - y).abs() <= 1e-9 * x.max(1.0)),
            "accuracy {:?} came back as {:?}",
            a.accuracy_m,
            b.accuracy_m
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// map_import: an OpenStreetMap export given to `parcours map import`.

/// The Bayonne extract's box.
const MAP_BOX: &str = "-1.462295,43.493654,-1.443719,43.507129";

/// Refused with the file's name, or a street layer whose every point is inside the box with at least
/// two points a line, no two points of it closer than the join distance unless the same; imported
/// again, it gives itself (cleaning is done once).
pub fn map_import(data: &[u8]) {
    use parcours_core::mapdata::{Bbox, JOIN_M, import};
    let bbox = Bbox::parse(MAP_BOX).expect("the box");
    let made = match import("fuzz.osm", data, &bbox) {
        Ok(made) => made,
        Err(e) => return assert!(e.to_string().contains("fuzz.osm"), "{e}"),
    };
    let layer: serde_json::Value = serde_json::from_str(&made.geojson).expect("the layer is JSON");
    let features = layer["features"].as_array().expect("features");
    assert_eq!(features.len(), made.lines);
    let mut points: Vec<[f64; 2]> = Vec::new();
    for f in features {
        let line = f["geometry"]["coordinates"].as_array().expect("a line");
        assert!(line.len() >= 2, "a line of {} points", line.len());
        for p in line {
            let (lon, lat) = (p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat"));
            let inside = (bbox.west - 1e-7..=bbox.east + 1e-7).contains(&lon)
                && (bbox.south - 1e-7..=bbox.north + 1e-7).contains(&lat);
            assert!(inside, "a point outside the box: {lon}, {lat}");
            points.push([lon, lat]);
        }
    }
    points.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    points.dedup();
    if points.len() <= 2000 {
        let metres = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]) * 80_700.0).hypot((a[1] - b[1]) * 111_100.0);
        for (i, a) in points.iter().enumerate() {
            for b in &points[i + 1..] {
                assert!(metres(*a, *b) >= JOIN_M * 0.99, "two points {:.3} m apart: {a:?} {b:?}", metres(*a, *b));
            }
        }
    }
    let again = import("fuzz.geojson", made.geojson.as_bytes(), &bbox).expect("the layer imports again");
    assert!(
        again.geojson == made.geojson,
        "importing the layer again changes it ({} → {} bytes)",
        made.geojson.len(),
        again.geojson.len()
    );
}

// ---------------------------------------------------------------------------------------------------
// Seeds.

/// The inputs each target starts from, drawn from the real pack.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let real = real();
    let sheets = [sheet(MY_SHEET, first_workshop(), "Ma fiche"), sheet("b0b00002-4", first_workshop(), "Une autre")];
    let codes = handover::encode(&sheets, Some(MY_DEVICE)).expect("codes");
    match target {
        "qr_image" => vec![code_picture(&codes[0]), code_picture("PCR1:1/1:00000000:"), b"\x89PNG\r\n\x1a\n".to_vec()],
        "handover_text" => vec![codes.join("\n").into_bytes(), codes[0].clone().into_bytes()],
        "user_data" => {
            let dir = scratch();
            let mut db = mine(dir.path());
            db.save_worksheet(&sheets[1]).expect("a worksheet");
            let mut data = db.export(Some(at(16, 0)), None).expect("export");
            let own = data.clone().to_json().into_bytes();
            // My worksheet as it is, dated later, marked removed, in another visit.
            let mut removed = data.clone();
            let w = removed.worksheets.iter_mut().find(|w| w.id == MY_SHEET).expect("mine");
            (w.updated_at, w.removed_at, w.pack) = (at(23, 0), Some(at(23, 0)), "autre".into());
            // A crafted one: my worksheet's id with other words, dated later.
            data.worksheets
                .push(ExportedWorksheet { updated_at: at(23, 0), ..ExportedWorksheet::new(&sheets[1], None) });
            let w = data.worksheets.iter_mut().find(|w| w.id == MY_SHEET).expect("mine");
            w.fields.insert("idee".into(), "remplacée".into());
            vec![own, removed.to_json().into_bytes(), data.to_json().into_bytes()]
        }
        "pack_file" => vec![
            Vec::new(),
            b";UPDATE stops SET lat = lat + 0.001;".to_vec(),
            b";UPDATE map_layers SET geojson = replace(geojson, '1.4', '2.4');".to_vec(),
            b";UPDATE routes SET id = 'x' WHERE rowid = 1;".to_vec(),
            b";DELETE FROM route_stops WHERE rowid = 2;".to_vec(),
        ],
        "pack_source" => real
            .source
            .paths()
            .enumerate()
            .filter(|(_, p)| !p.ends_with(".mp3"))
            .filter_map(|(i, p)| Some([vec![u8::try_from(i).ok()?], real.source.get(p)?.to_vec()].concat()))
            .collect(),
        "gpx_trace" => {
            let net = Network::from_layers(&real.pack.map).expect("the real streets");
            let route = &real.pack.routes[0];
            let path = parcours_core::walk::route_path(&real.pack, &net, route);
            let fixes: Vec<Fix> = path
                .legs
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, [lat, lon])| Fix {
                    time: at(10, 0) + chrono::Duration::seconds(i as i64 * 3),
                    lat: *lat,
                    lon: *lon,
                    accuracy_m: Some(5.0 + (i % 7) as f64),
                })
                .collect();
            vec![write_gpx(&fixes, TIMEZONE, "vert").expect("GPX").into_bytes()]
        }
        "map_import" => {
            let streets = std::fs::read(source_dir().join("map/streets.geojson")).expect("the real streets");
            let small = "<osm><node id=\"1\" lat=\"43.5\" lon=\"-1.45\"/><node id=\"2\" lat=\"43.501\" lon=\"-1.451\"/><node id=\"3\" lat=\"43.6\" lon=\"-1.45\"/>\
                <way id=\"7\"><nd ref=\"1\"/><nd ref=\"2\"/><nd ref=\"3\"/><tag k=\"highway\" v=\"footway\"/><tag k=\"name\" v=\"Allée &amp; co\"/></way>\
                <way id=\"8\"><nd ref=\"2\"/><nd ref=\"1\"/><tag k=\"highway\" v=\"motorway\"/></way></osm>";
            vec![streets, small.as_bytes().to_vec()]
        }
        other => panic!("no fuzz target {other}"),
    }
}

/// With `PARCOURS_FUZZ_SEEDS=DIR`, writes `target`'s seeds into DIR (before libFuzzer reads it).
pub fn write_seeds(target: &str) {
    let Some(dir) = std::env::var_os("PARCOURS_FUZZ_SEEDS") else { return };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("the seeds folder");
    for (i, seed) in seeds(target).iter().enumerate() {
        std::fs::write(dir.join(format!("seed-{i:02}")), seed).expect("a seed");
    }
}

/// Runs `target`'s check on one input (the replay test's way in).
pub fn check(target: &str, data: &[u8]) {
    match target {
        "qr_image" => qr_image(data),
        "handover_text" => handover_text(data),
        "user_data" => user_data(data),
        "pack_file" => pack_file(data),
        "pack_source" => pack_source(data),
        "gpx_trace" => gpx_trace(data),
        "map_import" => map_import(data),
        other => panic!("no fuzz target {other}"),
    }
}
