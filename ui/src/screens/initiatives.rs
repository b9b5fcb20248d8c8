//! Initiatives: the sixteen initiatives, filtered by workshop or searched offline.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::Pack;
use parcours_core::search::SearchHit;

use crate::state::{Screen, use_state};
use crate::transport;
use crate::widgets::{Markdown, heading};
use crate::words::failed;

#[component]
pub fn Initiatives(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let filter = RwSignal::new(None::<String>);
    let query = RwSignal::new(String::new());
    let hits = RwSignal::new(None::<Result<Vec<SearchHit>, transport::IpcError>>);
    let run_search = move || {
        let q = query.get_untracked();
        if q.trim().is_empty() {
            hits.set(None);
            return;
        }
        let l = state.lang.get_untracked().tag();
        spawn_local(async move { hits.set(Some(transport::search(&q, l).await)) });
    };
    let p = pack.clone();
    let chips = pack.workshops.clone();
    let open_hit = move |hit: &SearchHit| match hit.kind.as_str() {
        "stop" => state.go(Screen::Stop(hit.id.clone())),
        "workshop" => state.go(Screen::Workshops),
        _ => {
            filter.set(None);
            query.set(String::new());
            hits.set(None);
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("initiative-{}", hit.id)))
            {
                el.scroll_into_view();
            }
        }
    };
    view! {
        {heading(move || w().initiatives().to_owned())}
        <form class="search" role="search" on:submit=move |ev| { ev.prevent_default(); run_search(); }>
            <label for="search-input">{move || w().search()}</label>
            <div class="search-row">
                <input id="search-input" type="search" placeholder=move || w().search_hint() prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{move || w().search()}</button>
            </div>
        </form>
        // One live region, there before any search: it says how many were found, not the whole list.
        <p class="visually-hidden" role="status" id="search-status">
            {move || hits.get().map(|result| match result {
                Ok(list) if list.is_empty() => w().no_results(&query.get_untracked()),
                Ok(list) => w().results_found(&list.len().to_string()),
                Err(e) => failed(&e, w()),
            })}
        </p>
        {move || hits.get().map(|result| match result {
            Ok(list) if list.is_empty() => view! { <p class="results">{w().no_results(&query.get_untracked())}</p> }.into_any(),
            Ok(list) => view! {
                <ul class="results">
                    {list.into_iter().map(|hit| {
                        let kind = match hit.kind.as_str() { "stop" => w().kind_stop(), "workshop" => w().kind_workshop(), _ => w().kind_initiative() };
                        let h = hit.clone();
                        view! {
                            <li><button class="result" data-kind=hit.kind.clone() data-id=hit.id.clone() on:click=move |_| open_hit(&h)>
                                <span class="label">{kind}</span> <strong>{hit.title.clone()}</strong>
                                <span class="secondary">{hit.snippet.replace(['[', ']'], "")}</span>
                            </button></li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
            Err(e) => view! { <p class="results">{failed(&e, w())}</p> }.into_any(),
        })}
        <div class="chips" role="group" aria-label=move || w().workshops()>
            <button aria-pressed=move || filter.get().is_none().to_string() on:click=move |_| filter.set(None)>{move || w().all()}</button>
            {chips.into_iter().map(|wk| {
                let id = wk.id.to_string();
                let id2 = id.clone();
                view! {
                    <button aria-pressed=move || (filter.get().as_deref() == Some(id.as_str())).to_string() on:click=move |_| filter.set(Some(id2.clone()))>
                        {w().workshop_number(&wk.number)}
                    </button>
                }
            }).collect_view()}
        </div>
        <ul class="initiatives">
            {move || {
                let f = filter.get();
                p.initiatives.iter().filter(|i| f.as_deref().is_none_or(|f| i.workshop.as_str() == f)).map(|i| {
                    let open = RwSignal::new(false);
                    let description = i.description.clone();
                    view! {
                        <li class="card initiative" id=format!("initiative-{}", i.id)>
                            <h2>{i.title.get(lang()).to_owned()}</h2>
                            <p><span class="label">{w().holder()}</span> {i.holder.clone()}</p>
                            <p><span class="label">{w().acts_on()}</span> {i.acts_on.get(lang()).to_owned()}</p>
                            <p><span class="label">{w().territory()}</span> {i.territory.clone()}</p>
                            <button class="link" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                                {move || if open.get() { w().show_less() } else { w().show_more() }}
                            </button>
                            {move || open.get().then(|| view! { <div class="description"><Markdown text=description.get(lang()).to_owned() /></div> })}
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
    }
}
