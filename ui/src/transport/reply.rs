//! What comes back from a call: the reply, typed from its JSON, or an [`IpcError`] with a code.

use parcours_core::wire::{self, ErrorCode};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// The shell's `{ code, message }`, or a local failure (`no_shell`, `bad_reply`, `ipc`).
pub type IpcError = wire::AppError;

/// A reply's JSON bytes, typed: the only generic step of a call (one small function per reply type;
/// the rest of the transport is written once).
pub fn decode<T: DeserializeOwned>(bytes: Result<Vec<u8>, IpcError>) -> Result<T, IpcError> {
    serde_json::from_slice(&bytes?).map_err(|e| IpcError::new(ErrorCode::BadReply, e.to_string()))
}

/// The shell's `{code, message}` (a JavaScript object), or an IPC failure said as it is.
pub fn error_from(error: &JsValue) -> IpcError {
    js_sys::JSON::stringify(error)
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| serde_json::from_slice(text.as_bytes()).ok())
        .unwrap_or_else(|| IpcError::new(ErrorCode::Ipc, format!("{error:?}")))
}

/// Tauri's reply as JSON bytes: the bytes themselves (an `ArrayBuffer`), or, from a plugin, a
/// JavaScript value written as JSON.
pub fn reply_bytes(answer: Result<JsValue, JsValue>) -> Result<Vec<u8>, IpcError> {
    match answer {
        Ok(value) if value.is_instance_of::<js_sys::ArrayBuffer>() => Ok(js_sys::Uint8Array::new(&value).to_vec()),
        Ok(value) if value.is_undefined() => Ok(b"null".to_vec()),
        Ok(value) => {
            Ok(js_sys::JSON::stringify(&value).ok().and_then(|t| t.as_string()).unwrap_or_default().into_bytes())
        }
        Err(error) => Err(error_from(&error)),
    }
}
