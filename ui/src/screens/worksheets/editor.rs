//! Worksheets ("fiches chantier"): my list, a new one for a workshop, the editor, the removed ones.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::{Hm, Pack};
use parcours_core::text::spoken_time;
use parcours_core::worksheet::{Removed, WorksheetDoc};

use super::saving::*;
use crate::state::{Screen, use_state};
use crate::transport;
use crate::widgets::{Failure, heading};
use crate::words::failed;

/// The list of my worksheets, then one "new worksheet" button per workshop is on the workshop cards.
#[component]
pub fn MyWorksheets(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    view! {
        <section class="my-worksheets">
            <h2>{move || w().my_worksheets()}</h2>
            {move || {
                let list: Vec<WorksheetDoc> =
                    state.worksheets.get().into_iter().filter(|d| state.is_mine(d)).collect();
                let receive = view! {
                    <button class="secondary-button" id="receive" on:click=move |_| state.go(Screen::Receive)>{w().receive()}</button>
                };
                if list.is_empty() {
                    return view! { <p class="secondary">{w().no_worksheet_yet()}</p>{receive} }.into_any();
                }
                let p = pack.clone();
                let ids: Vec<String> = list.iter().map(|d| d.id.clone()).collect();
                let send_all = view! {
                    <div class="actions">
                        <button class="primary" id="send-all" on:click=move |_| state.go(Screen::Handover(ids.clone()))>{w().send_all()}</button>
                        {receive}
                    </div>
                };
                view! {
                    <ul class="worksheet-list">
                        {list.into_iter().map(|doc| {
                            let title = doc.title(&p.worksheet);
                            let title = if title.is_empty() { w().untitled().to_owned() } else { title };
                            let workshop = p.workshops.iter().find(|k| k.id.as_str() == doc.workshop)
                                .map_or_else(|| w().unknown_workshop().to_owned(), |k| w().workshop_titled(&k.number, &k.title.get(lang())));
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
                match transport::worksheet_new(&workshop).await {
                    Ok(doc) => {
                        let id = doc.id.clone();
                        remember(state, doc);
                        state.go(Screen::Worksheet(id));
                    }
                    Err(e) => error.set(Some(w().not_saved(&failed(&e, w())))),
                }
            });
        }>{move || w().new_worksheet()}</button>
        {move || error.get().map(|e| view! { <p class="secondary">{e}</p> })}
    }
}

/// The worksheet form of the pack, filled in field by field.
#[component]
pub fn WorksheetEditor(pack: Arc<Pack>, id: String) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let Some(doc) = state.worksheets.get_untracked().into_iter().find(|d| d.id == id) else {
        return view! {
            <button class="back" on:click=move |_| state.go(Screen::Workshops)>{move || w().back_button()}</button>
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
    let rating_title = form.rating_title.clone();
    let send_id = doc.id.clone();
    let remove_id = doc.id.clone();
    let confirm_remove = RwSignal::new(false);
    let remove_error = RwSignal::new(None::<String>);
    let back_after_remove = back.clone();
    view! {
        <button class="back" on:click=move |_| state.go(back.clone())>{move || w().back_button()}</button>
        {heading(move || title_form.get(lang()).to_owned())}
        {(!mine).then(|| view! { <p class="off-route" id="received-sheet">{move || w().received_read_only()}</p> })}
        <p class="label">{move || workshop.as_ref().map_or_else(|| w().unknown_workshop().to_owned(), |k| w().workshop_titled(&k.number, &k.title.get(lang())))}</p>
        <p class="secondary save-status" aria-live="polite">{move || saving_text(&tracker.status(), lang(), w())}</p>
        <form class="worksheet-form" on:submit=|ev| ev.prevent_default()>
            {fields}
            <fieldset class="ratings-field">
                <legend>{move || rating_title.as_ref().map_or_else(|| w().rating_title().to_owned(), |t| t.get(lang()).to_owned())}</legend>
                {ratings}
            </fieldset>
        </form>
        {(!orphans.is_empty()).then(|| view! {
            <section class="orphans">
                <h2>{move || w().old_fields()}</h2>
                <dl>{orphans.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}</dl>
            </section>
        })}
        {mine.then(|| view! {
            <button class="secondary-button big" id="send-one" on:click=move |_| state.go(Screen::Handover(vec![send_id.clone()]))>
                {move || w().send_one()}
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
                    match transport::worksheet_remove(&id).await {
                        Ok(()) => {
                            state.worksheets.update(|list| list.retain(|d| d.id != id));
                            state.go(back);
                        }
                        Err(e) => remove_error.set(Some(w().not_removed(&failure(&e, w())))),
                    }
                });
            }>{move || if confirm_remove.get() { w().remove_confirm() } else { w().remove_sheet() }}</button>
            {move || remove_error.get().map(|e| view! { <Failure text=e /> })}
        </section>
    }
    .into_any()
}

/// The removed worksheets (this device's only, or all), each with "Remettre"; nothing when there are none.
#[component]
pub fn RemovedWorksheets(pack: Arc<Pack>, only_mine: bool) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let removed = RwSignal::new(Vec::<Removed>::new());
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            if let Some(list) = state.shown(transport::worksheets_removed().await) {
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
                    <h2>{w().removed_title(&count)}</h2>
                    <p class="secondary">{w().removed_hint()}</p>
                    <ul class="worksheet-list">
                        {list.into_iter().map(|r| {
                            let title = r.worksheet.title(&p.worksheet);
                            let title = if title.is_empty() { w().untitled().to_owned() } else { title };
                            let when = spoken_time(Hm::of(r.removed_at), lang());
                            let id = r.worksheet.id.clone();
                            let label = w().restore_one(&title);
                            view! {
                                <li class="removed-item">
                                    <span class="stop-text">
                                        <span class="stop-name">{title}</span>
                                        <span class="secondary">{w().removed_at(&when)}</span>
                                    </span>
                                    <button class="secondary-button" data-restore=id.clone() aria-label=label on:click=move |_| {
                                        let id = id.clone();
                                        spawn_local(async move {
                                            match transport::worksheet_restore(&id).await {
                                                Ok(()) => {
                                                    error.set(None);
                                                    state.reload_worksheets();
                                                    load();
                                                }
                                                Err(e) => error.set(Some(w().not_restored(&failure(&e, w())))),
                                            }
                                        });
                                    }>{w().restore()}</button>
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
