//! The Parcours app shell. It knows Tauri; it knows no business rule: each command is one line over
//! `parcours-core`. State is created in `setup` and managed; no global handle.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use parcours_core::pack::Pack;
use parcours_core::schedule::DayStatus;
use parcours_core::store::{PackFile, SearchHit, StoreError};
use parcours_core::walk::guide::RunSheet;
use parcours_core::walk::simulate::{Excursion, SimOptions};
use parcours_core::walk::{Course, Fix, FollowState, FollowView, Network, RoutePath};
use serde::{Deserialize, Serialize};
use tauri::{Manager, Runtime, State};

/// An error as the UI sees it: `{ code, message }`. The UI matches on `code`, shows `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: String,
    pub message: String,
}

impl From<&StoreError> for AppError {
    fn from(e: &StoreError) -> AppError {
        AppError { code: e.code().to_owned(), message: e.to_string() }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        AppError::from(&e)
    }
}

/// How the app starts: where the pack is, and an optional fixed "now" (for demonstrations and tests).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The compiled pack to open; by default the one shipped in the app's resources.
    pub pack: Option<PathBuf>,
    /// A fixed wall-clock time in the event's time zone, instead of the real clock.
    pub now: Option<NaiveDateTime>,
}

impl Options {
    /// `PARCOURS_PACK=/path/to.parcours`, `PARCOURS_NOW=2024-10-03T10:30` (both optional).
    pub fn from_env() -> Options {
        Options {
            pack: std::env::var_os("PARCOURS_PACK").map(PathBuf::from),
            now: std::env::var("PARCOURS_NOW")
                .ok()
                .and_then(|t| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M").ok()),
        }
    }
}

/// The visit, opened once at start-up (read-only, in place: nothing is copied), with its street network
/// and each route prepared for following.
struct Content {
    pack: Arc<Pack>,
    file: Mutex<PackFile>,
    network: Option<Network>,
    courses: Vec<Course>,
}

impl Content {
    fn course(&self, route: &str) -> Result<(&Network, &Course), AppError> {
        let network = self.network.as_ref().ok_or_else(|| AppError {
            code: "no_streets".into(),
            message: "this visit has no street data: walking directions are not available".into(),
        })?;
        let course = self.courses.iter().find(|c| c.route.id.as_str() == route).ok_or_else(|| AppError {
            code: "unknown_route".into(),
            message: format!("no route \"{route}\" in this visit"),
        })?;
        Ok((network, course))
    }
}

/// The walk being followed: one route at a time, in memory (it restarts with the app).
struct Session {
    route: String,
    state: FollowState,
    simulated: bool,
    last_step: Option<parcours_core::walk::Step>,
}

#[derive(Default)]
struct Following(Mutex<Option<Session>>);

/// A position from the webview (or the simulation). Without a time, the clock's now is used.
#[derive(Clone, Copy, Debug, Deserialize)]
struct FixIn {
    lat: f64,
    lon: f64,
    accuracy_m: Option<f64>,
    time: Option<NaiveDateTime>,
}

fn busy() -> AppError {
    AppError { code: "busy".into(), message: "the app is busy, try again".into() }
}

/// The content, or why it could not be opened (every command then answers with that error).
struct Loaded(Result<Content, AppError>);

impl Loaded {
    fn get(&self) -> Result<&Content, AppError> {
        self.0.as_ref().map_err(Clone::clone)
    }
}

/// The clock: real, or started at a given time (`PARCOURS_NOW`) and running from there.
struct Clock(Option<(NaiveDateTime, std::time::Instant)>);

impl Clock {
    /// Now, as a wall-clock time in `timezone` (the event's).
    fn now_in(&self, timezone: &str) -> NaiveDateTime {
        match self.0 {
            Some((start, at)) => start + chrono::Duration::from_std(at.elapsed()).unwrap_or_default(),
            None => {
                let utc = chrono::Utc::now();
                match timezone.parse::<chrono_tz::Tz>() {
                    Ok(tz) => utc.with_timezone(&tz).naive_local(),
                    Err(_) => utc.naive_utc(),
                }
            }
        }
    }
}

#[tauri::command]
fn pack(loaded: State<'_, Loaded>) -> Result<Arc<Pack>, AppError> {
    loaded.get().map(|c| c.pack.clone())
}

#[tauri::command]
fn search(loaded: State<'_, Loaded>, query: String, lang: Option<String>) -> Result<Vec<SearchHit>, AppError> {
    let content = loaded.get()?;
    let file = content.file.lock().map_err(|_| AppError { code: "busy".into(), message: "search failed".into() })?;
    Ok(file.search(&query, lang.as_deref(), 40)?)
}

#[tauri::command]
fn day_status(loaded: State<'_, Loaded>, clock: State<'_, Clock>) -> Result<DayStatus, AppError> {
    loaded.get().map(|c| parcours_core::schedule::day_status(&c.pack, clock.now_in(&c.pack.event.timezone)))
}

#[tauri::command]
fn walk_plan(loaded: State<'_, Loaded>, route: String) -> Result<RoutePath, AppError> {
    let content = loaded.get()?;
    let (network, course) = content.course(&route)?;
    Ok(parcours_core::walk::route_path(&content.pack, network, &course.route))
}

/// The session for `route`, started if there is none or it follows another route.
fn session_for<'a>(slot: &'a mut Option<Session>, content: &Content, route: &str) -> Result<&'a mut Session, AppError> {
    let (_, course) = content.course(route)?;
    if slot.as_ref().is_none_or(|s| s.route != route) {
        *slot = Some(Session {
            route: route.to_owned(),
            state: FollowState::new(course),
            simulated: false,
            last_step: None,
        });
    }
    slot.as_mut().ok_or_else(busy)
}

