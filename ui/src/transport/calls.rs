//! Typed calls to the app's commands, over Tauri's IPC or the web app's worker, by the wire contract
//! ([`parcours_core::wire`]): each command's name, arguments and reply are its types. Every failure
//! becomes an [`IpcError`] with a code; nothing here panics.

use parcours_core::pack::Pack;
use parcours_core::schedule::DayStatus;
use parcours_core::search::SearchHit;
use parcours_core::status::{Code, Readiness, Received, Saved, UserDataStatus};
use parcours_core::userdata::{ExportedWorksheet, ImportReport};
use parcours_core::walk::guide::RunSheet;
use parcours_core::walk::{Correction, Fix, FollowView, RoutePath};
pub use parcours_core::wire::FixIn;
use parcours_core::wire::{self, Command, ErrorCode, NoArgs};
use parcours_core::worksheet::{Note, Removed, WorksheetDoc};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::reply::{IpcError, decode};
use super::tauri::{self, in_tauri};
use super::worker;
use crate::platform::browser;

/// Calls the command `C` with its arguments; its reply, typed. A new command of the contract needs
/// nothing more here: `transport::call::<wire::NewCommand>(args)`. The wrappers below only name the
/// arguments.
pub async fn call<C: Command>(args: C::Args) -> Result<C::Reply, IpcError> {
    let args = serde_json::to_string(&args).map_err(|e| IpcError::new(ErrorCode::BadRequest, e.to_string()))?;
    decode(answer(C::NAME, &args).await)
}

/// The JSON bytes of `cmd`'s reply to `args` (JSON text): in the Tauri app over its IPC ([`tauri`]), in
/// a browser from the command layer's worker ([`worker`]). Written once for every command: only
/// [`decode`] depends on the reply's type.
async fn answer(cmd: &str, args: &str) -> Result<Vec<u8>, IpcError> {
    let args =
        js_sys::JSON::parse(args).map_err(|_| IpcError::new(ErrorCode::BadRequest, format!("{cmd}: arguments")))?;
    if in_tauri() {
        tauri::invoke(cmd, args).await
    } else {
        worker::call(cmd, args, None).await.map(String::into_bytes)
    }
}

/// Sends `bytes` as the raw body of the call `C` (a picture, a file), with `file` as its name, if any.
async fn call_raw<C: Command<Args = wire::RawFile>>(bytes: &[u8], file: Option<&str>) -> Result<C::Reply, IpcError> {
    decode(raw_answer(C::NAME, bytes, file).await)
}

async fn raw_answer(cmd: &str, bytes: &[u8], file: Option<&str>) -> Result<Vec<u8>, IpcError> {
    if in_tauri() {
        tauri::invoke_raw(cmd, bytes, file).await
    } else {
        let bytes = js_sys::Uint8Array::from(bytes).into();
        worker::call(cmd, JsValue::UNDEFINED, Some((bytes, file))).await.map(String::into_bytes)
    }
}

fn route(route: &str) -> wire::RouteArgs {
    wire::RouteArgs { route: route.to_owned() }
}

pub async fn pack() -> Result<Pack, IpcError> {
    call::<wire::PackCmd>(NoArgs {}).await
}

pub async fn day_status() -> Result<DayStatus, IpcError> {
    call::<wire::DayStatusCmd>(NoArgs {}).await
}

pub async fn search(query: &str, lang: &str) -> Result<Vec<SearchHit>, IpcError> {
    call::<wire::Search>(wire::QueryArgs { query: query.to_owned(), lang: Some(lang.to_owned()) }).await
}

pub async fn walk_plan(r: &str) -> Result<RoutePath, IpcError> {
    call::<wire::WalkPlan>(route(r)).await
}

pub async fn follow_start(route: &str, restart: bool, simulated: bool) -> Result<FollowView, IpcError> {
    call::<wire::FollowStart>(wire::StartArgs { route: route.to_owned(), restart, simulated }).await
}

pub async fn follow_fix(route: &str, fix: FixIn) -> Result<FollowView, IpcError> {
    call::<wire::FollowFix>(wire::FixArgs { route: route.to_owned(), fix }).await
}

/// Check in at `stop`, or (None) check out of the stop the group is at.
pub async fn check(route: &str, stop: Option<&str>) -> Result<FollowView, IpcError> {
    call::<wire::Check>(wire::CheckArgs { route: route.to_owned(), stop: stop.map(str::to_owned) }).await
}

