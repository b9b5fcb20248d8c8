//! "Mes visites": the visits this device can open, another one opened from its `.parcours` file, a
//! switch back and forth. The rules (checking the file, keeping it, each visit's own data) are the
//! command layer's; once another visit is open, the page starts again on it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::wire::{VisitInfo, VisitOpened};

use crate::widgets::{Failure, heading};
use crate::{ipc, use_state};

/// The page again, on the visit now open (every screen reads the visit at start), from its home page:
/// the route chosen was the other visit's.
fn start_again() {
    crate::storage_remove("parcours.route");
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

#[component]
pub fn Visits() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let lang = move || state.lang.get().code();
    let list = RwSignal::new(None::<Result<Vec<VisitInfo>, String>>);
    let load = move || spawn_local(async move { list.set(Some(ipc::visits().await.map_err(|e| e.message))) });
    load();
    let outcome = RwSignal::new(None::<Result<VisitOpened, String>>);
    let asking = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        spawn_local(async move {
            if let Some((name, bytes)) = crate::handover::read_files(input).await.into_iter().next() {
                let answer = match bytes {
                    Ok(b) => {
                        ipc::visit_open(&name, &b).await.map_err(|e| format!("{} {}", w().file_refused, e.message))
                    }
                    Err(e) => Err(format!("{name} : {e}")),
                };
                outcome.set(Some(answer));
                load();
            }
        });
    };
    let switch = move |id: String| {
        spawn_local(async move {
            match ipc::visit_switch(&id).await {
                Ok(_) => start_again(),
                Err(e) => outcome.set(Some(Err(e.message))),
            }
        })
    };
    let remove = move |id: String| {
        spawn_local(async move {
            if let Err(e) = ipc::visit_remove(&id).await {
                outcome.set(Some(Err(e.message)));
            }
            asking.set(None);
            load();
        })
    };
    view! {
        {heading(move || w().visits.to_owned())}
        <p>{move || w().visits_what}</p>
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
                            <p class="secondary">{format!("{} · {} · {}\u{a0}{}", parcours_core::text::long_date(v.date, lang()), v.city, v.stops, w().visit_places)}</p>
                            {if v.current {
                                view! { <p class="ok-box visit-current">{w().visit_current}</p> }.into_any()
                            } else {
                                view! {
                                    <button class="primary visit-switch" on:click=move |_| switch(id.clone())>{w().visit_switch}</button>
                                    {(!v.bundled).then(|| view! {
                                        <button class="secondary-button visit-remove" on:click=move |_| asking.set(Some(id2.clone()))>{w().visit_remove}</button>
                                    })}
                                }.into_any()
                            }}
                            {move || asked().then(|| {
                                let id = id4.clone();
                                view! {
                                    <p class="visit-ask">{w().visit_remove_ask}</p>
                                    <button class="secondary-button visit-remove-confirm" on:click=move |_| remove(id.clone())>{w().visit_remove_confirm}</button>
                                }
                            })}
                        </li>
                    }
                }).collect_view().into_any(),
            }}
        </ul>
        <input id="visit-file" class="visually-hidden" type="file" accept=".parcours" on:change=on_file />
        <label class="file-button primary big" for="visit-file">{move || w().visit_open_file}</label>
        <div aria-live="polite" id="visit-status">
            {move || outcome.get().map(|r| match r {
                Err(e) => view! { <Failure text=e /> }.into_any(),
                Ok(o) => view! {
                    <p class="ok-box"><strong>{format!("{} {}", w().visit_opened, o.visit.title.get(lang()))}</strong></p>
                    {o.replaced.then(|| view! { <p>{w().visit_replaced}</p> })}
                    {(!o.added.is_empty()).then(|| view! { <p>{format!("{} {}", w().visit_added, o.added.join(", "))}</p> })}
                    {(!o.removed.is_empty()).then(|| view! { <p>{format!("{} {}", w().visit_gone, o.removed.join(", "))}</p> })}
                    <button class="primary big" id="visit-go" on:click=move |_| start_again()>{w().visit_go}</button>
                }.into_any(),
            })}
        </div>
    }
}
