//! The guide's screen: the run sheet (planned against actual, lateness, expected end), notes for the next
//! stop, where the other group should be, one-tap check-in and check-out, and the simulation switch.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parcours_core::pack::{Hm, Pack, Route};
use parcours_core::text::spoken_time;
use parcours_core::walk::StopStatus;
use parcours_core::walk::guide::{PlannedPlace, RunSheet};
use parcours_core::wire::ErrorCode;

use crate::parts::walking;
use crate::state::{Screen, use_state};
use crate::transport;
use crate::widgets::heading;
use crate::words::{failed, route_symbol, status_word};

fn range(a: Hm, b: Hm, lang: &str) -> String {
    format!("{} – {}", spoken_time(a, lang), spoken_time(b, lang))
}

#[component]
pub fn Guide(pack: Arc<Pack>) -> impl IntoView {
    let state = use_state();
    let lang = move || state.lang.get().tag();
    let w = move || state.lang.get().words();
    let Some(route) = state.chosen_route(&pack) else {
        return view! {
            {heading(move || w().guide().to_owned())}
            <p>{move || w().no_route()}</p>
            <button class="primary" on:click=move |_| state.go(Screen::Home)>{move || w().choose_route()}</button>
        }
        .into_any();
    };
    let route_id = route.id.to_string();

    // The run sheet, refreshed after every change of the walk and every 30 s.
    let sheet = RwSignal::new(None::<RunSheet>);
    let refresh = {
        let id = route_id.clone();
        move || {
            let id = id.clone();
            spawn_local(async move {
                // Only a real change redraws the page (the walk sends a position every few seconds).
                if let Some(s) = state.shown(transport::run_sheet(&id).await)
                    && sheet.get_untracked().as_ref() != Some(&s)
                {
                    sheet.set(Some(s));
                }
            });
        }
    };
    {
        let refresh = refresh.clone();
        Effect::new(move |_| {
            state.follow.track();
            refresh();
        });
    }
    if let Ok(handle) = set_interval_with_handle(refresh, Duration::from_secs(30)) {
        on_cleanup(move || handle.clear());
    }

    let check = {
        let id = route_id.clone();
        move |stop: Option<String>| {
            let id = id.clone();
            spawn_local(async move {
                if let Some(view) = state.shown(transport::check(&id, stop.as_deref()).await) {
                    state.follow.set(Some(view));
                }
            });
        }
    };

    let recorded = RwSignal::new(None::<String>);
    let exported = RwSignal::new(None::<String>);
    let confirm_reset = RwSignal::new(false);
    let p = pack.clone();
    let r = route.clone();
    let status_line = move || {
        let s = sheet.get()?;
        let late = match s.late_min {
            0 => w().on_time().to_owned(),
            n if n > 0 => w().late_by(&n),
            n => w().ahead_by(&(-n)),
        };
        let end = if s.projected_end != s.planned_end {
            w().expected_end_instead(&spoken_time(s.projected_end, lang()), &spoken_time(s.planned_end, lang()))
        } else {
            w().expected_end(&spoken_time(s.planned_end, lang()))
        };
        Some(view! {
            <p class="walk-summary">{w().walk_time(&spoken_time(s.now, lang()))}</p>
            <p class={if s.late_min > 0 { "lateness late" } else { "lateness" }}>{late}</p>
            <p>{end}</p>
        })
    };

    let next_notes = {
        let p = p.clone();
        let r = r.clone();
        let check = check.clone();
        move || {
            let s = sheet.get()?;
            let at = s.rows.iter().position(|row| row.status == StopStatus::Here);
            let check_out = at.map(|i| {
                let check = check.clone();
                let name = p.stop(&r.stops[i]).map(|s| s.name.clone()).unwrap_or_default();
                let stop_id = r.stops[i].to_string();
                view! {
                    <button class="primary big" on:click=move |_| check(None)>{w().check_out(&name)}</button>
                    <button class="secondary-button big" id="record-position" on:click=move |_| {
                        let stop = stop_id.clone();
                        spawn_local(async move {
                            match transport::record_position(&stop).await {
                                Ok(list) => {
                                    let said = list.last().and_then(|c| c.accuracy_m).map_or_else(|| w().recorded_ok().to_owned(), |a| w().recorded_within(&a.round().to_string()));
                                    recorded.set(Some(said));
                                    state.corrections.set(list);
                                }
                                Err(e) => recorded.set(Some(match e.code {
                                    ErrorCode::NoPosition => w().no_recent_position().to_owned(),
                                    ErrorCode::Simulated => w().simulated_not_recorded().to_owned(),
                                    _ => w().not_saved(&failed(&e, w())),
                                })),
                            }
                        });
                    }>{w().record_here(&name)}</button>
                    <p class="secondary record-result" aria-live="polite">{move || recorded.get()}</p>
                }
            });
            let next_id = s.next.clone()?;
            let stop = p.stop(&next_id)?.clone();
            let id = next_id.to_string();
            let check = check.clone();
            let budget = s.next_budget_min.map(|m| w().time_there(&m));
            Some(view! {
                {check_out}
                <section class="speaker-notes">
                    <h2>{w().for_next_stop()}</h2>
                    <p class="stop-name">{stop.name.clone()}</p>
                    <p class="theme">{stop.theme.get(lang()).to_owned()}</p>
                    {budget.map(|b| view! { <p>{b}</p> })}
                    <ul class="speakers">
                        {stop.speakers.iter().map(|sp| view! { <li><strong>{sp.name.clone()}</strong>{format!(", {}", sp.role.get(lang()))}</li> }).collect_view()}
                    </ul>
                    {(!stop.facts.is_empty()).then(|| view! {
                        <h3>{w().facts()}</h3>
                        <ul>{stop.facts.iter().map(|f| view! { <li>{f.get(lang()).to_owned()}</li> }).collect_view()}</ul>
                    })}
                    <button class="primary big" data-check-in=id.clone() on:click=move |_| check(Some(id.clone()))>
                        {w().check_in(&stop.name)}
                    </button>
                </section>
            })
        }
    };

    let table = {
        let p = p.clone();
        move || {
            let s = sheet.get()?;
            Some(view! {
                <table class="run-sheet">
                    <caption>{w().run_sheet()}</caption>
                    <thead><tr><th scope="col">"#"</th><th scope="col">{w().stop_word()}</th><th scope="col">{w().planned()}</th><th scope="col">{w().actual()}</th><th scope="col">{w().gap()}</th><th scope="col">{w().state()}</th></tr></thead>
                    <tbody>
                        {s.rows.iter().enumerate().map(|(i, row)| {
                            let name = p.stop(&row.stop).map(|s| s.name.clone()).unwrap_or_default();
                            let actual = match (row.arrived, row.departed) {
                                (Some(a), Some(d)) => range(a, d, lang()),
                                (Some(a), None) => format!("{} –", spoken_time(a, lang())),
                                _ => "—".to_owned(),
                            };
                            let gap = row.arrive_late_min.map(|m| w().gap_minutes(&format!("{m:+}"))).unwrap_or_else(|| "—".to_owned());
                            let manual = if row.manual { w().by_hand() } else { "" };
                            view! {
                                <tr class={if row.status == StopStatus::Here { "here" } else { "" }}>
                                    <td class="num-cell">{i + 1}</td>
                                    <th scope="row">{name}</th>
                                    <td data-label=w().planned()>{range(row.planned_arrive, row.planned_depart, lang())}</td>
                                    <td data-label=w().actual()>{format!("{actual}{manual}")}</td>
                                    <td data-label=w().gap()>{gap}</td>
                                    <td data-label=w().state()>{status_word(row.status, w())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })
        }
    };

    let others = {
        let p = p.clone();
        move || {
            let s = sheet.get()?;
            let line = |route: &Route, place: &PlannedPlace| -> String {
                let stop_name =
                    |id: &parcours_core::pack::StopId| p.stop(id).map(|s| s.name.clone()).unwrap_or_default();
                let what = match place {
                    PlannedPlace::NotStarted { start } => w().not_started(&spoken_time(*start, lang())),
                    PlannedPlace::WalkingTo { stop, arrive } => {
                        w().walking_to(&stop_name(stop), &spoken_time(*arrive, lang()))
                    }
                    PlannedPlace::At { stop, until } => w().is_at(&stop_name(stop), &spoken_time(*until, lang())),
                    PlannedPlace::Finished => w().finished().to_owned(),
                };
                w().other_route_line(&route_symbol(route), &route.name.get(lang()), &what)
            };
            let items: Vec<String> =
                s.others.iter().filter_map(|o| p.route(&o.route).map(|r| line(r, &o.place))).collect();
            Some(view! {
                <section class="other-group">
                    <h2>{w().other_group()}</h2>
                    <ul>{items.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                </section>
            })
        }
    };

    let recorded_list = {
        let p = p.clone();
        move || {
            let list = state.corrections.get();
            (!list.is_empty()).then(|| {
                let items: Vec<String> = list
                    .iter()
                    .map(|c| {
                        let name =
                            p.stops.iter().find(|s| s.id.as_str() == c.stop).map_or(c.stop.clone(), |s| s.name.clone());
                        let time = spoken_time(Hm::of(c.recorded_at), lang());
                        let (lat, lon) = (format!("{:.5}", c.lat), format!("{:.5}", c.lon));
                        match c.accuracy_m {
                            Some(a) => w().recorded_line_within(&name, &time, &lat, &lon, &a.round().to_string()),
                            None => w().recorded_line(&name, &time, &lat, &lon),
                        }
                    })
                    .collect();
                view! {
                    <section class="recorded">
                        <h2>{w().recorded_positions()}</h2>
                        <ul>{items.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                        <button class="secondary-button" id="export-positions" on:click=move |_| {
                            spawn_local(async move {
                                exported.set(Some(match transport::export_corrections().await {
                                    Ok(path) => w().file_saved_path(&path),
                                    Err(e) => w().not_saved(&failed(&e, w())),
                                }));
                            });
                        }>{w().export_for_organiser()}</button>
                        <p class="secondary export-result" aria-live="polite">{move || exported.get()}</p>
                    </section>
                }
            })
        }
    };
    let reset_route = route_id.clone();
    let sim_route = route_id.clone();
    let speed = RwSignal::new(10u32);
    view! {
        {let (sym, n) = (route_symbol(&route), route.name.clone()); heading(move || w().guide_heading(&sym, &n.get(lang())))}
        {status_line}
        {next_notes}
        {table}
        {others}
        {recorded_list}
        <section class="simulation">
            <label class="switch">
                <input
                    type="checkbox"
                    role="switch"
                    id="simulate"
                    prop:checked=move || state.sim.get().is_some()
                    on:change=move |ev| {
                        if event_target_checked(&ev) {
                            walking::start_simulation(state, sim_route.clone(), speed.get_untracked());
                        } else {
                            walking::stop_simulation(state, sim_route.clone());
                        }
                    }
                />
                <span>{move || w().simulate()}</span>
            </label>
            <p class="secondary">{move || w().simulate_hint()}</p>
            <label for="sim-speed">{move || w().speed()}</label>
            <select
                id="sim-speed"
                on:change=move |ev| speed.set(event_target_value(&ev).parse().unwrap_or(10))
                prop:value=move || speed.get().to_string()
            >
                <option value="1">{move || w().speed_real()}</option>
                <option value="10">"× 10"</option>
                <option value="50">"× 50"</option>
            </select>
        </section>
        <section class="start-again">
            <button class="secondary-button" id="start-again" on:click=move |_| {
                if confirm_reset.get_untracked() {
                    confirm_reset.set(false);
                    let route = reset_route.clone();
                    spawn_local(async move {
                        if let Some(view) = state.shown(transport::follow_reset(&route).await) {
                            state.follow.set(Some(view));
                        }
                    });
                } else {
                    confirm_reset.set(true);
                }
            }>{move || if confirm_reset.get() { w().start_again_confirm() } else { w().start_again() }}</button>
        </section>
    }
    .into_any()
}
