//! Plus, and Ateliers: the menu of the other screens; the workshops with their worksheets.

use std::sync::Arc;

use leptos::prelude::*;
use parcours_core::pack::Pack;

use crate::screens::worksheets::{MyWorksheets, NewWorksheet, RemovedWorksheets};
use crate::state::{Screen, use_state};
use crate::widgets::heading;

#[component]
pub fn More() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    view! {
        {heading(move || w().more_title().to_owned())}
        <ul class="menu">
            <li><button on:click=move |_| state.go(Screen::Workshops)>{move || w().workshops()}</button></li>
            <li><button on:click=move |_| state.go(Screen::Initiatives)>{move || w().initiatives()}</button></li>
            <li><button on:click=move |_| state.go(Screen::About)>{move || w().about()}</button></li>
            <li>
                <button class="with-hint" on:click=move |_| state.go(Screen::Guide)>
                    <span>{move || w().guide()}</span>
                    <span class="secondary">{move || w().guide_hint()}</span>
                </button>
            </li>
            <li>
                <button class="with-hint" id="to-bank" on:click=move |_| state.go(Screen::Bank)>
                    <span>{move || w().bank()}</span>
                    <span class="secondary">{move || w().bank_menu_hint()}</span>
                </button>
            </li>
            <li>
                <button class="with-hint" id="to-visits" on:click=move |_| state.go(Screen::Visits)>
                    <span>{move || w().visits()}</span>
                    <span class="secondary">{move || w().visits_hint()}</span>
                </button>
            </li>
            <li>
                <button class="with-hint" id="to-booklet" on:click=move |_| state.go(Screen::Booklet)>
                    <span>{move || w().booklet()}</span>
                    <span class="secondary">{move || w().booklet_hint()}</span>
                </button>
            </li>
            <li>
                <button class="with-hint" id="to-ready" on:click=move |_| state.go(Screen::Ready)>
                    <span>{move || w().ready()}</span>
                    <span class="secondary">{move || w().ready_hint()}</span>
                </button>
            </li>
            // Only a web app is added to the home screen (the Tauri app is installed as an app).
            {(!crate::transport::in_tauri()).then(|| view! {
                <li>
                    <button class="with-hint" id="to-install" on:click=move |_| state.go(Screen::Install)>
                        <span>{move || w().install()}</span>
                        <span class="secondary">{move || w().install_hint()}</span>
                    </button>
                </li>
            })}
        </ul>
    }
}

/// "Installer sur l'écran d'accueil": the steps of the browser the person is in first ("Dans ce
/// navigateur", chosen by what it can do: `webapp::install_way`), then the others (Chrome, Safari,
/// Firefox) for another phone.
#[component]
pub fn Install() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let here = if crate::transport::in_tauri() { String::new() } else { crate::platform::browser::install_way() };
    let way = move |key: &'static str| {
        view! {
            <section class="install-way" data-way=key>
                <h3>{move || install_steps(w(), key).0}</h3>
                <ol class="steps">
                    {(0..3).map(|i| view! { <li>{move || install_steps(w(), key).1[i]}</li> }).collect_view()}
                </ol>
            </section>
        }
    };
    let (first, rest): (Vec<&'static str>, Vec<&'static str>) =
        ["chrome", "safari", "firefox"].into_iter().partition(|k| *k == here);
    view! {
        {heading(move || w().install().to_owned())}
        <p>{move || w().install_why()}</p>
        {(!first.is_empty()).then(|| view! { <h2>{move || w().install_here()}</h2> })}
        {first.into_iter().map(way).collect_view()}
        {move || view! { <h2>{if here.is_empty() { w().install() } else { w().install_elsewhere() }}</h2> }}
        {rest.into_iter().map(way).collect_view()}
        <p>{move || w().install_after()}</p>
    }
}

/// A browser's way to the home screen: its title and its three steps.
fn install_steps(w: &'static crate::i18n::Words, key: &str) -> (&'static str, [&'static str; 3]) {
    match key {
        "chrome" => (w.install_android(), [w.install_android_1(), w.install_android_2(), w.install_android_3()]),
        "firefox" => (w.install_firefox(), [w.install_firefox_1(), w.install_firefox_2(), w.install_firefox_3()]),
        _ => (w.install_ios(), [w.install_ios_1(), w.install_ios_2(), w.install_ios_3()]),
    }
}

#[component]
pub fn Workshops(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let p = pack.clone();
    let ws = pack.worksheet.clone();
    let any_easy = pack.workshops.iter().any(|w| w.easy_read.is_some());
    view! {
        {heading(move || w().workshops().to_owned())}
        {any_easy.then(crate::parts::listen::easy_switch)}
        <MyWorksheets pack=pack.clone() />
        <RemovedWorksheets pack=pack.clone() only_mine=true />
        {move || p.workshops.iter().map(|wk| view! {
            <article class="card workshop">
                <h2>{w().workshop_titled(&wk.number, &wk.title.get(lang()))}</h2>
                {match (&wk.easy_read, state.easy.get()) {
                    (Some(e), true) => view! { <crate::parts::listen::EasyRead text=e.get(lang()).to_owned() /> }.into_any(),
                    _ => view! { <p>{wk.question.get(lang()).to_owned()}</p> }.into_any(),
                }}
                {(!wk.more_questions.is_empty()).then(|| view! {
                    <ul class="more-questions">
                        {wk.more_questions.iter().map(|q| view! { <li>{q.get(lang()).to_owned()}</li> }).collect_view()}
                    </ul>
                })}
                {wk.topics.as_ref().map(|t| view! { <p class="secondary">{t.get(lang()).to_owned()}</p> })}
                <NewWorksheet workshop=wk.id.to_string() />
            </article>
        }).collect_view()}
        <section class="worksheet">
            <h2>{move || w().worksheet()}</h2>
            <p>{let ws = ws.clone(); move || ws.instructions.get(lang()).to_owned()}</p>
            <ol class="columns">
                {let ws = ws.clone(); move || ws.columns.iter().map(|c| view! {
                    <li><strong>{c.label.get(lang()).to_owned()}</strong><span class="secondary">{c.help.get(lang()).to_owned()}</span></li>
                }).collect_view()}
            </ol>
            <p>{let ws = ws.clone(); move || ws.rating_instructions.get(lang()).to_owned()}</p>
            <ul class="ratings">
                {move || ws.ratings.iter().map(|r| view! {
                    <li><span class="swatch" style=format!("background:{}", r.colour) aria-hidden="true"></span><strong>{r.label.get(lang()).to_owned()}</strong>{format!(" — {}", r.meaning.get(lang()))}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
