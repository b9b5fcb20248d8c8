//! The Parcours interface: Leptos 0.8 (client-side rendering) in wasm, inside the Tauri webview.
//!
//! It holds no business rule: times, schedules and search come from `parcours-core` (in the shell, over
//! [`transport`], or as pure functions of the model). One [`parts::map_view::MapView`] owns the Leaflet
//! map.
//!
//! The floor plan, from the bottom up; a module imports only from the floors below it or beside it,
//! never in a circle (`tests/floor_plan.rs` says so):
//!
//! | floor | modules | what |
//! |---|---|---|
//! | 0 | [`i18n`] | the interface's words |
//! | 1 | [`platform`] | what the browser or webview gives: storage, speech, files, service worker |
//! | 2 | [`transport`] | the typed calls to the command layer, over Tauri or the worker |
//! | 3 | [`words`], [`widgets`] | sentences from values; small components (heading, failure) |
//! | 4 | [`state`] | the shared reactive state |
//! | 5 | [`parts`] | the walk, listening, the map: used by several screens |
//! | 6 | [`screens`] | one module per screen, and the shell that shows one |
//! | 7 | [`app`] | the start |

mod app;
mod i18n;
mod parts;
mod platform;
mod screens;
mod state;
mod transport;
mod widgets;
mod words;

use wasm_bindgen::prelude::*;

pub use i18n::Lang;
pub use parts::map_view::arrow_svg;
pub use widgets::Markdown;

/// Every word of the interface in `lang` (for tests of completeness).
pub fn all_words(lang: Lang) -> Vec<String> {
    lang.words().every_text()
}

/// Entry point, called by the generated JS glue once the wasm is loaded.
#[wasm_bindgen(start)]
pub fn start() {
    platform::browser::mark("parcours-ui-started");
    console_error_panic_hook::set_once();
    if let Some(loading) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        loading.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