pub async fn run_sheet(r: &str) -> Result<RunSheet, IpcError> {
    call::<wire::RunSheetCmd>(route(r)).await
}

pub async fn simulate(r: &str) -> Result<Vec<Fix>, IpcError> {
    call::<wire::Simulate>(route(r)).await
}

pub async fn follow_reset(r: &str) -> Result<FollowView, IpcError> {
    call::<wire::FollowReset>(route(r)).await
}

pub async fn stop_photo(stop: &str) -> Result<wire::Picture, IpcError> {
    call::<wire::StopPhoto>(wire::StopArgs { stop: stop.to_owned() }).await
}

pub async fn stop_audio(stop: &str, lang: &str) -> Result<wire::AudioClip, IpcError> {
    call::<wire::StopAudio>(wire::AudioArgs { stop: stop.to_owned(), lang: lang.to_owned() }).await
}

pub async fn record_position(stop: &str) -> Result<Vec<Correction>, IpcError> {
    call::<wire::RecordPosition>(wire::StopArgs { stop: stop.to_owned() }).await
}

pub async fn corrections() -> Result<Vec<Correction>, IpcError> {
    call::<wire::Corrections>(NoArgs {}).await
}

/// Writes the recorded positions to a GeoJSON file; returns its path.
pub async fn export_corrections() -> Result<String, IpcError> {
    call::<wire::ExportCorrections>(NoArgs {}).await
}

#[derive(Serialize)]
struct PermissionArgs {
    permissions: Vec<&'static str>,
}

/// On a phone, asks the system for the location permission (the Tauri geolocation plugin); the webview's
/// geolocation can then run. Elsewhere the plugin is not there and this fails harmlessly.
pub async fn request_location_permission() -> Result<serde_json::Value, IpcError> {
    let args = serde_json::to_string(&PermissionArgs { permissions: vec!["location"] })
        .map_err(|e| IpcError::new(ErrorCode::BadRequest, e.to_string()))?;
    decode(answer("plugin:geolocation|request_permissions", &args).await)
}

/// The removed worksheets (kept on the device), most recently removed first.
pub async fn worksheets_removed() -> Result<Vec<Removed>, IpcError> {
    call::<wire::WorksheetsRemoved>(NoArgs {}).await
}

/// The worksheets of other visits kept on this device, to be read.
pub async fn worksheets_other_visits() -> Result<Vec<ExportedWorksheet>, IpcError> {
    call::<wire::WorksheetsOtherVisits>(NoArgs {}).await
}

/// Removes a worksheet from the lists (kept, can be put back); answers once on disk.
pub async fn worksheet_remove(id: &str) -> Result<(), IpcError> {
    call::<wire::WorksheetRemove>(wire::IdArgs { id: id.to_owned() }).await
}

/// Puts a removed worksheet back in the lists; answers once on disk.
pub async fn worksheet_restore(id: &str) -> Result<(), IpcError> {
    call::<wire::WorksheetRestore>(wire::IdArgs { id: id.to_owned() }).await
}

pub async fn user_data() -> Result<UserDataStatus, IpcError> {
    call::<wire::UserData>(NoArgs {}).await
}

pub async fn worksheets() -> Result<Vec<WorksheetDoc>, IpcError> {
    call::<wire::Worksheets>(NoArgs {}).await
}

pub async fn worksheet_new(workshop: &str) -> Result<WorksheetDoc, IpcError> {
    saved(call::<wire::WorksheetNew>(wire::WorkshopArgs { workshop: workshop.to_owned() }).await)
}

/// In a browser, the first thing saved asks it to keep the site's data for good.
fn saved<T>(reply: Result<T, IpcError>) -> Result<T, IpcError> {
    if reply.is_ok() && !in_tauri() {
        browser::keep_for_good();
    }
    reply
}

/// Saves one field (`"rating"`: the rating); answers once it is on disk.
pub async fn worksheet_set(id: &str, field: &str, value: &str) -> Result<WorksheetDoc, IpcError> {
    saved(
        call::<wire::WorksheetSet>(wire::FieldArgs {
            id: id.to_owned(),
            field: field.to_owned(),
            value: value.to_owned(),
        })
        .await,
    )
}

pub async fn notes() -> Result<Vec<Note>, IpcError> {
    call::<wire::Notes>(NoArgs {}).await
}

