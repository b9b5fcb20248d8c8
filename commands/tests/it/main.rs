//! The command layer, natively and without any shell: the real Bayonne pack compiled into a temporary
//! folder, a real user database, and a host of the tests' own (a clock they move, files written to a
//! folder, a device id they choose).
#![allow(clippy::unwrap_used, clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use parcours_commands::{App, Content, Host, Input, Settings, open_users};
use parcours_core::wire::{self, AppError, ErrorCode, OutFile};

mod deps;
mod fuzz_replay;
mod handover;
mod user;
mod visits;
mod walk;

/// The tests' host: a clock that moves only when told, files saved into `out`, a fixed free space.
pub struct TestHost {
    pub clock: Mutex<DateTime<Utc>>,
    pub out: PathBuf,
    pub free: Option<u64>,
    pub device: &'static str,
    pub replay: Option<PathBuf>,
    pub saved: Mutex<Vec<String>>,
}

impl TestHost {
    /// A host whose clock reads `utc`, saving files into `out`.
    pub fn at(utc: DateTime<Utc>, out: PathBuf) -> TestHost {
        TestHost {
            clock: Mutex::new(utc),
            out,
            free: Some(123_456_789),
            device: "cafe0001",
            replay: None,
            saved: Mutex::new(Vec::new()),
        }
    }

    pub fn advance(&self, seconds: i64) {
        let mut clock = self.clock.lock().unwrap();
        *clock += Duration::seconds(seconds);
    }
}

impl Host for TestHost {
    fn now_utc(&self) -> DateTime<Utc> {
        *self.clock.lock().unwrap()
    }

    fn local_time(&self, utc: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
        parcours_core::schedule::local_time(utc, zone)
    }

    fn new_device_id(&self) -> String {
        self.device.to_owned()
    }

    fn free_bytes(&self) -> Option<u64> {
        self.free
    }

    fn save_file(&self, file: &OutFile) -> Result<String, AppError> {
        std::fs::create_dir_all(&self.out).unwrap();
        let path = self.out.join(&file.name);
        std::fs::write(&path, &file.bytes).map_err(|e| AppError::new(ErrorCode::Io, e.to_string()))?;
        self.saved.lock().unwrap().push(file.mime.to_owned());
        Ok(path.display().to_string())
    }

    fn replay(&self) -> Option<(String, std::io::Result<Vec<u8>>)> {
        let path = self.replay.as_ref()?;
        Some((path.display().to_string(), std::fs::read(path)))
    }
}

/// The real Bayonne pack, compiled once per test binary.
pub fn real_pack() -> &'static Path {
    static PACK: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &PACK
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024");
            let (files, problems) = parcours_core::store::read_source(&source);
            assert!(problems.is_empty(), "{problems:?}");
            let pack = parcours_core::pack::load(&files).expect("valid pack");
            let out = dir.path().join("bayonne.parcours");
            parcours_core::store::build_pack_file(&pack, &out).expect("build");
            (dir, out)
        })
        .1
}

pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
}

/// A device: the app over the real pack and a user database in `dir/data`, files into `dir/out`, the
/// clock started at `now` (event time) — the host's own clock set at the same moment, UTC+2.
pub fn device(dir: &Path, now: &str) -> App<TestHost> {
    device_with(dir, now, |_| {})
}

pub fn device_with(dir: &Path, now: &str, tweak: impl FnOnce(&mut TestHost)) -> App<TestHost> {
    let utc = Utc.from_utc_datetime(&(at(now) - Duration::hours(2)));
    let mut host = TestHost::at(utc, dir.join("out"));
    tweak(&mut host);
    let users = open_users(Some(&dir.join("data")));
    App::new(host, Settings { now: None }, Content::open(real_pack()), users)
}

#[test]
fn the_real_clock_is_the_event_time_zones_and_a_fixed_start_runs_on() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T10:30");
    assert_eq!(app.now().unwrap(), at("2024-10-03T10:30"), "UTC 08:30 is 10:30 in Bayonne in October");
    let status = app.day_status(wire::NoArgs {}).unwrap();
    assert_eq!(status.current.map(|i| i.to_string()).as_deref(), Some("visite"));

    let host = TestHost::at(Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap(), dir.path().join("out"));
    let users = open_users(Some(&dir.path().join("data2")));
    let fixed = App::new(host, Settings { now: Some(at("2024-10-03T09:00")) }, Content::open(real_pack()), users);
    assert_eq!(fixed.now().unwrap(), at("2024-10-03T09:00"));
    fixed.host().advance(90);
    assert_eq!(fixed.now().unwrap(), at("2024-10-03T09:00") + Duration::seconds(90));
}

