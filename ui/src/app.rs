//! The app's start: the state provided, the visit read (and a link's or a file's visit checked), the
//! person's data loaded, then the [`Shell`] of screens.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::Pack;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Lang;
use crate::parts::listen;
use crate::platform::browser::{self, mark};
use crate::platform::storage::{storage_get, storage_set};
use crate::screens::Shell;
use crate::state::{AppState, LinkFailed, SHOWN_VISIT, Screen, data_gone, shown_key};
use crate::transport as ipc;
use crate::widgets;
use crate::words::failed;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    listen::watch_voices(state.voices);
    let loaded: RwSignal<Option<Result<Arc<Pack>, ipc::IpcError>>> = RwSignal::new(None);
    spawn_local(async move {
        // The web app's first screen, from the visit's summary when it is the visit shown here last
        // (or the first time): the worker, SQLite and the person's data come once it is on screen.
        if let Some(pack) = summary().await {
            loaded.set(Some(Ok(Arc::new(pack))));
            mark("parcours-pack-received");
            let _ = JsFuture::from(browser::after_paint()).await;
        }
        load_person(state);
        if !ipc::in_tauri() {
            browser::start(move || state.update.set(true));
            // A link to a visit (`…/?visite=seconde.parcours`, on this site): checked first, as "Mes
            // visites" checks a file.
            if let Some(Err(why)) = visit_from_link().await {
                state.link_failed.set(Some(LinkFailed::Link(why)));
            }
        }
        let pack = ipc::pack().await;
        if let Ok(pack) = &pack {
            storage_set(SHOWN_VISIT, &shown_key(pack));
        }
        // The summary was this visit: nothing to draw again.
        let same = matches!((loaded.get_untracked(), &pack), (Some(Ok(shown)), Ok(pack)) if *shown == *pack);
        if !same {
            // Drawn again from the worker's visit: the summary was another (the e2e runs check it was not).
            mark(if loaded.get_untracked().is_none() { "parcours-pack-received" } else { "parcours-pack-redrawn" });
            loaded.set(Some(pack.map(Arc::new)));
        }
        mark("parcours-pack-checked");
        // A visit file waiting for the person's answer (the link's, or the desktop's "Open with"):
        // asked on "Mes visites", before anything is kept.
        if let Some(Some(_)) = state.shown(ipc::visit_pending().await) {
            state.go(Screen::Visits);
        }
    });
    Effect::new(move |_| {
        let lang = state.lang.get();
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", lang.tag());
            // A right-to-left language mirrors the whole layout (the CSS's logical properties follow).
            let _ = html.set_attribute("dir", if lang.is_rtl() { "rtl" } else { "ltr" });
        }
    });
    move || match loaded.get() {
        None => view! { <p class="loading" role="status">{move || state.lang.get().words().loading()}</p> }.into_any(),
        Some(Err(error)) => view! {
            <main class="page error" id="main">
                {widgets::heading(move || state.lang.get().words().cannot_open().to_owned())}
                <p>{failed(&error, state.lang.get_untracked().words())}</p>
            </main>
        }
        .into_any(),
        Some(Ok(pack)) => view! { <Shell pack=pack /> }.into_any(),
    }
}

/// The person's data and the day's status, read from the command layer (the status again every 30 s).
fn load_person(state: AppState) {
    let refresh = move || {
        spawn_local(async move {
            if let Some(status) = state.shown(ipc::day_status().await) {
                state.status.set(Some(status));
            }
        })
    };
    refresh();
    set_interval(refresh, Duration::from_secs(30));
    spawn_local(async move {
        if let Some(list) = state.shown(ipc::corrections().await) {
            state.corrections.set(list);
        }
        if let Some(list) = state.shown(ipc::worksheets().await) {
            state.worksheets.set(list);
        }
        if let Some(list) = state.shown(ipc::notes().await) {
            state.notes.set(Some(list.into_iter().map(|n| (n.stop, n.text)).collect()));
        }
        if let Some(status) = state.shown(ipc::user_data().await) {
            // A file given at start ("Open with") and refused: said, as a link refused is.
            if let Some(why) = status.refused_file.clone() {
                state.link_failed.set(Some(LinkFailed::File(why)));
            }
            state.data_gone.set(data_gone(&status));
            state.user_data.set(Some(status));
        }
    });
}

/// The site's visit as the worker will give it (`visite.json`, beside `visite.parcours`), when the visit
/// shown here last was that one or none was yet: `None` in the desktop app, when it is missing or
/// unreadable, or when another visit was open (the worker then gives that one).
async fn summary() -> Option<Pack> {
    if ipc::in_tauri() {
        return None;
    }
    let most = parcours_core::pack::bounds::MAX_PACK_BYTES as f64;
    let text = JsFuture::from(browser::fetch_summary(most)).await.ok()?.as_string()?;
    // As a reply is read (`transport::decode`): one reader of a visit in the wasm, not two.
    let pack: Pack = serde_json::from_slice(text.as_bytes()).ok()?;
    storage_get(SHOWN_VISIT).is_none_or(|last| last == shown_key(&pack)).then_some(pack)
}

/// `?visite=<address of a .parcours on this site>`: the visit fetched and checked, as "Mes visites"
/// checks a file; it then waits for the person's answer there. The link's part leaves the address
/// either way. `None`: no such link; `Some(Err)`: why it could not be opened (the page goes on with the
/// visit it had).
pub async fn visit_from_link() -> Option<Result<(), String>> {
    let window = web_sys::window()?;
    let location = window.location();
    let href = location.href().ok()?;
    let asked = web_sys::Url::new(&href).ok()?.search_params().get("visite")?;
    let words = Lang::from_tag(&storage_get("parcours.lang").unwrap_or_default()).words();
    let result = async {
        let target = web_sys::Url::new_with_base(&asked, &href).map_err(|_| format!("{asked}: ?"))?;
        let same_origin = target.origin() == location.origin().unwrap_or_default();
        let page = web_sys::Url::new(&href).map(|u| u.pathname()).unwrap_or_default();
        parcours_core::links::visit_link(same_origin, &page, &target.pathname()).map_err(|refused| {
            let why = match refused {
                parcours_core::links::LinkRefusal::Elsewhere => words.visit_link_elsewhere(),
                parcours_core::links::LinkRefusal::NotAVisit => words.visit_link_not_visit(),
            };
            words.file_problem(&asked, &why)
        })?;
        let most = parcours_core::pack::bounds::MAX_PACK_BYTES as f64;
        let fetched = JsFuture::from(browser::fetch_capped(&target.href(), most)).await.map_err(|e| {
            let reason = e.dyn_ref::<js_sys::Error>().map_or_else(|| format!("{e:?}"), |e| String::from(e.message()));
            words.file_problem(&asked, &reason)
        })?;
        if fetched.is_null() {
            return Err(words.file_problem(&asked, &words.visit_link_too_big()));
        }
        let bytes = js_sys::Uint8Array::new(&fetched).to_vec();
        let name = target.pathname().rsplit('/').next().unwrap_or("visite.parcours").to_owned();
        ipc::visit_check(&name, &bytes).await.map_err(|e| failed(&e, words))?;
        Ok(())
    }
    .await;
    // The link's part goes either way (the rest of the address stays): a reload must not open it again.
    let clean = web_sys::Url::new(&href).map_or_else(
        |_| "/".to_owned(),
        |url| {
            url.search_params().delete("visite");
            url.href()
        },
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
    }
    Some(result)
}
