//! The command layer's fuzz target `visit_check`: a visit file from someone else, as a phone gets it
//! (a file picked, a link, "Open with"), through `App::visit_check`, kept with `visit_keep`, then every
//! command of the contract over it. Refused, it names the file and the app stays on its own visit;
//! offered, it is kept under an id, opened, and every command answers (a value or an error, never a
//! panic); the app's own visit is still there and opens, and the file never took its place.
//!
//! Compiled by the fuzz crate and by commands/tests/it/fuzz_replay.rs (with `seed.rs`).

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use parcours_commands::{App, Content, Host, Input, Settings, open_users};
use parcours_core::pack::bounds;
use parcours_core::wire::{AppError, COMMANDS, IdArgs, NoArgs, OutFile, Placement, RawFile};
use serde_json::{Value, json};

use super::seed::{PACK_NAME, mutated, real, scratch};

/// The app's own visit, under its own name (the file fuzzed is `PACK_NAME`).
const OWN: &str = "bayonne-2024.parcours";

/// A device whose clock reads the morning of the visit, keeping no file it is asked to save.
struct FuzzHost;

impl Host for FuzzHost {
    fn now_utc(&self) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 10, 3, 8, 30, 0).single().expect("a time")
    }

    fn local_time(&self, utc: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
        parcours_core::schedule::local_time(utc, zone)
    }

    fn new_device_id(&self) -> String {
        "f0220001".into()
    }

    fn free_bytes(&self) -> Option<u64> {
        Some(1 << 30)
    }

    fn save_file(&self, file: &OutFile) -> Result<String, AppError> {
        Ok(file.name.clone())
    }
}

/// The seeds: the real file as it is, and with a few bytes changed in its content pages.
pub fn seeds() -> Vec<Vec<u8>> {
    vec![Vec::new(), [0x00, 0x20, 0, 0, b'x', 0x10, 0x30, 0, 0, b'#'].to_vec()]
}

pub fn visit_check(data: &[u8]) {
    let bytes = mutated(data);
    let dir = scratch();
    let own = Content::from_bytes(OWN, &real().file);
    let app = App::new(FuzzHost, Settings::default(), own, open_users(Some(dir.path())));
    let offer = match app.visit_check(RawFile { name: Some(PACK_NAME.into()), bytes }) {
        Ok(offer) => offer,
        Err(e) => {
            assert!(e.message.contains(PACK_NAME), "a refusal that does not name the file: {}", e.message);
            assert!(app.visit_pending(NoArgs {}).expect("pending").is_none(), "a refused file waits");
            return;
        }
    };
    assert!(bounds::is_slug(&offer.visit.id), "kept under an id that is not one: {:?}", offer.visit.id);
    let own_id = real().pack.pack.id.as_str();
    if offer.visit.id == own_id {
        // Only the very visit: the app's own is unsigned, nothing else may take its id.
        assert_eq!(offer.placement, Placement::Same, "a file took the app's own visit's place: {offer:?}");
    }
    let opened = app.visit_keep(NoArgs {}).expect("an offered visit is kept");
    assert!(opened.visit.current && opened.visit.id == offer.visit.id);
    let pack = app.pack(NoArgs {}).expect("the visit kept opens");
    // Every command over it: first with no arguments, then with the visit's own routes, stops and
    // workshops. Each answers; none panics.
    let mut calls: Vec<(&str, Value)> = COMMANDS.iter().map(|name| (*name, json!({}))).collect();
    calls.push(("search", json!({ "query": "a", "lang": null })));
    calls.push(("booklet", json!({ "lang": "fr", "url": "https://example.org/" })));
    for route in &pack.routes {
        let id = route.id.as_str();
        calls.push(("walk_plan", json!({ "route": id })));
        calls.push(("run_sheet", json!({ "route": id })));
        calls.push(("follow_start", json!({ "route": id, "restart": true, "simulated": false })));
        for stop in route.stops.iter().filter_map(|s| pack.stop(s)).filter_map(|s| s.position.as_ref()) {
            let fix = json!({ "lat": stop.lat, "lon": stop.lon, "accuracy_m": 8.0, "time": null });
            calls.push(("follow_fix", json!({ "route": id, "fix": fix })));
        }
    }
    for stop in pack.stops.iter().take(3) {
        calls.push(("stop_photo", json!({ "stop": stop.id.as_str() })));
        calls.push(("note_set", json!({ "stop": stop.id.as_str(), "text": "note" })));
    }
    for workshop in pack.workshops.iter().take(2) {
        calls.push(("worksheet_new", json!({ "workshop": workshop.id.as_str() })));
    }
    calls.push(("worksheets", json!({})));
    for (name, args) in calls {
        // `erase_data` and a hand-over would change what the next ones see; they are called too.
        let _ = app.dispatch(name, Input::Json(args));
    }
    // The app's own visit is still there, as it was, and opens.
    let listed = app.visits(NoArgs {}).expect("the visits");
    assert!(listed.iter().any(|v| v.id == own_id && v.bundled && !v.beside), "the app's own visit is gone: {listed:?}");
    app.visit_switch(IdArgs { id: own_id.into() }).expect("the app's own visit opens");
    assert_eq!(app.pack(NoArgs {}).expect("its pack").event.title, real().pack.event.title);
}
