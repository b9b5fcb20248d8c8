//! The transport inside the Tauri app: its IPC (`__TAURI_INTERNALS__.invoke`). The shell answers with
//! the reply's JSON as bytes.

use wasm_bindgen::prelude::*;

use super::reply::{IpcError, reply_bytes};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI_INTERNALS__"], js_name = invoke)]
    async fn tauri_invoke_with(cmd: &str, args: JsValue, options: JsValue) -> Result<JsValue, JsValue>;
}

/// Is the interface inside the Tauri app (rather than a browser)?
pub fn in_tauri() -> bool {
    web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &JsValue::from_str("__TAURI_INTERNALS__")).unwrap_or(false))
}

/// Calls `cmd` with `args` (a JavaScript value) over Tauri's IPC; the reply's JSON bytes.
pub async fn invoke(cmd: &str, args: JsValue) -> Result<Vec<u8>, IpcError> {
    reply_bytes(tauri_invoke(cmd, args).await)
}

/// Calls `cmd` with `bytes` as the raw body, and `file` as its name, if any.
pub async fn invoke_raw(cmd: &str, bytes: &[u8], file: Option<&str>) -> Result<Vec<u8>, IpcError> {
    let body = js_sys::Uint8Array::from(bytes);
    let headers = js_sys::Object::new();
    if let Some(name) = file {
        // Header values are ASCII: the name is percent-encoded.
        let encoded: String = js_sys::encode_uri_component(name).into();
        let _ = js_sys::Reflect::set(&headers, &"Parcours-File".into(), &encoded.into());
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"headers".into(), &headers);
    reply_bytes(tauri_invoke_with(cmd, body.into(), options.into()).await)
}