/// The walk's time: a simulated walk has its own clock (its last fix); otherwise now.
fn walk_now(session: &Session, content: &Content, clock: &Clock) -> NaiveDateTime {
    match (session.simulated, session.state.last) {
        (true, Some(fix)) => fix.time,
        _ => clock.now_in(&content.pack.event.timezone),
    }
}

fn view_of(session: &Session, content: &Content, clock: &Clock) -> Result<FollowView, AppError> {
    let (network, course) = content.course(&session.route)?;
    let now = walk_now(session, content, clock);
    let last = session.state.last;
    Ok(FollowView {
        route: session.route.clone(),
        now: parcours_core::pack::Hm::new(chrono::Timelike::hour(&now) as u16, chrono::Timelike::minute(&now) as u16),
        position: last.map(|f| [f.lat, f.lon]),
        accuracy_m: last.and_then(|f| f.accuracy_m),
        step: session.last_step.clone(),
        stops: session.state.stops.clone(),
        path_to_next: session.state.path_to_next(course, network),
        simulated: session.simulated,
    })
}

/// The current walk on `route` (started if needed). `simulated` starts it afresh, for a simulation.
#[tauri::command]
fn follow_start(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    route: String,
    restart: bool,
    simulated: bool,
) -> Result<FollowView, AppError> {
    let content = loaded.get()?;
    let mut slot = following.0.lock().map_err(|_| busy())?;
    if restart {
        *slot = None;
    }
    let session = session_for(&mut slot, content, &route)?;
    session.simulated |= simulated;
    view_of(session, content, &clock)
}

/// One position: the engine's step, then what the screens show.
#[tauri::command]
fn follow_fix(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    route: String,
    fix: FixIn,
) -> Result<FollowView, AppError> {
    let content = loaded.get()?;
    let mut slot = following.0.lock().map_err(|_| busy())?;
    let session = session_for(&mut slot, content, &route)?;
    let (network, course) = content.course(&route)?;
    let time = fix.time.unwrap_or_else(|| clock.now_in(&content.pack.event.timezone));
    let fix = Fix { time, lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m };
    let step = session.state.step(course, network, &fix);
    session.last_step = Some(step);
    view_of(session, content, &clock)
}

/// The guide's "we are here" (at `stop`) or, without a stop, "we leave".
#[tauri::command]
fn check(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    route: String,
    stop: Option<String>,
) -> Result<FollowView, AppError> {
    let content = loaded.get()?;
    let mut slot = following.0.lock().map_err(|_| busy())?;
    let session = session_for(&mut slot, content, &route)?;
    let (network, course) = content.course(&route)?;
    let now = walk_now(session, content, &clock);
    match stop {
        Some(id) => {
            let index = course.index_of(&id).ok_or_else(|| AppError {
                code: "unknown_stop".into(),
                message: format!("no stop \"{id}\" on this route"),
            })?;
            session.state.check_in(course, index, now);
        }
        None => {
            session.state.check_out(course, network, now);
        }
    }
    session.last_step = None;
    view_of(session, content, &clock)
}

#[tauri::command]
fn run_sheet(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    route: String,
) -> Result<RunSheet, AppError> {
    let content = loaded.get()?;
    let mut slot = following.0.lock().map_err(|_| busy())?;
    let session = session_for(&mut slot, content, &route)?;
    let (_, course) = content.course(&route)?;
    let now = walk_now(session, content, &clock);
    Ok(parcours_core::walk::guide::run_sheet(&content.pack, &course.route, &session.state.stops, now))
}

