//! The web shell: the same command layer as the desktop app, compiled to wasm and run in a dedicated
//! module Worker (`worker.js`). The interface posts `{id, cmd, args}` (or `{id, cmd, bytes, name}` for a
//! file) and gets back `{id, ok: <the reply as JSON text>}` or `{id, err: {code, message}}`; a file made
//! for the person comes as `{file: {name, mime, bytes}}`, which the page downloads. One line per call
//! over [`App::dispatch`], as in the Tauri shell.
//!
//! The pack is fetched from the site's own origin and opened from its bytes, in memory. The user
//! database is, for now, in memory too (SQLite's memory VFS): nothing is kept after the page closes,
//! and the interface says so.

use std::path::Path;
use std::rc::Rc;

use chrono::{DateTime, NaiveDateTime, Utc};
use parcours_commands::{App, Content, Host, Input, Settings};
use parcours_core::store::UserDb;
use parcours_core::wire::{AppError, ErrorCode, OutFile, RawFile};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::DedicatedWorkerGlobalScope;

/// The pack the site serves beside the worker.
const PACK: &str = "bayonne-2024.parcours";

/// What the browser gives the command layer. Holds nothing of JavaScript (the worker's scope is found
/// again at each call), so it can be shared like the desktop's host.
struct WebHost;

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
        None
    }

    /// The user database is in SQLite's memory VFS for now.
    fn keeps_data(&self) -> bool {
        false
    }

    /// The page downloads it (the worker has no folder of its own).
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

async fn fetch_pack() -> Result<Vec<u8>, AppError> {
    let failed = |e: JsValue| AppError::new(ErrorCode::NotFound, format!("{PACK}: {e:?}"));
    let response: web_sys::Response =
        JsFuture::from(scope().fetch_with_str(PACK)).await.map_err(failed)?.dyn_into().map_err(failed)?;
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

/// Opens the visit and the user data, then gives `worker.js` the function that answers each message.
#[wasm_bindgen]
pub async fn start() -> js_sys::Function {
    let content = match fetch_pack().await {
        Ok(bytes) => Content::from_bytes(PACK, &bytes),
        Err(e) => Err(e),
    };
    // In memory for now: SQLite's default VFS here.
    let users = UserDb::open_or_set_aside(Path::new("user.sqlite")).map_err(AppError::from);
    let app = Rc::new(App::new(WebHost, Settings { now: fixed_now() }, content, users));
    let handle = Closure::<dyn Fn(JsValue)>::new(move |data: JsValue| {
        let _ = scope().post_message(&answer(&app, &data));
    });
    handle.into_js_value().unchecked_into()
}
