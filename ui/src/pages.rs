//! The screens. Each reads the model and the state; the rules (times, plans, search) live in the core.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::{Confidence, Hm, OrganisationRole, Pack, Route, Stop};
use parcours_core::schedule::{Phase, planned_stop};
use parcours_core::search::SearchHit;
use parcours_core::text::{long_date, spoken_time};
use parcours_core::walk::{FollowView, RoutePath, StopStatus};

use crate::guide::Guide;
use crate::handover::{Bank, Handover, Receive};
use crate::i18n::Lang;
use crate::map_view::MapView;
use crate::widgets::{Icon, Markdown};
use crate::worksheets::{DataBanner, MyWorksheets, NewWorksheet, NoteBox, Ready, RemovedWorksheets, WorksheetEditor};
use crate::{AppState, Screen, ipc, use_state, walking};

/// The chosen route, if any and if it exists in this pack.
pub(crate) fn chosen_route(pack: &Pack, state: AppState) -> Option<Route> {
    state.route.get().and_then(|id| pack.route(&id).cloned())
}

/// The marker of a route beside its name: colour is never the only signal.
pub(crate) fn route_symbol(route: &Route) -> &'static str {
    if route.id.as_str() == "green" { "●" } else { "◆" }
}

/// The page's title; the focus lands here when the page opens (see `AppState::go`).
pub(crate) fn heading(text: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    view! { <h1 id="page-heading" tabindex="-1">{move || text()}</h1> }
}

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
        <header class="top">
            <span class="brand">{format!("Parcours · {}", pack.event.city)}</span>
            <button
                class="lang"
                lang=move || state.lang.get().other().code()
                aria-label=move || state.lang.get().words().switch_language_label
                on:click=move |_| state.set_lang(state.lang.get_untracked().other())
            >
                {move || state.lang.get().words().switch_language}
            </button>
        </header>
        <main id="main" class="page">
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
                }
            }}
        </main>
        <nav class="tabs" aria-label=move || state.lang.get().words().main_nav>
            {tab(Screen::Home, "home", |l| l.words().tab_home)}
            {tab(Screen::Map, "map", |l| l.words().tab_map)}
            {tab(Screen::Programme, "programme", |l| l.words().tab_programme)}
            {tab(Screen::More, "more", |l| l.words().tab_more)}
        </nav>
    }
}

#[component]
fn Home(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let p = pack.clone();
    let now_next = move || {
        let status = state.status.get()?;
        let item = |id: &Option<parcours_core::pack::ItemId>| {
            id.as_ref().and_then(|id| p.timetable.iter().find(|t| &t.id == id)).cloned()
        };
        Some((status.phase, item(&status.current), item(&status.next)))
    };
    let routes = pack.routes.clone();
    let p = pack.clone();
    let (e1, e2) = (pack.event.clone(), pack.event.clone());
    view! {
        <section class="event">
            {let e = pack.event.clone(); heading(move || e.title.get(lang()).to_owned())}
            <p class="subtitle">{move || e1.subtitle.get(lang()).to_owned()}</p>
            <p class="when">
                {move || format!("{}, {} – {}", long_date(e2.date, lang()), spoken_time(e2.start, lang()), spoken_time(e2.end, lang()))}
            </p>
            <p class="where">{format!("{} — {}, {}", pack.event.venue, pack.event.neighbourhood, pack.event.city)}</p>
        </section>
        <DataBanner />
        <section class="now-next" aria-live="polite">
            {move || match now_next() {
                Some((Phase::During, current, next)) => view! {
                    {current.map(|c| view! {
                        <p class="now"><span class="label">{w().now}</span> <span class="time">{spoken_time(c.start, lang())}</span> <strong>{c.title.get(lang()).to_owned()}</strong></p>
                    })}
                    {next.map(|n| view! {
                        <p class="next"><span class="label">{w().next}</span> <span class="time">{spoken_time(n.start, lang())}</span> {n.title.get(lang()).to_owned()}</p>
                    })}
                }.into_any(),
                Some((Phase::Before, _, next)) => view! {
                    <p>{w().day_before}</p>
                    {next.map(|n| view! {
                        <p class="next"><span class="label">{w().next}</span> <span class="time">{spoken_time(n.start, lang())}</span> {n.title.get(lang()).to_owned()}</p>
                    })}
                }.into_any(),
                Some((Phase::After, _, _)) => view! { <p>{w().day_after}</p> }.into_any(),
                _ => view! {
                    <button class="link" on:click=move |_| state.go(Screen::Programme)>{w().day_other}</button>
                }.into_any(),
            }}
        </section>
        <section class="routes">
            <h2>{move || if state.route.get().is_some() { w().route_chosen } else { w().choose_route }}</h2>
            {routes.into_iter().map(|route| {
                let id = route.id.to_string();
                let id2 = id.clone();
                let pack = p.clone();
                let chosen = move || (state.route.get().as_deref() == Some(id.as_str())).to_string();
                let order = route.stops.iter().filter_map(|s| pack.stop(s)).map(|s| s.name.clone()).collect::<Vec<_>>().join(" → ");
                let name = route.name.clone();
                view! {
                    <button
                        class=format!("route-choice route-{}", route.id)
                        aria-pressed=chosen
                        on:click=move |_| { state.choose_route(&id2); state.go(Screen::Map); }
                    >
                        <span class="route-name"><span class="symbol" aria-hidden="true">{route_symbol(&route)}</span> {move || name.get(lang()).to_owned()}</span>
                        <span class="route-order">{order}</span>
                    </button>
                }
            }).collect_view()}
        </section>
    }
}

