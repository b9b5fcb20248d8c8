//! Where the walker's positions come from: the webview's geolocation while the map is on screen, or the
//! simulation switch of the guide screen. Each position goes to the shell's engine; its answer updates
//! [`AppState::follow`]. An arrival detected while the map is open opens the stop's page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::walk::{FixGate, FollowView};
use wasm_bindgen::prelude::*;

use crate::state::{AppState, GeoStatus, Screen};
use crate::transport::{self, FixIn};

/// Applies the engine's answer: new state for the screens, and the stop's page on arrival.
pub fn apply(state: AppState, view: FollowView) {
    let arrived = view.step.as_ref().and_then(|s| s.arrived.clone());
    state.follow.set(Some(view));
    if let Some(stop) = arrived
        && state.screen.get_untracked() == Screen::Map
    {
        state.arrival.set(Some(stop.as_str().to_owned()));
        state.go(Screen::Stop(stop.as_str().to_owned()));
    }
}

/// An active `navigator.geolocation.watchPosition`; cleared when dropped.
pub struct Watch {
    id: i32,
    _ok: Closure<dyn FnMut(web_sys::Position)>,
    _err: Closure<dyn FnMut(web_sys::PositionError)>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(geo) = geolocation() {
            geo.clear_watch(self.id);
        }
        crate::platform::browser::keep_awake(false);
    }
}

fn geolocation() -> Option<web_sys::Geolocation> {
    web_sys::window()?.navigator().geolocation().ok()
}

/// A phone or tablet (Android, iOS), where the location permission is the app's to ask.
fn mobile() -> bool {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .is_some_and(|ua| ["Android", "iPhone", "iPad"].iter().any(|m| ua.contains(m)))
}

/// How long a position the device lost while positions were coming stays unsaid: a walker under trees
/// gets them back within seconds, and the dot stays where it was meanwhile.
const LOST_GRACE_MS: i32 = 20_000;

/// When the watch lost the position (`performance.now()`, ms), and whether a wait for it is running.
#[derive(Default)]
struct Lost {
    /// Lost since then, with no position since.
    since: std::cell::Cell<Option<f64>>,
    waiting: std::cell::Cell<bool>,
}

/// The page's monotonic clock, in ms (the wall clock may jump).
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Starts watching the position for `route` (a fix every few seconds goes on: [`FixGate`]). On a phone,
/// the system's location permission is asked first.
pub fn watch(state: AppState, route: String) -> Option<Watch> {
    if mobile() && !state.location_asked.get_untracked() {
        // Ask first; the map's effect calls `watch` again once the answer is in.
        state.geo.set(GeoStatus::Waiting);
        spawn_local(async move {
            let _ = transport::request_location_permission().await;
            state.location_asked.set(true);
        });
        return None;
    }
    let Some(geo) = geolocation() else {
        state.geo.set(GeoStatus::Unavailable);
        return None;
    };
    state.geo.set(GeoStatus::Waiting);
    // What a lost position's wait reads (below; gone with the watch).
    let lost = std::rc::Rc::new(Lost::default());
    let seen = lost.clone();
    // A position every few seconds goes on to the engine, not each of the phone's (the rule: FixGate).
    let mut gate = FixGate::default();
    let ok = Closure::<dyn FnMut(web_sys::Position)>::new(move |position: web_sys::Position| {
        seen.since.set(None);
        if state.sim.get_untracked().is_some() {
            return;
        }
        // Said once, not at every position: what reads it is not drawn again each second.
        if state.geo.get_untracked() != GeoStatus::On {
            state.geo.set(GeoStatus::On);
        }
        let c = position.coords();
        if !gate.admit(c.accuracy(), position.timestamp()) {
            return;
        }
        let fix = FixIn { lat: c.latitude(), lon: c.longitude(), accuracy_m: Some(c.accuracy()), time: None };
        let route = route.clone();
        spawn_local(async move {
            if let Some(view) = state.shown(transport::follow_fix(&route, fix).await) {
                apply(state, view);
            }
        });
    });
    let err = Closure::<dyn FnMut(web_sys::PositionError)>::new(move |e: web_sys::PositionError| {
        // Refused, or no position yet: said at once. A position lost while they were coming (under trees,
        // between buildings; the watch goes on): said only if none comes back within the grace.
        if e.code() == web_sys::PositionError::PERMISSION_DENIED || state.geo.get_untracked() != GeoStatus::On {
            state.geo.set(GeoStatus::Unavailable);
            return;
        }
        if lost.since.get().is_none() {
            lost.since.set(Some(now_ms()));
        }
        // One wait at a time: a phone that loses its position again and again (or Chromium's override,
        // which reports a loss before each position) keeps one timer, not one per loss.
        if lost.waiting.replace(true) {
            return;
        }
        let lost = std::rc::Rc::downgrade(&lost);
        spawn_local(async move {
            loop {
                // Not for a watch that ended (the map left).
                let Some(now) = lost.upgrade() else { return };
                let Some(since) = now.since.get() else {
                    // Positions came back.
                    now.waiting.set(false);
                    return;
                };
                let left = since + f64::from(LOST_GRACE_MS) - now_ms();
                if left <= 0.0 {
                    if state.geo.get_untracked() == GeoStatus::On {
                        state.geo.set(GeoStatus::Unavailable);
                    }
                    now.waiting.set(false);
                    return;
                }
                drop(now);
                sleep_ms(left.ceil() as i32).await;
            }
        });
    });
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_maximum_age(5_000);
    options.set_timeout(60_000);
    let id = geo
        .watch_position_with_error_callback_and_options(
            ok.as_ref().unchecked_ref(),
            Some(err.as_ref().unchecked_ref()),
            &options,
        )
        .ok()?;
    // Following the walk: the screen stays on where the browser can (Screen Wake Lock).
    crate::platform::browser::keep_awake(true);
    Some(Watch { id, _ok: ok, _err: err })
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Replays a synthetic walk of `route` (from the shell) at `speed` × real time, as if from the GPS.
pub fn start_simulation(state: AppState, route: String, speed: u32) {
    let generation = state.sim_generation.get_untracked().wrapping_add(1);
    state.sim_generation.set(generation);
    state.sim.set(Some(speed));
    let still_running = move || state.sim_generation.get_untracked() == generation;
    spawn_local(async move {
        let Ok(fixes) = transport::simulate(&route).await else {
            state.sim.set(None);
            return;
        };
        if let Some(view) = state.shown(transport::follow_start(&route, true, true).await) {
            apply(state, view);
        }
        let pause = (5_000 / speed.max(1)) as i32;
        for fix in fixes {
            if !still_running() {
                return;
            }
            let fix = FixIn::from(fix);
            if let Some(view) = state.shown(transport::follow_fix(&route, fix).await) {
                apply(state, view);
            }
            sleep_ms(pause).await;
        }
        if still_running() {
            state.sim.set(None);
        }
    });
}

/// Stops the simulation; the walk starts afresh, from real positions.
pub fn stop_simulation(state: AppState, route: String) {
    state.sim_generation.set(state.sim_generation.get_untracked().wrapping_add(1));
    state.sim.set(None);
    spawn_local(async move {
        if let Some(view) = state.shown(transport::follow_start(&route, true, false).await) {
            state.follow.set(Some(view));
        }
    });
}
