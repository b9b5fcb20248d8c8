//! The Parcours interface: Leptos 0.8 (client-side rendering) in wasm, inside the Tauri webview.
//!
//! It holds no business rule: times, schedules and search come from `parcours-core` (in the shell, over
//! [`ipc`], or as pure functions of the model). One [`map_view::MapView`] owns the Leaflet map.

mod guide;
mod handover;
mod i18n;
mod ipc;
mod listen;
mod map_view;
mod screens;
mod walking;
mod webapp;
mod widgets;
mod words;
mod worker;
mod worksheets;

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::Pack;
use parcours_core::schedule::DayStatus;
use wasm_bindgen::prelude::*;

pub use i18n::Lang;
pub use map_view::arrow_svg;
pub use widgets::Markdown;

/// Every word of the interface in `lang` (for tests of completeness).
pub fn all_words(lang: Lang) -> Vec<&'static str> {
    lang.words().all()
}

/// Where the user is.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Screen {
    Home,
    Map,
    Stop(String),
    Programme,
    More,
    Workshops,
    Initiatives,
    About,
    Guide,
    Worksheet(String),
    Ready,
    /// Hand these worksheets over (QR codes, files, print).
    Handover(Vec<String>),
    Receive,
    Bank,
    /// The web app: how to add it to the home screen.
    Install,
    /// "Mes visites": open another visit.
    Visits,
    /// The paper booklet, shown and printed.
    Booklet,
}

/// A visit that could not be opened at start, and why.
#[derive(Clone, PartialEq, Debug)]
pub enum LinkFailed {
    /// The web app's link (`?visite=…`).
    Link(String),
    /// The desktop app's file given on its command line ("Open with").
    File(String),
}

/// The app's reactive state, shared through context. Plain signals: cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: RwSignal<Lang>,
    pub route: RwSignal<Option<String>>,
    pub screen: RwSignal<Screen>,
    pub back: RwSignal<Screen>,
    pub status: RwSignal<Option<DayStatus>>,
    /// The walk as the shell's engine sees it (position, next stop, off-route…).
    pub follow: RwSignal<Option<parcours_core::walk::FollowView>>,
    /// The stop just reached (its page says so), until the person leaves that page.
    pub arrival: RwSignal<Option<String>>,
    pub geo: RwSignal<walking::GeoStatus>,
    /// The simulation's speed while one runs.
    pub sim: RwSignal<Option<u32>>,
    /// Stop positions recorded on site by a guide (user database).
    pub corrections: RwSignal<Vec<parcours_core::walk::Correction>>,
    /// My worksheets and notes (stop id or "" → text), from the user database.
    pub worksheets: RwSignal<Vec<parcours_core::worksheet::WorksheetDoc>>,
    pub notes: RwSignal<std::collections::BTreeMap<String, String>>,
    pub user_data: RwSignal<Option<parcours_core::status::UserDataStatus>>,
    /// The phone's location permission has been asked (and answered) this run.
    pub location_asked: RwSignal<bool>,
    /// The web app: a new version is installed and waits for the person to take it.
    pub update: RwSignal<bool>,
    /// The visit a link asked for (`?visite=…`), or the file given at start, could not be opened: why.
    pub link_failed: RwSignal<Option<LinkFailed>>,
    /// The web app: the data this browser kept was erased since the last visit.
    pub data_gone: RwSignal<bool>,
    /// Easy-read texts first (the default), or the full texts; remembered.
    pub easy: RwSignal<bool>,
    /// The system's voices (their language tags), for "Écouter"; what is being read aloud now.
    pub voices: RwSignal<Vec<String>>,
    pub speaking: RwSignal<Option<String>>,
    sim_generation: RwSignal<u32>,
}

