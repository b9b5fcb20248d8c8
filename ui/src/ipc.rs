//! Typed calls to the app's commands over Tauri's `invoke`. Every failure becomes an [`IpcError`] with a
//! code; nothing here panics.

use parcours_core::pack::Pack;
use parcours_core::schedule::DayStatus;
use parcours_core::search::SearchHit;
use parcours_core::status::{Code, Readiness, Received, Saved, UserDataStatus};
use parcours_core::userdata::{ExportedWorksheet, ImportReport};
use parcours_core::walk::guide::RunSheet;
use parcours_core::walk::{Correction, Fix, FollowView, RoutePath};
use parcours_core::worksheet::{Note, Removed, WorksheetDoc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// The shell's `{ code, message }`, or a local failure (`no_shell`, `bad_reply`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke)]
    async fn tauri_invoke_with(cmd: &str, args: JsValue, options: JsValue) -> Result<JsValue, JsValue>;
}

fn in_tauri() -> bool {
    web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &JsValue::from_str("__TAURI_INTERNALS__")).unwrap_or(false))
}

async fn invoke<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, IpcError> {
    if !in_tauri() {
        return Err(IpcError { code: "no_shell".into(), message: "Parcours runs inside its app.".into() });
    }
    let args = args
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| IpcError { code: "bad_reply".into(), message: e.to_string() })?;
    reply(tauri_invoke(cmd, args).await)
}

fn reply<T: DeserializeOwned>(answer: Result<JsValue, JsValue>) -> Result<T, IpcError> {
    match answer {
        Ok(value) => serde_wasm_bindgen::from_value(value)
            .map_err(|e| IpcError { code: "bad_reply".into(), message: e.to_string() }),
        Err(error) => Err(serde_wasm_bindgen::from_value(error.clone())
            .unwrap_or_else(|_| IpcError { code: "ipc".into(), message: format!("{error:?}") })),
    }
}

/// Sends `bytes` as the raw body of the call (a picture, a file), with `file` as its name, if any.
async fn invoke_bytes<T: DeserializeOwned>(cmd: &str, bytes: &[u8], file: Option<&str>) -> Result<T, IpcError> {
    if !in_tauri() {
        return Err(IpcError { code: "no_shell".into(), message: "Parcours runs inside its app.".into() });
    }
    let body = js_sys::Uint8Array::from(bytes);
    let headers = js_sys::Object::new();
    if let Some(name) = file {
        // Header values are ASCII: the name is percent-encoded.
        let encoded: String = js_sys::encode_uri_component(name).into();
        let _ = js_sys::Reflect::set(&headers, &"Parcours-File".into(), &encoded.into());
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"headers".into(), &headers);
    reply(tauri_invoke_with(cmd, body.into(), options.into()).await)
}

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct SearchArgs<'a> {
    query: &'a str,
    lang: Option<&'a str>,
}

pub async fn pack() -> Result<Pack, IpcError> {
    invoke("pack", &NoArgs {}).await
}

pub async fn day_status() -> Result<DayStatus, IpcError> {
    invoke("day_status", &NoArgs {}).await
}

pub async fn search(query: &str, lang: &str) -> Result<Vec<SearchHit>, IpcError> {
    invoke("search", &SearchArgs { query, lang: Some(lang) }).await
}

#[derive(Serialize)]
struct RouteArgs<'a> {
    route: &'a str,
}

#[derive(Serialize)]
struct StartArgs<'a> {
    route: &'a str,
    restart: bool,
    simulated: bool,
}

/// A position for the shell: from the webview's geolocation (no time: the shell's clock) or a simulation.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FixIn {
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: Option<f64>,
    pub time: Option<chrono::NaiveDateTime>,
}

#[derive(Serialize)]
struct FixArgs<'a> {
    route: &'a str,
    fix: FixIn,
}

#[derive(Serialize)]
struct CheckArgs<'a> {
    route: &'a str,
    stop: Option<&'a str>,
}

pub async fn walk_plan(route: &str) -> Result<RoutePath, IpcError> {
    invoke("walk_plan", &RouteArgs { route }).await
}

pub async fn follow_start(route: &str, restart: bool, simulated: bool) -> Result<FollowView, IpcError> {
    invoke("follow_start", &StartArgs { route, restart, simulated }).await
}

pub async fn follow_fix(route: &str, fix: FixIn) -> Result<FollowView, IpcError> {
    invoke("follow_fix", &FixArgs { route, fix }).await
}

/// Check in at `stop`, or (None) check out of the stop the group is at.
pub async fn check(route: &str, stop: Option<&str>) -> Result<FollowView, IpcError> {
    invoke("check", &CheckArgs { route, stop }).await
}

pub async fn run_sheet(route: &str) -> Result<RunSheet, IpcError> {
    invoke("run_sheet", &RouteArgs { route }).await
}

pub async fn simulate(route: &str) -> Result<Vec<Fix>, IpcError> {
    invoke("simulate", &RouteArgs { route }).await
}

#[derive(Serialize)]
struct StopArgs<'a> {
    stop: &'a str,
}

