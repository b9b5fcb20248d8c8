//! The web shell: the same command layer as the desktop app, compiled to wasm and run in a dedicated
//! module Worker (`worker.js`). The interface posts `{id, cmd, args}` (or `{id, cmd, bytes, name}` for a
//! file) and gets back `{id, ok: <the reply as JSON text>}` or `{id, err: {code, message}}`; a file made
//! for the person comes as `{file: {name, mime, bytes}}`, which the page shares or downloads. One line per call
//! over [`App::dispatch`], as in the Tauri shell.
//!
//! The pack is fetched from the site's own origin (the service worker answers from its cache when
//! there is no network) and opened from its bytes, in memory. The user database is `user.sqlite` in
//! the origin-private file system (OPFS) through SQLite's `sahpool` VFS (sync access handles, a
//! dedicated worker only, one connection, no WAL), with the same schema, migrations and checks as on
//! the desktop. One tab holds it: `worker.js` takes a Web Lock first; a second tab, or a browser with
//! no OPFS (some private windows), works in memory and the interface says nothing will be kept.

use std::path::Path;
use std::rc::Rc;

use chrono::{DateTime, NaiveDateTime, Utc};
use parcours_commands::{App, Content, Host, Input, Opened, Settings};
use parcours_core::store::UserDb;
use parcours_core::wire::{AppError, ErrorCode, OutFile, RawFile};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::DedicatedWorkerGlobalScope;

/// The pack the site serves beside the worker.
const PACK: &str = "visite.parcours";

/// The user database's name in OPFS (or in memory).
const USER_DB: &str = "user.sqlite";

/// Where the user data lives in this tab.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Storage {
    /// In OPFS: kept across reloads and restarts (until the browser or the person clears the site).
    Lasting,
    /// In memory: no OPFS here (a private window, an old browser), or it failed.
    Memory,
    /// In memory: another tab holds the data.
    Elsewhere,
}

/// What the browser gives the command layer. Holds nothing of JavaScript (the worker's scope is found
/// again at each call), so it can be shared like the desktop's host.
struct WebHost {
    storage: Storage,
    /// Why OPFS could not be used, if it was tried.
    note: Option<String>,
    /// What the site may still store, as the browser estimated it at start.
    free: Option<u64>,
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

impl Host for WebHost {
    fn now_utc(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }

    /// Eight hex digits from the browser's random source.
    fn new_device_id(&self) -> String {
        let mut bytes = [0u8; 4];
        if let Ok(crypto) = scope().crypto() {
            let _ = crypto.get_random_values_with_u8_array(&mut bytes);
        }
        format!("{:08x}", u32::from_le_bytes(bytes))
    }

    fn free_bytes(&self) -> Option<u64> {
        self.free
    }

    fn keeps_data(&self) -> bool {
        self.storage == Storage::Lasting
    }

    fn held_elsewhere(&self) -> bool {
        self.storage == Storage::Elsewhere
    }

    fn storage_note(&self) -> Option<String> {
        self.note.clone()
    }

