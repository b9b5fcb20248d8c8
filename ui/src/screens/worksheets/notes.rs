//! A note on a stop or on the day, saved as it is typed.

use leptos::prelude::*;

use super::saving::*;
use crate::platform::storage::storage_get;
use crate::state::use_state;

/// A note kept in the user database: a stop's (`stop` = its id) or the day's (`stop` = "").
/// A note written before the user database (in the webview's storage) is carried over once. Offered
/// for typing only once the notes are read: a page painted before (from the visit's summary) must not
/// let an empty box replace a note kept.
#[component]
pub fn NoteBox(pack_id: String, stop: String, #[prop(into)] label: Signal<&'static str>) -> impl IntoView {
    let state = use_state();
    let id = if stop.is_empty() { "day-notes" } else { "stop-notes" };
    // Once, when the notes are read (not at each note saved: the field keeps its caret).
    let read = Memo::new(move |_| state.notes.with(Option::is_some));
    view! {
        <section class="notes">
            <h2><label for=id>{move || label.get()}</label></h2>
            {move || if read.get() {
                view! { <NoteField pack_id=pack_id.clone() stop=stop.clone() id=id /> }.into_any()
            } else {
                view! { <p class="secondary" role="status">{state.lang.get().words().loading()}</p> }.into_any()
            }}
        </section>
    }
}

/// The note's field and whether it is saved, once the notes are read.
#[component]
fn NoteField(pack_id: String, stop: String, id: &'static str) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let tracker = Tracker::new();
    let generation = RwSignal::new(0u32);
    let stored = state.notes.with_untracked(|notes| notes.as_ref().and_then(|n| n.get(&stop)).cloned());
    let legacy = storage_get(&format!("parcours.notes.{pack_id}.{stop}")).filter(|t| !t.is_empty());
    let initial = stored.clone().or(legacy.clone()).unwrap_or_default();
    let save = {
        let stop = stop.clone();
        move |text: String, n: u32| save_note(state, tracker, stop.clone(), text, n)
    };
    if stored.is_none()
        && let Some(text) = legacy
    {
        save(text, tracker.edited("note"));
    }
    let (save1, save2) = (save.clone(), save);
    view! {
        <textarea
            id=id
            rows="5"
            prop:value=initial
            on:input=move |ev| {
                let text = event_target_value(&ev);
                let save = save1.clone();
                let n = tracker.edited("note");
                debounced(generation, false, move || save(text, n));
            }
            on:change=move |ev| {
                let text = event_target_value(&ev);
                let save = save2.clone();
                let n = tracker.edited("note");
                debounced(generation, true, move || save(text, n));
            }
        ></textarea>
        <p class="secondary save-status" aria-live="polite">{move || match tracker.status() {
            Saving::Idle => w().notes_hint().to_owned(),
            other => saving_text(&other, lang(), w()),
        }}</p>
    }
}