pub async fn follow_reset(route: &str) -> Result<FollowView, IpcError> {
    invoke("follow_reset", &RouteArgs { route }).await
}

pub async fn record_position(stop: &str) -> Result<Vec<Correction>, IpcError> {
    invoke("record_position", &StopArgs { stop }).await
}

pub async fn corrections() -> Result<Vec<Correction>, IpcError> {
    invoke("corrections", &NoArgs {}).await
}

/// Writes the recorded positions to a GeoJSON file; returns its path.
pub async fn export_corrections() -> Result<String, IpcError> {
    invoke("export_corrections", &NoArgs {}).await
}

#[derive(Serialize)]
struct PermissionArgs {
    permissions: Vec<&'static str>,
}

/// On a phone, asks the system for the location permission (the Tauri geolocation plugin); the webview's
/// geolocation can then run. Elsewhere the plugin is not there and this fails harmlessly.
pub async fn request_location_permission() -> Result<serde_json::Value, IpcError> {
    invoke("plugin:geolocation|request_permissions", &PermissionArgs { permissions: vec!["location"] }).await
}

#[derive(Serialize)]
struct WorkshopArgs<'a> {
    workshop: &'a str,
}

#[derive(Serialize)]
struct FieldArgs<'a> {
    id: &'a str,
    field: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct IdArgs<'a> {
    id: &'a str,
}

/// The removed worksheets (kept on the device), most recently removed first.
pub async fn worksheets_removed() -> Result<Vec<Removed>, IpcError> {
    invoke("worksheets_removed", &NoArgs {}).await
}

/// The worksheets of other visits kept on this device, to be read.
pub async fn worksheets_other_visits() -> Result<Vec<ExportedWorksheet>, IpcError> {
    invoke("worksheets_other_visits", &NoArgs {}).await
}

/// Removes a worksheet from the lists (kept, can be put back); answers once on disk.
pub async fn worksheet_remove(id: &str) -> Result<(), IpcError> {
    invoke("worksheet_remove", &IdArgs { id }).await
}

/// Puts a removed worksheet back in the lists; answers once on disk.
pub async fn worksheet_restore(id: &str) -> Result<(), IpcError> {
    invoke("worksheet_restore", &IdArgs { id }).await
}

#[derive(Serialize)]
struct NoteArgs<'a> {
    stop: &'a str,
    text: &'a str,
}

pub async fn user_data() -> Result<UserDataStatus, IpcError> {
    invoke("user_data", &NoArgs {}).await
}

pub async fn worksheets() -> Result<Vec<WorksheetDoc>, IpcError> {
    invoke("worksheets", &NoArgs {}).await
}

pub async fn worksheet_new(workshop: &str) -> Result<WorksheetDoc, IpcError> {
    invoke("worksheet_new", &WorkshopArgs { workshop }).await
}

/// Saves one field (`"rating"`: the rating); answers once it is on disk.
pub async fn worksheet_set(id: &str, field: &str, value: &str) -> Result<WorksheetDoc, IpcError> {
    invoke("worksheet_set", &FieldArgs { id, field, value }).await
}

pub async fn notes() -> Result<Vec<Note>, IpcError> {
    invoke("notes", &NoArgs {}).await
}

/// Saves a stop's note (`stop = ""`: the day's); answers once it is on disk.
pub async fn note_set(stop: &str, text: &str) -> Result<(), IpcError> {
    invoke("note_set", &NoteArgs { stop, text }).await
}

pub async fn readiness() -> Result<Readiness, IpcError> {
    invoke("readiness", &NoArgs {}).await
}

#[derive(Serialize)]
struct IdsArgs<'a> {
    ids: &'a [String],
}

#[derive(Serialize)]
struct SaveArgs<'a> {
    ids: &'a [String],
    lang: &'a str,
}

#[derive(Serialize)]
struct LangArgs<'a> {
    lang: &'a str,
}

/// The QR codes handing over these worksheets.
pub async fn handover_codes(ids: &[String]) -> Result<Vec<Code>, IpcError> {
    invoke("handover_codes", &IdsArgs { ids }).await
}

/// A photo or screenshot of codes (PNG, JPEG).
pub async fn handover_read(picture: &[u8]) -> Result<Received, IpcError> {
    invoke_bytes("handover_read", picture, None).await
}

pub async fn handover_cancel() -> Result<(), IpcError> {
    invoke("handover_cancel", &NoArgs {}).await
}

/// Saves the worksheets as JSON + Markdown files; where they are.
pub async fn worksheets_save(ids: &[String], lang: &str) -> Result<Saved, IpcError> {
    invoke("worksheets_save", &SaveArgs { ids, lang }).await
}

/// One worksheets file into the project bank.
pub async fn bank_import(name: &str, bytes: &[u8]) -> Result<ImportReport, IpcError> {
    invoke_bytes("bank_import", bytes, Some(name)).await
}

/// The project bank as CSV; the file's path.
pub async fn bank_export(lang: &str) -> Result<String, IpcError> {
    invoke("bank_export", &LangArgs { lang }).await
}

/// All the user data saved to a file; the file's path.
pub async fn backup() -> Result<String, IpcError> {
    invoke("backup", &NoArgs {}).await
}