    /// The page shares or downloads it (the worker has no folder of its own).
    fn save_file(&self, file: &OutFile) -> Result<String, AppError> {
        let message = js_sys::Object::new();
        let out = js_sys::Object::new();
        set(&out, "name", &JsValue::from_str(&file.name));
        set(&out, "mime", &JsValue::from_str(file.mime));
        set(&out, "bytes", &js_sys::Uint8Array::from(file.bytes.as_slice()).into());
        set(&message, "file", &out);
        scope().post_message(&message).map_err(|e| AppError::new(ErrorCode::Io, format!("{e:?}")))?;
        Ok(file.name.clone())
    }
}

/// The pack's bytes, from `fetching`: the request for it, made at the start.
async fn fetch_pack(fetching: js_sys::Promise) -> Result<Vec<u8>, AppError> {
    let failed = |e: JsValue| AppError::new(ErrorCode::NotFound, format!("{PACK}: {e:?}"));
    let response: web_sys::Response = JsFuture::from(fetching).await.map_err(failed)?.dyn_into().map_err(failed)?;
    if !response.ok() {
        return Err(AppError::new(ErrorCode::NotFound, format!("{PACK}: HTTP {}", response.status())));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(failed)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// `?now=2024-10-03T10:30` on the worker's address: the clock starts then (demonstrations, tests).
fn fixed_now() -> Option<NaiveDateTime> {
    let search = scope().location().search();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("now="))
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").ok())
}

/// One call from the page, answered.
fn answer(app: &App<WebHost>, data: &JsValue) -> JsValue {
    let get = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let id = get("id");
    let cmd = get("cmd").as_string().unwrap_or_default();
    let bytes = get("bytes");
    let input = if bytes.is_undefined() {
        match serde_wasm_bindgen::from_value::<serde_json::Value>(get("args")) {
            Ok(args) => Ok(Input::Json(args)),
            Err(e) => Err(AppError::new(ErrorCode::BadRequest, e.to_string())),
        }
    } else {
        let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
        Ok(Input::Raw(RawFile { name: get("name").as_string(), bytes }))
    };
    let reply = js_sys::Object::new();
    set(&reply, "id", &id);
    match input.and_then(|input| app.dispatch(&cmd, input)) {
        Ok(json) => set(&reply, "ok", &JsValue::from_str(&json)),
        Err(e) => {
            let error = js_sys::Object::new();
            set(&error, "code", &JsValue::from_str(&e.code.to_string()));
            set(&error, "message", &JsValue::from_str(&e.message));
            set(&reply, "err", &error);
        }
    }
    reply.into()
}

/// The browser's estimate of what the site may still store (quota − usage).
async fn estimate_free() -> Option<u64> {
    let estimate: web_sys::StorageEstimate =
        JsFuture::from(scope().navigator().storage().estimate().ok()?).await.ok()?.unchecked_into();
    Some(estimate.get_quota()?.max(0.0) as u64)
        .map(|quota| quota.saturating_sub(estimate.get_usage().unwrap_or(0.0) as u64))
}

/// The user database in OPFS when this tab holds the lock and the browser has OPFS; else in memory.
#[cfg(target_arch = "wasm32")]
async fn open_users(held: bool) -> (Storage, Option<String>, Opened) {
    use sqlite_wasm_vfs::sahpool::{OpfsSAHPoolCfgBuilder, install};
    let in_memory = || UserDb::open_or_set_aside(Path::new(USER_DB)).map_err(AppError::from);
    if !held {
        return (Storage::Elsewhere, None, in_memory());
    }
    // Slots for the database, its journal, snapshots before a migration and copies set aside.
    let config = OpfsSAHPoolCfgBuilder::new().initial_capacity(12).build();
    // The files of a page just closed (a reload) may still be held for a moment: a few tries.
    let mut note = None;
    for attempt in 0..5 {
        match install::<sqlite_wasm_rs::WasmOsCallback>(&config, true).await {
            Ok(pool) => return (Storage::Lasting, None, open_lasting(&pool)),
            Err(e) => {
                let unsupported = matches!(e, sqlite_wasm_vfs::sahpool::OpfsSAHError::NotSupported);
                note = Some(format!("OPFS: {e}"));
                if unsupported || attempt == 4 {
                    break;
                }
                sleep_ms(300).await;
            }
        }
    }
    (Storage::Memory, note, in_memory())
}

#[cfg(target_arch = "wasm32")]
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

#[cfg(not(target_arch = "wasm32"))]
async fn open_users(_held: bool) -> (Storage, Option<String>, Opened) {
    (Storage::Memory, None, UserDb::open_or_set_aside(Path::new(USER_DB)).map_err(AppError::from))
}

/// [`UserDb::open_or_set_aside`] in OPFS, where files are the pool's, not the file system's: a damaged
/// file is copied to `user.sqlite.damaged-N` (never deleted), a fresh database is made in its place and
/// what can be read of the old one is brought into it — as on the desktop.
#[cfg(target_arch = "wasm32")]
fn open_lasting(pool: &sqlite_wasm_vfs::sahpool::OpfsSAHPoolUtil) -> Opened {
    use parcours_core::status::SetAside;
    use parcours_core::store::StoreError;
    use sqlite_wasm_rs::vfs::VfsFilesManager;
    use sqlite_wasm_rs::vfs::transfer::DbTransfer;
    let reason = match UserDb::open(Path::new(USER_DB)) {
        Ok(db) => return Ok((db, None)),
        Err(error @ (StoreError::Corrupt { .. } | StoreError::NotAPack { .. })) => error.to_string(),
        Err(other) => return Err(other.into()),
    };
    let failed = |e: sqlite_wasm_vfs::sahpool::OpfsSAHError| AppError::new(ErrorCode::Io, format!("{USER_DB}: {e}"));
    let names = pool.names().map_err(failed)?;
    let aside = (1..)
        .map(|n| format!("{USER_DB}.damaged-{n}"))
        .find(|name| !names.contains(name))
        .unwrap_or_else(|| format!("{USER_DB}.damaged"));
    let bytes = pool.export_db(USER_DB).map_err(failed)?;
    pool.import_db_unchecked(&aside, &bytes).map_err(failed)?;
    pool.remove(USER_DB).map_err(failed)?;
    let _ = pool.remove(&format!("{USER_DB}-journal"));
    let mut db = UserDb::open(Path::new(USER_DB)).map_err(AppError::from)?;
    let (data, lost) = UserDb::recover(Path::new(&aside));
    let report = db.import(&data).map_err(AppError::from)?;
    Ok((db, Some(SetAside { moved_to: aside, reason, recovered: report.added, lost })))
}

/// Opens the visit and the user data, then gives `worker.js` the function that answers each message.
/// `held`: this tab holds the user data's Web Lock.
#[wasm_bindgen]
pub async fn start(held: bool) -> js_sys::Function {
    // The pack is fetched (from the service worker's cache) while the user data opens.
    let fetching = scope().fetch_with_str(PACK);
    let (storage, note, users) = open_users(held).await;
    let content = match fetch_pack(fetching).await {
        Ok(bytes) => Content::from_bytes(PACK, &bytes),
        Err(e) => Err(e),
    };
    let host = WebHost { storage, note, free: estimate_free().await };
    let app = Rc::new(App::new(host, Settings { now: fixed_now() }, content, users));
    let handle = Closure::<dyn Fn(JsValue)>::new(move |data: JsValue| {
        let _ = scope().post_message(&answer(&app, &data));
    });
    handle.into_js_value().unchecked_into()
}
