//! "Mes visites": the visits this device can open, another one opened from its `.parcours` file, a
//! switch back and forth. A file is kept only once the person has seen what it is and what keeping it
//! does (the offer: "Garder" / "Annuler"), whether it came from this page, a link or the desktop's
//! "Open with". The rules (checking the file, what it may replace, each visit's own data) are the
//! command layer's; once another visit is open, the page starts again on it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::wire::{NotTrusted, Placement, VisitInfo, VisitOffer, VisitOpened};

use crate::state::use_state;
use crate::transport;
use crate::widgets::{Failure, focus_by_id, heading};
use crate::words::failed;

/// The page again, on the visit now open (every screen reads the visit at start), from its home page:
/// the route chosen was the other visit's.
fn start_again() {
    crate::platform::storage::storage_remove("parcours.route");
    crate::platform::storage::storage_set(crate::state::SHOWN_VISIT, "");
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

#[component]
pub fn Visits() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let lang = move || state.lang.get().tag();
    let list = RwSignal::new(None::<Result<Vec<VisitInfo>, String>>);
    let load =
        move || spawn_local(async move { list.set(Some(transport::visits().await.map_err(|e| failed(&e, w())))) });
    load();
    let outcome = RwSignal::new(None::<Result<VisitOpened, String>>);
    let offer = RwSignal::new(None::<VisitOffer>);
    let cancelled = RwSignal::new(false);
    // An offer that appears takes the focus (and the eye): it is the question the person must answer.
    Effect::new(move |_| {
        if offer.get().is_some() {
            request_animation_frame(|| focus_by_id("visit-offer-title", true));
        }
    });
    let asking = RwSignal::new(None::<String>);
    // A file waiting from before this page (a link, "Open with"): asked about here.
    spawn_local(async move {
        if let Some(Some(waiting)) = state.shown(transport::visit_pending().await) {
            offer.set(Some(waiting));
        }
    });
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        spawn_local(async move {
            if let Some((name, bytes)) = crate::platform::files::read_files(input.clone()).await.into_iter().next() {
                // The same file may be chosen again after "Annuler".
                input.set_value("");
                outcome.set(None);
                offer.set(None);
                cancelled.set(false);
                let checked = match bytes {
                    Ok(b) => transport::visit_check(&name, &b).await.map_err(|e| w().file_refused(&failed(&e, w()))),
                    Err(e) => Err(w().file_problem(&name, &e)),
                };
                match checked {
                    Ok(o) => offer.set(Some(o)),
                    Err(e) => outcome.set(Some(Err(e))),
                }
            }
        });
    };
    let keep = move |_| {
        spawn_local(async move {
            offer.set(None);
            outcome.set(Some(transport::visit_keep().await.map_err(|e| failed(&e, w()))));
            load();
            // The button that had the focus is gone: it goes to the next step, "Voir la visite".
            request_animation_frame(|| focus_by_id("visit-go", true));
        })
    };
    let cancel = move |_| {
        spawn_local(async move {
            state.shown(transport::visit_cancel().await);
            offer.set(None);
            cancelled.set(true);
        })
    };
    let switch = move |id: String| {
        spawn_local(async move {
            match transport::visit_switch(&id).await {
                Ok(_) => start_again(),
                Err(e) => outcome.set(Some(Err(failed(&e, w())))),
            }
        })
    };
    let remove = move |id: String| {
        spawn_local(async move {
            if let Err(e) = transport::visit_remove(&id).await {
                outcome.set(Some(Err(failed(&e, w()))));
            }
            asking.set(None);
            load();
        })
    };
    view! {
        {heading(move || w().visits().to_owned())}
        <p>{move || w().visits_what()}</p>
        <ul class="visits">
            {move || match list.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <li><Failure text=e /></li> }.into_any(),
                Some(Ok(visits)) => visits.into_iter().map(|v| {
                    let (id, id2, id3, id4) = (v.id.clone(), v.id.clone(), v.id.clone(), v.id.clone());
                    let asked = move || asking.get().as_deref() == Some(id3.as_str());
                    view! {
                        <li class="card visit" data-visit=v.id.clone()>
                            <h2>{v.title.get(lang()).to_owned()}</h2>
                            {v.beside.then(|| view! { <p class="visit-beside"><strong>{w().visit_beside_mark()}</strong></p> })}
                            <p class="secondary">{about(&v, lang(), w())}</p>
                            {if v.current {
                                view! { <p class="ok-box visit-current">{w().visit_current()}</p> }.into_any()
                            } else {
                                view! {
                                    <button class="primary visit-switch" on:click=move |_| switch(id.clone())>{w().visit_switch()}</button>
                                    {(!v.bundled).then(|| view! {
                                        <button class="secondary-button visit-remove" on:click=move |_| asking.set(Some(id2.clone()))>{w().visit_remove()}</button>
                                    })}
                                }.into_any()
                            }}
                            {move || asked().then(|| {
                                let id = id4.clone();
                                view! {
                                    <p class="visit-ask">{w().visit_remove_ask()}</p>
                                    <button class="secondary-button visit-remove-confirm" on:click=move |_| remove(id.clone())>{w().visit_remove_confirm()}</button>
                                }
                            })}
                        </li>
                    }
                }).collect_view().into_any(),
            }}
        </ul>
        <input id="visit-file" class="visually-hidden" type="file" accept=".parcours" on:change=on_file />
        <label class="file-button primary big" for="visit-file">{move || w().visit_open_file()}</label>
        <div aria-live="polite" id="visit-status">
            {move || offer.get().map(|o| view! {
                <section class="card visit-offer" id="visit-offer" aria-labelledby="visit-offer-title">
                    <h2 id="visit-offer-title" tabindex="-1">{w().visit_offer()}</h2>
                    <p><strong>{o.visit.title.get(lang()).to_owned()}</strong></p>
                    <p class="secondary">{about(&o.visit, lang(), w())}</p>
                    {offer_lines(&o, lang(), w()).into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
                    <button class="primary big" id="visit-keep" on:click=keep>{w().visit_keep()}</button>
                    <button class="secondary-button big" id="visit-cancel" on:click=cancel>{w().visit_cancel()}</button>
                </section>
            })}
            {move || cancelled.get().then(|| view! { <p id="visit-cancelled">{w().visit_cancelled()}</p> })}
            {move || outcome.get().map(|r| match r {
                Err(e) => view! { <Failure text=e /> }.into_any(),
                Ok(o) => view! {
                    <p class="ok-box"><strong>{w().visit_opened(&o.visit.title.get(lang()))}</strong></p>
                    {o.replaced.then(|| view! { <p>{w().visit_replaced()}</p> })}
                    {(!o.added.is_empty()).then(|| view! { <p>{w().visit_added(&o.added.join(", "))}</p> })}
                    {(!o.removed.is_empty()).then(|| view! { <p>{w().visit_gone(&o.removed.join(", "))}</p> })}
                    <button class="primary big" id="visit-go" on:click=move |_| start_again()>{w().visit_go()}</button>
                }.into_any(),
            })}
        </div>
    }
}

