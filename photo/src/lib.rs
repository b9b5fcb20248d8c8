//! The web app's picture reader: [`parcours_core::handover::read_image`] alone in a wasm module, so
//! that the image decoders and the QR reader (about a third of a megabyte of wasm) are fetched only the
//! first time a photo of codes is read, not with the command layer at every start. The service worker
//! keeps it with the rest of the site, so it works offline too.
//!
//! `worker.js` starts `photo.js` (this module in a worker of its own) for each photo and ends it after:
//! the memory a decoded photo took goes back to the phone, and a picture that breaks the reader breaks
//! nothing else. The codes found go to the command layer as `handover_found`, which takes them as if
//! the desktop app had read them itself.

use parcours_core::wire::AppError;
use wasm_bindgen::prelude::*;

/// The Parcours codes in `picture` (PNG or JPEG), as JSON text: `{"ok": [code, …]}` or
/// `{"err": {"code", "message"}}`, the command layer's error for a picture it cannot read.
#[wasm_bindgen]
pub fn codes(picture: &[u8]) -> String {
    let reply = match parcours_core::handover::read_image(picture) {
        Ok(codes) => serde_json::json!({ "ok": codes }),
        Err(e) => serde_json::json!({ "err": AppError::from(e) }),
    };
    reply.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_that_is_not_one_is_the_command_layers_error() {
        let reply: serde_json::Value = serde_json::from_str(&codes(b"GIF89a nothing")).unwrap();
        assert_eq!(reply["err"]["code"], "unreadable");
        assert!(reply["err"]["message"].as_str().is_some_and(|m| m.contains("not a picture")));
        assert!(reply.get("ok").is_none());
    }
}