impl AppState {
    fn new() -> AppState {
        let lang = storage_get("parcours.lang").map_or(Lang::Fr, |c| Lang::from_code(&c));
        let route = storage_get("parcours.route");
        // Someone who already chose a route comes back to their map.
        let first = if route.is_some() { Screen::Map } else { Screen::Home };
        AppState {
            lang: RwSignal::new(lang),
            route: RwSignal::new(route),
            screen: RwSignal::new(first),
            back: RwSignal::new(Screen::Home),
            status: RwSignal::new(None),
            follow: RwSignal::new(None),
            arrival: RwSignal::new(None),
            geo: RwSignal::new(walking::GeoStatus::Off),
            sim: RwSignal::new(None),
            corrections: RwSignal::new(Vec::new()),
            location_asked: RwSignal::new(false),
            update: RwSignal::new(false),
            link_failed: RwSignal::new(None),
            data_gone: RwSignal::new(false),
            easy: RwSignal::new(storage_get("parcours.easy").is_none_or(|v| v != "full")),
            voices: RwSignal::new(Vec::new()),
            speaking: RwSignal::new(None),
            worksheets: RwSignal::new(Vec::new()),
            notes: RwSignal::new(Default::default()),
            user_data: RwSignal::new(None),
            sim_generation: RwSignal::new(0),
        }
    }

    /// Goes to `screen`, remembering where to come back, and moves focus to the new page's heading so
    /// that a screen reader announces it.
    pub fn go(&self, screen: Screen) {
        let current = self.screen.get_untracked();
        if !matches!(current, Screen::Stop(_)) {
            self.back.set(current);
        }
        // Back to the top now, not a frame later: a tap on the new page must land where the page showed it.
        let doc = web_sys::window().and_then(|w| w.document());
        if let Some(page) =
            doc.as_ref().and_then(|d| d.get_element_by_id("scroller").or_else(|| d.get_element_by_id("main")))
        {
            page.set_scroll_top(0);
        }
        self.screen.set(screen);
        // Focus for screen readers, without moving the page under the user's finger.
        request_animation_frame(|| widgets::focus_by_id("page-heading", false));
    }

    /// The chosen route, if any and if it exists in this pack.
    pub fn chosen_route(&self, pack: &Pack) -> Option<parcours_core::pack::Route> {
        self.route.get().and_then(|id| pack.route(&id).cloned())
    }

    /// Is this worksheet one of this device's? (The rule is the core's.)
    pub fn is_mine(&self, doc: &parcours_core::worksheet::WorksheetDoc) -> bool {
        self.user_data.with(|s| doc.is_from(s.as_ref().and_then(|s| s.device.as_deref())))
    }

    /// Reloads the worksheets from the user database (after an import).
    pub fn reload_worksheets(&self) {
        let worksheets = self.worksheets;
        spawn_local(async move {
            if let Ok(list) = ipc::worksheets().await {
                worksheets.set(list);
            }
        });
    }

    pub fn choose_route(&self, id: &str) {
        storage_set("parcours.route", id);
        self.route.set(Some(id.to_owned()));
    }

    pub fn set_easy(&self, easy: bool) {
        storage_set("parcours.easy", if easy { "easy" } else { "full" });
        self.easy.set(easy);
    }

