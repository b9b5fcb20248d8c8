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
//! the desktop. Where OPFS sync access handles are missing (WebKit before iOS 16.4, WebKitGTK, some
//! private windows), the database lives in memory and is kept whole in IndexedDB: its image written in
//! one transaction after each call that changed it, the call answered only once that transaction is
//! complete (see [`idb`]). One tab holds it: `worker.js` takes a Web Lock first; a second tab, or a
//! browser with neither, works in memory and the interface says nothing will be kept.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::rc::Rc;

use chrono::{DateTime, NaiveDateTime, Utc};
use parcours_commands::{App, Content, Host, Input, Opened, Settings};
use parcours_core::status::Storage as Kept;
use parcours_core::store::UserDb;
#[cfg(target_arch = "wasm32")]
use parcours_core::store::{is_damage, set_aside_name};
use parcours_core::wire::envelope;
use parcours_core::wire::{AppError, ErrorCode, OutFile, RawFile};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::DedicatedWorkerGlobalScope;

/// The pack the site serves beside the worker.
const PACK: &str = "visite.parcours";

/// The user database's name in OPFS (or in memory).
const USER_DB: &str = "user.sqlite";

/// Where the user data lives in this tab. (Built natively only for the tests and clippy, where there is
/// neither OPFS nor IndexedDB.)
#[derive(Clone, Copy, PartialEq, Debug)]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
enum Storage {
    /// In OPFS: kept across reloads and restarts (until the browser or the person clears the site).
    Lasting,
    /// In memory, its image kept whole in IndexedDB after each change: kept as in OPFS.
    IndexedDb,
    /// In memory: neither OPFS nor IndexedDB here (a private window, an old browser), or they failed.
    Memory,
    /// In memory: another tab holds the data.
    Elsewhere,
}

/// The IndexedDB side of [`Storage::IndexedDb`]: one database `parcours`, one object store `files`,
/// the user database's image under `user.sqlite` and images set aside under `user.sqlite.damaged-N`.
/// Each write is one transaction with `durability: "strict"` (flushed before it completes where the
/// browser offers the choice), resolved on `complete` and refused on `error` or `abort` (a full disk:
/// `QuotaExceededError`).
mod idb {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(inline_js = r#"
export function open() {
  return new Promise((resolve, reject) => {
    if (!self.indexedDB) return reject(new Error("no IndexedDB"));
    const request = indexedDB.open("parcours", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("files");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("IndexedDB blocked"));
  });
}
export function read(db) {
  return new Promise((resolve, reject) => {
    const store = db.transaction("files", "readonly").objectStore("files");
    const keys = store.getAllKeys(), values = store.getAll();
    values.onsuccess = () => resolve(keys.result.map((k, i) => [String(k), new Uint8Array(values.result[i])]));
    values.onerror = () => reject(values.error);
  });
}
export function write(db, puts, deletes) {
  return new Promise((resolve, reject) => {
    let tx;
    try { tx = db.transaction("files", "readwrite", { durability: "strict" }); }
    catch { tx = db.transaction("files", "readwrite"); }
    const store = tx.objectStore("files");
    for (const [name, bytes] of puts) store.put(bytes, name);
    for (const name of deletes) store.delete(name);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("aborted"));
  });
}
"#)]
    extern "C" {
        #[wasm_bindgen(catch)]
        pub fn open() -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch)]
        pub fn read(db: &JsValue) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch)]
        pub fn write(db: &JsValue, puts: &js_sys::Array, deletes: &js_sys::Array) -> Result<js_sys::Promise, JsValue>;
    }
}

/// The browser's own time zone database (`Intl`), so the worker ships none: the offset of `zone` from
/// UTC at `ms` (milliseconds since 1970), in seconds; NaN if the browser does not know the zone. One
/// formatter per zone, kept.
mod zone {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(inline_js = r#"
const formats = new Map();
export function offset(ms, zone) {
  let format = formats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric",
        month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    } catch { return NaN; }
    formats.set(zone, format);
  }
  const at = Math.floor(ms / 1000) * 1000, part = {};
  for (const { type, value } of format.formatToParts(new Date(at))) part[type] = Number(value);
  return (Date.UTC(part.year, part.month - 1, part.day, part.hour % 24, part.minute, part.second) - at) / 1000;
}
"#)]
    extern "C" {
        pub fn offset(ms: f64, zone: &str) -> f64;
    }
}

/// The user data's IndexedDB: the names of the images set aside there, and
/// [`parcours_commands::App::user_image`]'s count at the last write (`u64::MAX`: write at the next call).
struct Indexed {
    db: JsValue,
    aside: RefCell<Vec<String>>,
    seen: Cell<u64>,
}

