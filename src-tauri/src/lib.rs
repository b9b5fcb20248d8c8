//! The Parcours app shell (Tauri 2): `run()`, the app's one managed state, and one line per command over
//! `parcours-commands`, which holds every rule. This crate knows Tauri and the desktop: where the pack,
//! the user data and the Downloads folder are ([`host`]), and the mobile geolocation plugin.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use parcours_commands::{App, Content, Input, Settings, open_users};
use parcours_core::wire::{AppError, ErrorCode, RawFile};
use tauri::ipc::{InvokeBody, Request, Response};
use tauri::{Manager, Runtime, State};

#[cfg(test)]
mod files;
mod host;

pub use host::TauriHost;

/// How the app starts: where the pack is, and an optional fixed "now" (for demonstrations and tests).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The compiled pack to open; by default the one shipped in the app's resources.
    pub pack: Option<PathBuf>,
    /// A fixed wall-clock time in the event's time zone, instead of the real clock.
    pub now: Option<NaiveDateTime>,
    /// Where the user database lives; by default the app's data folder.
    pub data: Option<PathBuf>,
    /// A walk recorded on site (GPX) that the simulation switch replays instead of a synthetic walk.
    pub replay: Option<PathBuf>,
    /// Where exported files go; by default the Downloads folder (else the app's data folder).
    pub out: Option<PathBuf>,
    /// A visit's file given on the command line ("Open with" from a file manager): checked as "Mes
    /// visites → Ouvrir une autre visite" checks one, then kept only if the person says so.
    pub open: Option<PathBuf>,
}

