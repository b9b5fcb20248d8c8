//! What only the web app has, as a browser gives it: the service worker (offline copy, new version
//! waiting), lasting storage (`navigator.storage.persist()`), the screen kept on during a walk (Screen
//! Wake Lock) and files handed out through the share sheet (Web Share with files) or as a download.
//! Each is used only where the browser has it; in the Tauri app none of this runs but the wake lock,
//! which WebKitGTK does not have (it is then a no-op).

use parcours_core::picture::{self, PictureError};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
let asked = false;
export function register(onUpdate) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("controllerchange", () => { if (asked) location.reload(); });
  navigator.serviceWorker.register("sw.js").then((reg) => {
    const watch = (worker) => worker && worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) onUpdate();
    });
    if (reg.waiting && navigator.serviceWorker.controller) onUpdate();
    watch(reg.installing);
    reg.addEventListener("updatefound", () => watch(reg.installing));
  }).catch(() => {});
}
export async function update() {
  const reg = await navigator.serviceWorker?.getRegistration();
  if (reg && reg.waiting) { asked = true; reg.waiting.postMessage("skip-waiting"); }
}
export function offlineBuild() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!worker) return Promise.resolve(null);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data.build ?? null);
    worker.postMessage("build", [channel.port2]);
    setTimeout(() => resolve(null), 3000);
  });
}
export function installWay() {
  // By what the browser can do: Chromium offers its own install prompt, Gecko reads -moz- properties;
  // the rest (Safari and every iPhone browser) installs through the Share button.
  if ("onbeforeinstallprompt" in self) return "chrome";
  if (self.CSS && CSS.supports("-moz-appearance", "none")) return "firefox";
  return "safari";
}
export async function persisted() {
  try { return navigator.storage?.persisted ? await navigator.storage.persisted() : null; } catch { return null; }
}
let persistAsked = false;
export function persist() {
  if (persistAsked) return;
  persistAsked = true;
  try { navigator.storage?.persist?.().catch(() => {}); } catch {}
}
let wake = null, wanted = false;
async function acquire() {
  if (!wanted || wake || !navigator.wakeLock || document.visibilityState !== "visible") return;
  try {
    wake = await navigator.wakeLock.request("screen");
    wake.addEventListener("release", () => { wake = null; });
  } catch { wake = null; }
}
document.addEventListener("visibilitychange", acquire);
export function keepAwake(on) {
  wanted = on;
  if (on) acquire(); else if (wake) { wake.release().catch(() => {}); wake = null; }
}
export async function fetchCapped(url, most) {
  const response = await fetch(url, { redirect: "error", credentials: "omit" });
  if (!response.ok) throw new Error("HTTP " + response.status);
  if (Number(response.headers.get("content-length")) > most) return null;
  const reader = response.body.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > most) { reader.cancel().catch(() => {}); return null; }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) { bytes.set(part, at); at += part.length; }
  return bytes;
}
export async function fetchSummary(most) {
  // As the page's preload asks for it (same mode, same credentials): one download, not two.
  const response = await fetch("visite.json");
  if (!response.ok || Number(response.headers.get("content-length")) > most) return null;
  const text = await response.text();
  return text.length > most ? null : text;
}
export function afterPaint() {
  // A page not shown (a tab in the background) paints no frame: it goes on after a moment anyway.
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 250);
  });
}
export async function picturePixels(bytes, fit) {
  // The browser's own decoder, as for any picture it shows (turned as the photo says); drawn at the
  // size `fit` gives for its size, its pixels as a canvas gives them (RGBA, row after row).
  const url = URL.createObjectURL(new Blob([bytes]));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const [width, height] = fit(image.naturalWidth, image.naturalHeight);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(image, 0, 0, width, height);
    const pixels = context.getImageData(0, 0, width, height).data;
    canvas.width = canvas.height = 0;
    return { width, height, pixels };
  } finally {
    URL.revokeObjectURL(url);
  }
}
export function handOut(name, mime, bytes) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    const a = document.createElement("a");
    a.href = url; a.download = name; a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };
  const file = new File([bytes], name, { type: mime });
  if (navigator.canShare && navigator.canShare({ files: [file] })) {
    navigator.share({ files: [file], title: name }).catch((e) => { if (e.name !== "AbortError") download(); });
  } else {
    download();
  }
}
"#)]
extern "C" {
    fn register(on_update: &js_sys::Function);
    fn update() -> js_sys::Promise;
    #[wasm_bindgen(js_name = offlineBuild)]
    fn offline_build_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = persisted)]
    fn persisted_js() -> js_sys::Promise;
    #[wasm_bindgen(js_name = installWay)]
    fn install_way_js() -> String;
    fn persist();
    #[wasm_bindgen(js_name = keepAwake)]
    fn keep_awake_js(on: bool);
    /// The visit's summary beside the site's visit (`visite.json`, written by `parcours site seal`), as
    /// text of at most `most` bytes; `null` when missing or bigger; rejected offline with no copy.
    #[wasm_bindgen(js_name = fetchSummary)]
    pub fn fetch_summary(most: f64) -> js_sys::Promise;
    /// Resolved once the frame drawn now is on screen (or after 250 ms in a page not shown).
    #[wasm_bindgen(js_name = afterPaint)]
    pub fn after_paint() -> js_sys::Promise;
    #[wasm_bindgen(js_name = picturePixels)]
    fn picture_pixels_js(bytes: &js_sys::Uint8Array, fit: &js_sys::Function) -> js_sys::Promise;
    #[wasm_bindgen(js_name = handOut)]
    pub fn hand_out(name: &str, mime: &str, bytes: &JsValue);
    /// The file at `url` of this site, with no redirect followed and no more than `most` bytes read:
    /// its bytes, or `null` when bigger; rejected with the reason otherwise.
    #[wasm_bindgen(js_name = fetchCapped)]
    pub fn fetch_capped(url: &str, most: f64) -> js_sys::Promise;
}

