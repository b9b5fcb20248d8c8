//! Étape: a stop's theme, place, host, speakers, description, facts, planned times and notes.

use std::sync::Arc;

use leptos::prelude::*;
use parcours_core::pack::Pack;

use crate::parts::listen::{EasyRead, Listen, Recording, chosen, easy_switch, plain};
use crate::screens::worksheets::NoteBox;
use crate::state::use_state;
use crate::widgets::{Markdown, heading};
use crate::words::{planned_line, position_note};

#[component]
pub fn StopPage(pack: Arc<Pack>, id: String) -> impl IntoView {
    let state = use_state();
    let Some(stop) = pack.stops.iter().find(|s| s.id.as_str() == id).cloned() else {
        return view! { <p>{id}</p> }.into_any();
    };
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let route = state.chosen_route(&pack);
    let index = route.as_ref().and_then(|r| r.stops.iter().position(|s| s == &stop.id));
    let r = route.clone();
    let step = move || match (&r, index) {
        (Some(r), Some(i)) => w().stop_of(&(i + 1), &r.stops.len().to_string()),
        _ => w().stop_word().to_owned(),
    };
    let r = route.clone();
    let planned = move || match (&r, index) {
        (Some(r), Some(i)) => planned_line(r, i, lang(), w()),
        _ => String::new(),
    };
    let arrived_here = stop.id.to_string();
    on_cleanup(move || {
        state.arrival.try_set(None);
    });
    let s = stop.clone();
    let s2 = stop.clone();
    let s3 = stop.clone();
    let s4 = stop.clone();
    let s5 = stop.clone();
    let s6 = stop.clone();
    let has_recording = move || s6.audio.iter().any(|a| a.lang == lang());
    // What "Écouter" reads: the stop's name and theme, then its text as shown (easy or full).
    let spoken = Signal::derive(move || {
        let (_, text) = chosen(s5.easy_read.as_ref(), s5.description.get(lang()), lang(), state.easy.get());
        format!("{}. {}.\n{}", s5.name, s5.theme.get(lang()), plain(&text))
    });
    view! {
        <button class="back" on:click=move |_| state.go(state.back.get_untracked())>{move || w().back_button()}</button>
        <p class="label">{step}</p>
        {let n = stop.name.clone(); heading(move || n.clone())}
        {move || (state.arrival.get().as_deref() == Some(arrived_here.as_str())).then(|| view! { <p class="arrived" role="status">{w().arrived_title()}</p> })}
        <p class="theme">{move || s.theme.get(lang()).to_owned()}</p>
        <p class="planned">{planned}</p>
        {stop.photo.clone().map(|photo| view! { <StopPhoto stop=stop.id.to_string() photo=photo /> })}
        {let st = stop.clone(); move || if has_recording() { view! { <Recording stop=st.clone() /> }.into_any() } else { view! { <Listen key="stop" text=spoken /> }.into_any() }}
        <dl class="facts-list">
            <dt>{move || w().meeting_place()}</dt>
            <dd>{move || s2.meeting_place.get(lang()).to_owned()}</dd>
            {stop.access.clone().map(|a| view! {
                <dt>{move || w().access()}</dt>
                <dd class="access">{move || a.get(lang()).to_owned()}</dd>
            })}
            <dt>{move || w().host()}</dt>
            <dd>{stop.host.clone()}</dd>
            <dt>{move || w().with()}</dt>
            <dd>
                <ul class="speakers">
                    {move || s3.speakers.iter().map(|sp| view! { <li><strong>{sp.name.clone()}</strong>{format!(", {}", sp.role.get(lang()))}</li> }).collect_view()}
                </ul>
            </dd>
        </dl>
        {move || position_note(&s4, w()).map(|n| view! { <p class="secondary">{n}</p> })}
        <section class="description">
            {let s = stop.clone(); move || {
                let (easy, text) = chosen(s.easy_read.as_ref(), s.description.get(lang()), lang(), state.easy.get());
                if easy { view! { <EasyRead text=text /> }.into_any() } else { view! { <Markdown text=text /> }.into_any() }
            }}
            {stop.easy_read.is_some().then(easy_switch)}
        </section>
        {(!stop.facts.is_empty()).then(|| {
            let facts = stop.facts.clone();
            view! {
                <section class="did-you-know">
                    <h2>{move || w().facts()}</h2>
                    {move || facts.iter().map(|f| view! { <p>{f.get(lang()).to_owned()}</p> }).collect_view()}
                </section>
            }
        })}
<NoteBox pack_id=pack.pack.id.clone() stop=stop.id.to_string() label=Signal::derive(move || state.lang.get().words().my_notes()) />
    }
    .into_any()
}

/// A stop's photo, read from the pack when the page opens, with its text alternative and its credit.
/// Its width and height are known before it comes, so nothing on the page moves when it does.
#[component]
fn StopPhoto(stop: String, photo: parcours_core::pack::Photo) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let picture = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        if let Some(p) = state.shown(crate::transport::stop_photo(&stop).await) {
            picture.try_set(Some(p.data_url));
        }
    });
    let (width, height) = (photo.width, photo.height);
    let alt = photo.alt.clone();
    view! {
        <figure class="stop-photo">
            <div class="photo-frame" style=format!("aspect-ratio: {width} / {height}")>
                {move || picture.get().map(|src| { let alt = alt.clone(); view! { <img src=src alt=move || alt.get(lang()).to_owned() width=width height=height /> } })}
            </div>
            <figcaption class="secondary">{move || w().photo_by(&photo.credit)}</figcaption>
        </figure>
    }
}