impl Options {
    /// `PARCOURS_PACK=/path/to.parcours`, `PARCOURS_NOW=2024-10-03T10:30`, `PARCOURS_DATA=/a/folder`,
    /// `PARCOURS_REPLAY=/a/walk.gpx`, `PARCOURS_OUT=/a/folder` (all optional).
    pub fn from_env() -> Options {
        Options {
            pack: std::env::var_os("PARCOURS_PACK").map(PathBuf::from),
            now: std::env::var("PARCOURS_NOW")
                .ok()
                .and_then(|t| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M").ok()),
            data: std::env::var_os("PARCOURS_DATA").map(PathBuf::from),
            replay: std::env::var_os("PARCOURS_REPLAY").map(PathBuf::from),
            out: std::env::var_os("PARCOURS_OUT").map(PathBuf::from),
            open: std::env::args_os()
                .skip(1)
                .map(PathBuf::from)
                .find(|p| p.extension().is_some_and(|e| e == "parcours")),
        }
    }
}

/// The app, as the one managed state every command reads.
pub struct Shell(pub App<TauriHost>);

/// The folders the system gives the app (none in the tests' mock runtime, which runs no `setup`).
#[derive(Default)]
struct Folders {
    resources: Option<PathBuf>,
    data: Option<PathBuf>,
    downloads: Option<PathBuf>,
}

/// Opens the pack (given, else the one in the resources) and the user database (in the folder given,
/// else the app's data folder).
fn shell(options: Options, folders: Folders) -> Shell {
    let pack = options.pack.or_else(|| folders.resources.map(|dir| dir.join("packs/bayonne-2024.parcours")));
    let loaded = pack
        .ok_or_else(|| AppError::new(ErrorCode::NoResources, "the app's resources cannot be found"))
        .and_then(|path| Content::open(&path));
    let data = options.data.or_else(|| folders.data.clone());
    let out = options.out.or(folders.downloads.filter(|d| d.is_dir())).or(folders.data);
    let users = open_users(data.as_deref());
    let host = TauriHost { out, data, replay: options.replay };
    let app = App::new(host, Settings { now: options.now }, loaded, users);
    if let Some(path) = options.open {
        // Refused (too big, not a pack, hostile): said in the app and on stderr, and the app opens on
        // its visit.
        if let Err(e) = open_given(&app, &path) {
            eprintln!("parcours: {}: {}", path.display(), e.message);
            let name =
                path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            app.note_refused_file(format!("{name} : {}", e.message));
        }
    }
    Shell(app)
}

/// The visit file given on the command line, read (no bigger than a pack may be) and checked: it waits
/// for the person's answer (the interface asks at start, `visit_pending`).
fn open_given(app: &App<TauriHost>, path: &std::path::Path) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::new(ErrorCode::Io, e.to_string());
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > parcours_core::store::MAX_PACK_BYTES {
        return Err(AppError::new(ErrorCode::NotAPack, format!("{size} bytes: bigger than any visit")));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    app.visit_check(parcours_core::wire::RawFile { name, bytes: std::fs::read(path).map_err(io)? }).map(|_| ())
}

/// The call's arguments: its JSON, or its raw body (a picture, a file) with the file's name from the
/// `Parcours-File` header (percent-encoded by the interface to fit a header).
fn input(request: &Request<'_>) -> Input {
    match request.body() {
        InvokeBody::Json(value) => Input::Json(value.clone()),
        InvokeBody::Raw(bytes) => {
            let name = request
                .headers()
                .get("Parcours-File")
                .and_then(|v| v.to_str().ok())
                .map(|v| percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned());
            Input::Raw(RawFile { name, bytes: bytes.clone() })
        }
    }
}

/// One Tauri command per command of the contract (`parcours_core::commands_list!`), each one line over
/// [`App::dispatch`] (its JSON reply sent as bytes, read by the interface with serde_json), and the
/// handler that lists them.
macro_rules! tauri_commands {
    ($( $(#[$doc:meta])* $ty:ident $name:ident $kind:ident : $args:ty => $reply:ty; )*) => {
        $(tauri_command!($kind $name);)*
        /// The commands this shell answers (the wire contract's, checked by a test).
        #[cfg(test)]
        const HANDLED: &[&str] = &[$(stringify!($name)),*];

        fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

/// One command: on the main thread (`json`: answered in the order the interface sent them, so a field's
/// saves commit in the order typed), or off it (`heavy`, `raw`: a picture decoded, a visit checked and
/// opened, so the window never freezes on a big photo or visit).
macro_rules! tauri_command {
    (json $name:ident) => {
        #[tauri::command]
        fn $name(shell: State<'_, Shell>, request: Request<'_>) -> Result<Response, AppError> {
            shell.0.dispatch(stringify!($name), input(&request)).map(|json| Response::new(json.into_bytes()))
        }
    };
    ($kind:ident $name:ident) => {
        #[tauri::command]
        async fn $name(shell: State<'_, Shell>, request: Request<'_>) -> Result<Response, AppError> {
            shell.0.dispatch(stringify!($name), input(&request)).map(|json| Response::new(json.into_bytes()))
        }
    };
}

parcours_core::commands_list!(tauri_commands);

/// The app on any runtime: the real one in `run`, the mock one in tests. With both the pack and the data
/// folder given in `options`, the app opens at once (the tests' mock runtime runs no `setup`); otherwise
/// in `setup`, where the app's folders are known.
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, options: Options) -> tauri::Builder<R> {
    let builder = builder.invoke_handler(handler()).plugin(navigation_guard());
    if options.pack.is_some() && options.data.is_some() {
        return builder.manage(shell(options, Folders::default()));
    }
    builder.setup(move |app| {
        let path = app.path();
        let folders = Folders {
            resources: path.resource_dir().ok(),
            data: path.app_data_dir().ok(),
            downloads: path.download_dir().ok(),
        };
        app.manage(shell(options, folders));
        Ok(())
    })
}

/// The app's own pages only: a window never leaves them, whatever a page asks (`tauri://localhost` on
/// Linux and macOS, `http(s)://tauri.localhost` on Windows and Android).
fn own_page(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// Every navigation of every window checked by [`own_page`]; another address is refused, silently.
fn navigation_guard<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard").on_navigation(|_, url| own_page(url)).build()
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let builder = tauri::Builder::default();
    // Phones: the system's location permission (asked by the UI before it watches the position).
    #[cfg(mobile)]
    let builder = builder.plugin(tauri_plugin_geolocation::init());
    let app = app_builder(builder, Options::from_env()).run(tauri::generate_context!());
    if let Err(e) = app {
        eprintln!("parcours: cannot start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use serde_json::{Value, json};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;

    use parcours_core::walk::Fix;

    use super::*;

    /// Compiles the real Bayonne pack into `dir`, as the app build does.
    pub(crate) fn real_pack(dir: &Path) -> PathBuf {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024");
        let (files, problems) = parcours_core::store::read_source(&source);
        assert!(problems.is_empty());
        let pack = parcours_core::pack::load(&files).expect("valid pack");
        let out = dir.join("bayonne.parcours");
        parcours_core::store::build_pack_file(&pack, &out).expect("build");
        out
    }

    #[test]
    fn a_window_stays_on_the_app_s_own_pages() {
        let url = |u: &str| tauri::Url::parse(u).unwrap();
        assert!(own_page(&url("tauri://localhost/index.html")) && own_page(&url("http://tauri.localhost/")));
        for away in [
            "https://example.org/",
            "http://localhost:8000/",
            "tauri://example.org/",
            "file:///etc/passwd",
            "http://tauri.localhost.example.org/",
            "data:text/html,<b>x</b>",
        ] {
            assert!(!own_page(&url(away)), "{away}");
        }
    }

    pub(crate) fn app(options: Options) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
        let app = app_builder(mock_builder(), options).build(tauri::generate_context!()).expect("app builds");
        tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("main window")
    }

    pub(crate) fn call(
        window: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        cmd: &str,
        args: Value,
    ) -> Result<Value, Value> {
        call_with(window, cmd, InvokeBody::Json(args), Default::default())
    }

    /// A call with any body (JSON or raw bytes) and headers, as the webview makes it.
    pub(crate) fn call_with(
        window: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        cmd: &str,
        body: InvokeBody,
        headers: tauri::http::HeaderMap,
    ) -> Result<Value, Value> {
        get_ipc_response(
            window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body,
                headers,
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        // A command answers with its JSON's bytes (the interface reads them with serde_json).
        .map(|body| match body {
            tauri::ipc::InvokeResponseBody::Raw(bytes) => serde_json::from_slice(&bytes).expect("json"),
            tauri::ipc::InvokeResponseBody::Json(text) => panic!("a reply as JSON text, not bytes: {text}"),
        })
    }

    pub(crate) fn at(text: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").ok()
    }

    #[test]
    fn commands_answer_from_the_pack() {
        let dir = std::env::temp_dir().join(format!("parcours-app-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let window = app(Options {
            pack: Some(real_pack(&dir)),
            now: at("2024-10-03T10:30"),
            data: Some(dir.join("data")),
            replay: None,
            out: None,
            open: None,
        });

        let pack = call(&window, "pack", json!({})).expect("pack");
        assert_eq!(pack["routes"][0]["id"], "green");
        assert_eq!(pack["routes"][1]["stops"][0], "cyberbase-malegarie");
        assert_eq!(pack["initiatives"].as_array().map(Vec::len), Some(16));

        let hits = call(&window, "search", json!({"query": "Malegarie", "lang": "fr"})).expect("search");
        assert_eq!(hits[0]["id"], "cyberbase-malegarie");

        let status = call(&window, "day_status", json!({})).expect("status");
        assert_eq!(status["current"], "visite");
        assert_eq!(status["next"], "retour");
        assert_eq!(status["time"], "10:30");

        assert!(call(&window, "no_such_command", json!({})).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The wire contract's commands, the shell's handler, the build's permissions and the window's
    /// capability: one list.
    #[test]
    fn every_command_of_the_contract_is_handled_and_granted() {
        let (mut handled, mut contract) = (HANDLED.to_vec(), parcours_core::wire::COMMANDS.to_vec());
        handled.sort_unstable();
        contract.sort_unstable();
        assert_eq!(handled, contract);
        let capability: Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).expect("capabilities/main.json");
        let granted: Vec<&str> =
            capability["permissions"].as_array().expect("permissions").iter().filter_map(Value::as_str).collect();
        let wanted: Vec<String> =
            parcours_core::wire::COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
        assert_eq!(granted, wanted, "capabilities/main.json grants exactly the contract's commands");

        let dir = std::env::temp_dir().join(format!("parcours-app-contract-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let window = app(Options {
            pack: Some(real_pack(&dir)),
            now: at("2024-10-03T10:30"),
            data: Some(dir.join("data")),
            replay: None,
            out: Some(dir.join("out")),
            open: None,
        });
        // Every command reaches the command layer: it answers, or refuses with one of the contract's codes.
        for name in parcours_core::wire::COMMANDS {
            if let Err(error) = call(&window, name, json!({})) {
                assert!(error["code"].as_str().is_some_and(|c| c != "unknown_command"), "{name}: {error}");
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// "Open with" from a file manager: the visit given on the command line opens and is kept; a file
    /// that is not a visit leaves the app on its own.
    #[test]
    fn a_visit_given_on_the_command_line_opens_and_a_broken_one_does_not() {
        let dir = std::env::temp_dir().join(format!("parcours-app-open-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let bundled = real_pack(&dir);
        let mut pack = parcours_core::store::PackFile::open(&bundled).expect("open").into_pack();
        pack.pack.id = "seconde-2025".into();
        let second = dir.join("seconde.parcours");
        parcours_core::store::build_pack_file(&pack, &second).expect("build");
        let broken = dir.join("cassée.parcours");
        std::fs::write(&broken, b"SQLite format 3\0 and then nothing").expect("write");
        let options = |data: &str, open: &Path| Options {
            pack: Some(bundled.clone()),
            now: at("2024-10-03T10:30"),
            data: Some(dir.join(data)),
            replay: None,
            out: None,
            open: Some(open.to_owned()),
        };
        let window = app(options("a", &second));
        // Checked and waiting: the app opens on its own visit and asks.
        assert_eq!(call(&window, "pack", json!({})).expect("pack")["pack"]["id"], "bayonne-2024");
        let offer = call(&window, "visit_pending", json!({})).expect("pending");
        assert_eq!(offer["placement"]["kind"], "new", "{offer}");
        assert_eq!(offer["visit"]["id"], "seconde-2025", "{offer}");
        call(&window, "visit_keep", json!({})).expect("keep");
        assert_eq!(call(&window, "pack", json!({})).expect("pack")["pack"]["id"], "seconde-2025");
        let visits = call(&window, "visits", json!({})).expect("visits");
        assert_eq!(visits.as_array().map(Vec::len), Some(2), "{visits}");
        let window = app(options("b", &broken));
        assert_eq!(call(&window, "pack", json!({})).expect("pack")["pack"]["id"], "bayonne-2024");
        // The interface is told which file and why (it shows it at start).
        let status = call(&window, "user_data", json!({})).expect("user_data");
        let refused = status["refused_file"].as_str().unwrap_or_default();
        assert!(refused.starts_with("cassée.parcours : ") && refused.len() > 20, "{status}");
        let window = app(options("c", &second));
        assert_eq!(call(&window, "user_data", json!({})).expect("user_data")["refused_file"], json!(null));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_simulated_walk_through_the_commands() {
        let dir = std::env::temp_dir().join(format!("parcours-app-walk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let window = app(Options {
            pack: Some(real_pack(&dir)),
            now: at("2024-10-03T09:45"),
            data: Some(dir.join("data")),
            replay: None,
            out: None,
            open: None,
        });

        let plan = call(&window, "walk_plan", json!({"route": "pink"})).expect("plan");
        assert_eq!(plan["legs"].as_array().map(Vec::len), Some(2));
        assert!(plan["length_m"].as_f64().is_some_and(|l| l > 900.0));

        let fixes = call(&window, "simulate", json!({"route": "pink"})).expect("simulate");
        let fixes = fixes.as_array().expect("fixes").clone();
        assert!(fixes.len() > 1000);
        let start =
            call(&window, "follow_start", json!({"route": "pink", "restart": true, "simulated": true})).expect("start");
        assert_eq!(start["simulated"], true);
        assert!(start["step"].is_null());

        let mut arrived = Vec::new();
        let mut off_route = false;
        let mut last = Value::Null;
        for fix in fixes.iter().take(500) {
            last = call(&window, "follow_fix", json!({"route": "pink", "fix": fix})).expect("fix");
            off_route |= last["step"]["off_route"] == true;
            if let Some(id) = last["step"]["arrived"].as_str() {
                arrived.push(id.to_owned());
            }
        }
        assert!(off_route, "the simulated excursion shows as off-route");
        assert_eq!(arrived, ["cyberbase-malegarie", "collectif-social-web"]);
        assert!(last["position"][0].as_f64().is_some());
        // The walk's own clock: the 500th fix is 41 min 35 s after 09:50.
        assert_eq!(last["now"], "10:31");

        let sheet = call(&window, "run_sheet", json!({"route": "pink"})).expect("sheet");
        assert_eq!(sheet["rows"][0]["status"], "done");
        assert_eq!(sheet["others"][0]["route"], "green");

        // The guide checks in at the ESCM (no position), then leaves it.
        let view = call(&window, "check", json!({"route": "pink", "stop": "escm"})).expect("check in");
        assert_eq!(view["stops"][2]["status"], "here");
        assert_eq!(view["stops"][2]["manual"], true);
        let view = call(&window, "check", json!({"route": "pink", "stop": null})).expect("check out");
        assert_eq!(view["stops"][2]["status"], "done");

        let error = call(&window, "check", json!({"route": "pink", "stop": "nowhere"})).expect_err("unknown stop");
        assert_eq!(error["code"], "unknown_stop");
        let error = call(&window, "walk_plan", json!({"route": "mauve"})).expect_err("unknown route");
        assert_eq!(error["code"], "unknown_route");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_real_walk_and_recorded_positions_outlive_the_app() {
        let dir = std::env::temp_dir().join(format!("parcours-app-keep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let pack = real_pack(&dir);
        let options = || Options {
            pack: Some(pack.clone()),
            now: at("2024-10-03T10:58"),
            data: Some(dir.join("data")),
            replay: None,
            out: None,
            open: None,
        };
        {
            let window = app(options());
            // A position from the device (no time: the clock's), then the guide's check-in at the ESCM.
            let fix = json!({"lat": 43.5006, "lon": -1.4514, "accuracy_m": 9.0, "time": null});
            call(&window, "follow_fix", json!({"route": "pink", "fix": fix})).expect("fix");
            let view = call(&window, "check", json!({"route": "pink", "stop": "escm"})).expect("check in");
            assert_eq!(view["stops"][2]["status"], "here");
            let list = call(&window, "record_position", json!({"stop": "escm"})).expect("record");
            assert_eq!(list[0]["stop"], "escm");
            assert_eq!(list[0]["lat"], 43.5006);
            assert_eq!(list[0]["accuracy_m"], 9.0);
            let error = call(&window, "record_position", json!({"stop": "nowhere"})).expect_err("unknown");
            assert_eq!(error["code"], "unknown_stop");
        }
        // Another run of the app: the walk and the recorded position are still there.
        let window = app(options());
        let view = call(&window, "follow_start", json!({"route": "pink", "restart": false, "simulated": false}))
            .expect("start");
        assert_eq!(view["stops"][2]["status"], "here");
        assert_eq!(view["stops"][2]["manual"], true);
        assert_eq!(view["stops"][0]["status"], "skipped");
        let list = call(&window, "corrections", json!({})).expect("corrections");
        assert_eq!(list.as_array().map(Vec::len), Some(1));
        // A simulation neither sees nor touches it; starting again forgets it.
        let sim =
            call(&window, "follow_start", json!({"route": "pink", "restart": true, "simulated": true})).expect("sim");
        assert_eq!(sim["stops"][2]["status"], "pending");
        let fresh = call(&window, "follow_reset", json!({"route": "pink"})).expect("reset");
        assert_eq!(fresh["stops"][2]["status"], "pending");
        let again = app(options());
        let view = call(&again, "follow_start", json!({"route": "pink", "restart": false, "simulated": false}))
            .expect("start");
        assert_eq!(view["stops"][2]["status"], "pending");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_simulation_replays_a_recorded_walk() {
        let dir = std::env::temp_dir().join(format!("parcours-app-replay-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        // A walk "recorded on site": three points of a GPX track.
        let fix = |t: &str, lat, lon| Fix {
            time: NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S").expect("time"),
            lat,
            lon,
            accuracy_m: Some(6.0),
        };
        let walk = [
            fix("2024-10-03T09:50:00", 43.4994, -1.4535),
            fix("2024-10-03T09:50:05", 43.4995, -1.4534),
            fix("2024-10-03T09:50:10", 43.4996, -1.4533),
        ];
        let gpx = parcours_core::export::trace::write_gpx(&walk, "Europe/Paris", "recorded").expect("gpx");
        std::fs::write(dir.join("walk.gpx"), gpx).expect("write");
        let window = app(Options {
            pack: Some(real_pack(&dir)),
            now: None,
            data: Some(dir.join("data")),
            replay: Some(dir.join("walk.gpx")),
            out: None,
            open: None,
        });
        let fixes = call(&window, "simulate", json!({"route": "green"})).expect("simulate");
        assert_eq!(fixes.as_array().map(Vec::len), Some(3));
        assert_eq!(fixes[1]["time"], "2024-10-03T09:50:05");
        assert_eq!(fixes[1]["accuracy_m"], 6.0);
        std::fs::write(dir.join("walk.gpx"), "not a walk").expect("write");
        let error = call(&window, "simulate", json!({"route": "green"})).expect_err("bad file");
        assert_eq!(error["code"], "bad_replay");
        assert!(error["message"].as_str().is_some_and(|m| m.contains("walk.gpx")), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn worksheets_and_notes_and_a_damaged_user_file_set_aside() {
        let dir = std::env::temp_dir().join(format!("parcours-app-ws-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("data")).expect("tmp");
        std::fs::write(dir.join("data/user.sqlite"), b"this is not a database, it is damaged".repeat(200))
            .expect("damage");
        let window = app(Options {
            pack: Some(real_pack(&dir)),
            now: at("2024-10-03T12:00"),
            data: Some(dir.join("data")),
            replay: None,
            out: None,
            open: None,
        });
        let status = call(&window, "user_data", json!({})).expect("status");
        assert_eq!(status["ok"], true);
        let moved = status["set_aside"]["moved_to"].as_str().expect("set aside").to_owned();
        assert!(moved.ends_with("user.sqlite.damaged-1"), "{moved}");
        assert!(std::fs::read(&moved).expect("kept").starts_with(b"this is not a database"));

        let ws = call(&window, "worksheet_new", json!({"workshop": "aller-vers"})).expect("new");
        let id = ws["id"].as_str().expect("id").to_owned();
        assert!(id.ends_with("-1"), "{id}");
        let ws =
            call(&window, "worksheet_set", json!({"id": id, "field": "enjeu", "value": "Aller vers les habitants"}))
                .expect("set");
        assert_eq!(ws["fields"]["enjeu"], "Aller vers les habitants");
        let ws = call(&window, "worksheet_set", json!({"id": id, "field": "rating", "value": "orange"})).expect("rate");
        assert_eq!(ws["rating"], "orange");
        let second = call(&window, "worksheet_new", json!({"workshop": "cooperation"})).expect("new");
        assert!(second["id"].as_str().is_some_and(|i| i.ends_with("-2")));
        let list = call(&window, "worksheets", json!({})).expect("list");
        assert_eq!(list.as_array().map(Vec::len), Some(2));
        let error =
            call(&window, "worksheet_set", json!({"id": "nope", "field": "enjeu", "value": "x"})).expect_err("unknown");
        assert_eq!(error["code"], "unknown_worksheet");
        // Removed: out of the list, kept, and put back with its text.
        call(&window, "worksheet_remove", json!({"id": id})).expect("remove");
        let list = call(&window, "worksheets", json!({})).expect("list");
        assert_eq!(list.as_array().map(Vec::len), Some(1));
        let removed = call(&window, "worksheets_removed", json!({})).expect("removed");
        assert_eq!(removed[0]["id"], id.as_str());
        assert_eq!(removed[0]["fields"]["enjeu"], "Aller vers les habitants");
        assert_eq!(removed[0]["removed_at"], "2024-10-03T12:00:00");
        let ready = call(&window, "readiness", json!({})).expect("ready");
        assert_eq!((ready["worksheets"].as_u64(), ready["removed_worksheets"].as_u64()), (Some(1), Some(1)));
        call(&window, "worksheet_restore", json!({"id": id})).expect("restore");
        let list = call(&window, "worksheets", json!({})).expect("list");
        assert_eq!(list.as_array().map(Vec::len), Some(2));
        assert_eq!(call(&window, "worksheets_removed", json!({})).expect("removed"), json!([]));
        let error = call(&window, "worksheet_remove", json!({"id": "nope"})).expect_err("unknown");
        assert_eq!(error["code"], "unknown_worksheet");

        call(&window, "note_set", json!({"stop": "escm", "text": "Demander les horaires"})).expect("note");
        call(&window, "note_set", json!({"stop": "", "text": "Notes du jour"})).expect("note");
        let notes = call(&window, "notes", json!({})).expect("notes");
        assert_eq!(notes.as_array().map(Vec::len), Some(2));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_pack_is_an_error_with_a_code_not_a_crash() {
        let window = app(Options {
            pack: Some(PathBuf::from("/nonexistent/bayonne.parcours")),
            now: None,
            data: Some(std::env::temp_dir().join(format!("parcours-app-nopack-{}", std::process::id()))),
            replay: None,
            out: None,
            open: None,
        });
        let error = call(&window, "pack", json!({})).expect_err("no pack");
        assert_eq!(error["code"], "not_found");
        assert!(error["message"].as_str().is_some_and(|m| m.contains("no such file")), "{error}");
        let error = call(&window, "search", json!({"query": "x"})).expect_err("no pack");
        assert_eq!(error["code"], "not_found");
        let _ =
            std::fs::remove_dir_all(std::env::temp_dir().join(format!("parcours-app-nopack-{}", std::process::id())));
    }
}
