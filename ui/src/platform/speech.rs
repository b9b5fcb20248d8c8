//! The system's voice (the Web Speech API), where the system has one: phones carry offline voices.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function voiceLangs(onChange) {
  const s = window.speechSynthesis;
  if (!s || typeof SpeechSynthesisUtterance === "undefined") return [];
  const list = () => s.getVoices().map((v) => v.lang);
  try { s.addEventListener("voiceschanged", () => onChange(list())); } catch {}
  return list();
}
export function speak(text, lang, onEnd) {
  const s = window.speechSynthesis;
  if (!s) { onEnd(); return; }
  s.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = lang;
  const voice = s.getVoices().find((v) => v.lang.toLowerCase().replace("_", "-").startsWith(lang));
  if (voice) u.voice = voice;
  u.rate = 0.9;
  u.onend = () => onEnd();
  u.onerror = () => onEnd();
  s.speak(u);
}
export function hush() {
  try { window.speechSynthesis && window.speechSynthesis.cancel(); } catch {}
}
"#)]
extern "C" {
    /// The languages of the system's voices, now and each time they change.
    #[wasm_bindgen(js_name = voiceLangs)]
    pub fn voice_langs(on_change: &Closure<dyn Fn(js_sys::Array)>) -> js_sys::Array;
    /// Reads `text` aloud in `lang`; `on_end` is called when it stops.
    pub fn speak(text: &str, lang: &str, on_end: JsValue);
    /// Stops any reading aloud.
    pub fn hush();
}