/// Registers the service worker; `on_update` runs when a new version is installed and waits.
pub fn start(on_update: impl Fn() + 'static) {
    let callback = Closure::<dyn Fn()>::new(on_update);
    register(callback.as_ref().unchecked_ref());
    callback.forget();
}

/// Takes the waiting version (the page reloads when it has taken over).
pub fn apply_update() {
    let _ = update();
}

/// The build the service worker keeps for offline use, if one controls this page.
pub async fn offline_build() -> Option<String> {
    JsFuture::from(offline_build_js()).await.ok()?.as_string()
}

/// How this browser installs a site on the home screen: "chrome", "firefox" or "safari".
pub fn install_way() -> String {
    install_way_js()
}

/// Whether the browser promised to keep the site's data (`None`: it cannot say).
pub async fn persisted() -> Option<bool> {
    JsFuture::from(persisted_js()).await.ok()?.as_bool()
}

/// Asks the browser, once, to keep the site's data for good (after the first thing the person saves).
pub fn keep_for_good() {
    persist();
}

/// Keeps the screen on (during a walk) where the browser can, until called with `false`.
pub fn keep_awake(on: bool) {
    keep_awake_js(on);
}

/// A User Timing mark (`parcours-ui-started`, `parcours-pack-received`, `parcours-pack-checked`,
/// `parcours-map-ready`…): the steps of a start, read by `cargo xtask bench` and the e2e runs. Costs
/// nothing.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A picture's pixels as this browser decodes it (any browser reads PNG and JPEG; the web app's wasm
/// carries no image decoder of its own): held to the core's limits before anything is decoded
/// ([`picture::check`]), drawn at [`picture::reading_size`]. Its width, height and pixels (RGBA, a
/// JavaScript array: the pixels go on to the picture reader without a copy in this wasm's memory).
pub async fn picture_pixels(bytes: &[u8]) -> Result<(u32, u32, JsValue), PictureError> {
    picture::check(bytes)?;
    let fit = Closure::<dyn Fn(u32, u32) -> js_sys::Array>::new(|width, height| {
        let (w, h) = picture::reading_size(width, height);
        [w, h].into_iter().map(JsValue::from).collect()
    });
    let decoded = JsFuture::from(picture_pixels_js(&js_sys::Uint8Array::from(bytes), fit.as_ref().unchecked_ref()))
        .await
        .map_err(|e| {
            let why = js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
            PictureError::not_a_picture(why.unwrap_or_else(|| format!("{e:?}")))
        })?;
    let get = |key: &str| js_sys::Reflect::get(&decoded, &key.into()).unwrap_or(JsValue::UNDEFINED);
    let side = |key: &str| get(key).as_f64().map_or(0, |n| n as u32);
    Ok((side("width"), side("height"), get("pixels")))
}
