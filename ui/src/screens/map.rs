//! Carte: the route on the map, where the walk stands, the next stop, the position while the map is on.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::{LineStyle, Pack};
use parcours_core::text::spoken_time;
use parcours_core::walk::directions::{on_foot, say};
use parcours_core::walk::guide::{WalkPosition, card_line, walk_position};
use parcours_core::walk::{RoutePath, StopStatus};

use crate::parts::map_view::MapView;
use crate::parts::walking;
use crate::state::{GeoStatus, Screen, use_state};
use crate::transport;
use crate::widgets::heading;
use crate::words::{planned_line, position_note, route_symbol, status_word};

#[component]
pub fn MapPage(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let Some(route) = state.chosen_route(&pack) else {
        return view! {
            {heading(move || state.lang.get().words().tab_map().to_owned())}
            <p>{move || state.lang.get().words().no_route()}</p>
            <button class="primary" on:click=move |_| state.go(Screen::Home)>{move || state.lang.get().words().choose_route()}</button>
        }
        .into_any();
    };
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let route_id = route.id.to_string();

    // The walking path along the streets, and the current walk on this route.
    let plan = RwSignal::new(None::<RoutePath>);
    {
        let id = route_id.clone();
        spawn_local(async move {
            if let Some(p) = state.shown(transport::walk_plan(&id).await) {
                plan.set(Some(p));
            }
            if let Some(view) = state.shown(transport::follow_start(&id, false, false).await) {
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
                state.geo.set(GeoStatus::Off);
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
    // The time of the visit's day (none on another day), and the walk's own when it has one (a
    // simulation keeps its clock): the core says which.
    let day_time = move || state.status.get().and_then(|s| s.time_of_day());
    let now_of = move || live.get().and_then(|v| v.now).or_else(day_time);

    let r = route.clone();
    let p = pack.clone();
    let banner = move || {
        let view = live.get()?;
        let step = view.step.as_ref().filter(|s| s.off_route)?;
        let next = step.next_stop.as_ref().and_then(|id| p.stop(id))?;
        let how = step.distance_m.zip(step.walk_s).map(|(d, t)| on_foot(d, t, lang())).unwrap_or_default();
        Some(view! {
            <div class="off-route" role="alert">
                <p class="title">{w().off_route_title()}</p>
                <p>{w().off_route_help(&next.name, &how)}</p>
            </div>
        })
    };
    let summary = card_line_kept(
        "walk-summary",
        Memo::new({
            let r = r.clone();
            let p = pack.clone();
            move |_| now_of().map(|now| card_line(&p, &r, live.get().as_ref(), now, lang()))
        }),
    );
    let geo_line = card_line_kept(
        "secondary geo-status",
        Memo::new(move |_| {
            if live.with(|v| v.as_ref().is_some_and(|v| v.simulated)) && state.sim.get().is_some() {
                return Some(w().position_simulated().to_owned());
            }
            let text = match state.geo.get() {
                GeoStatus::On => w().position_on(),
                GeoStatus::Waiting => w().position_waiting(),
                GeoStatus::Unavailable => w().position_unavailable(),
                GeoStatus::Off => return None,
            };
            Some(text.to_owned())
        }),
    );
    // A position comes every second or so. The card and the way in words keep their elements while the
    // walker moves along a leg: memos, so that only a text that changed is written, and a reading
    // ("Écouter") or a focused button survives the next position (a card drawn again would end both).
    let position = {
        let r = route.clone();
        move || live.with(|v| walk_position(&r, v.as_ref(), day_time()))
    };
    // The distance to the next stop (or back, after the last).
    let distance = Memo::new({
        let (r, p, position) = (route.clone(), pack.clone(), position.clone());
        move |_| {
            live.with(|view| match position().next {
                None => view
                    .as_ref()
                    .filter(|v| v.going_back)
                    .and_then(|v| v.way_to_next.as_ref())
                    .map(|d| on_foot(d.length_m, p.pack.walk_s(d.length_m), lang())),
                Some(index) => {
                    let stop = p.stop(&r.stops[index])?;
                    let step = view.as_ref().and_then(|v| v.step.as_ref());
                    match step.and_then(|s| s.distance_m.zip(s.walk_s)) {
                        Some((d, t)) => Some(on_foot(d, t, lang())),
                        None if step.is_some() && stop.position.is_none() => Some(w().distance_unknown().to_owned()),
                        None => None,
                    }
                }
            })
        }
    });
    let distance_line = move || distance.get().map(|d| view! { <p class="distance">{d}</p> });
    let card = Memo::new({
        let (r, p, position) = (route.clone(), pack.clone(), position.clone());
        move |_| {
            let WalkPosition { at, next } = position();
            let Some(index) = next else {
                let back = r.back_to.as_ref().and_then(|b| p.stop(b));
                return Card::Over { back: back.map(|b| (b.name.clone(), w().back_by(&spoken_time(r.end, lang())))) };
            };
            let Some(stop) = p.stop(&r.stops[index]) else { return Card::None };
            Card::Next {
                here: at.and_then(|i| p.stop(&r.stops[i]).map(|s| w().you_are_at(&(i + 1), &s.name))),
                index,
                id: stop.id.to_string(),
                name: stop.name.clone(),
                planned: planned_line(&r, index, lang(), w()),
                note: position_note(stop, w()),
            }
        }
    });
    let route_id2 = route_id.clone();
    let next_card = move || {
        let route_id = route_id2.clone();
        match card.get() {
            Card::None => ().into_any(),
            Card::Over { back } => view! {
                <p>{w().walk_over()}</p>
                {back.map(|(name, by)| view! {
                    <p class="label">{w().going_back()}</p>
                    <p class="stop-name" id="way-back">{name}</p>
                    {distance_line}
                    <p>{by}</p>
                })}
            }
            .into_any(),
            Card::Next { here, index, id, name, planned, note } => {
                let spoken = {
                    let (name, planned, note) = (name.clone(), planned.clone(), note.clone());
                    move || {
                        [
                            Some(w().next_stop_named(&(index + 1), &name)),
                            distance.get(),
                            Some(planned.clone()),
                            note.clone(),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(". ")
                    }
                };
                view! {
                    {here.map(|here| view! { <p class="here">{here}</p> })}
                    <p class="label">{w().next_stop_number(&(index + 1))}</p>
                    <p class="stop-name">{name}</p>
                    {distance_line}
                    <p>{planned}</p>
                    {note.map(|n| view! { <p class="secondary">{n}</p> })}
                    <div class="actions">
                        <crate::parts::listen::Listen key="next" text=Signal::derive(spoken) />
                        <button class="primary" on:click={let id = id.clone(); move |_| state.go(Screen::Stop(id.clone()))}>{w().open_stop()}</button>
                        <button class="secondary-button" data-i-am-here=id.clone() on:click=move |_| {
                            let (route, stop) = (route_id.clone(), id.clone());
                            spawn_local(async move {
                                if let Some(view) = state.shown(transport::check(&route, Some(&stop)).await) {
                                    state.follow.set(Some(view));
                                    state.arrival.set(Some(stop.clone()));
                                    state.go(Screen::Stop(stop));
                                }
                            });
                        }>{w().i_am_here()}</button>
                    </div>
                }
                .into_any()
            }
        }
    };
    let (r3, p3) = (route.clone(), pack.clone());
    // The way from the position; before there is one, from the stop before (the plan's leg): said, and
    // where it starts from (none from the position).
    let way = move || -> Option<(Option<String>, String)> {
        if let Some(text) = live.with(|v| v.as_ref().and_then(|v| v.way_to_next.as_ref()).map(|way| say(way, lang()))) {
            return Some((None, text));
        }
        let next_id = position().next.and_then(|next| r3.stops.get(next)).map(|s| s.to_string());
        // Past the last stop: the way back, if the route has one.
        plan.with(|plan| {
            let plan = plan.as_ref()?;
            let leg = match &next_id {
                Some(id) => plan.leg_to(id)?,
                None => plan.way_back()?,
            };
            let from =
                p3.stops.iter().find(|s| s.id.as_str() == leg.from).map_or(leg.from.as_str(), |s| s.name.as_str());
            Some((Some(w().way_from(&from)), say(&leg.directions, lang())))
        })
    };
    let way_text = Memo::new({
        let way = way.clone();
        move |_| way().map(|(_, text)| text)
    });
    let way_from = Memo::new(move |_| way().and_then(|(from, _)| from));
    let way_shown = Memo::new(move |_| way_text.with(Option::is_some));
    let way_text = move || way_text.get().unwrap_or_default();
    let r = route.clone();
    let p = pack.clone();
    let name = route.name.clone();
    view! {
        {let (sym, n) = (route_symbol(&route), route.name.clone()); heading(move || w().route_heading(&sym, &n.get(lang())))}
        <p class="secondary route-pattern">{move || w().route_pattern(&name.get(lang()), &match r.line { LineStyle::Solid => w().route_pattern_solid(), LineStyle::Dashed => w().route_pattern_dashed() })}</p>
        {banner}
        <div class="map-layout">
            <MapView pack=pack.clone() route=route.clone() on_stop=on_stop label=Signal::derive(move || state.lang.get().words().map_label()) attribution=attribution plan=plan live=live recorded=state.corrections lang=state.lang />
            <section class="next-card" aria-live="polite">{summary}{next_card}{geo_line}</section>
        </div>
        // The map in words: the way to the next stop, street by street, from the position; before
        // there is one, from the stop before (the plan's leg). Not a live region (it changes with every
        // few metres walked): read when the person comes to it.
        {move || way_shown.get().then(|| view! {
            <section class="way-in-words">
                <h2>{w().way_in_words()}</h2>
                {move || way_from.get().map(|f| view! { <p class="secondary" id="way-from">{f}</p> })}
                <p id="way-text">{way_text}</p>
                <crate::parts::listen::Listen key="way" text=Signal::derive(way_text) />
            </section>
        })}
        <section class="stop-list">
            <h2>{move || w().stops_list()}</h2>
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

/// A line of the card while `text` has one: its element kept while only its words change (the card is a
/// live region; an element made again at each position would be read out again).
fn card_line_kept(class: &'static str, text: Memo<Option<String>>) -> impl IntoView {
    let shown = Memo::new(move |_| text.with(Option::is_some));
    move || shown.get().then(|| view! { <p class=class>{move || text.get().unwrap_or_default()}</p> })
}

/// What the card about the next stop shows, but the distance (a memo of its own): the same while the
/// walker goes along a leg, so the card keeps its elements.
#[derive(Clone, PartialEq)]
enum Card {
    /// The route's next stop is not in the visit: nothing to show.
    None,
    /// Past the last stop: the way back (the stop's name, "back by …"), if the route has one.
    Over { back: Option<(String, String)> },
    /// The next stop (its index in the route), and the stop the walk is at, said.
    Next { here: Option<String>, index: usize, id: String, name: String, planned: String, note: Option<String> },
}
