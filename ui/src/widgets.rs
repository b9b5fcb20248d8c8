//! Small pieces shared by the pages: the page's heading, Markdown texts, icons, failure messages.

use leptos::prelude::*;
use parcours_core::text::{Block, Span, markdown};

fn spans(spans: Vec<Span>) -> impl IntoView {
    spans
        .into_iter()
        .map(|s| if s.bold { view! { <strong>{s.text}</strong> }.into_any() } else { s.text.into_any() })
        .collect_view()
}

/// A pack text (paragraphs, lists, bold) as HTML, built node by node: no `innerHTML`.
#[component]
pub fn Markdown(text: String) -> impl IntoView {
    markdown(&text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(s) => view! { <p>{spans(s)}</p> }.into_any(),
            Block::List(items) => {
                view! { <ul>{items.into_iter().map(|s| view! { <li>{spans(s)}</li> }).collect_view()}</ul> }.into_any()
            }
        })
        .collect_view()
}

/// The icons of the tab bar, drawn inline (nothing to load), hidden from screen readers: the word beside
/// each icon is the label.
#[component]
pub fn Icon(name: &'static str) -> impl IntoView {
    let path = match name {
        "home" => "M3 11 12 3l9 8v10h-6v-6H9v6H3z",
        "map" => "M9 3 3 5v16l6-2 6 2 6-2V3l-6 2zm0 2v12m6-10v12",
        "programme" => "M4 4h16v16H4zM4 9h16M9 4v16",
        "more" => "M5 12h.01M12 12h.01M19 12h.01",
        _ => "M4 12h16",
    };
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

/// A failure answering the user's tap ("Non enregistré : …"): read out at once by screen readers
/// (`role="alert"`), and brought into sight if it appeared below the fold — a message under the button
/// at the bottom of a page would otherwise sit hidden behind the tab bar.
#[component]
pub fn Failure(#[prop(into)] text: String, #[prop(optional)] no_print: bool) -> impl IntoView {
    let node = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if let Some(p) = node.get() {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            p.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    let class = if no_print { "off-route no-print" } else { "off-route" };
    view! { <p class=class role="alert" node_ref=node>{text}</p> }
}

/// Moves the focus to the element `id`: brought into sight if `into_view`, else without moving the page
/// under the user's finger.
pub(crate) fn focus_by_id(id: &str, into_view: bool) {
    let found = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = found.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(!into_view);
        let _ = element.focus_with_options(&options);
        if into_view {
            element.scroll_into_view();
        }
    }
}

/// The page's title; the focus lands here when the page opens (see `AppState::go`). The window's title
/// says it too, in the screen's language ("Programme · Parcours"): what a screen reader announces and
/// a tab or the task switcher shows.
pub(crate) fn heading(text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    let text = std::sync::Arc::new(text);
    let title = text.clone();
    Effect::new(move |_| {
        let title = format!("{} · Parcours", title());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title);
        }
    });
    view! { <h1 id="page-heading" tabindex="-1">{move || text()}</h1> }
}