/// "Prévu : 10 h 25 – 10 h 45", the planned times of the route's `index`-th stop.
fn planned_line(route: &Route, index: usize, lang: &str, w: &crate::i18n::Words) -> String {
    // French typography puts a space before a colon; English does not.
    let colon = if lang == "fr" { " :" } else { ":" };
    route.schedule.get(index).map_or_else(String::new, |v| {
        format!("{}{colon} {} – {}", w.planned, spoken_time(v.arrive, lang), spoken_time(v.depart, lang))
    })
}

fn position_note(stop: &Stop, w: &crate::i18n::Words) -> Option<String> {
    match &stop.position {
        None => Some(w.position_unknown.to_owned()),
        Some(p) if p.confidence == Confidence::Low => {
            Some(format!("{} {} {}", w.position_approx, p.accuracy_m, w.metres))
        }
        Some(_) => None,
    }
}

/// "350 m, 5 min à pied".
pub(crate) fn walk_text(distance_m: f64, walk_s: f64, w: &crate::i18n::Words) -> String {
    let metres = if distance_m >= 100.0 { (distance_m / 10.0).round() * 10.0 } else { distance_m.round() };
    format!("{metres} {}, {} {} {}", w.metres_short, (walk_s / 60.0).ceil().max(1.0), w.minutes, w.on_foot)
}

pub(crate) fn minutes_between(from: Hm, to: Hm) -> i32 {
    i32::from(to.minutes()) - i32::from(from.minutes())
}

/// Where the walk stands for the map: the stop the group is at, the next one (index in the route).
fn walk_position(route: &Route, view: Option<&FollowView>, status_time: Option<Hm>) -> (Option<usize>, Option<usize>) {
    let index = |id: &parcours_core::pack::StopId| route.stops.iter().position(|s| s == id);
    match view {
        Some(v) if v.step.is_some() || v.stops.iter().any(|s| s.status != StopStatus::Pending) => {
            let at = v.stops.iter().position(|s| s.status == StopStatus::Here);
            let last = v.stops.iter().rposition(|s| matches!(s.status, StopStatus::Here | StopStatus::Done));
            let next = match v.step.as_ref() {
                Some(step) => step.next_stop.as_ref().and_then(index),
                None => (last.map_or(0, |i| i + 1)..v.stops.len()).find(|&i| v.stops[i].status == StopStatus::Pending),
            };
            (at, next)
        }
        _ => (None, planned_stop(route, status_time)),
    }
}