thread_local! {
    /// Set when this tab keeps its data in IndexedDB (the worker is one thread).
    static INDEXED: RefCell<Option<Rc<Indexed>>> = const { RefCell::new(None) };
    /// The user data was erased since the last call ([`Host::erased`]): the copies set aside go too.
    static ERASED: Cell<bool> = const { Cell::new(false) };
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

    fn local_time(&self, utc: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
        local_time(utc, zone)
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
        matches!(self.storage, Storage::Lasting | Storage::IndexedDb)
    }

    fn storage(&self) -> Kept {
        match self.storage {
            Storage::Lasting => Kept::Opfs,
            Storage::IndexedDb => Kept::IndexedDb,
            Storage::Memory | Storage::Elsewhere => Kept::Memory,
        }
    }

    fn erased(&self) {
        ERASED.with(|e| e.set(true));
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
        set(&out, envelope::NAME, &JsValue::from_str(&file.name));
        set(&out, envelope::MIME, &JsValue::from_str(file.mime));
        set(&out, envelope::BYTES, &js_sys::Uint8Array::from(file.bytes.as_slice()).into());
        set(&message, envelope::FILE, &out);
        scope().post_message(&message).map_err(|e| AppError::new(ErrorCode::Io, format!("{e:?}")))?;
        Ok(file.name.clone())
    }
}

/// `utc` in `zone`, from the browser's database. (Natively, for the tests and clippy: chrono-tz's.)
#[cfg(target_arch = "wasm32")]
fn local_time(utc: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
    let seconds = zone::offset(utc.timestamp_millis() as f64, zone);
    // A real offset is within a day, and whole seconds.
    (seconds.is_finite() && seconds.abs() < 86_400.0)
        .then(|| utc.naive_utc() + chrono::Duration::seconds(seconds as i64))
}

#[cfg(not(target_arch = "wasm32"))]
fn local_time(utc: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
    parcours_core::schedule::local_time(utc, zone)
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

/// `?now=2024-10-03T10:30` on the worker's address: the clock starts then (demonstrations, tests), on
/// a page served from this machine or in a debug build only; a published site keeps the real clock.
fn fixed_now() -> Option<NaiveDateTime> {
    let location = scope().location();
    if !cfg!(debug_assertions) && !parcours_core::links::on_this_machine(&location.hostname()) {
        return None;
    }
    let search = location.search();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("now="))
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").ok())
}

/// One call from the page, answered.
fn answer(app: &App<WebHost>, data: &JsValue) -> js_sys::Object {
    let get = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let id = get(envelope::ID);
    let cmd = get(envelope::CMD).as_string().unwrap_or_default();
    let bytes = get(envelope::BYTES);
    let input = if bytes.is_undefined() {
        match serde_wasm_bindgen::from_value::<serde_json::Value>(get(envelope::ARGS)) {
            Ok(args) => Ok(Input::Json(args)),
            Err(e) => Err(AppError::new(ErrorCode::BadRequest, e.to_string())),
        }
    } else {
        let bytes = js_sys::Uint8Array::new(&bytes).to_vec();
        Ok(Input::Raw(RawFile { name: get(envelope::NAME).as_string(), bytes }))
    };
    let reply = js_sys::Object::new();
    set(&reply, envelope::ID, &id);
    match input.and_then(|input| app.dispatch(&cmd, input)) {
        Ok(json) => set(&reply, envelope::OK, &JsValue::from_str(&json)),
        Err(e) => set(&reply, envelope::ERR, &error_value(&e)),
    }
    reply
}

/// `{code, message}`, as the interface reads a failure.
fn error_value(e: &AppError) -> JsValue {
    let error = js_sys::Object::new();
    set(&error, "code", &JsValue::from_str(&e.code.to_string()));
    set(&error, "message", &JsValue::from_str(&e.message));
    error.into()
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
    match open_indexed().await {
        Ok(opened) => (Storage::IndexedDb, None, opened),
        Err(e) => {
            let why = note.map_or_else(|| format!("IndexedDB: {e}"), |opfs| format!("{opfs} — IndexedDB: {e}"));
            (Storage::Memory, Some(why), in_memory())
        }
    }
}

