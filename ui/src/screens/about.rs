//! À propos: the organisers, the partners, key figures, the sources of the data.

use std::sync::Arc;

use leptos::prelude::*;
use parcours_core::pack::{OrganisationRole, Pack};

use crate::state::use_state;
use crate::widgets::{Markdown, heading};

#[component]
pub fn About(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let p = pack.clone();
    let org = move |role: OrganisationRole| {
        p.event
            .organisations
            .iter()
            .filter(|o| o.role == role)
            .map(|o| {
                view! {
                    <li class="card">
                        <h3>{o.name.clone()}</h3>
                        {o.about.as_ref().map(|a| view! { <p>{a.get(lang()).to_owned()}</p> })}
                        {o.address.clone().map(|a| view! { <p class="secondary">{a}</p> })}
                        {o.phone.clone().map(|a| view! { <p>{a}</p> })}
                        {o.email.clone().map(|a| view! { <p>{a}</p> })}
                        {o.website.clone().map(|a| view! { <p>{a}</p> })}
                    </li>
                }
            })
            .collect_view()
    };
    let org2 = org.clone();
    let p = pack.clone();
    let p2 = pack.clone();
    view! {
        {heading(move || w().about().to_owned())}
        <section class="description">{let p = pack.clone(); move || view! { <Markdown text=p.event.introduction.get(lang()).to_owned() /> }}</section>
        <section><h2>{move || w().organisers()}</h2><ul class="orgs">{move || org(OrganisationRole::Organiser)}</ul></section>
        <section><h2>{move || w().partners()}</h2><ul class="orgs">{move || org2(OrganisationRole::Partner)}</ul></section>
        <section>
            <h2>{move || w().key_figures()}</h2>
            <ul class="figures">
                {move || p.event.key_figures.iter().map(|f| view! {
                    <li><strong>{f.value.clone()}</strong>{format!(" {}", f.label.get(lang()))}<span class="secondary">{format!(" ({})", f.source)}</span></li>
                }).collect_view()}
            </ul>
        </section>
        <section>
            <h2>{move || w().sources()}</h2>
            <h3>{move || w().map_data()}</h3>
            {pack.map.iter().map(|m| view! { <p>{format!("{} — {}", m.attribution, m.licence)}</p><p class="secondary">{m.source.clone()}</p> }).collect_view()}
            <h3>{move || w().stop_positions()}</h3>
            <ul>
                {move || p2.stops.iter().map(|s| view! {
                    <li>
                        <strong>{s.name.clone()}</strong>
                        " — "
                        {match &s.position {
                            None => w().position_unknown().to_owned(),
                            Some(pos) => w().position_known(&pos.accuracy_m, &pos.source, &pos.licence),
                        }}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
