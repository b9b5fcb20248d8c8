//! The organiser's project bank: every worksheet, by workshop and colour, exported as CSV for the
//! plenary; the worksheets of other visits kept apart.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::{Hm, Pack};
use parcours_core::text::{numeric_date, spoken_time};
use parcours_core::userdata::{ExportedWorksheet, bank_groups};
use parcours_core::worksheet::fields_in_form_order;

use crate::state::{Screen, use_state};
use crate::transport;
use crate::widgets::{Failure, heading};
use crate::words::{failed, title_of, workshop_line};

/// "Banque de projets": every worksheet on this device (mine and received), by workshop, then colour.
#[component]
pub fn Bank(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let exported = RwSignal::new(None::<Result<String, String>>);
    state.reload_worksheets();
    let removed_pack = pack.clone();
    let other_pack = pack.clone();
    view! {
        <button class="back" on:click=move |_| state.go(Screen::More)>{move || w().back_button()}</button>
        {heading(move || w().bank().to_owned())}
        <p>{move || w().bank_hint()}</p>
        <div class="actions">
            <button class="primary big" id="to-receive" on:click=move |_| state.go(Screen::Receive)>{move || w().receive()}</button>
            <button class="secondary-button big" id="bank-export" on:click=move |_| {
                spawn_local(async move {
                    exported.set(Some(transport::bank_export(lang()).await.map_err(|e| failed(&e, w()))));
                });
            }>{move || w().bank_export()}</button>
        </div>
        {move || exported.get().map(|r| match r {
            Ok(p) => view! { <p role="status">{w().file_saved()}<br/><span class="path" id="bank-path">{p}</span></p> }.into_any(),
            Err(e) => view! { <Failure text=e /> }.into_any(),
        })}
        {move || {
            let all = state.worksheets.get();
            if all.is_empty() {
                return view! { <p class="secondary">{w().bank_empty()}</p> }.into_any();
            }
            bank_groups(&pack, all)
                .into_iter()
                .map(|list| {
                    let heading = workshop_line(&pack, &list[0], lang(), w());
                    let items = list
                        .iter()
                        .map(|d| {
                            let colour = d.rating.as_ref().and_then(|r| pack.worksheet.ratings.iter().find(|x| &x.id == r));
                            let (swatch, label) = colour.map_or_else(
                                || ("transparent".to_owned(), w().no_rating().to_owned()),
                                |r| (r.colour.clone(), r.label.get(lang()).to_owned()),
                            );
                            let origin = if state.is_mine(d) { w().from_this_device() } else { w().from_other() };
                            let id = d.id.clone();
                            view! {
                                <li>
                                    <button class="bank-item" data-bank=d.id.clone() on:click=move |_| state.go(Screen::Worksheet(id.clone()))>
                                        <span class="stop-name">{title_of(&pack, d, w())}</span>
                                        <span><span class="swatch" style=format!("background:{swatch}") aria-hidden="true"></span>{label}</span>
                                        <span class="secondary">{origin}</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view();
                    view! { <section class="bank-group"><h2>{heading}</h2><ul class="worksheet-list">{items}</ul></section> }
                })
                .collect_view()
                .into_any()
        }}
        <crate::screens::worksheets::RemovedWorksheets pack=removed_pack only_mine=false />
        <OtherVisits pack=other_pack />
    }
}

/// The worksheets of other visits kept on this device (a file from an earlier visit, or the user data of
/// the last one): listed apart, each opening to its text. Nothing when there are none.
#[component]
fn OtherVisits(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let list = RwSignal::new(Vec::<ExportedWorksheet>::new());
    // Again whenever the bank's list changes (a file was opened).
    Effect::new(move |_| {
        state.worksheets.track();
        spawn_local(async move {
            if let Some(found) = state.shown(transport::worksheets_other_visits().await) {
                list.set(found);
            }
        });
    });
    move || {
        let found = list.get();
        (!found.is_empty()).then(|| {
            let count = found.len();
            view! {
                <section class="other-visits">
                    <h2>{w().other_visits_title(&count)}</h2>
                    <p class="secondary">{w().other_visits_hint()}</p>
                    {found.into_iter().map(|x| {
                        let title = if x.title.is_empty() { w().untitled().to_owned() } else { x.title.clone() };
                        view! {
                            <details class="other-visit" data-other=x.id.clone()>
                                <summary>
                                    <span class="stop-name">{title}</span>
                                    <span class="secondary">{w().other_visit_line(&x.pack, &numeric_date(x.updated_at.date(), lang()), &spoken_time(Hm::of(x.updated_at), lang()))}</span>
                                </summary>
                                <dl>{fields_in_form_order(&pack.worksheet, &x.fields, lang()).into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd class="printed-text">{v}</dd> }).collect_view()}</dl>
                            </details>
                        }
                    }).collect_view()}
                </section>
            }
        })
    }
}