/// A synthetic walk of `route` for the simulation switch: as planned, with σ = 5 m noise, three wild
/// fixes and one excursion of 120 m on the way to the first stop that has a position.
#[tauri::command]
fn simulate(loaded: State<'_, Loaded>, route: String) -> Result<Vec<Fix>, AppError> {
    let content = loaded.get()?;
    let (network, course) = content.course(&route)?;
    let mut opts = SimOptions::planned(&content.pack, &course.route);
    opts.outliers = 3;
    opts.excursion = course.stops.iter().position(|s| s.position.is_some()).map(|to| Excursion { to, metres: 120.0 });
    Ok(parcours_core::walk::simulate::simulate(course, network, &opts).fixes)
}

fn open(path: Option<PathBuf>, resources: Result<PathBuf, tauri::Error>) -> Result<Content, AppError> {
    let path = match (path, resources) {
        (Some(path), _) => path,
        (None, Ok(dir)) => dir.join("packs/bayonne-2024.parcours"),
        (None, Err(e)) => return Err(AppError { code: "no_resources".into(), message: e.to_string() }),
    };
    let file = PackFile::open(&path)?;
    let pack = Arc::new(file.pack().clone());
    let network = Network::from_layers(&pack.map);
    let courses = match &network {
        Some(net) => pack.routes.iter().map(|r| Course::new(&pack, net, r)).collect(),
        None => Vec::new(),
    };
    Ok(Content { pack, file: Mutex::new(file), network, courses })
}

/// The app on any runtime: the real one in `run`, the mock one in tests. A pack given in `options` is
/// opened at once; otherwise the one in the app's resources is, in `setup` (where the path is known).
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, options: Options) -> tauri::Builder<R> {
    let clock = Clock(options.now.map(|t| (t, std::time::Instant::now())));
    let builder = builder.manage(clock).manage(Following::default()).invoke_handler(tauri::generate_handler![
        pack,
        search,
        day_status,
        walk_plan,
        follow_start,
        follow_fix,
        check,
        run_sheet,
        simulate
    ]);
    let report = |content: &Result<Content, AppError>| {
        if let Err(e) = content {
            eprintln!("parcours: {}", e.message);
        }
    };
    match options.pack {
        Some(path) => {
            let content = open(Some(path), Err(tauri::Error::UnknownPath));
            report(&content);
            builder.manage(Loaded(content))
        }
        None => builder.setup(move |app| {
            let content = open(None, app.path().resource_dir());
            report(&content);
            app.manage(Loaded(content));
            Ok(())
        }),
    }
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let app = app_builder(tauri::Builder::default(), Options::from_env()).run(tauri::generate_context!());
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

    use super::*;

    /// Compiles the real Bayonne pack into `dir`, as the app build does.
    fn real_pack(dir: &Path) -> PathBuf {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024");
        let (files, problems) = parcours_core::store::read_source(&source);
        assert!(problems.is_empty());
        let pack = parcours_core::pack::load(&files).expect("valid pack");
        let out = dir.join("bayonne.parcours");
        parcours_core::store::build_pack_file(&pack, &out).expect("build");
        out
    }

    fn app(options: Options) -> tauri::WebviewWindow<tauri::test::MockRuntime> {
        let app = app_builder(mock_builder(), options).build(tauri::generate_context!()).expect("app builds");
        tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("main window")
    }

    fn call(window: &tauri::WebviewWindow<tauri::test::MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("json"))
    }

    fn at(text: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").ok()
    }

    #[test]
    fn commands_answer_from_the_pack() {
        let dir = std::env::temp_dir().join(format!("parcours-app-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let window = app(Options { pack: Some(real_pack(&dir)), now: at("2024-10-03T10:30") });

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

    #[test]
    fn a_simulated_walk_through_the_commands() {
        let dir = std::env::temp_dir().join(format!("parcours-app-walk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let window = app(Options { pack: Some(real_pack(&dir)), now: at("2024-10-03T09:45") });

        let plan = call(&window, "walk_plan", json!({"route": "pink"})).expect("plan");
        assert_eq!(plan["legs"].as_array().map(Vec::len), Some(2));
        assert!(plan["length_m"].as_f64().is_some_and(|l| l > 900.0));

        let fixes = call(&window, "simulate", json!({"route": "pink"})).expect("simulate");
        let fixes = fixes.as_array().expect("fixes").clone();
        assert!(fixes.len() > 1000);
        let start = call(&window, "follow_start", json!({"route": "pink", "restart": true, "simulated": true}))
            .expect("start");
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
    fn a_missing_pack_is_an_error_with_a_code_not_a_crash() {
        let window = app(Options { pack: Some(PathBuf::from("/nonexistent/bayonne.parcours")), now: None });
        let error = call(&window, "pack", json!({})).expect_err("no pack");
        assert_eq!(error["code"], "not_found");
        assert!(error["message"].as_str().is_some_and(|m| m.contains("no such file")), "{error}");
        let error = call(&window, "search", json!({"query": "x"})).expect_err("no pack");
        assert_eq!(error["code"], "not_found");
    }
}
