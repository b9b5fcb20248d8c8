//! Typed calls to the app's commands over Tauri's `invoke`. Every failure becomes an [`IpcError`] with a
//! code; nothing here panics.

use parcours_core::pack::Pack;
use parcours_core::schedule::DayStatus;
use parcours_core::search::SearchHit;
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
}

fn in_tauri() -> bool {
    web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &JsValue::from_str("__TAURI_INTERNALS__")).unwrap_or(false))
}

async fn invoke<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, IpcError> {
    if !in_tauri() {
        return Err(IpcError { code: "no_shell".into(), message: "Parcours runs inside its app.".into() });
    }
    let bad = |e: String| IpcError { code: "bad_reply".into(), message: e };
    let args = args.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| bad(e.to_string()))?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| bad(e.to_string())),
        Err(error) => Err(serde_wasm_bindgen::from_value(error.clone())
            .unwrap_or_else(|_| IpcError { code: "ipc".into(), message: format!("{error:?}") })),
    }
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