#[component]
fn MapPage(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let Some(route) = chosen_route(&pack, state) else {
        return view! {
            {heading(move || state.lang.get().words().tab_map.to_owned())}
            <p>{move || state.lang.get().words().no_route}</p>
            <button class="primary" on:click=move |_| state.go(Screen::Home)>{move || state.lang.get().words().choose_route}</button>
        }
        .into_any();
    };
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let route_id = route.id.to_string();

    // The walking path along the streets, and the current walk on this route.
    let plan = RwSignal::new(None::<RoutePath>);
    {
        let id = route_id.clone();
        spawn_local(async move {
            if let Ok(p) = ipc::walk_plan(&id).await {
                plan.set(Some(p));
            }
            if let Ok(view) = ipc::follow_start(&id, false, false).await {
                state.follow.set(Some(view));
            }
        });
    }

    // Location only while this screen is on and visible, and no simulation runs.
    let visible = RwSignal::new(page_visible());
    let watch = StoredValue::new_local(None::<walking::Watch>);
    let listener = StoredValue::new_local(None::<wasm_bindgen::closure::Closure<dyn FnMut()>>);
    let on_visibility = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || visible.set(page_visible()));
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        use wasm_bindgen::JsCast;
        let _ = doc.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
    }
    listener.set_value(Some(on_visibility));
    {
        let id = route_id.clone();
        Effect::new(move |_| {
            state.location_asked.track();
            let wanted = visible.get() && state.sim.get().is_none();
            let running = watch.with_value(Option::is_some);
            if wanted && !running {
                watch.set_value(walking::watch(state, id.clone()));
            } else if !wanted && running {
                watch.set_value(None);
                state.geo.set(walking::GeoStatus::Off);
            }
        });
    }
    on_cleanup(move || {
        watch.try_set_value(None);
        if let (Some(doc), Some(Some(f))) = (
            web_sys::window().and_then(|w| w.document()),
            listener.try_with_value(|l| {
                l.as_ref().map(|f| {
                    use wasm_bindgen::JsCast;
                    f.as_ref().unchecked_ref::<js_sys::Function>().clone()
                })
            }),
        ) {
            let _ = doc.remove_event_listener_with_callback("visibilitychange", &f);
        }
    });

    let on_stop = Callback::new(move |id: String| state.go(Screen::Stop(id)));
    let attribution = pack.map.iter().map(|m| m.attribution.clone()).collect::<Vec<_>>().join(" · ");
    let live = Signal::derive({
        let id = route_id.clone();
        move || state.follow.get().filter(|v| v.route == id)
    });
    let now_of = move || {
        live.get()
            .and_then(|v| v.now)
            .or_else(|| state.status.get().filter(|s| s.phase != Phase::OtherDay).map(|s| s.time))
    };

    let r = route.clone();
    let p = pack.clone();
    let banner = move || {
        let view = live.get()?;
        let step = view.step.as_ref().filter(|s| s.off_route)?;
        let next = step.next_stop.as_ref().and_then(|id| p.stop(id))?;
        let how = step.distance_m.zip(step.walk_s).map(|(d, t)| walk_text(d, t, w())).unwrap_or_default();
        Some(view! {
            <div class="off-route" role="alert">
                <p class="title">{w().off_route_title}</p>
                <p>{format!("{} {} : {how}", w().off_route_help, next.name)}</p>
            </div>
        })
    };
    let summary = {
        let r = r.clone();
        let p = pack.clone();
        move || {
            let now = now_of()?;
            let (at, next) = walk_position(&r, live.get().as_ref(), Some(now));
            let colon = if lang() == "fr" { " :" } else { ":" };
            let mut text = format!("{} {} — {}", route_symbol(&r), r.name.get(lang()), spoken_time(now, lang()));
            match next.and_then(|i| p.stop(&r.stops[i]).map(|s| (i, s))) {
                Some((i, stop)) => {
                    text.push_str(&format!(" — {}{colon} {}", w().next_stop_lower, stop.name));
                    if let Some(t) = live.get().and_then(|v| v.step).and_then(|s| s.walk_s) {
                        text.push_str(&format!(", {} {} {}", (t / 60.0).ceil().max(1.0), w().minutes, w().on_foot));
                    }
                    match at.and_then(|a| r.schedule.get(a)) {
                        Some(visit) if minutes_between(now, visit.depart) >= 0 => text.push_str(&format!(
                            ", {} {} {}",
                            w().depart_in,
                            minutes_between(now, visit.depart),
                            w().minutes
                        )),
                        _ => {
                            if let Some(visit) = r.schedule.get(i) {
                                text.push_str(&format!(", {} {}", w().arrive_at, spoken_time(visit.arrive, lang())));
                            }
                        }
                    }
                }
                None => text.push_str(&format!(" — {}", w().walk_over)),
            }
            Some(view! { <p class="walk-summary">{text}</p> })
        }
    };
    let geo_line = move || {
        let text = if live.get().is_some_and(|v| v.simulated) && state.sim.get().is_some() {
            w().position_simulated
        } else {
            match state.geo.get() {
                walking::GeoStatus::On => w().position_on,
                walking::GeoStatus::Waiting => w().position_waiting,
                walking::GeoStatus::Unavailable => w().position_unavailable,
                walking::GeoStatus::Off => return None,
            }
        };
        Some(view! { <p class="secondary geo-status">{text}</p> })
    };
    let r2 = route.clone();
    let p2 = pack.clone();
    let route_id2 = route_id.clone();
    let next_card = move || {
        let route_id = route_id2.clone();
        let view = live.get();
        let status_time = state.status.get().filter(|s| s.phase != Phase::OtherDay).map(|s| s.time);
        let (at, next) = walk_position(&r2, view.as_ref(), status_time);
        let here = at.and_then(|i| p2.stop(&r2.stops[i]).map(|s| (i, s.name.clone())));
        let Some(index) = next else {
            return view! { <p>{w().walk_over}</p> }.into_any();
        };
        let Some(stop) = p2.stop(&r2.stops[index]).cloned() else { return ().into_any() };
        let id = stop.id.to_string();
        let step = view.and_then(|v| v.step);
        let distance = match step.as_ref().and_then(|s| s.distance_m.zip(s.walk_s)) {
            Some((d, t)) => Some(walk_text(d, t, w())),
            None if step.is_some() && stop.position.is_none() => Some(w().distance_unknown.to_owned()),
            None => None,
        };
        view! {
            {here.map(|(i, name)| view! { <p class="here">{format!("{} {} : {name}", w().you_are_at, i + 1)}</p> })}
            <p class="label">{format!("{} {}", w().next_stop, index + 1)}</p>
            <p class="stop-name">{stop.name.clone()}</p>
            {distance.map(|d| view! { <p class="distance">{d}</p> })}
            <p>{planned_line(&r2, index, lang(), w())}</p>
            {position_note(&stop, w()).map(|n| view! { <p class="secondary">{n}</p> })}
            <div class="actions">
                <button class="primary" on:click={let id = id.clone(); move |_| state.go(Screen::Stop(id.clone()))}>{w().open_stop}</button>
                <button class="secondary-button" data-i-am-here=id.clone() on:click=move |_| {
                    let (route, stop) = (route_id.clone(), id.clone());
                    spawn_local(async move {
                        if let Ok(view) = ipc::check(&route, Some(&stop)).await {
                            state.follow.set(Some(view));
                            state.arrival.set(Some(stop.clone()));
                            state.go(Screen::Stop(stop));
                        }
                    });
                }>{w().i_am_here}</button>
            </div>
        }
        .into_any()
    };
    let r = route.clone();
    let p = pack.clone();
    let name = route.name.clone();
    view! {
        {let (sym, n) = (route_symbol(&route), route.name.clone()); heading(move || format!("{sym} {}", n.get(lang())))}
        <p class="secondary route-pattern">{move || format!("{} — {}", name.get(lang()), if r.id.as_str() == "green" { w().route_pattern_solid } else { w().route_pattern_dashed })}</p>
        {banner}
        <div class="map-layout">
            <MapView pack=pack.clone() route=route.clone() on_stop=on_stop label=Signal::derive(move || state.lang.get().words().map_label) attribution=attribution plan=plan live=live recorded=state.corrections recorded_word=Signal::derive(move || state.lang.get().words().recorded_marker) />
            <section class="next-card" aria-live="polite">{summary}{next_card}{geo_line}</section>
        </div>
        <section class="stop-list">
            <h2>{move || w().stops_list}</h2>
            <ol>
                {route.stops.iter().enumerate().filter_map(|(i, id)| p.stop(id).cloned().map(|s| (i, s))).map(|(i, stop)| {
                    let id = stop.id.to_string();
                    let route = route.clone();
                    let status = move || live.get().and_then(|v| v.stops.get(i).map(|s| s.status)).filter(|s| *s != StopStatus::Pending).map(|s| status_word(s, w()));
                    view! {
                        <li>
                            <button class="stop-item" data-stop=id.clone() on:click=move |_| state.go(Screen::Stop(id.clone()))>
                                <span class="num" aria-hidden="true">{i + 1}</span>
                                <span class="stop-text">
                                    <span class="stop-name">{stop.name.clone()}</span>
                                    <span class="secondary">{move || planned_line(&route, i, lang(), w())}</span>
                                    {move || position_note(&stop, w()).map(|n| view! { <span class="secondary">{n}</span> })}
                                    {move || status().map(|t| view! { <span class="stop-status">{t}</span> })}
                                </span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

fn page_visible() -> bool {
    web_sys::window().and_then(|w| w.document()).is_none_or(|d| !d.hidden())
}

pub(crate) fn status_word(status: StopStatus, w: &crate::i18n::Words) -> &'static str {
    match status {
        StopStatus::Pending => w.status_pending,
        StopStatus::Here => w.status_here,
        StopStatus::Done => w.status_done,
        StopStatus::Skipped => w.status_skipped,
        StopStatus::Unconfirmed => w.status_unconfirmed,
    }
}

#[component]
fn StopPage(pack: Arc<Pack>, id: String) -> impl IntoView {
    let state = use_state();
    let Some(stop) = pack.stops.iter().find(|s| s.id.as_str() == id).cloned() else {
        return view! { <p>{id}</p> }.into_any();
    };
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let route = chosen_route(&pack, state);
    let index = route.as_ref().and_then(|r| r.stops.iter().position(|s| s == &stop.id));
    let r = route.clone();
    let step = move || match (&r, index) {
        (Some(r), Some(i)) => format!("{} {} {} {}", w().stop_word, i + 1, w().of, r.stops.len()),
        _ => w().stop_word.to_owned(),
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
    view! {
        <button class="back" on:click=move |_| state.go(state.back.get_untracked())>{move || format!("◀ {}", w().back)}</button>
        <p class="label">{step}</p>
        {let n = stop.name.clone(); heading(move || n.clone())}
        {move || (state.arrival.get().as_deref() == Some(arrived_here.as_str())).then(|| view! { <p class="arrived" role="status">{w().arrived_title}</p> })}
        <p class="theme">{move || s.theme.get(lang()).to_owned()}</p>
        <p class="planned">{planned}</p>
        <dl class="facts-list">
            <dt>{move || w().meeting_place}</dt>
            <dd>{move || s2.meeting_place.get(lang()).to_owned()}</dd>
            <dt>{move || w().host}</dt>
            <dd>{stop.host.clone()}</dd>
            <dt>{move || w().with}</dt>
            <dd>
                <ul class="speakers">
                    {move || s3.speakers.iter().map(|sp| view! { <li><strong>{sp.name.clone()}</strong>{format!(", {}", sp.role.get(lang()))}</li> }).collect_view()}
                </ul>
            </dd>
        </dl>
        {move || position_note(&s4, w()).map(|n| view! { <p class="secondary">{n}</p> })}
        <section class="description">{let s = stop.clone(); move || view! { <Markdown text=s.description.get(lang()).to_owned() /> }}</section>
        {(!stop.facts.is_empty()).then(|| {
            let facts = stop.facts.clone();
            view! {
                <section class="did-you-know">
                    <h2>{move || w().facts}</h2>
                    {move || facts.iter().map(|f| view! { <p>{f.get(lang()).to_owned()}</p> }).collect_view()}
                </section>
            }
        })}
<NoteBox pack_id=pack.pack.id.clone() stop=stop.id.to_string() label=Signal::derive(move || state.lang.get().words().my_notes) />
    }
    .into_any()
}

#[component]
fn Programme(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let p = pack.clone();
    view! {
        {let d = pack.event.date; heading(move || format!("{} — {}", w().programme_title, long_date(d, lang())))}
        <ol class="programme">
            {move || p.timetable.iter().map(|item| {
                let current = state.status.get().and_then(|s| s.current).as_ref() == Some(&item.id);
                view! {
                    <li class:current=current aria-current=current.then_some("time") data-item=item.id.to_string()>
                        <span class="time">
                            {spoken_time(item.start, lang())}
                            {item.end.map(|e| format!(" – {}", spoken_time(e, lang())))}
                        </span>
                        <span class="what">
                            {current.then(|| view! { <span class="badge">{w().now_on}</span> })}
                            <strong>{item.title.get(lang()).to_owned()}</strong>
                            {item.place.as_ref().map(|pl| view! { <span class="secondary">{pl.get(lang()).to_owned()}</span> })}
                            {item.description.as_ref().map(|d| view! { <span class="description">{d.get(lang()).to_owned()}</span> })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ol>
        <NoteBox pack_id=pack.pack.id.clone() stop=String::new() label=Signal::derive(move || state.lang.get().words().day_notes) />
    }
}

#[component]
fn More() -> impl IntoView {
    let state = use_state();
    let w = move || state.lang.get().words();
    view! {
        {heading(move || w().more_title.to_owned())}
        <ul class="menu">
            <li><button on:click=move |_| state.go(Screen::Workshops)>{move || w().workshops}</button></li>
            <li><button on:click=move |_| state.go(Screen::Initiatives)>{move || w().initiatives}</button></li>
            <li><button on:click=move |_| state.go(Screen::About)>{move || w().about}</button></li>
            <li>
                <button class="with-hint" on:click=move |_| state.go(Screen::Guide)>
                    <span>{move || w().guide}</span>
                    <span class="secondary">{move || w().guide_hint}</span>
                </button>
            </li>
            <li>
                <button class="with-hint" id="to-bank" on:click=move |_| state.go(Screen::Bank)>
                    <span>{move || w().bank}</span>
                    <span class="secondary">{move || w().bank_menu_hint}</span>
                </button>
            </li>
            <li>
                <button class="with-hint" id="to-ready" on:click=move |_| state.go(Screen::Ready)>
                    <span>{move || w().ready}</span>
                    <span class="secondary">{move || w().ready_hint}</span>
                </button>
            </li>
        </ul>
    }
}

#[component]
fn Workshops(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let p = pack.clone();
    let ws = pack.worksheet.clone();
    view! {
        {heading(move || w().workshops.to_owned())}
        <MyWorksheets pack=pack.clone() />
        <RemovedWorksheets pack=pack.clone() only_mine=true />
        {move || p.workshops.iter().map(|wk| view! {
            <article class="card workshop">
                <h2>{format!("{} {} — {}", w().workshop, wk.number, wk.title.get(lang()))}</h2>
                <p>{wk.question.get(lang()).to_owned()}</p>
                {wk.topics.as_ref().map(|t| view! { <p class="secondary">{t.get(lang()).to_owned()}</p> })}
                <NewWorksheet workshop=wk.id.to_string() />
            </article>
        }).collect_view()}
        <section class="worksheet">
            <h2>{move || w().worksheet}</h2>
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

#[component]
fn Initiatives(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
    let w = move || state.lang.get().words();
    let filter = RwSignal::new(None::<String>);
    let query = RwSignal::new(String::new());
    let hits = RwSignal::new(None::<Result<Vec<SearchHit>, ipc::IpcError>>);
    let run_search = move || {
        let q = query.get_untracked();
        if q.trim().is_empty() {
            hits.set(None);
            return;
        }
        let l = state.lang.get_untracked().code();
        spawn_local(async move { hits.set(Some(ipc::search(&q, l).await)) });
    };
    let p = pack.clone();
    let chips = pack.workshops.clone();
    let open_hit = move |hit: &SearchHit| match hit.kind.as_str() {
        "stop" => state.go(Screen::Stop(hit.id.clone())),
        "workshop" => state.go(Screen::Workshops),
        _ => {
            filter.set(None);
            query.set(String::new());
            hits.set(None);
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("initiative-{}", hit.id)))
            {
                el.scroll_into_view();
            }
        }
    };
    view! {
        {heading(move || w().initiatives.to_owned())}
        <form class="search" role="search" on:submit=move |ev| { ev.prevent_default(); run_search(); }>
            <label for="search-input">{move || w().search}</label>
            <div class="search-row">
                <input id="search-input" type="search" placeholder=move || w().search_hint prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev)) />
                <button type="submit" class="primary">{move || w().search}</button>
            </div>
        </form>
        {move || hits.get().map(|result| match result {
            Ok(list) if list.is_empty() => view! { <p class="results" role="status">{format!("{} « {} »", w().no_results, query.get_untracked())}</p> }.into_any(),
            Ok(list) => view! {
                <ul class="results" role="status">
                    {list.into_iter().map(|hit| {
                        let kind = match hit.kind.as_str() { "stop" => w().kind_stop, "workshop" => w().kind_workshop, _ => w().kind_initiative };
                        let h = hit.clone();
                        view! {
                            <li><button class="result" data-kind=hit.kind.clone() data-id=hit.id.clone() on:click=move |_| open_hit(&h)>
                                <span class="label">{kind}</span> <strong>{hit.title.clone()}</strong>
                                <span class="secondary">{hit.snippet.replace(['[', ']'], "")}</span>
                            </button></li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
            Err(e) => view! { <p class="results" role="status">{e.message}</p> }.into_any(),
        })}
        <div class="chips" role="group" aria-label=move || w().workshops>
            <button aria-pressed=move || filter.get().is_none().to_string() on:click=move |_| filter.set(None)>{move || w().all}</button>
            {chips.into_iter().map(|wk| {
                let id = wk.id.to_string();
                let id2 = id.clone();
                view! {
                    <button aria-pressed=move || (filter.get().as_deref() == Some(id.as_str())).to_string() on:click=move |_| filter.set(Some(id2.clone()))>
                        {format!("{} {}", w().workshop, wk.number)}
                    </button>
                }
            }).collect_view()}
        </div>
        <ul class="initiatives">
            {move || {
                let f = filter.get();
                p.initiatives.iter().filter(|i| f.as_deref().is_none_or(|f| i.workshop.as_str() == f)).map(|i| {
                    let open = RwSignal::new(false);
                    let description = i.description.clone();
                    view! {
                        <li class="card initiative" id=format!("initiative-{}", i.id)>
                            <h2>{i.title.get(lang()).to_owned()}</h2>
                            <p><span class="label">{w().holder}</span> {i.holder.clone()}</p>
                            <p><span class="label">{w().acts_on}</span> {i.acts_on.get(lang()).to_owned()}</p>
                            <p><span class="label">{w().territory}</span> {i.territory.clone()}</p>
                            <button class="link" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                                {move || if open.get() { w().show_less } else { w().show_more }}
                            </button>
                            {move || open.get().then(|| view! { <div class="description"><Markdown text=description.get(lang()).to_owned() /></div> })}
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
    }
}

#[component]
fn About(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().code();
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
        {heading(move || w().about.to_owned())}
        <section class="description">{let p = pack.clone(); move || view! { <Markdown text=p.event.introduction.get(lang()).to_owned() /> }}</section>
        <section><h2>{move || w().organisers}</h2><ul class="orgs">{move || org(OrganisationRole::Organiser)}</ul></section>
        <section><h2>{move || w().partners}</h2><ul class="orgs">{move || org2(OrganisationRole::Partner)}</ul></section>
        <section>
            <h2>{move || w().key_figures}</h2>
            <ul class="figures">
                {move || p.event.key_figures.iter().map(|f| view! {
                    <li><strong>{f.value.clone()}</strong>{format!(" {}", f.label.get(lang()))}<span class="secondary">{format!(" ({})", f.source)}</span></li>
                }).collect_view()}
            </ul>
        </section>
        <section>
            <h2>{move || w().sources}</h2>
            <h3>{move || w().map_data}</h3>
            {pack.map.iter().map(|m| view! { <p>{format!("{} — {}", m.attribution, m.licence)}</p><p class="secondary">{m.source.clone()}</p> }).collect_view()}
            <h3>{move || w().stop_positions}</h3>
            <ul>
                {move || p2.stops.iter().map(|s| view! {
                    <li>
                        <strong>{s.name.clone()}</strong>
                        {match &s.position {
                            None => format!(" — {}", w().position_unknown),
                            Some(pos) => format!(" — ±{} m — {} — {}", pos.accuracy_m, pos.source, pos.licence),
                        }}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
