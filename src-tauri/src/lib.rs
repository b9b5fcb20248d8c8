//! The Parcours app shell. It knows Tauri; it knows no business rule: each command is one line over
//! `parcours-core`. State is created in `setup` and managed; no global handle.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use parcours_core::pack::Pack;
use parcours_core::schedule::DayStatus;
use parcours_core::status::{Readiness, SetAside, UserDataStatus};
use parcours_core::store::{PackFile, SearchHit, StoreError, UserDb};
use parcours_core::walk::guide::RunSheet;
use parcours_core::walk::simulate::{Excursion, SimOptions};
use parcours_core::walk::{Correction, Course, Fix, FollowState, FollowView, Network, RoutePath};
use parcours_core::worksheet::{Note, Removed, WorksheetDoc};
use serde::{Deserialize, Serialize};
use tauri::{Manager, Runtime, State};

mod files;

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
    /// Where the user database lives; by default the app's data folder.
    pub data: Option<PathBuf>,
    /// A walk recorded on site (GPX) that the simulation switch replays instead of a synthetic walk.
    pub replay: Option<PathBuf>,
    /// Where exported files go; by default the Downloads folder (else the app's data folder).
    pub out: Option<PathBuf>,
}

impl Options {
    /// `PARCOURS_PACK=/path/to.parcours`, `PARCOURS_NOW=2024-10-03T10:30`, `PARCOURS_DATA=/a/folder`,
    /// `PARCOURS_REPLAY=/a/walk.gpx` (all optional).
    pub fn from_env() -> Options {
        Options {
            pack: std::env::var_os("PARCOURS_PACK").map(PathBuf::from),
            now: std::env::var("PARCOURS_NOW")
                .ok()
                .and_then(|t| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M").ok()),
            data: std::env::var_os("PARCOURS_DATA").map(PathBuf::from),
            replay: std::env::var_os("PARCOURS_REPLAY").map(PathBuf::from),
            out: std::env::var_os("PARCOURS_OUT").map(PathBuf::from),
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

/// The user database, or why it could not be opened (the app still guides; it just cannot keep anything),
/// and the damaged file set aside at start-up, if any.
struct Users(Mutex<Result<UserDb, AppError>>, Option<SetAside>);

impl Users {
    fn new(opened: Result<(UserDb, Option<SetAside>), AppError>) -> Users {
        match opened {
            Ok((db, aside)) => Users(Mutex::new(Ok(db)), aside),
            Err(e) => Users(Mutex::new(Err(e)), None),
        }
    }
}

impl Users {
    fn with<T>(&self, f: impl FnOnce(&mut UserDb) -> Result<T, StoreError>) -> Result<T, AppError> {
        let mut guard = self.0.lock().map_err(|_| busy())?;
        match guard.as_mut() {
            Ok(db) => f(db).map_err(AppError::from),
            Err(e) => Err(e.clone()),
        }
    }
}

/// Opens (or creates) `user.sqlite` in `dir`. A damaged file is set aside (kept, renamed) and a fresh
/// one started; what happened is kept for the UI to tell. The device gets a random id once, for ids of
/// worksheets that stay unique when several phones' worksheets are merged.
fn open_users(dir: Option<PathBuf>) -> Result<(UserDb, Option<SetAside>), AppError> {
    let dir = dir.ok_or_else(|| AppError { code: "no_data_dir".into(), message: "no folder for user data".into() })?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| AppError { code: "io".into(), message: format!("{}: {e}", dir.display()) })?;
    let (mut db, aside) = UserDb::open_or_set_aside(&dir.join("user.sqlite"))?;
    if !db.is_read_only() && db.setting("device")?.is_none() {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
        );
        db.set_setting("device", &format!("{:08x}", hasher.finish() as u32))?;
    }
    Ok((db, aside))
}

#[tauri::command]
fn user_data(users: State<'_, Users>) -> Result<UserDataStatus, AppError> {
    let guard = users.0.lock().map_err(|_| busy())?;
    Ok(match guard.as_ref() {
        Ok(db) => UserDataStatus {
            ok: true,
            set_aside: users.1.clone(),
            error: None,
            path: Some(db.path().display().to_string()),
            device: db.setting("device").ok().flatten(),
            read_only: db.is_read_only(),
        },
        Err(e) => UserDataStatus {
            ok: false,
            set_aside: users.1.clone(),
            error: Some(e.message.clone()),
            path: None,
            device: None,
            read_only: false,
        },
    })
}

#[tauri::command]
fn readiness(loaded: State<'_, Loaded>, users: State<'_, Users>) -> Result<Readiness, AppError> {
    let content = loaded.get()?;
    let file = content.file.lock().map_err(|_| busy())?;
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let pack = &content.pack;
    let mut ready = Readiness {
        pack_id: pack.pack.id.clone(),
        pack_version: pack.pack.version.clone(),
        pack_bytes: size(file.path()),
        pack_problem: file.quick_check().err(),
        streets: pack.map.iter().map(|m| m.geojson["features"].as_array().map_or(0, Vec::len)).sum(),
        routable_points: content.network.as_ref().map_or(0, |n| n.stats.kept_nodes),
        attribution: pack.map.iter().map(|m| m.attribution.clone()).collect::<Vec<_>>().join(" · "),
        user_ok: false,
        user_problem: None,
        user_path: None,
        user_bytes: 0,
        worksheets: 0,
        notes: 0,
        corrections: 0,
        snapshots: 0,
        set_aside: users.1.clone(),
        last_backup: None,
        last_backup_path: None,
        free_bytes: None,
        removed_worksheets: 0,
        other_visit_worksheets: 0,
    };
    let guard = users.0.lock().map_err(|_| busy())?;
    match guard.as_ref() {
        Ok(db) => {
            let wal = db.path().with_file_name(format!(
                "{}-wal",
                db.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            ));
            ready.user_path = Some(db.path().display().to_string());
            ready.user_bytes = size(db.path()) + size(&wal);
            ready.user_problem = db.quick_check().err();
            ready.user_ok = ready.user_problem.is_none();
            ready.worksheets = db.worksheets(&pack.pack.id).map(|l| l.len()).unwrap_or(0);
            ready.removed_worksheets = db.removed_worksheets(&pack.pack.id).map(|l| l.len()).unwrap_or(0);
            ready.other_visit_worksheets = db.other_visits(&pack.pack.id).map(|l| l.len()).unwrap_or(0);
            ready.notes = db.notes(&pack.pack.id).map(|l| l.len()).unwrap_or(0);
            ready.corrections = db.corrections(&pack.pack.id).map(|l| l.len()).unwrap_or(0);
            ready.snapshots = db.snapshots().len();
            ready.last_backup = db
                .setting("last_backup")
                .ok()
                .flatten()
                .and_then(|t| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S").ok());
            ready.last_backup_path = db.setting("last_backup_path").ok().flatten();
            ready.free_bytes = db.path().parent().and_then(|dir| fs4::available_space(dir).ok());
        }
        Err(e) => ready.user_problem = Some(e.message.clone()),
    }
    Ok(ready)
}

#[tauri::command]
fn worksheets(loaded: State<'_, Loaded>, users: State<'_, Users>) -> Result<Vec<WorksheetDoc>, AppError> {
    let content = loaded.get()?;
    users.with(|db| db.worksheets(&content.pack.pack.id))
}

/// A new, empty worksheet for `workshop`, saved before it is returned.
#[tauri::command]
fn worksheet_new(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    users: State<'_, Users>,
    workshop: String,
) -> Result<WorksheetDoc, AppError> {
    let content = loaded.get()?;
    let now = clock.now_in(&content.pack.event.timezone);
    users.with(|db| {
        let device = db.setting("device")?.unwrap_or_else(|| "device".into());
        let n: u64 = db.setting("worksheet_counter")?.and_then(|n| n.parse().ok()).unwrap_or(0) + 1;
        db.set_setting("worksheet_counter", &n.to_string())?;
        let ws = WorksheetDoc {
            id: format!("{device}-{n}"),
            pack: content.pack.pack.id.clone(),
            workshop,
            fields: Default::default(),
            rating: None,
            created_at: now,
            updated_at: now,
        };
        db.save_worksheet(&ws)?;
        Ok(ws)
    })
}

/// Sets one field (or, with `field = "rating"`, the rating) of a worksheet; answers once committed.
#[tauri::command]
fn worksheet_set(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    users: State<'_, Users>,
    id: String,
    field: String,
    value: String,
) -> Result<WorksheetDoc, AppError> {
    let content = loaded.get()?;
    let now = clock.now_in(&content.pack.event.timezone);
    users.with(|db| db.set_worksheet_field(&id, &field, &value, now))?.ok_or_else(|| unknown_worksheet(&id))
}

/// The worksheets removed from the lists (kept on the device), most recently removed first.
#[tauri::command]
fn worksheets_removed(loaded: State<'_, Loaded>, users: State<'_, Users>) -> Result<Vec<Removed>, AppError> {
    let content = loaded.get()?;
    users.with(|db| db.removed_worksheets(&content.pack.pack.id))
}

/// Removes a worksheet from the lists; it stays on the device and can be put back. Answers once committed.
#[tauri::command]
fn worksheet_remove(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    users: State<'_, Users>,
    id: String,
) -> Result<(), AppError> {
    let content = loaded.get()?;
    let now = clock.now_in(&content.pack.event.timezone);
    users.with(|db| db.remove_worksheet(&id, now))?.then_some(()).ok_or_else(|| unknown_worksheet(&id))
}

/// Puts a removed worksheet back in the lists. Answers once committed.
#[tauri::command]
fn worksheet_restore(users: State<'_, Users>, id: String) -> Result<(), AppError> {
    users.with(|db| db.restore_worksheet(&id))?.then_some(()).ok_or_else(|| unknown_worksheet(&id))
}

/// The error for a worksheet id this device does not hold.
fn unknown_worksheet(id: &str) -> AppError {
    AppError { code: "unknown_worksheet".into(), message: format!("no worksheet \"{id}\" on this device") }
}

#[tauri::command]
fn notes(loaded: State<'_, Loaded>, users: State<'_, Users>) -> Result<Vec<Note>, AppError> {
    let content = loaded.get()?;
    users.with(|db| db.notes(&content.pack.pack.id))
}

/// Saves the note of a stop (`stop = ""`: of the day); answers once committed.
#[tauri::command]
fn note_set(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    users: State<'_, Users>,
    stop: String,
    text: String,
) -> Result<(), AppError> {
    let content = loaded.get()?;
    let now = clock.now_in(&content.pack.event.timezone);
    users.with(|db| db.set_note(&content.pack.pack.id, &stop, &text, now))
}

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

/// A recorded walk (GPX) for the simulation switch to replay instead of a synthetic one.
struct Replay(Option<PathBuf>);

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

/// The session for `route` (of the kind asked, or of any kind for `None`), started if there is none or it
/// follows another route: from the progress saved
/// in the user database if there is one (an app killed mid-walk picks up where it was), else afresh.
fn session_for<'a>(
    slot: &'a mut Option<Session>,
    content: &Content,
    users: &Users,
    route: &str,
    simulated: Option<bool>,
) -> Result<&'a mut Session, AppError> {
    let (_, course) = content.course(route)?;
    let keep = slot.as_ref().is_some_and(|s| s.route == route && simulated.is_none_or(|sim| s.simulated == sim));
    if !keep {
        let simulated = simulated.unwrap_or(false);
        let saved = if simulated {
            None
        } else {
            users
                .with(|db| db.load_walk(&content.pack.pack.id, route))
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_str::<FollowState>(&json).ok())
                .filter(|state| state.stops.len() == course.stops.len())
        };
        *slot = Some(Session {
            route: route.to_owned(),
            state: saved.unwrap_or_else(|| FollowState::new(course)),
            simulated,
            last_step: None,
        });
    }
    slot.as_mut().ok_or_else(busy)
}

