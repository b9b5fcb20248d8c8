//! Worksheets ("fiches chantier") and notes, kept in the user database through the shell: every edit is
//! saved a moment after typing stops (and at once when the field is left), and "Enregistré" shows only
//! once the shell answers that it is on disk.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::{Hm, Pack};
use parcours_core::status::Storage;
use parcours_core::text::spoken_time;
use parcours_core::wire::ErrorCode;
use parcours_core::worksheet::{Removed, WorksheetDoc};

use crate::widgets::{Failure, heading};
use crate::{AppState, Screen, ipc, storage_get, use_state};

/// Where a save stands, for the line under a field.
#[derive(Clone, PartialEq, Debug)]
enum Saving {
    Idle,
    Pending,
    Saved(Hm),
    Failed(String),
}

/// Tracks every field's latest edit: "Enregistré" only when no field has an edit that is not yet on
/// disk (an older save answering late does not count).
#[derive(Clone, Copy)]
struct Tracker {
    dirty: RwSignal<std::collections::BTreeMap<String, u32>>,
    counter: RwSignal<u32>,
    done: RwSignal<Option<Hm>>,
    failed: RwSignal<Option<String>>,
}

impl Tracker {
    fn new() -> Tracker {
        Tracker {
            dirty: RwSignal::new(Default::default()),
            counter: RwSignal::new(0),
            done: RwSignal::new(None),
            failed: RwSignal::new(None),
        }
    }

    /// A new edit of `field`; its number, to give back to [`Tracker::saved`].
    fn edited(&self, field: &str) -> u32 {
        let n = self.counter.get_untracked().wrapping_add(1);
        self.counter.set(n);
        self.dirty.update(|d| {
            d.insert(field.to_owned(), n);
        });
        n
    }

    fn saved(&self, field: &str, n: u32, at: Hm) {
        self.dirty.update(|d| {
            if d.get(field) == Some(&n) {
                d.remove(field);
            }
        });
        self.failed.set(None);
        self.done.set(Some(at));
    }

    /// Is edit `n` still the latest, unsaved edit of `field`?
    fn is_latest(&self, field: &str, n: u32) -> bool {
        self.dirty.with_untracked(|d| d.get(field) == Some(&n))
    }

    fn status(&self) -> Saving {
        if let Some(m) = self.failed.get() {
            return Saving::Failed(m);
        }
        if !self.dirty.with(|d| d.is_empty()) {
            return Saving::Pending;
        }
        self.done.get().map_or(Saving::Idle, Saving::Saved)
    }
}

fn hm_of(t: chrono::NaiveDateTime) -> Hm {
    Hm::new(chrono::Timelike::hour(&t) as u16, chrono::Timelike::minute(&t) as u16).unwrap_or_default()
}

fn saving_text(s: &Saving, lang: &str, w: &crate::i18n::Words) -> String {
    match s {
        Saving::Idle => String::new(),
        Saving::Pending => w.saving.to_owned(),
        Saving::Saved(t) => format!("✓ {} {}", w.saved_at, spoken_time(*t, lang)),
        Saving::Failed(m) => format!("{} {m}", w.not_saved),
    }
}

