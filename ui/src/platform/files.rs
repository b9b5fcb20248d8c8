//! Files the person chooses (`<input type=file>`), read as bytes on the device.

/// The files chosen in an `<input type=file>`, read as bytes; the input is emptied so the same file can
/// be chosen again.
pub async fn read_files(input: web_sys::HtmlInputElement) -> Vec<(String, Result<Vec<u8>, String>)> {
    let mut out = Vec::new();
    if let Some(list) = input.files() {
        for i in 0..list.length() {
            let Some(file) = list.get(i) else { continue };
            let bytes = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
                .await
                .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
                .map_err(|e| format!("{e:?}"));
            out.push((file.name(), bytes));
        }
    }
    input.set_value("");
    out
}
