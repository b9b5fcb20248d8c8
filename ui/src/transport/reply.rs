//! What comes back from a call: the reply, typed from its JSON, or an [`IpcError`] with a code.

use parcours_core::wire::{self, ErrorCode};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// The shell's `{ code, message }`, or a local failure (`no_shell`, `bad_reply`, `ipc`).
pub type IpcError = wire::AppError;

/// A reply as JSON text (the worker's), typed. Every reply is read from bytes (`from_slice`): one
/// deserializer per type in the wasm, not two.
pub fn text_reply<T: DeserializeOwned>(answer: Result<String, IpcError>) -> Result<T, IpcError> {
    serde_json::from_slice(answer?.as_bytes()).map_err(|e| IpcError::new(ErrorCode::BadReply, e.to_string()))
}

/// The shell's `{code, message}` (a JavaScript object), or an IPC failure said as it is.
pub fn error_from(error: &JsValue) -> IpcError {
    js_sys::JSON::stringify(error)
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| serde_json::from_slice(text.as_bytes()).ok())
        .unwrap_or_else(|| IpcError::new(ErrorCode::Ipc, format!("{error:?}")))
}

/// Tauri's reply: the JSON's bytes (an `ArrayBuffer`), or, from a plugin, a JavaScript value.
pub fn reply<T: DeserializeOwned>(answer: Result<JsValue, JsValue>) -> Result<T, IpcError> {
    let bad = |e: serde_json::Error| IpcError::new(ErrorCode::BadReply, e.to_string());
    match answer {
        Ok(value) if value.is_instance_of::<js_sys::ArrayBuffer>() => {
            serde_json::from_slice(&js_sys::Uint8Array::new(&value).to_vec()).map_err(bad)
        }
        Ok(value) => {
            let text = js_sys::JSON::stringify(&value).ok().and_then(|t| t.as_string()).unwrap_or_default();
            serde_json::from_slice(if value.is_undefined() { b"null" } else { text.as_bytes() }).map_err(bad)
        }
        Err(error) => Err(error_from(&error)),
    }
}
