//! The screens, one module each, and the [`Shell`] that shows the one the state names. Each reads the
//! model and the state; the rules (times, plans, search, where the walk stands) live in the core.

mod about;
mod bank;
mod booklet;
mod guide;
mod handover;
mod home;
mod initiatives;
mod map;
mod more;
mod notices;
mod programme;
mod ready;
mod stop;
mod visits;
mod worksheets;

use std::sync::Arc;

use leptos::prelude::*;
use parcours_core::pack::Pack;

use crate::i18n::Lang;
use crate::state::{Screen, use_state};
use crate::widgets::Icon;
use about::About;
use bank::Bank;
use booklet::Booklet;
use guide::Guide;
use handover::{Handover, Receive};
use home::Home;
use initiatives::Initiatives;
use map::MapPage;
use more::{Install, More, Workshops};
use notices::Notices;
use programme::Programme;
use ready::Ready;
use stop::StopPage;
use visits::Visits;
use worksheets::WorksheetEditor;

#[component]
pub fn Shell(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let p = pack.clone();
    let tab = move |screen: Screen, icon: &'static str, label: fn(Lang) -> &'static str| {
        let target = screen.clone();
        let current = move || {
            let s = state.screen.get();
            let on = s == target
                || (target == Screen::More
                    && matches!(
                        s,
                        Screen::Workshops
                            | Screen::Initiatives
                            | Screen::About
                            | Screen::Guide
                            | Screen::Worksheet(_)
                            | Screen::Ready
                            | Screen::Handover(_)
                            | Screen::Receive
                            | Screen::Bank
                            | Screen::Install
                            | Screen::Visits
                            | Screen::Booklet
                    ))
                || (target == Screen::Map && matches!(s, Screen::Stop(_)));
            on.then_some("page")
        };
        view! {
            <button class="tab" aria-current=current on:click=move |_| state.go(screen.clone())>
                <Icon name=icon />
                <span>{move || label(state.lang.get())}</span>
            </button>
        }
    };
    view! {
        // The header scrolls away with the page (at large text it would hold a quarter of a phone's
        // screen); the tab bar stays.
        <div class="scroller" id="scroller">
            <header class="top">
                <span class="brand">{format!("Parcours · {}", pack.event.city)}</span>
                // The other language's name, in that language: what a reader of it looks for (and the
                // button's name is its visible text, WCAG 2.5.3).
                <button
                    class="lang"
                    lang=move || state.lang.get().other().tag()
                    on:click=move |_| state.set_lang(state.lang.get_untracked().other())
                >
                    {move || state.lang.get().other().words().language_name()}
                </button>
            </header>
            // Focusable, so the keyboard scrolls a page with nothing else to focus (À propos); a field that
            // takes the focus is brought fully into view (WebKit shows only the caret's line).
            <main id="main" class="page" tabindex="0" on:focusin=|e| bring_into_view(&e)>
                <Notices />
                {move || {
                    let pack = p.clone();
                    match state.screen.get() {
                        Screen::Home => view! { <Home pack=pack /> }.into_any(),
                        Screen::Map => view! { <MapPage pack=pack /> }.into_any(),
                        Screen::Stop(id) => view! { <StopPage pack=pack id=id /> }.into_any(),
                        Screen::Programme => view! { <Programme pack=pack /> }.into_any(),
                        Screen::More => view! { <More /> }.into_any(),
                        Screen::Workshops => view! { <Workshops pack=pack /> }.into_any(),
                        Screen::Initiatives => view! { <Initiatives pack=pack /> }.into_any(),
                        Screen::About => view! { <About pack=pack /> }.into_any(),
                        Screen::Guide => view! { <Guide pack=pack /> }.into_any(),
                        Screen::Worksheet(id) => view! { <WorksheetEditor pack=pack id=id /> }.into_any(),
                        Screen::Ready => view! { <Ready /> }.into_any(),
                        Screen::Handover(ids) => view! { <Handover pack=pack ids=ids /> }.into_any(),
                        Screen::Receive => view! { <Receive /> }.into_any(),
                        Screen::Bank => view! { <Bank pack=pack /> }.into_any(),
                        Screen::Install => view! { <Install /> }.into_any(),
                        Screen::Visits => view! { <Visits /> }.into_any(),
                        Screen::Booklet => view! { <Booklet /> }.into_any(),
                    }
                }}
            </main>
        </div>
        <nav class="tabs" aria-label=move || state.lang.get().words().main_nav()>
            {tab(Screen::Home, "home", |l| l.words().tab_home())}
            {tab(Screen::Map, "map", |l| l.words().tab_map())}
            {tab(Screen::Programme, "programme", |l| l.words().tab_programme())}
            {tab(Screen::More, "more", |l| l.words().tab_more())}
        </nav>
    }
}

/// A field just focused, brought fully into view between the header and the tab bar (once the browser
/// has done its own scrolling to the caret).
fn bring_into_view(event: &leptos::ev::FocusEvent) {
    use wasm_bindgen::JsCast;
    let Some(field) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    if !matches!(field.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT") {
        return;
    }
    request_animation_frame(move || {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        field.scroll_into_view_with_scroll_into_view_options(&options);
    });
}
