//! The Parcours app shell. It knows Tauri; it knows no business rule: each command is one line over
//! `parcours-core`. State is created in `setup` and managed; no global handle.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use parcours_core::pack::Pack;
use parcours_core::schedule::DayStatus;
use parcours_core::store::{PackFile, SearchHit, StoreError};
use serde::Serialize;
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

/// The visit, opened once at start-up (read-only, in place: nothing is copied).
struct Content {
    pack: Arc<Pack>,
    file: Mutex<PackFile>,
}

/// The content, or why it could not be opened (every command then answers with that error).
struct Loaded(Result<Content, AppError>);

impl Loaded {
    fn get(&self) -> Result<&Content, AppError> {
        self.0.as_ref().map_err(Clone::clone)
    }
}

struct Clock(Option<NaiveDateTime>);

impl Clock {
    /// Now, as a wall-clock time in `timezone` (the event's).
    fn now_in(&self, timezone: &str) -> NaiveDateTime {
        self.0.unwrap_or_else(|| {
            let utc = chrono::Utc::now();
            match timezone.parse::<chrono_tz::Tz>() {
                Ok(tz) => utc.with_timezone(&tz).naive_local(),
                Err(_) => utc.naive_utc(),
            }
        })
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

fn open(path: Option<PathBuf>, resources: Result<PathBuf, tauri::Error>) -> Result<Content, AppError> {
    let path = match (path, resources) {
        (Some(path), _) => path,
        (None, Ok(dir)) => dir.join("packs/bayonne-2024.parcours"),
        (None, Err(e)) => return Err(AppError { code: "no_resources".into(), message: e.to_string() }),
    };
    let file = PackFile::open(&path)?;
    Ok(Content { pack: Arc::new(file.pack().clone()), file: Mutex::new(file) })
}

/// The app on any runtime: the real one in `run`, the mock one in tests. A pack given in `options` is
/// opened at once; otherwise the one in the app's resources is, in `setup` (where the path is known).
pub fn app_builder<R: Runtime>(builder: tauri::Builder<R>, options: Options) -> tauri::Builder<R> {
    let builder = builder.manage(Clock(options.now)).invoke_handler(tauri::generate_handler![pack, search, day_status]);
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
    fn a_missing_pack_is_an_error_with_a_code_not_a_crash() {
        let window = app(Options { pack: Some(PathBuf::from("/nonexistent/bayonne.parcours")), now: None });
        let error = call(&window, "pack", json!({})).expect_err("no pack");
        assert_eq!(error["code"], "not_found");
        assert!(error["message"].as_str().is_some_and(|m| m.contains("no such file")), "{error}");
        let error = call(&window, "search", json!({"query": "x"})).expect_err("no pack");
        assert_eq!(error["code"], "not_found");
    }
}
