//! Listening and easy reading: "Écouter" through the system's voice (the Web Speech API, where the
//! system has a voice for the language: phones carry offline French voices), a stop's recording from
//! the pack, played offline with the browser's own controls (play/pause, position), and the easy-read
//! ("facile à lire") texts shown first with "Lire le texte complet".
//!
//! A button is shown only when it can work: no voice for the language and no recording, no button.

use leptos::prelude::*;
use parcours_core::pack::{Localized, easy};
use parcours_core::text::{Block, markdown};
use wasm_bindgen::prelude::*;

use crate::platform::speech::{hush, speak, voice_langs};
use crate::state::use_state;
use crate::transport;
use crate::widgets::Failure;

fn langs(array: js_sys::Array) -> Vec<String> {
    array.iter().filter_map(|v| v.as_string()).map(|l| l.to_ascii_lowercase().replace('_', "-")).collect()
}

/// Keeps `voices` to the system's voices (they often arrive a moment after the page loads).
pub fn watch_voices(voices: RwSignal<Vec<String>>) {
    let on_change = Closure::<dyn Fn(js_sys::Array)>::new(move |list| voices.set(langs(list)));
    voices.set(langs(voice_langs(&on_change)));
    // Lives as long as the page.
    on_change.forget();
}

/// Whether the system has a voice for `lang` ("fr" matches "fr-FR", "fr-CA"…).
pub fn has_voice(voices: &[String], lang: &str) -> bool {
    voices.iter().any(|v| v == lang || v.starts_with(&format!("{lang}-")))
}

/// A pack text as plain words to read aloud (Markdown marks left out).
pub fn plain(text: &str) -> String {
    markdown(text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(spans) => spans.into_iter().map(|s| s.text).collect::<String>(),
            Block::List(items) => items
                .into_iter()
                .map(|i| i.into_iter().map(|s| s.text).collect::<String>())
                .collect::<Vec<_>>()
                .join(". "),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// "Écouter": reads `text` aloud with the system's voice for the interface's language; "Arrêter la
/// lecture" while it reads. Not shown when the system has no voice for the language.
#[component]
pub fn Listen(
    /// What is read (`data-listen`, and which button shows "Arrêter").
    key: &'static str,
    #[prop(into)] text: Signal<String>,
) -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let lang = move || state.lang.get().tag();
    on_cleanup(move || {
        if state.speaking.get_untracked().as_deref() == Some(key) {
            hush();
            state.speaking.set(None);
        }
    });
    move || {
        if !state.voices.with(|v| has_voice(v, lang())) {
            return None;
        }
        let reading = state.speaking.get().as_deref() == Some(key);
        let on_click = move |_| {
            if state.speaking.get_untracked().as_deref() == Some(key) {
                hush();
                state.speaking.set(None);
                return;
            }
            state.speaking.set(Some(key.to_owned()));
            let done = Closure::once_into_js(move || {
                if state.speaking.get_untracked().as_deref() == Some(key) {
                    state.speaking.set(None);
                }
            });
            speak(&text.get_untracked(), lang(), done);
        };
        Some(view! {
            <button class="listen secondary-button" data-listen=key aria-pressed=if reading { "true" } else { "false" } on:click=on_click>
                <span aria-hidden="true">{if reading { "■ " } else { "▶ " }}</span>
                {if reading { w().listen_stop() } else { w().listen() }}
            </button>
        })
    }
}

/// A stop's recording in the interface's language, from the pack: the browser's audio controls
/// (play/pause, position, volume), loaded when the page opens. Nothing when there is none.
#[component]
pub fn Recording(stop: parcours_core::pack::Stop) -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let clip = RwSignal::new(None::<Result<parcours_core::wire::AudioClip, ()>>);
    let s = stop.clone();
    Effect::new(move |_| {
        let lang = crate::i18n::content_language(state.lang.get().tag());
        clip.set(None);
        if s.audio.iter().any(|a| a.lang == lang) {
            let id = s.id.to_string();
            leptos::task::spawn_local(async move {
                clip.set(Some(transport::stop_audio(&id, lang).await.map_err(|_| ())));
            });
        }
    });
    move || {
        match clip.get() {
        Some(Ok(c)) => Some(
            view! {
                <figure class="recording">
                    <figcaption id="recording-label">{w().recording()}</figcaption>
                    <audio id="stop-audio" controls preload="metadata" src=c.data_url aria-labelledby="recording-label"></audio>
                </figure>
            }
            .into_any(),
        ),
        Some(Err(())) => Some(view! { <Failure text=w().recording_failed() /> }.into_any()),
        None => None,
    }
    }
}

/// The easy-read text, one sentence a line (as easy-read asks), marked "Facile à lire".
#[component]
pub fn EasyRead(text: String) -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    view! {
        <div class="easy-read">
            <p class="easy-label">{move || w().easy_label()}</p>
            {easy::sentences(&text).into_iter().map(|s| view! { <p>{s}</p> }).collect_view()}
        </div>
    }
}

/// "Lire le texte complet" / "Lire le texte facile": switches every page between the two, remembered.
pub fn easy_switch() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    view! {
        <button class="easy-switch secondary-button" on:click=move |_| state.set_easy(!state.easy.get_untracked())>
            {move || if state.easy.get() { w().read_full() } else { w().read_easy() }}
        </button>
    }
}

/// What to show and read for a text that may have an easy-read version: the easy one when the person
/// reads easy texts and there is one.
pub fn chosen<'a>(easy: Option<&'a Localized>, full: &'a str, lang: &str, easy_first: bool) -> (bool, String) {
    match easy {
        Some(e) if easy_first => (true, e.get(lang).to_owned()),
        _ => (false, full.to_owned()),
    }
}