/// The user database from its image in IndexedDB ([`UserDb::open_image`]): a damaged image is kept
/// there as `user.sqlite.damaged-N` before anything else is written. Sets [`INDEXED`].
#[cfg(target_arch = "wasm32")]
async fn open_indexed() -> Result<Opened, String> {
    let text = |e: JsValue| e.as_string().unwrap_or_else(|| format!("{e:?}"));
    let db = JsFuture::from(idb::open().map_err(text)?).await.map_err(text)?;
    let entries = JsFuture::from(idb::read(&db).map_err(text)?).await.map_err(text)?;
    let (mut image, mut aside) = (Vec::new(), Vec::new());
    for entry in js_sys::Array::from(&entries).iter() {
        let pair = js_sys::Array::from(&entry);
        let name = pair.get(0).as_string().unwrap_or_default();
        if name == USER_DB {
            image = js_sys::Uint8Array::new(&pair.get(1)).to_vec();
        } else {
            aside.push(name);
        }
    }
    let free = set_aside_name(USER_DB, |n| aside.iter().any(|a| a == n));
    let opened = UserDb::open_image(Path::new(USER_DB), &image, &format!("{free} (IndexedDB)")).map_err(AppError::from);
    if let Ok((_, Some(_))) = &opened {
        let puts = js_sys::Array::of1(&js_sys::Array::of2(
            &JsValue::from_str(&free),
            &js_sys::Uint8Array::from(image.as_slice()),
        ));
        JsFuture::from(idb::write(&db, &puts, &js_sys::Array::new()).map_err(text)?).await.map_err(text)?;
        aside.push(free);
    }
    let indexed = Indexed { db, aside: RefCell::new(aside), seen: Cell::new(u64::MAX) };
    INDEXED.with(|i| *i.borrow_mut() = Some(Rc::new(indexed)));
    Ok(opened)
}

/// After a call, in IndexedDB mode: the database's image written if it changed (and the copies set
/// aside removed after an erase), in one transaction, awaited to its end. A failure is the call's.
async fn keep_indexed(app: &App<WebHost>) -> Result<(), AppError> {
    let Some(indexed) = INDEXED.with(|i| i.borrow().clone()) else { return Ok(()) };
    let erased = ERASED.with(|e| e.replace(false));
    let puts = js_sys::Array::new();
    let deletes = js_sys::Array::new();
    if let Some((changes, image)) = app.user_image(indexed.seen.get()) {
        let image = image?;
        puts.push(&js_sys::Array::of2(&JsValue::from_str(USER_DB), &js_sys::Uint8Array::from(image.as_slice())));
        indexed.seen.set(changes);
    }
    if erased {
        for name in indexed.aside.borrow_mut().drain(..) {
            deletes.push(&JsValue::from_str(&name));
        }
    }
    if puts.length() == 0 && deletes.length() == 0 {
        return Ok(());
    }
    let failed = |e: JsValue| {
        // Written again at the next call.
        indexed.seen.set(u64::MAX);
        let name = js_sys::Reflect::get(&e, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
        let code = if name.as_deref() == Some("QuotaExceededError") { ErrorCode::DiskFull } else { ErrorCode::Io };
        AppError::new(
            code,
            format!("{USER_DB} (IndexedDB): {}", e.as_string().or(name).unwrap_or_else(|| format!("{e:?}"))),
        )
    };
    let writing = idb::write(&indexed.db, &puts, &deletes).map_err(failed)?;
    JsFuture::from(writing).await.map(|_| ()).map_err(failed)
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
    use sqlite_wasm_rs::vfs::VfsFilesManager;
    use sqlite_wasm_rs::vfs::transfer::DbTransfer;
    let reason = match UserDb::open(Path::new(USER_DB)) {
        Ok(db) => return Ok((db, None)),
        Err(error) if is_damage(&error) => error.to_string(),
        Err(other) => return Err(other.into()),
    };
    let failed = |e: sqlite_wasm_vfs::sahpool::OpfsSAHError| AppError::new(ErrorCode::Io, format!("{USER_DB}: {e}"));
    let names = pool.names().map_err(failed)?;
    let aside = set_aside_name(USER_DB, |n| names.iter().any(|name| name == n));
    let bytes = pool.export_db(USER_DB).map_err(failed)?;
    pool.import_db_unchecked(&aside, &bytes).map_err(failed)?;
    pool.remove(USER_DB).map_err(failed)?;
    let _ = pool.remove(&format!("{USER_DB}-journal"));
    let (db, set_aside) =
        UserDb::fresh_after(Path::new(USER_DB), Path::new(&aside), aside.clone(), reason).map_err(AppError::from)?;
    Ok((db, Some(set_aside)))
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
        if INDEXED.with(|i| i.borrow().is_none()) {
            let _ = scope().post_message(&answer(&app, &data));
            return;
        }
        // Answered once what the call changed is in IndexedDB (calls run in the order they came; their
        // writes complete in that order).
        let app = app.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let reply = answer(&app, &data);
            if let Err(e) = keep_indexed(&app).await {
                let _ = js_sys::Reflect::delete_property(&reply, &JsValue::from_str(envelope::OK));
                set(&reply, envelope::ERR, &error_value(&e));
            }
            let _ = scope().post_message(&reply);
        });
    });
    handle.into_js_value().unchecked_into()
}
