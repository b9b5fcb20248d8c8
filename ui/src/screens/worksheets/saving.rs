//! Saving as the person types: every edit is saved a moment after typing stops (and at once when the
//! field is left), and "Enregistré" shows only once the shell answers that it is on disk.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::Hm;
use parcours_core::text::spoken_time;
use parcours_core::wire::ErrorCode;
use parcours_core::worksheet::WorksheetDoc;

use crate::state::AppState;
use crate::transport;

/// Where a save stands, for the line under a field.
#[derive(Clone, PartialEq, Debug)]
pub(super) enum Saving {
    Idle,
    Pending,
    Saved(Hm),
    Failed(String),
}

/// Tracks every field's latest edit: "Enregistré" only when no field has an edit that is not yet on
/// disk (an older save answering late does not count).
#[derive(Clone, Copy)]
pub(super) struct Tracker {
    dirty: RwSignal<std::collections::BTreeMap<String, u32>>,
    counter: RwSignal<u32>,
    done: RwSignal<Option<Hm>>,
    pub(super) failed: RwSignal<Option<String>>,
}

impl Tracker {
    pub(super) fn new() -> Tracker {
        Tracker {
            dirty: RwSignal::new(Default::default()),
            counter: RwSignal::new(0),
            done: RwSignal::new(None),
            failed: RwSignal::new(None),
        }
    }

    /// A new edit of `field`; its number, to give back to [`Tracker::saved`].
    pub(super) fn edited(&self, field: &str) -> u32 {
        let n = self.counter.get_untracked().wrapping_add(1);
        self.counter.set(n);
        self.dirty.update(|d| {
            d.insert(field.to_owned(), n);
        });
        n
    }

    pub(super) fn saved(&self, field: &str, n: u32, at: Hm) {
        self.dirty.update(|d| {
            if d.get(field) == Some(&n) {
                d.remove(field);
            }
        });
        self.failed.set(None);
        self.done.set(Some(at));
    }

    /// Is edit `n` still the latest, unsaved edit of `field`?
    pub(super) fn is_latest(&self, field: &str, n: u32) -> bool {
        self.dirty.with_untracked(|d| d.get(field) == Some(&n))
    }

    pub(super) fn status(&self) -> Saving {
        if let Some(m) = self.failed.get() {
            return Saving::Failed(m);
        }
        if !self.dirty.with(|d| d.is_empty()) {
            return Saving::Pending;
        }
        self.done.get().map_or(Saving::Idle, Saving::Saved)
    }
}

pub(super) fn saving_text(s: &Saving, lang: &str, w: &crate::i18n::Words) -> String {
    match s {
        Saving::Idle => String::new(),
        Saving::Pending => w.saving().to_owned(),
        Saving::Saved(t) => w.saved_at(&spoken_time(*t, lang)),
        Saving::Failed(m) => w.not_saved(m),
    }
}

/// Saves one field of a worksheet. On a full disk it tries again every 5 s for as long as this is the
/// field's latest edit, so freeing space is enough: nothing to retype.
pub(super) fn save_field(state: AppState, tracker: Tracker, id: String, field: String, value: String, n: u32) {
    spawn_local(async move {
        match transport::worksheet_set(&id, &field, &value).await {
            Ok(doc) => {
                tracker.saved(&field, n, Hm::of(doc.updated_at));
                remember(state, doc);
            }
            Err(e) => {
                let key = field.clone();
                not_saved(state, tracker, &e, &key, n, move || save_field(state, tracker, id, field, value, n));
            }
        }
    });
}

/// Saves a note; like [`save_field`], tries again on a full disk.
pub(super) fn save_note(state: AppState, tracker: Tracker, stop: String, text: String, n: u32) {
    spawn_local(async move {
        match transport::note_set(&stop, &text).await {
            Ok(note) => {
                // "Enregistré à …": the time the note was committed.
                tracker.saved("note", n, Hm::of(note.updated_at));
                state.notes.update(|notes| {
                    notes.get_or_insert_default().insert(note.stop, note.text);
                });
            }
            Err(e) => not_saved(state, tracker, &e, "note", n, move || save_note(state, tracker, stop, text, n)),
        }
    });
}

/// A save failed: say why; on a full disk, `again` in 5 s if edit `n` is still the latest of `field`.
pub(super) fn not_saved(
    state: AppState,
    tracker: Tracker,
    e: &transport::IpcError,
    field: &str,
    n: u32,
    again: impl FnOnce() + 'static,
) {
    tracker.failed.set(Some(failure(e, state.lang.get_untracked().words())));
    if e.code == ErrorCode::DiskFull {
        let field = field.to_owned();
        set_timeout(
            move || {
                if tracker.is_latest(&field, n) {
                    again();
                }
            },
            std::time::Duration::from_secs(5),
        );
    }
}

/// Why a save failed, in words a person can act on when the cause is known.
pub(super) fn failure(e: &transport::IpcError, w: &crate::i18n::Words) -> String {
    match e.code {
        ErrorCode::DiskFull => w.disk_full().to_owned(),
        ErrorCode::ReadOnly => w.read_only().to_owned(),
        _ => crate::words::failed(e, w),
    }
}

/// Runs `save` a moment after the last call (typing), or at once with `now = true` (leaving the field).
/// Each call supersedes the previous one still waiting.
pub(super) fn debounced(generation: RwSignal<u32>, now: bool, save: impl FnOnce() + 'static) {
    let mine = generation.get_untracked().wrapping_add(1);
    generation.set(mine);
    if now {
        save();
        return;
    }
    set_timeout(
        move || {
            if generation.get_untracked() == mine {
                save();
            }
        },
        std::time::Duration::from_millis(600),
    );
}

/// Replaces `doc` in the list of the state (or adds it).
pub(super) fn remember(state: AppState, doc: WorksheetDoc) {
    state.worksheets.update(|list| match list.iter_mut().find(|w| w.id == doc.id) {
        Some(slot) => *slot = doc,
        None => list.push(doc),
    });
}