#[test]
fn dispatch_reads_arguments_of_the_contract_and_names_every_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T10:30");
    let json = |v: serde_json::Value| Input::Json(v);
    let pack: serde_json::Value =
        serde_json::from_str(&app.dispatch("pack", json(serde_json::json!({}))).unwrap()).unwrap();
    assert_eq!(pack["routes"][0]["id"], "green");
    let hits = app.dispatch("search", json(serde_json::json!({"query": "malegarie", "lang": "fr"}))).unwrap();
    assert!(hits.contains("cyberbase-malegarie"), "{hits}");

    let error = app.dispatch("no_such_command", json(serde_json::json!({}))).unwrap_err();
    assert_eq!(error.code, ErrorCode::UnknownCommand);
    let error = app.dispatch("search", json(serde_json::json!({"query": 3}))).unwrap_err();
    assert_eq!(error.code, ErrorCode::BadRequest, "{error}");
    let error = app.dispatch("walk_plan", Input::Raw(wire::RawFile::default())).unwrap_err();
    assert_eq!(error.code, ErrorCode::BadRequest);
    let error = app.dispatch("bank_import", json(serde_json::json!({}))).unwrap_err();
    assert_eq!(error.code, ErrorCode::BadRequest);
    // Every command of the contract is in the table: none answers "unknown command".
    for name in wire::COMMANDS {
        if let Err(e) = app.dispatch(name, json(serde_json::json!({}))) {
            assert_ne!(e.code, ErrorCode::UnknownCommand, "{name}");
        }
    }
}

#[test]
fn the_app_runs_as_well_on_a_pack_given_as_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(real_pack()).unwrap();
    let host = TestHost::at(Utc.with_ymd_and_hms(2024, 10, 3, 8, 30, 0).unwrap(), dir.path().join("out"));
    let content = Content::from_bytes("bayonne-2024.parcours", &bytes);
    let app = App::new(host, Settings::default(), content, open_users(Some(dir.path())));
    let hits = app.search(wire::QueryArgs { query: "malegarie".into(), lang: None }).unwrap();
    assert_eq!(hits[0].id, "cyberbase-malegarie");
    assert_eq!(app.walk_plan(wire::RouteArgs { route: "pink".into() }).unwrap().legs.len(), 2);
    assert_eq!(app.readiness(wire::NoArgs {}).unwrap().pack_bytes, bytes.len() as u64);
    let refused = Content::from_bytes("x.parcours", b"not a pack").map(|_| ()).unwrap_err();
    assert_eq!((refused.code, refused.message.starts_with("x.parcours: ")), (ErrorCode::NotAPack, true));
}

#[test]
fn a_missing_pack_makes_every_command_answer_why() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::at(Utc.with_ymd_and_hms(2024, 10, 3, 8, 30, 0).unwrap(), dir.path().join("out"));
    let app = App::new(
        host,
        Settings::default(),
        Content::open(Path::new("/nonexistent/bayonne.parcours")),
        open_users(Some(dir.path())),
    );
    for name in ["pack", "search", "worksheets", "readiness", "day_status"] {
        let error = app.dispatch(name, Input::Json(serde_json::json!({"query": "x"}))).unwrap_err();
        assert_eq!(error.code, ErrorCode::NotFound, "{name}: {error}");
        assert!(error.message.contains("no such file"), "{error}");
    }
    // The user data still answers: it does not need the visit.
    assert!(app.user_data(wire::NoArgs {}).unwrap().ok);
    let no_dir = open_users(None).map(|_| ()).unwrap_err();
    assert_eq!(no_dir.code, ErrorCode::NoDataDir);
}

#[test]
fn a_stops_recording_comes_as_a_data_url_and_a_missing_one_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024");
    let (mut files, problems) = parcours_core::store::read_source(&source);
    assert!(problems.is_empty(), "{problems:?}");
    let mp3 = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/recording.mp3")).unwrap();
    let stops = String::from_utf8(files.get("stops.toml").unwrap().to_vec()).unwrap();
    let host_line = "host = \"La Fibre64\"\n";
    files.insert("stops.toml", stops.replacen(host_line, &format!("{host_line}audio = {{ fr = \"a/c.mp3\" }}\n"), 1));
    files.insert("a/c.mp3", mp3.clone());
    let pack = parcours_core::pack::load(&files).expect("valid pack");
    let out = dir.path().join("rec.parcours");
    parcours_core::store::build_pack_file(&pack, &out).unwrap();
    let host = TestHost::at(Utc.with_ymd_and_hms(2024, 10, 3, 8, 30, 0).unwrap(), dir.path().join("out"));
    let app = App::new(host, Settings::default(), Content::open(&out), open_users(Some(dir.path())));
    let reply =
        app.dispatch("stop_audio", Input::Json(serde_json::json!({"stop": "college-albert-camus", "lang": "fr"})));
    let clip: wire::AudioClip = serde_json::from_str(&reply.unwrap()).unwrap();
    assert_eq!(clip.mime, "audio/mpeg");
    use base64::Engine;
    let data = clip.data_url.strip_prefix("data:audio/mpeg;base64,").unwrap();
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(data).unwrap(), mp3);
    let none = app.stop_audio(wire::AudioArgs { stop: "college-albert-camus".into(), lang: "en".into() }).unwrap_err();
    assert_eq!(none.code, ErrorCode::UnknownStop);
    assert!(none.message.contains("college-albert-camus") && none.message.contains("\"en\""), "{none}");
}