/// Saves a stop's note (`stop = ""`: the day's); answers with the note once it is on disk.
pub async fn note_set(stop: &str, text: &str) -> Result<Note, IpcError> {
    saved(call::<wire::NoteSet>(wire::NoteArgs { stop: stop.to_owned(), text: text.to_owned() }).await)
}

pub async fn erase_data() -> Result<parcours_core::status::UserDataStatus, IpcError> {
    call::<wire::EraseData>(NoArgs {}).await
}

pub async fn readiness() -> Result<Readiness, IpcError> {
    call::<wire::ReadinessCmd>(NoArgs {}).await
}

/// The QR codes handing over these worksheets.
pub async fn handover_codes(ids: &[String]) -> Result<Vec<Code>, IpcError> {
    call::<wire::HandoverCodes>(wire::IdsArgs { ids: ids.to_vec() }).await
}

/// A photo or screenshot of codes (PNG, JPEG). The Tauri app decodes it; in a browser the browser does
/// ([`browser::picture_pixels`]) and the pixels go to the web app's picture reader (`worker.js`).
pub async fn handover_read(picture: &[u8]) -> Result<Received, IpcError> {
    if in_tauri() {
        return call_raw::<wire::HandoverRead>(picture, None).await;
    }
    let (width, height, pixels) = browser::picture_pixels(picture).await?;
    let size = js_sys::Object::new();
    for (key, side) in [("width", width), ("height", height)] {
        let _ = js_sys::Reflect::set(&size, &key.into(), &side.into());
    }
    decode(worker::call(wire::HandoverRead::NAME, size.into(), Some((pixels, None))).await.map(String::into_bytes))
}

pub async fn handover_cancel() -> Result<(), IpcError> {
    call::<wire::HandoverCancel>(NoArgs {}).await
}

/// Saves the worksheets as JSON + Markdown files; where they are.
pub async fn worksheets_save(ids: &[String], lang: &str) -> Result<Saved, IpcError> {
    call::<wire::WorksheetsSave>(wire::SaveArgs { ids: ids.to_vec(), lang: lang.to_owned() }).await
}

/// One worksheets file into the project bank.
pub async fn bank_import(name: &str, bytes: &[u8]) -> Result<ImportReport, IpcError> {
    call_raw::<wire::BankImport>(bytes, Some(name)).await
}

/// The project bank as CSV; the file's path.
pub async fn bank_export(lang: &str) -> Result<String, IpcError> {
    call::<wire::BankExport>(wire::LangArgs { lang: lang.to_owned() }).await
}

/// All the user data saved to a file; the file's path.
pub async fn backup() -> Result<String, IpcError> {
    call::<wire::Backup>(NoArgs {}).await
}

/// "Mes visites": the visits this device can open.
pub async fn visits() -> Result<Vec<wire::VisitInfo>, IpcError> {
    call::<wire::VisitsCmd>(NoArgs {}).await
}

/// A `.parcours` file given by the person: checked; what keeping it would do. It waits for
/// [`visit_keep`] or [`visit_cancel`].
pub async fn visit_check(name: &str, bytes: &[u8]) -> Result<wire::VisitOffer, IpcError> {
    call_raw::<wire::VisitCheck>(bytes, Some(name)).await
}

/// The visit file waiting for the person's answer, if any (one given to the app at its start).
pub async fn visit_pending() -> Result<Option<wire::VisitOffer>, IpcError> {
    call::<wire::VisitPending>(NoArgs {}).await
}

pub async fn visit_keep() -> Result<wire::VisitOpened, IpcError> {
    call::<wire::VisitKeep>(NoArgs {}).await
}

pub async fn visit_cancel() -> Result<(), IpcError> {
    call::<wire::VisitCancel>(NoArgs {}).await
}

pub async fn visit_switch(id: &str) -> Result<wire::VisitInfo, IpcError> {
    call::<wire::VisitSwitch>(wire::IdArgs { id: id.to_owned() }).await
}

pub async fn visit_remove(id: &str) -> Result<(), IpcError> {
    call::<wire::VisitRemove>(wire::IdArgs { id: id.to_owned() }).await
}

/// The paper booklet of the visit open (HTML made by the core), with the QR code of `url` if given.
pub async fn booklet(lang: &str, url: Option<String>) -> Result<String, IpcError> {
    call::<wire::BookletCmd>(wire::BookletArgs { lang: lang.to_owned(), url }).await
}
