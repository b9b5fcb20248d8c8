//! "Le livret à imprimer": the visit's paper booklet, as the core makes it (the same as `parcours export
//! booklet`), shown on the page and printed by the webview's own print window (or saved as PDF there).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::use_state;
use crate::transport;
use crate::widgets::{Failure, heading};
use crate::words::failed;

/// The web app's own address, for the booklet's QR code: only a page served over https (the desktop
/// app's page is not one people can open).
fn own_address() -> Option<String> {
    if transport::in_tauri() {
        return None;
    }
    let location = web_sys::window()?.location();
    let protocol = location.protocol().ok()?;
    (protocol == "https:").then(|| Some(format!("{}{}", location.origin().ok()?, location.pathname().ok()?))).flatten()
}

#[component]
pub fn Booklet() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    let booklet = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |_| {
        let lang = state.lang.get().tag();
        spawn_local(async move {
            booklet.set(Some(transport::booklet(lang, own_address()).await.map_err(|e| failed(&e, w()))))
        });
    });
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <div class="no-print">
            {heading(move || w().booklet().to_owned())}
            <p>{move || w().booklet_why()}</p>
            <button class="primary big" id="print-booklet" on:click=print
                disabled=move || !matches!(booklet.get(), Some(Ok(_)))>
                {move || w().booklet_print()}
            </button>
        </div>
        {move || match booklet.get() {
            None => view! { <p role="status">{w().loading()}</p> }.into_any(),
            Some(Ok(html)) => view! { <div class="booklet-page" inner_html=html></div> }.into_any(),
            Some(Err(e)) => view! { <Failure text=e no_print=true /> }.into_any(),
        }}
    }
}