/// Runs `f` on the walk of `route` (of the kind asked, see [`session_for`]), with the route prepared for
/// following. `restart` forgets the walk in memory first.
fn on_session<T>(
    loaded: &Loaded,
    following: &Following,
    users: &Users,
    route: &str,
    (restart, kind): (bool, Option<bool>),
    f: impl FnOnce(&mut Session, &Content, &Network, &Course) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let content = loaded.get()?;
    let mut slot = following.0.lock().map_err(|_| busy())?;
    if restart {
        *slot = None;
    }
    let session = session_for(&mut slot, content, users, route, kind)?;
    let (network, course) = content.course(route)?;
    f(session, content, network, course)
}

/// Keeps the progress of a real walk (not a simulation) in the user database; returns once committed.
fn save(session: &Session, content: &Content, users: &Users, now: NaiveDateTime) -> Result<(), AppError> {
    if session.simulated {
        return Ok(());
    }
    let json = serde_json::to_string(&session.state)
        .map_err(|e| AppError { code: "internal".into(), message: e.to_string() })?;
    users.with(|db| db.save_walk(&content.pack.pack.id, &session.route, &json, now))
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
    users: State<'_, Users>,
    route: String,
    restart: bool,
    simulated: bool,
) -> Result<FollowView, AppError> {
    // Without a restart, the walk in progress goes on, simulated or not.
    on_session(
        &loaded,
        &following,
        &users,
        &route,
        (restart, restart.then_some(simulated)),
        |session, content, _, _| view_of(session, content, &clock),
    )
}

