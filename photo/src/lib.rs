//! The web app's picture reader: [`parcours_core::handover::read_pixels`] alone in a wasm module, so
//! that the QR reader is fetched only the first time a photo of codes is read, not with the command
//! layer at every start. The service worker keeps it with the rest of the site, so it works offline too.
//!
//! The browser decodes the photo itself (the page, `platform::browser`, after
//! [`parcours_core::picture::check`]): this module carries no image decoder, only the QR reader over the
//! pixels it is given, already at [`parcours_core::picture::reading_size`].
//!
//! `worker.js` starts `photo.js` (this module in a worker of its own) for each photo and ends it after:
//! the memory the pixels took goes back to the phone, and a picture that breaks the reader breaks
//! nothing else. The codes found go to the command layer as `handover_found`, which takes them as if
//! the desktop app had read them itself.

use parcours_core::wire::AppError;
use wasm_bindgen::prelude::*;

/// The Parcours codes in a picture's pixels (`width` × `height`, RGBA, as a browser's canvas gives
/// them), as JSON text: `{"ok": [code, …]}` or `{"err": {"code", "message"}}`, the command layer's
/// error for a picture it cannot read.
#[wasm_bindgen]
pub fn codes(width: u32, height: u32, rgba: &[u8]) -> String {
    let reply = match parcours_core::handover::read_pixels(width, height, rgba) {
        Ok(codes) => serde_json::json!({ "ok": codes }),
        Err(e) => serde_json::json!({ "err": AppError::from(e) }),
    };
    reply.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_that_are_not_the_picture_they_claim_are_the_command_layers_error() {
        let reply: serde_json::Value = serde_json::from_str(&codes(4, 4, b"not sixty-four bytes")).unwrap();
        assert_eq!(reply["err"]["code"], "unreadable");
        assert!(reply["err"]["message"].as_str().is_some_and(|m| m.contains("are not 4 × 4 pixels")));
        assert!(reply.get("ok").is_none());
        let blank: serde_json::Value = serde_json::from_str(&codes(2, 2, &[255; 16])).unwrap();
        assert_eq!(blank["ok"], serde_json::json!([]));
    }
}