    pub fn set_lang(&self, lang: Lang) {
        listen::hush();
        self.speaking.set(None);
        storage_set("parcours.lang", lang.code());
        self.lang.set(lang);
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// A value saved on this device (the webview's local storage, in the app's data folder).
pub fn storage_get(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Saves a value on this device; true once the storage has taken it.
pub fn storage_set(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Forgets a value saved on this device.
pub fn storage_remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Forgets what the interface kept in the webview's local storage for the person (note drafts, the
/// route chosen), keeping only the reading preferences (language, easy texts); `device` is the new id.
pub fn forget_local(device: Option<&str>) {
    let Some(storage) = storage() else { return };
    let keys: Vec<String> = (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten()).collect();
    for key in keys {
        if key.starts_with("parcours.") && !matches!(key.as_str(), "parcours.lang" | "parcours.easy") {
            let _ = storage.remove_item(&key);
        }
    }
    if let Some(device) = device {
        storage_set("parcours.device", device);
    }
}

/// In a browser, the device id of the data kept last time is remembered beside the language: a lasting
/// database with another id means the browser (or a clearing of the site) erased the data since. When
/// everything was erased, the interface cannot know: it starts as on a first visit. A database set
/// aside as damaged has a new id too, but its own banner says what happened (and where the old one is).
fn data_gone(status: &parcours_core::status::UserDataStatus) -> bool {
    if ipc::in_tauri() || !status.ok || status.temporary || status.elsewhere {
        return false;
    }
    if status.set_aside.is_some() {
        if let Some(device) = status.device.as_deref() {
            storage_set("parcours.device", device);
        }
        return false;
    }
    let Some(device) = status.device.as_deref() else { return false };
    let before = storage_get("parcours.device");
    storage_set("parcours.device", device);
    before.is_some_and(|b| b != device)
}

#[component]
fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    listen::watch_voices(state.voices);
    let loaded: RwSignal<Option<Result<Arc<Pack>, ipc::IpcError>>> = RwSignal::new(None);
    spawn_local(async move {
        // A link to a visit (`…/?visite=seconde.parcours`, on this site): checked first, as "Mes
        // visites" checks a file.
        if !ipc::in_tauri()
            && let Some(Err(why)) = webapp::visit_from_link().await
        {
            state.link_failed.set(Some(LinkFailed::Link(why)));
        }
        let pack = ipc::pack().await.map(Arc::new);
        mark("parcours-pack-received");
        loaded.set(Some(pack));
        // A visit file waiting for the person's answer (the link's, or the desktop's "Open with"):
        // asked on "Mes visites", before anything is kept.
        if let Ok(Some(_)) = ipc::visit_pending().await {
            state.go(Screen::Visits);
        }
    });
    let refresh = move || {
        spawn_local(async move {
            if let Ok(status) = ipc::day_status().await {
                state.status.set(Some(status));
            }
        })
    };
    refresh();
    set_interval(refresh, Duration::from_secs(30));
    spawn_local(async move {
        if let Ok(list) = ipc::corrections().await {
            state.corrections.set(list);
        }
        if let Ok(list) = ipc::worksheets().await {
            state.worksheets.set(list);
        }
        if let Ok(list) = ipc::notes().await {
            state.notes.set(list.into_iter().map(|n| (n.stop, n.text)).collect());
        }
        if let Ok(status) = ipc::user_data().await {
            // A file given at start ("Open with") and refused: said, as a link refused is.
            if let Some(why) = status.refused_file.clone() {
                state.link_failed.set(Some(LinkFailed::File(why)));
            }
            state.data_gone.set(data_gone(&status));
            state.user_data.set(Some(status));
        }
    });
    if !ipc::in_tauri() {
        webapp::start(move || state.update.set(true));
    }
    Effect::new(move |_| {
        let code = state.lang.get().code();
        if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("lang", code);
        }
    });
    move || match loaded.get() {
        None => view! { <p class="loading" role="status">{move || state.lang.get().words().loading}</p> }.into_any(),
        Some(Err(error)) => view! {
            <main class="page error" id="main">
                {widgets::heading(move || state.lang.get().words().cannot_open.to_owned())}
                <p>{error.message.clone()}</p>
                <p class="secondary">{format!("({})", error.code)}</p>
            </main>
        }
        .into_any(),
        Some(Ok(pack)) => view! { <screens::Shell pack=pack /> }.into_any(),
    }
}

/// Entry point, called by the generated JS glue once the wasm is loaded.
/// A User Timing mark (`parcours-ui-started`, `parcours-pack-received`, `parcours-map-ready`): the
/// steps of a start, read by `cargo xtask bench`. Costs nothing.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    mark("parcours-ui-started");
    console_error_panic_hook::set_once();
    if let Some(loading) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        loading.remove();
    }
    leptos::mount::mount_to_body(App);
}