/// Forgets the progress of the walk on `route` (the guide's "start again"), in memory and on disk.
#[tauri::command]
fn follow_reset(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    users: State<'_, Users>,
    route: String,
) -> Result<FollowView, AppError> {
    let content = loaded.get()?;
    users.with(|db| db.delete_walk(&content.pack.pack.id, &route))?;
    on_session(&loaded, &following, &users, &route, (true, Some(false)), |session, content, _, _| {
        view_of(session, content, &clock)
    })
}

/// One position: the engine's step, then what the screens show.
#[tauri::command]
fn follow_fix(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    users: State<'_, Users>,
    route: String,
    fix: FixIn,
) -> Result<FollowView, AppError> {
    // A fix with a time comes from the simulation; the webview's fixes take the clock's time.
    let kind = Some(fix.time.is_some());
    on_session(&loaded, &following, &users, &route, (false, kind), |session, content, network, course| {
        let time = fix.time.unwrap_or_else(|| clock.now_in(&content.pack.event.timezone));
        let fix = Fix { time, lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m };
        let step = session.state.step(course, network, &fix);
        let changed = step.arrived.is_some() || step.departed.is_some() || !step.skipped.is_empty();
        session.last_step = Some(step);
        if changed && let Err(e) = save(session, content, &users, time) {
            eprintln!("parcours: the walk's progress was not saved: {}", e.message);
        }
        view_of(session, content, &clock)
    })
}

