//! Accueil: the day (now and next), the choice of route.

use std::sync::Arc;

use leptos::prelude::*;
use parcours_core::pack::Pack;
use parcours_core::schedule::Phase;
use parcours_core::text::spoken_time;

use super::notices::DataBanner;
use crate::state::{Screen, use_state};
use crate::widgets::heading;
use crate::words::route_symbol;

#[component]
pub fn Home(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let p = pack.clone();
    let now_next = move || {
        let status = state.status.get()?;
        let item = |id: &Option<parcours_core::pack::ItemId>| {
            id.as_ref().and_then(|id| p.timetable.iter().find(|t| &t.id == id)).cloned()
        };
        Some((status.phase, item(&status.current), item(&status.next)))
    };
    let routes = pack.routes.clone();
    let p = pack.clone();
    let (e1, e2) = (pack.event.clone(), pack.event.clone());
    view! {
        <section class="event">
            {let e = pack.event.clone(); heading(move || e.title.get(lang()).to_owned())}
            <p class="subtitle">{move || e1.subtitle.get(lang()).to_owned()}</p>
            <p class="when">{move || e2.when(lang())}</p>
            <p class="where">{pack.event.place()}</p>
        </section>
        <DataBanner />
        <section class="now-next" aria-live="polite">
            {move || match now_next() {
                Some((Phase::During, current, next)) => view! {
                    {current.map(|c| view! {
                        <p class="now"><span class="label">{w().now()}</span> <span class="time">{spoken_time(c.start, lang())}</span> <strong>{c.title.get(lang()).to_owned()}</strong></p>
                    })}
                    {next.map(|n| view! {
                        <p class="next"><span class="label">{w().next()}</span> <span class="time">{spoken_time(n.start, lang())}</span> {n.title.get(lang()).to_owned()}</p>
                    })}
                }.into_any(),
                Some((Phase::Before, _, next)) => view! {
                    <p>{w().day_before()}</p>
                    {next.map(|n| view! {
                        <p class="next"><span class="label">{w().next()}</span> <span class="time">{spoken_time(n.start, lang())}</span> {n.title.get(lang()).to_owned()}</p>
                    })}
                }.into_any(),
                Some((Phase::After, _, _)) => view! { <p>{w().day_after()}</p> }.into_any(),
                _ => view! {
                    <button class="link" on:click=move |_| state.go(Screen::Programme)>{w().day_other()}</button>
                }.into_any(),
            }}
        </section>
        <section class="routes">
            <h2>{move || if state.route.get().is_some() { w().route_chosen() } else { w().choose_route() }}</h2>
            {routes.into_iter().map(|route| {
                let id = route.id.to_string();
                let id2 = id.clone();
                let pack = p.clone();
                let id3 = id.clone();
                let chosen = move || (state.route.get().as_deref() == Some(id.as_str())).to_string();
                let is_chosen = move || state.route.get().as_deref() == Some(id3.as_str());
                let order = pack.route_order(&route);
                let name = route.name.clone();
                view! {
                    <button
                        class=format!("route-choice route-{}", route.id)
                        aria-pressed=chosen
                        on:click=move |_| { state.choose_route(&id2); state.go(Screen::Map); }
                    >
                        <span class="route-name"><span class="symbol" aria-hidden="true">{route_symbol(&route)}</span> {move || name.get(lang()).to_owned()}</span>
                        <span class="route-order">{order}</span>
                        // Said in words, not by a border alone.
                        {move || is_chosen().then(|| view! { <span class="route-mine">{w().route_mine()}</span> })}
                    </button>
                }
            }).collect_view()}
        </section>
    }
}