/// A visit's date, city, places, version and signer, in one line.
fn about(v: &VisitInfo, lang: &str, w: &crate::i18n::Words) -> String {
    let (date, places, version) =
        (parcours_core::text::long_date(v.date, lang), v.stops.to_string(), v.version.to_string());
    match &v.signed_by {
        Some(key) => w.visit_about_signed(&date, &v.city, &places, &version, key),
        None => w.visit_about(&date, &v.city, &places, &version),
    }
}

/// What keeping the file would do, said in full sentences.
fn offer_lines(o: &VisitOffer, lang: &str, w: &crate::i18n::Words) -> Vec<String> {
    let mut lines = Vec::new();
    if o.visit.signed_by.is_none() {
        lines.push(w.visit_unsigned().to_owned());
    }
    match &o.placement {
        Placement::New => lines.push(w.visit_new().to_owned()),
        Placement::Same => lines.push(w.visit_same().to_owned()),
        Placement::Update { replaces } => {
            lines.push(w.visit_update(&replaces.version));
        }
        Placement::Beside { of, why } => {
            lines.push(w.visit_beside(&of.title.get(lang), &of.version));
            lines.push(
                match why {
                    NotTrusted::HereUnsigned => w.visit_why_here_unsigned(),
                    NotTrusted::Unsigned => w.visit_why_unsigned(),
                    NotTrusted::OtherKey => w.visit_why_other_key(),
                    NotTrusted::NotNewer => w.visit_why_not_newer(),
                }
                .to_owned(),
            );
            lines.push(w.visit_beside_kept().to_owned());
        }
    }
    if !o.added.is_empty() {
        lines.push(w.visit_added(&o.added.join(", ")));
    }
    if !o.removed.is_empty() {
        lines.push(w.visit_gone(&o.removed.join(", ")));
    }
    lines
}