/// Saves one field of a worksheet. On a full disk it tries again every 5 s for as long as this is the
/// field's latest edit, so freeing space is enough: nothing to retype.
fn save_field(state: AppState, tracker: Tracker, id: String, field: String, value: String, n: u32) {
    spawn_local(async move {
        match ipc::worksheet_set(&id, &field, &value).await {
            Ok(doc) => {
                tracker.saved(&field, n, hm_of(doc.updated_at));
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
fn save_note(state: AppState, tracker: Tracker, stop: String, text: String, n: u32) {
    spawn_local(async move {
        match ipc::note_set(&stop, &text).await {
            Ok(note) => {
                // "Enregistré à …": the time the note was committed.
                tracker.saved("note", n, hm_of(note.updated_at));
                state.notes.update(|notes| {
                    notes.insert(note.stop, note.text);
                });
            }
            Err(e) => not_saved(state, tracker, &e, "note", n, move || save_note(state, tracker, stop, text, n)),
        }
    });
}

/// A save failed: say why; on a full disk, `again` in 5 s if edit `n` is still the latest of `field`.
fn not_saved(
    state: AppState,
    tracker: Tracker,
    e: &ipc::IpcError,
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
fn failure(e: &ipc::IpcError, w: &crate::i18n::Words) -> String {
    match e.code {
        ErrorCode::DiskFull => w.disk_full.to_owned(),
        ErrorCode::ReadOnly => w.read_only.to_owned(),
        _ => e.message.clone(),
    }
}

/// Runs `save` a moment after the last call (typing), or at once with `now = true` (leaving the field).
/// Each call supersedes the previous one still waiting.
fn debounced(generation: RwSignal<u32>, now: bool, save: impl FnOnce() + 'static) {
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
fn remember(state: AppState, doc: WorksheetDoc) {
    state.worksheets.update(|list| match list.iter_mut().find(|w| w.id == doc.id) {
        Some(slot) => *slot = doc,
        None => list.push(doc),
    });
}

/// The list of my worksheets, then one "new worksheet" button per workshop is on the workshop cards.
#[component]
pub fn MyWorksheets(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    view! {
        <section class="my-worksheets">
            <h2>{move || w().my_worksheets}</h2>
            {move || {
                let list: Vec<WorksheetDoc> =
                    state.worksheets.get().into_iter().filter(|d| state.is_mine(d)).collect();
                let receive = view! {
                    <button class="secondary-button" id="receive" on:click=move |_| state.go(Screen::Receive)>{w().receive}</button>
                };
                if list.is_empty() {
                    return view! { <p class="secondary">{w().no_worksheet_yet}</p>{receive} }.into_any();
                }
                let p = pack.clone();
                let ids: Vec<String> = list.iter().map(|d| d.id.clone()).collect();
                let send_all = view! {
                    <div class="actions">
                        <button class="primary" id="send-all" on:click=move |_| state.go(Screen::Handover(ids.clone()))>{w().send_all}</button>
                        {receive}
                    </div>
                };
                view! {
                    <ul class="worksheet-list">
                        {list.into_iter().map(|doc| {
                            let title = doc.title(&p.worksheet);
                            let title = if title.is_empty() { w().untitled.to_owned() } else { title };
                            let workshop = p.workshops.iter().find(|k| k.id.as_str() == doc.workshop)
                                .map_or_else(|| w().unknown_workshop.to_owned(), |k| format!("{} {} — {}", w().workshop, k.number, k.title.get(lang())));
                            let rating = doc.rating.as_ref().and_then(|r| p.worksheet.ratings.iter().find(|x| &x.id == r))
                                .map(|r| (r.colour.clone(), r.label.get(lang()).to_owned()));
                            let id = doc.id.clone();
                            view! {
                                <li>
                                    <button class="stop-item" data-worksheet=id.clone() on:click=move |_| state.go(Screen::Worksheet(id.clone()))>
                                        <span class="stop-text">
                                            <span class="stop-name">{title}</span>
                                            <span class="secondary">{workshop}</span>
                                            {rating.map(|(c, l)| view! { <span><span class="swatch" style=format!("background:{c}") aria-hidden="true"></span>{l}</span> })}
                                        </span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {send_all}
                }
                .into_any()
            }}
        </section>
    }
}

/// "New worksheet for this workshop": created and saved by the shell, then opened.
#[component]
pub fn NewWorksheet(workshop: String) -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let error = RwSignal::new(None::<String>);
    let id = workshop.clone();
    view! {
        <button class="secondary-button" data-new-worksheet=workshop on:click=move |_| {
            let workshop = id.clone();
            spawn_local(async move {
                match ipc::worksheet_new(&workshop).await {
                    Ok(doc) => {
                        let id = doc.id.clone();
                        remember(state, doc);
                        state.go(Screen::Worksheet(id));
                    }
                    Err(e) => error.set(Some(format!("{} {}", w().not_saved, e.message))),
                }
            });
        }>{move || w().new_worksheet}</button>
        {move || error.get().map(|e| view! { <p class="secondary">{e}</p> })}
    }
}

/// The worksheet form of the pack, filled in field by field.
#[component]
pub fn WorksheetEditor(pack: Arc<Pack>, id: String) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let Some(doc) = state.worksheets.get_untracked().into_iter().find(|d| d.id == id) else {
        return view! {
            <button class="back" on:click=move |_| state.go(Screen::Workshops)>{move || format!("◀ {}", w().back)}</button>
            <p>{id}</p>
        }
        .into_any();
    };
    let form = pack.worksheet.clone();
    let workshop = pack.workshops.iter().find(|k| k.id.as_str() == doc.workshop).cloned();
    // Another device's worksheet (received for the project bank) is read, not edited.
    let mine = state.is_mine(&doc);
    let back = if mine { Screen::Workshops } else { Screen::Bank };
    let tracker = Tracker::new();
    let save = move |id: String, field: String, value: String, n: u32| save_field(state, tracker, id, field, value, n);
    let columns = form.columns.clone();
    let doc_for_fields = doc.clone();
    let fields = columns
        .into_iter()
        .map(|c| {
            let field_id = format!("ws-{}", c.id);
            let initial = doc_for_fields.fields.get(&c.id).cloned().unwrap_or_default();
            let generation = RwSignal::new(0u32);
            let (ws_id, col) = (doc_for_fields.id.clone(), c.id.clone());
            let (ws_id2, col2) = (ws_id.clone(), col.clone());
            let (label, help) = (c.label.clone(), c.help.clone());
            view! {
                <div class="field">
                    <label for=field_id.clone()>{move || label.get(lang()).to_owned()}</label>
                    <p class="secondary help">{move || help.get(lang()).to_owned()}</p>
                    <textarea
                        id=field_id
                        data-field=c.id.clone()
                        rows="4"
                        readonly=!mine
                        prop:value=initial
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            let (id, col) = (ws_id.clone(), col.clone());
                            let n = tracker.edited(&col);
                            debounced(generation, false, move || save(id, col, value, n));
                        }
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            let (id, col) = (ws_id2.clone(), col2.clone());
                            let n = tracker.edited(&col);
                            debounced(generation, true, move || save(id, col, value, n));
                        }
                    ></textarea>
                </div>
            }
        })
        .collect_view();
    let rating_id = doc.id.clone();
    let current = RwSignal::new(doc.rating.clone());
    let ratings = form
        .ratings
        .iter()
        .map(|r| {
            let (rid, colour, label, meaning) = (r.id.clone(), r.colour.clone(), r.label.clone(), r.meaning.clone());
            let checked = { let rid = rid.clone(); move || current.get().as_deref() == Some(rid.as_str()) };
            let ws = rating_id.clone();
            let value = rid.clone();
            view! {
                <label class="rating-choice">
                    <input type="radio" name="rating" value=rid.clone() prop:checked=checked disabled=!mine on:change=move |_| {
                        current.set(Some(value.clone()));
                        let n = tracker.edited("rating");
                        save(ws.clone(), "rating".into(), value.clone(), n);
                    } />
                    <span class="swatch" style=format!("background:{colour}") aria-hidden="true"></span>
                    <span><strong>{move || label.get(lang()).to_owned()}</strong>{move || format!(" — {}", meaning.get(lang()))}</span>
                </label>
            }
        })
        .collect_view();
    let orphans: Vec<(String, String)> =
        doc.orphan_fields(&form).into_iter().map(|(a, b)| (a.to_owned(), b.to_owned())).collect();
    let title_form = form.title.clone();
    let send_id = doc.id.clone();
    let remove_id = doc.id.clone();
    let confirm_remove = RwSignal::new(false);
    let remove_error = RwSignal::new(None::<String>);
    let back_after_remove = back.clone();
    view! {
        <button class="back" on:click=move |_| state.go(back.clone())>{move || format!("◀ {}", w().back)}</button>
        {heading(move || title_form.get(lang()).to_owned())}
        {(!mine).then(|| view! { <p class="off-route" id="received-sheet">{move || w().received_read_only}</p> })}
        <p class="label">{move || workshop.as_ref().map_or_else(|| w().unknown_workshop.to_owned(), |k| format!("{} {} — {}", w().workshop, k.number, k.title.get(lang())))}</p>
        <p class="secondary save-status" aria-live="polite">{move || saving_text(&tracker.status(), lang(), w())}</p>
        <form class="worksheet-form" on:submit=|ev| ev.prevent_default()>
            {fields}
            <fieldset class="ratings-field">
                <legend>{move || w().rating_title}</legend>
                {ratings}
            </fieldset>
        </form>
        {(!orphans.is_empty()).then(|| view! {
            <section class="orphans">
                <h2>{move || w().old_fields}</h2>
                <dl>{orphans.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
            </section>
        })}
        {mine.then(|| view! {
            <button class="secondary-button big" id="send-one" on:click=move |_| state.go(Screen::Handover(vec![send_id.clone()]))>
                {move || w().send_one}
            </button>
        })}
        // Removing asks twice, and keeps the worksheet on the device (the lists show it under "Fiches
        // supprimées", to put back).
        <section class="start-again">
            <button class="secondary-button" id="remove-sheet" on:click=move |_| {
                if !confirm_remove.get_untracked() {
                    confirm_remove.set(true);
                    return;
                }
                confirm_remove.set(false);
                let (id, back) = (remove_id.clone(), back_after_remove.clone());
                spawn_local(async move {
                    match ipc::worksheet_remove(&id).await {
                        Ok(()) => {
                            state.worksheets.update(|list| list.retain(|d| d.id != id));
                            state.go(back);
                        }
                        Err(e) => remove_error.set(Some(format!("{} {}", w().not_removed, failure(&e, w())))),
                    }
                });
            }>{move || if confirm_remove.get() { w().remove_confirm } else { w().remove_sheet }}</button>
            {move || remove_error.get().map(|e| view! { <Failure text=e /> })}
        </section>
    }
    .into_any()
}

/// The removed worksheets (this device's only, or all), each with "Remettre"; nothing when there are none.
#[component]
pub fn RemovedWorksheets(pack: Arc<Pack>, only_mine: bool) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let removed = RwSignal::new(Vec::<Removed>::new());
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            if let Ok(list) = ipc::worksheets_removed().await {
                removed.set(list);
            }
        })
    };
    load();
    view! {
        {move || {
            let list: Vec<Removed> = removed
                .get()
                .into_iter()
                .filter(|r| !only_mine || state.is_mine(&r.worksheet))
                .collect();
            if list.is_empty() {
                return None;
            }
            let p = pack.clone();
            let count = list.len();
            Some(view! {
                <section class="removed-worksheets">
                    <h2>{format!("{} ({count})", w().removed_title)}</h2>
                    <p class="secondary">{w().removed_hint}</p>
                    <ul class="worksheet-list">
                        {list.into_iter().map(|r| {
                            let title = r.worksheet.title(&p.worksheet);
                            let title = if title.is_empty() { w().untitled.to_owned() } else { title };
                            let when = spoken_time(hm_of(r.removed_at), lang());
                            let id = r.worksheet.id.clone();
                            let label = format!("{} : {title}", w().restore);
                            view! {
                                <li class="removed-item">
                                    <span class="stop-text">
                                        <span class="stop-name">{title}</span>
                                        <span class="secondary">{format!("{} {when}", w().removed_at)}</span>
                                    </span>
                                    <button class="secondary-button" data-restore=id.clone() aria-label=label on:click=move |_| {
                                        let id = id.clone();
                                        spawn_local(async move {
                                            match ipc::worksheet_restore(&id).await {
                                                Ok(()) => {
                                                    error.set(None);
                                                    state.reload_worksheets();
                                                    load();
                                                }
                                                Err(e) => error.set(Some(format!("{} {}", w().not_restored, failure(&e, w())))),
                                            }
                                        });
                                    }>{w().restore}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {move || error.get().map(|e| view! { <Failure text=e /> })}
                </section>
            })
        }}
    }
}

/// A note kept in the user database: a stop's (`stop` = its id) or the day's (`stop` = "").
/// A note written before the user database (in the webview's storage) is carried over once.
#[component]
pub fn NoteBox(pack_id: String, stop: String, #[prop(into)] label: Signal<&'static str>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let tracker = Tracker::new();
    let generation = RwSignal::new(0u32);
    let stored = state.notes.get_untracked().get(&stop).cloned();
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
    let id = if stop.is_empty() { "day-notes".to_owned() } else { "stop-notes".to_owned() };
    view! {
        <section class="notes">
            <h2><label for=id.clone()>{move || label.get()}</label></h2>
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
                Saving::Idle => w().notes_hint.to_owned(),
                other => saving_text(&other, lang(), w()),
            }}</p>
        </section>
    }
}

/// On the home screen: what happened to the user database at start-up, if anything went wrong.
#[component]
pub fn DataBanner() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    move || {
        let status = state.user_data.get()?;
        if let Some(aside) = status.set_aside {
            return Some(
                view! {
                    <div class="off-route" role="alert" id="set-aside-banner">
                        <p class="title">{w().data_set_aside}</p>
                        <p class="path">{aside.moved_to}</p>
                        <p>{w().data_fresh}</p>
                    <p>{format!("{} {}", w().data_recovered, aside.recovered)}</p>
                        <p class="secondary">{aside.reason}</p>
                    </div>
                }
                .into_any(),
            );
        }
        if status.temporary && !status.elsewhere {
            let backup_error = RwSignal::new(None::<String>);
            return Some(
                view! {
                    <div class="off-route" role="status" id="temporary-banner">
                        <p class="title">{w().data_temporary}</p>
                        {status.note.map(|n| view! { <p class="secondary">{n}</p> })}
                        <button class="primary" id="temporary-backup" on:click=move |_| {
                            spawn_local(async move {
                                backup_error.set(ipc::backup().await.err().map(|e| e.message));
                            });
                        }>{w().backup_now}</button>
                        {move || backup_error.get().map(|e| view! { <Failure text=format!("{} {e}", w().not_saved) /> })}
                    </div>
                }
                .into_any(),
            );
        }
        if status.read_only {
            return Some(
                view! {
                    <div class="off-route" role="alert" id="read-only-banner">
                        <p class="title">{w().data_read_only}</p>
                        {status.path.map(|p| view! { <p class="path">{p}</p> })}
                    </div>
                }
                .into_any(),
            );
        }
        let error = status.error.filter(|_| !status.ok)?;
        Some(
            view! {
                <div class="off-route" role="alert">
                    <p class="title">{w().data_unavailable}</p>
                    <p>{error}</p>
                </div>
            }
            .into_any(),
        )
    }
}

/// What every screen of the web app must say at once: another tab holds the data, the data kept here
/// was erased, a new version waits. Nothing in the Tauri app (none of these can happen there).
#[component]
pub fn Notices() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let elsewhere = move || state.user_data.with(|s| s.as_ref().is_some_and(|s| s.elsewhere));
    view! {
        <Show when=elsewhere>
            <div class="off-route" role="alert" id="elsewhere-banner">
                <p class="title">{move || w().data_elsewhere}</p>
            </div>
        </Show>
        <Show when=move || state.data_gone.get()>
            <div class="off-route" role="alert" id="data-gone-banner">
                <p class="title">{move || w().data_gone}</p>
                <button class="secondary-button" on:click=move |_| state.data_gone.set(false)>{move || w().ok}</button>
            </div>
        </Show>
        {move || state.link_failed.get().map(|failed| view! {
            <div class="off-route" role="alert" id="link-failed">
                <p class="title">{match failed {
                    crate::LinkFailed::Link(why) => format!("{} {why}", w().visit_link_failed),
                    crate::LinkFailed::File(why) => format!("{} {why}", w().visit_file_failed),
                }}</p>
                <button class="secondary-button" on:click=move |_| state.link_failed.set(None)>{move || w().ok}</button>
            </div>
        })}
        <Show when=move || state.update.get()>
            <div class="update" role="status" id="update-banner">
                <p>{move || w().update_ready}</p>
                <button class="primary" id="update-now" on:click=move |_| crate::webapp::apply_update()>{move || w().update_now}</button>
            </div>
        </Show>
    }
}

/// A size in words: "1,2 Go", "350 Mo" ("1.2 GB", "350 MB").
/// " (supprimées : 1 ; autres visites : 2)" for the worksheets kept out of the lists; empty if none.
fn kept_apart(r: &parcours_core::status::Readiness, w: &crate::i18n::Words) -> String {
    let parts: Vec<String> =
        [(w.ready_removed, r.removed_worksheets), (w.ready_other_visits, r.other_visit_worksheets)]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(label, n)| format!("{label} : {n}"))
            .collect();
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(" ; ")) }
}

fn size_words(bytes: u64, lang: &str) -> String {
    let (value, unit_fr, unit_en) = if bytes >= 1 << 30 {
        (bytes as f64 / (1u64 << 30) as f64, "Go", "GB")
    } else {
        (bytes as f64 / (1u64 << 20) as f64, "Mo", "MB")
    };
    let text = if value >= 10.0 { format!("{value:.0}") } else { format!("{value:.1}") };
    if lang == "fr" { format!("{} {unit_fr}", text.replace('.', ",")) } else { format!("{text} {unit_en}") }
}

/// "Prêt pour le hors-ligne": the pack, the map, the app's own files and the user data, checked now.
#[component]
pub fn Ready() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let lang = move || state.lang.get().code();
    let report = RwSignal::new(None::<Result<parcours_core::status::Readiness, String>>);
    let refresh = move || {
        spawn_local(async move {
            report.set(Some(ipc::readiness().await.map_err(|e| e.message)));
        })
    };
    refresh();
    let backup_error = RwSignal::new(None::<String>);
    // The interface's own files: Leaflet loaded, the font available.
    let app_files = web_sys::window().is_some_and(|win| {
        let leaflet = js_sys::Reflect::has(&win, &wasm_bindgen::JsValue::from_str("L")).unwrap_or(false);
        let font = win
            .document()
            .and_then(|d| js_sys::Reflect::get(&d, &"fonts".into()).ok())
            .and_then(|fonts| {
                let check = js_sys::Reflect::get(&fonts, &"check".into()).ok()?;
                let check: js_sys::Function = wasm_bindgen::JsCast::dyn_into(check).ok()?;
                check.call1(&fonts, &"16px \"Atkinson Hyperlegible\"".into()).ok()?.as_bool()
            })
            .unwrap_or(false);
        leaflet && font
    });
    // The web app: is this version kept for offline use, and did the browser promise to keep the data?
    let web = RwSignal::new(None::<(Option<String>, Option<bool>)>);
    if !ipc::in_tauri() {
        spawn_local(async move {
            web.set(Some((crate::webapp::offline_build().await, crate::webapp::persisted().await)));
        });
    }
    let kb = |bytes: u64| (bytes as f64 / 1024.0).round();
    let line = |ok: bool, text: String| {
        view! { <li class=if ok { "ok" } else { "problem" }><span aria-hidden="true">{if ok { "✓ " } else { "⚠ " }}</span>{text}</li> }
    };
    view! {
        {heading(move || w().ready.to_owned())}
        {move || match report.get() {
            None => view! { <p>{w().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="off-route">{e}</p> }.into_any(),
            Some(Ok(r)) => {
                let pack_ok = r.pack_problem.is_none();
                view! {
                    <ul class="readiness">
                        {line(pack_ok, format!("{} : {} {} ({} {}){}", w().ready_pack, r.pack_id, r.pack_version, kb(r.pack_bytes), w().kilobytes,
                            r.pack_problem.as_ref().map_or_else(|| format!(", {}", w().ready_checked), |p| format!(" — {} : {p}", w().ready_problem))))}
                        {line(r.streets > 0 && r.routable_points > 0, format!("{} : {} {}, {} {} — {}", w().ready_map, r.streets, w().ready_streets, r.routable_points, w().ready_points, r.attribution))}
                        {line(app_files, if app_files { w().ready_app_files.to_owned() } else { w().ready_app_files_missing.to_owned() })}
                        {line(r.user_ok, format!("{} ({} {}) — {} : {}{}, {} : {}, {} : {}{}", w().ready_user, kb(r.user_bytes), w().kilobytes,
                            w().ready_worksheets, r.worksheets, kept_apart(&r, w()), w().ready_notes, r.notes, w().ready_positions, r.corrections,
                            r.user_problem.as_ref().map_or_else(|| format!(" — {}", w().ready_checked_plural), |p| format!(" — {} : {p}", w().ready_problem))))}
                        {match r.storage {
                            Storage::File => None,
                            Storage::Opfs => Some(line(true, w().ready_storage_opfs.to_owned())),
                            Storage::IndexedDb => Some(line(true, w().ready_storage_indexed.to_owned())),
                            Storage::Memory => Some(line(false, w().ready_storage_memory.to_owned())),
                        }}
                        {line(true, format!("{} : {}", w().ready_snapshots, r.snapshots))}
                        {r.free_bytes.map(|free| line(free >= parcours_core::status::LOW_SPACE_BYTES, format!("{} : {}{}",
                            w().free_space, size_words(free, lang()),
                            if free < parcours_core::status::LOW_SPACE_BYTES { format!(" — {}", w().free_space_low) } else { String::new() })))}
                        {move || web.get().map(|(build, persisted)| view! {
                            {line(build.is_some(), match &build {
                                Some(b) => format!("{} ({} {b})", w().ready_offline_copy, w().ready_version),
                                None => w().ready_no_offline_copy.to_owned(),
                            })}
                            {line(persisted == Some(true), match persisted {
                                Some(true) => w().ready_persisted,
                                Some(false) => w().ready_not_persisted,
                                None => w().ready_persist_unknown,
                            }.to_owned())}
                        })}
                        {line(r.last_backup.is_some(), match r.last_backup {
                            Some(t) => format!("{} : {} {}", w().last_backup, t.format("%d/%m/%Y"), spoken_time(hm_of(t), lang())),
                            None => w().no_backup.to_owned(),
                        })}
                    </ul>
                    {r.last_backup_path.map(|p| view! { <p class="secondary path" id="backup-path">{p}</p> })}
                    <button class="primary big" id="backup" on:click=move |_| {
                        spawn_local(async move {
                            match ipc::backup().await {
                                Ok(_) => { backup_error.set(None); refresh(); }
                                Err(e) => backup_error.set(Some(e.message)),
                            }
                        });
                    }>{w().backup_now}</button>
                    {move || backup_error.get().map(|e| view! { <Failure text=format!("{} {e}", w().not_saved) /> })}
                    {r.user_path.map(|p| view! { <p class="secondary path">{p}</p> })}
                    {r.set_aside.map(|a| view! { <p class="off-route">{format!("{} {}", w().data_set_aside, a.moved_to)}</p> })}
                }
                .into_any()
            }
        }}
        <EraseMyData on_done=Callback::new(move |()| refresh()) />
    }
}

/// "Effacer mes données de cet appareil": asked twice, saying what goes, with the backup offered
/// before; then every worksheet, note, walk and recorded position is erased by the shell
/// (`erase_data`), and what the interface kept in local storage too.
#[component]
fn EraseMyData(on_done: Callback<()>) -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    // 0: the button; 1: asked, waiting for the second tap; 2: done.
    let step = RwSignal::new(0u8);
    let failed = RwSignal::new(None::<String>);
    let erase = move |_| {
        spawn_local(async move {
            match ipc::erase_data().await {
                Ok(status) => {
                    crate::forget_local(status.device.as_deref());
                    state.user_data.set(Some(status));
                    state.worksheets.set(Vec::new());
                    state.notes.set(Default::default());
                    state.follow.set(None);
                    state.corrections.set(Vec::new());
                    state.route.set(None);
                    failed.set(None);
                    step.set(2);
                    on_done.run(());
                }
                Err(e) => failed.set(Some(e.message)),
            }
        });
    };
    view! {
        <section class="erase" aria-labelledby="erase-title">
            <h2 id="erase-title">{move || w().erase_title}</h2>
            {move || match step.get() {
                0 => view! {
                    <button class="secondary-button danger" id="erase" on:click=move |_| step.set(1)>{w().erase_title}</button>
                }.into_any(),
                1 => view! {
                    <div class="erase-ask" role="alert">
                        <p><strong>{w().erase_what}</strong></p>
                        <p>{w().erase_backup_first}</p>
                        <button class="primary" id="erase-backup" on:click=move |_| {
                            spawn_local(async move {
                                if let Err(e) = ipc::backup().await {
                                    failed.set(Some(e.message));
                                }
                                on_done.run(());
                            });
                        }>{w().backup_now}</button>
                        <button class="secondary-button danger" id="erase-confirm" on:click=erase>{w().erase_confirm}</button>
                        <button class="secondary-button" id="erase-cancel" on:click=move |_| step.set(0)>{w().erase_cancel}</button>
                    </div>
                }.into_any(),
                _ => view! { <p class="ok-box" role="status" id="erase-done">{w().erase_done}</p> }.into_any(),
            }}
            {move || failed.get().map(|e| view! { <Failure text=format!("{} {e}", w().erase_failed) /> })}
        </section>
    }
}