/// The guide's "we are here" (at `stop`) or, without a stop, "we leave".
#[tauri::command]
fn check(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    users: State<'_, Users>,
    route: String,
    stop: Option<String>,
) -> Result<FollowView, AppError> {
    on_session(&loaded, &following, &users, &route, (false, None), |session, content, network, course| {
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
        // The guide's tap is acknowledged only once it is on disk.
        save(session, content, &users, now)?;
        view_of(session, content, &clock)
    })
}

#[tauri::command]
fn run_sheet(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    users: State<'_, Users>,
    route: String,
) -> Result<RunSheet, AppError> {
    on_session(&loaded, &following, &users, &route, (false, None), |session, content, _, course| {
        let now = walk_now(session, content, &clock);
        Ok(parcours_core::walk::guide::run_sheet(&content.pack, &course.route, &session.state.stops, now))
    })
}

/// The walk the simulation switch replays: the GPX recording named by `PARCOURS_REPLAY` if there is one
/// (a walk recorded on site), else a synthetic walk of `route` — as planned, with σ = 5 m noise, three
/// wild fixes and one excursion of 120 m on the way to the first stop that has a position.
#[tauri::command]
fn simulate(loaded: State<'_, Loaded>, replay: State<'_, Replay>, route: String) -> Result<Vec<Fix>, AppError> {
    let content = loaded.get()?;
    let (network, course) = content.course(&route)?;
    if let Some(path) = &replay.0 {
        let bad = |message: String| AppError { code: "bad_replay".into(), message };
        let bytes = std::fs::read(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
        let points = parcours_core::export::trace::read_gpx(&bytes, &content.pack.event.timezone)
            .map_err(|e| bad(format!("{}: {e}", path.display())))?;
        return Ok(points.into_iter().map(|p| p.fix).collect());
    }
    let mut opts = SimOptions::planned(&content.pack, &course.route);
    opts.outliers = 3;
    opts.excursion = course.stops.iter().position(|s| s.position.is_some()).map(|to| Excursion { to, metres: 120.0 });
    Ok(parcours_core::walk::simulate::simulate(course, network, &opts).fixes)
}

/// "Record this stop's position here": the last position of the current walk, if it is recent and real.
#[tauri::command]
fn record_position(
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    following: State<'_, Following>,
    users: State<'_, Users>,
    stop: String,
) -> Result<Vec<Correction>, AppError> {
    let content = loaded.get()?;
    if content.pack.stops.iter().all(|s| s.id.as_str() != stop) {
        return Err(AppError { code: "unknown_stop".into(), message: format!("no stop \"{stop}\" in this visit") });
    }
    let slot = following.0.lock().map_err(|_| busy())?;
    let session = slot.as_ref().ok_or_else(no_position)?;
    if session.simulated {
        return Err(AppError { code: "simulated".into(), message: "a simulated position is not recorded".into() });
    }
    let fix = session.state.last.ok_or_else(no_position)?;
    let now = clock.now_in(&content.pack.event.timezone);
    if (now - fix.time).num_seconds() > 120 {
        return Err(no_position());
    }
    let correction =
        Correction { id: 0, stop, lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m, recorded_at: fix.time };
    let pack_id = content.pack.pack.id.clone();
    users.with(|db| {
        db.add_correction(&pack_id, &correction)?;
        db.corrections(&pack_id)
    })
}

fn no_position() -> AppError {
    AppError { code: "no_position".into(), message: "no recent position to record".into() }
}

#[tauri::command]
fn corrections(loaded: State<'_, Loaded>, users: State<'_, Users>) -> Result<Vec<Correction>, AppError> {
    let content = loaded.get()?;
    users.with(|db| db.corrections(&content.pack.pack.id))
}

/// Writes the recorded positions as GeoJSON for the organiser, in the Downloads folder (or the app's data
/// folder), and returns the file's path.
#[tauri::command]
fn export_corrections<R: Runtime>(
    app: tauri::AppHandle<R>,
    loaded: State<'_, Loaded>,
    clock: State<'_, Clock>,
    users: State<'_, Users>,
) -> Result<String, AppError> {
    let content = loaded.get()?;
    let list = users.with(|db| db.corrections(&content.pack.pack.id))?;
    let text = parcours_core::export::corrections_geojson(&content.pack, &list);
    let now = clock.now_in(&content.pack.event.timezone);
    let name = format!("parcours-positions-{}-{}.geojson", content.pack.pack.id, now.format("%Y%m%d-%H%M"));
    Ok(files::write_out(&app, &name, &(text + "\n"))?.display().to_string())
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

/// The app on any runtime: the real one in `run`, the mock one in tests. It opens the pack (given in
/// `options`, else the one in the app's resources) and the user database (in `options.data`, else the
/// app's data folder).
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, options: Options) -> tauri::Builder<R> {
    let clock = Clock(options.now.map(|t| (t, std::time::Instant::now())));
    let builder = builder
        .manage(clock)
        .manage(Following::default())
        .manage(Replay(options.replay.clone()))
        .manage(files::OutDir(options.out.clone()))
        .manage(files::Receiving::default())
        .invoke_handler(tauri::generate_handler![
            pack,
            search,
            day_status,
            walk_plan,
            follow_start,
            follow_reset,
            follow_fix,
            check,
            run_sheet,
            simulate,
            record_position,
            corrections,
            export_corrections,
            user_data,
            worksheets,
            worksheet_new,
            worksheet_set,
            worksheets_removed,
            worksheet_remove,
            worksheet_restore,
            files::worksheets_other_visits,
            notes,
            note_set,
            readiness,
            files::handover_codes,
            files::handover_read,
            files::handover_text,
            files::handover_cancel,
            files::worksheets_save,
            files::bank_import,
            files::bank_export,
            files::backup
        ]);
    let report = |what: &str, e: &AppError| eprintln!("parcours: {what}{}", e.message);
    // What `options` names is opened at once (the mock runtime of the tests runs no `setup`); the rest in
    // `setup`, where the app's folders are known.
    let (pack_given, data_given) = (options.pack.is_some(), options.data.is_some());
    let mut builder = builder;
    if let Some(path) = options.pack {
        let content = open(Some(path), Err(tauri::Error::UnknownPath));
        if let Err(e) = &content {
            report("", e);
        }
        builder = builder.manage(Loaded(content));
    }
    if let Some(dir) = options.data {
        let users = open_users(Some(dir));
        if let Err(e) = &users {
            report("user data: ", e);
        }
        builder = builder.manage(Users::new(users));
    }
    builder.setup(move |app| {
        if !pack_given {
            let content = open(None, app.path().resource_dir());
            if let Err(e) = &content {
                report("", e);
            }
            app.manage(Loaded(content));
        }
        if !data_given {
            let users = open_users(app.path().app_data_dir().ok());
            if let Err(e) = &users {
                report("user data: ", e);
            }
            app.manage(Users::new(users));
        }
        Ok(())
    })
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
        .map(|body| body.deserialize::<Value>().expect("json"))
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
