//! The app's reactive state, shared through context: where the user is, the walk, their data. Screens
//! and parts read and set it; it reaches the command layer only through [`crate::transport`].

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::Pack;
use parcours_core::schedule::DayStatus;

use crate::i18n::Lang;
use crate::platform::speech;
use crate::platform::storage::{storage_get, storage_set};
use crate::transport;
use crate::widgets;

/// What the position source is doing, for the map's status line.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GeoStatus {
    Off,
    Waiting,
    On,
    /// Refused by the person, or no positioning on this device.
    Unavailable,
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
    pub geo: RwSignal<GeoStatus>,
    /// The simulation's speed while one runs.
    pub sim: RwSignal<Option<u32>>,
    /// Stop positions recorded on site by a guide (user database).
    pub corrections: RwSignal<Vec<parcours_core::walk::Correction>>,
    /// My worksheets and notes (stop id or "" → text), from the user database; `None` until the notes
    /// are read (a screen may show before: a note is not offered for typing until then).
    pub worksheets: RwSignal<Vec<parcours_core::worksheet::WorksheetDoc>>,
    pub notes: RwSignal<Option<std::collections::BTreeMap<String, String>>>,
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
    /// A call that failed, shown until the person closes it (see [`AppState::shown`]).
    pub failure: RwSignal<Option<transport::IpcError>>,
    pub sim_generation: RwSignal<u32>,
}

impl AppState {
    pub fn new() -> AppState {
        let lang = storage_get("parcours.lang").map_or(Lang::REFERENCE, |c| Lang::from_tag(&c));
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
            geo: RwSignal::new(GeoStatus::Off),
            sim: RwSignal::new(None),
            corrections: RwSignal::new(Vec::new()),
            location_asked: RwSignal::new(false),
            update: RwSignal::new(false),
            link_failed: RwSignal::new(None),
            data_gone: RwSignal::new(false),
            easy: RwSignal::new(storage_get("parcours.easy").is_none_or(|v| v != "full")),
            voices: RwSignal::new(Vec::new()),
            speaking: RwSignal::new(None),
            failure: RwSignal::new(None),
            worksheets: RwSignal::new(Vec::new()),
            notes: RwSignal::new(None),
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

    /// A call's reply, or `None` with its failure kept in [`AppState::failure`], which every screen
    /// shows: a failure is said, never dropped.
    pub fn shown<T>(&self, reply: Result<T, transport::IpcError>) -> Option<T> {
        match reply {
            Ok(value) => Some(value),
            Err(e) => {
                self.failure.set(Some(e));
                None
            }
        }
    }

    /// Reloads the worksheets from the user database (after an import).
    pub fn reload_worksheets(&self) {
        let (state, worksheets) = (*self, self.worksheets);
        spawn_local(async move {
            if let Some(list) = state.shown(transport::worksheets().await) {
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
        speech::hush();
        self.speaking.set(None);
        storage_set("parcours.lang", lang.tag());
        self.lang.set(lang);
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

/// The visit the command layer gave last, kept on this device (`shown_key`): the web app paints from
/// the site's summary only when it is that visit, or when none was shown yet; "" while another visit is
/// being opened (the page starts again on it: the summary would be the wrong one).
pub const SHOWN_VISIT: &str = "parcours.visit";

/// A visit as [`SHOWN_VISIT`] names it: its id and version.
pub fn shown_key(pack: &parcours_core::pack::Pack) -> String {
    format!("{}@{}", pack.pack.id, pack.pack.version)
}

/// In a browser, the device id of the data kept last time is remembered beside the language: a lasting
/// database with another id means the browser (or a clearing of the site) erased the data since. When
/// everything was erased, the interface cannot know: it starts as on a first visit. A database set
/// aside as damaged has a new id too, but its own banner says what happened (and where the old one is).
pub fn data_gone(status: &parcours_core::status::UserDataStatus) -> bool {
    if transport::in_tauri() || !status.ok || status.temporary || status.elsewhere {
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
