//! The guide's run sheet: planned against actual per stop, lateness now, the projected end, and where the
//! other groups should be. Pure: the moment and the progress are passed in.

use chrono::{NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

use super::types::{FollowView, StopProgress, StopStatus};
use crate::pack::{Hm, Pack, Route, StopId};

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct RunRow {
    pub stop: StopId,
    pub planned_arrive: Hm,
    pub planned_depart: Hm,
    pub arrived: Option<Hm>,
    pub departed: Option<Hm>,
    pub status: StopStatus,
    /// Actual arrival minus planned arrival, in minutes (negative: early).
    pub arrive_late_min: Option<i32>,
    /// Checked in or out by hand.
    pub manual: bool,
}

/// Where a walk stands, for the map: the stop the group is at and the next one (indexes in the route).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct WalkPosition {
    pub at: Option<usize>,
    pub next: Option<usize>,
}

/// Where the walk on `route` stands: from the walk itself once it has begun (a position or a stop
/// reached), else from the plan at `time` (`None` on another day: the first stop).
pub fn walk_position(route: &Route, view: Option<&FollowView>, time: Option<Hm>) -> WalkPosition {
    let index = |id: &StopId| route.stops.iter().position(|s| s == id);
    match view {
        Some(v) if v.step.is_some() || v.stops.iter().any(|s| s.status != StopStatus::Pending) => {
            let at = v.stops.iter().position(|s| s.status == StopStatus::Here);
            let last = v.stops.iter().rposition(|s| matches!(s.status, StopStatus::Here | StopStatus::Done));
            let next = match v.step.as_ref() {
                Some(step) => step.next_stop.as_ref().and_then(index),
                None => (last.map_or(0, |i| i + 1)..v.stops.len()).find(|&i| v.stops[i].status == StopStatus::Pending),
            };
            WalkPosition { at, next }
        }
        _ => WalkPosition { at: None, next: crate::schedule::planned_stop(route, time) },
    }
}

/// Where a group should be by its plan.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlannedPlace {
    NotStarted { start: Hm },
    WalkingTo { stop: StopId, arrive: Hm },
    At { stop: StopId, until: Hm },
    Finished,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct OtherGroup {
    pub route: String,
    pub place: PlannedPlace,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct RunSheet {
    pub route: String,
    pub now: Hm,
    pub rows: Vec<RunRow>,
    /// Minutes behind the plan now (negative: ahead), 0 before the walk starts.
    pub late_min: i32,
    pub planned_end: Hm,
    pub projected_end: Hm,
    pub next: Option<StopId>,
    /// Minutes planned at the next stop.
    pub next_budget_min: Option<i32>,
    pub others: Vec<OtherGroup>,
}

/// The follow card's line, what the map says of the walk in one sentence: "◆ Parcours rose — 10 h 05 —
/// prochaine étape : Collectif Social Web, 6 min à pied, départ prévu dans 4 min". The route's mark and
/// name, the time `now`, then the next stop with the walk to it (from `view`, once there is a position)
/// and when to leave or to arrive; or that the walk is over, and where it goes back to.
pub fn card_line(pack: &Pack, route: &Route, view: Option<&FollowView>, now: Hm, lang: &str) -> String {
    let w = parcours_i18n::Lang::from_tag(lang).words();
    let time = crate::text::spoken_time;
    let WalkPosition { at, next } = walk_position(route, view, Some(now));
    let mut text = w.card_now(&route.symbol, &route.name.get(lang), &time(now, lang));
    match next.and_then(|i| pack.stop(&route.stops[i]).map(|s| (i, s))) {
        Some((i, stop)) => {
            text.push_str(&w.card_next(&stop.name));
            if let Some(t) = view.and_then(|v| v.step.as_ref()).and_then(|s| s.walk_s) {
                text.push_str(&w.card_walk(&super::directions::walk_minutes(t)));
            }
            match at.and_then(|a| route.schedule.get(a)) {
                Some(visit) if now.minutes_until(visit.depart) >= 0 => {
                    text.push_str(&w.card_depart_in(&now.minutes_until(visit.depart)))
                }
                _ => {
                    if let Some(visit) = route.schedule.get(i) {
                        text.push_str(&w.card_arrive_at(&time(visit.arrive, lang)));
                    }
                }
            }
        }
        None => {
            text.push_str(w.card_over());
            if let Some(back) = route.back_to.as_ref().and_then(|b| pack.stop(b)) {
                text.push_str(&w.card_going_back(&back.name));
            }
        }
    }
    text
}

fn minutes_of(t: NaiveDateTime) -> i32 {
    (t.hour() * 60 + t.minute()) as i32
}

fn add(hm: Hm, minutes: i32) -> Hm {
    let total = (hm.minutes() as i32 + minutes).clamp(0, 23 * 60 + 59);
    Hm::new((total / 60) as u16, (total % 60) as u16).unwrap_or(hm)
}

/// Where `route`'s group should be at `now`, by its plan.
pub fn planned_place(route: &Route, now: Hm) -> PlannedPlace {
    if now < route.start {
        return PlannedPlace::NotStarted { start: route.start };
    }
    match crate::schedule::planned_stop(route, Some(now)) {
        None => PlannedPlace::Finished,
        Some(i) => {
            let visit = &route.schedule[i];
            if now < visit.arrive {
                PlannedPlace::WalkingTo { stop: visit.stop.clone(), arrive: visit.arrive }
            } else {
                PlannedPlace::At { stop: visit.stop.clone(), until: visit.depart }
            }
        }
    }
}

/// The run sheet of `route` at `now`, from the progress of the stops (one per stop of the route, in order,
/// as [`super::FollowState::stops`]).
pub fn run_sheet(pack: &Pack, route: &Route, progress: &[StopProgress], now: NaiveDateTime) -> RunSheet {
    let now_min = minutes_of(now);
    let pending = StopProgress { status: StopStatus::Pending, arrived: None, departed: None, manual: false };
    let rows: Vec<RunRow> = route
        .schedule
        .iter()
        .enumerate()
        .map(|(i, visit)| {
            let p = progress.get(i).unwrap_or(&pending);
            RunRow {
                stop: visit.stop.clone(),
                planned_arrive: visit.arrive,
                planned_depart: visit.depart,
                arrived: p.arrived.map(Hm::of),
                departed: p.departed.map(Hm::of),
                status: p.status,
                arrive_late_min: p.arrived.map(|a| minutes_of(a) - visit.arrive.minutes() as i32),
                manual: p.manual,
            }
        })
        .collect();

    let last = rows.iter().rposition(|r| matches!(r.status, StopStatus::Here | StopStatus::Done));
    let next = rows.iter().enumerate().skip(last.map_or(0, |i| i + 1)).find(|(_, r)| r.status == StopStatus::Pending);
    let late_min = match last {
        None if now_min < route.start.minutes() as i32 => 0,
        None => next.map_or(0, |(_, r)| (now_min - r.planned_arrive.minutes() as i32).max(0)),
        Some(j) => {
            let row = &rows[j];
            let since_event = match (row.status, row.arrived, row.departed) {
                // At the last stop the walk is over: only the arrival counts.
                (StopStatus::Here, Some(a), _) if j + 1 == rows.len() => {
                    a.minutes() as i32 - row.planned_arrive.minutes() as i32
                }
                (StopStatus::Here, Some(a), _) => (a.minutes() as i32 - row.planned_arrive.minutes() as i32)
                    .max(now_min - row.planned_depart.minutes() as i32),
                (_, _, Some(d)) => d.minutes() as i32 - row.planned_depart.minutes() as i32,
                (_, Some(a), None) => a.minutes() as i32 - row.planned_arrive.minutes() as i32,
                _ => 0,
            };
            match (row.status, next) {
                (StopStatus::Done, Some((_, n))) => since_event.max(now_min - n.planned_arrive.minutes() as i32),
                _ => since_event,
            }
        }
    };
    let projected_end = if late_min > 0 { add(route.end, late_min) } else { route.end };
    let now_hm = Hm::of(now);
    let others = pack
        .routes
        .iter()
        .filter(|r| r.id != route.id)
        .map(|r| OtherGroup { route: r.id.as_str().to_string(), place: planned_place(r, now_hm) })
        .collect();
    RunSheet {
        route: route.id.as_str().to_string(),
        now: now_hm,
        late_min,
        planned_end: route.end,
        projected_end,
        next: next.map(|(_, r)| r.stop.clone()),
        next_budget_min: next.map(|(_, r)| r.planned_depart.minutes() as i32 - r.planned_arrive.minutes() as i32),
        rows,
        others,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{LineStyle, Localized, PlannedVisit, RouteId};
    use crate::walk::types::Step;

    fn route() -> Route {
        let hm = |s| Hm::parse(s).unwrap();
        let visit = |id: &str, a, d| PlannedVisit { stop: StopId(id.into()), arrive: hm(a), depart: hm(d) };
        let schedule = vec![visit("a", "10:00", "10:20"), visit("b", "10:25", "10:45"), visit("c", "10:50", "11:10")];
        Route {
            id: RouteId("r".into()),
            name: Localized::default(),
            colour: "#000000".into(),
            symbol: "●".into(),
            line: LineStyle::Solid,
            start: hm("09:50"),
            end: hm("11:45"),
            stops: schedule.iter().map(|v| v.stop.clone()).collect(),
            schedule,
            back_to: None,
        }
    }

    fn view(statuses: &[StopStatus]) -> FollowView {
        let progress = |status| StopProgress { status, arrived: None, departed: None, manual: false };
        FollowView {
            route: "r".into(),
            now: None,
            position: None,
            accuracy_m: None,
            step: None,
            stops: statuses.iter().copied().map(progress).collect(),
            path_to_next: None,
            way_to_next: None,
            going_back: false,
            simulated: false,
        }
    }

    #[test]
    fn the_walk_says_where_it_stands_once_begun_and_the_plan_before() {
        let r = route();
        let at = |s| Some(Hm::parse(s).unwrap());
        use StopStatus::*;
        // Not begun: the plan at that time (another day: the first stop).
        assert_eq!(walk_position(&r, None, at("10:30")), WalkPosition { at: None, next: Some(1) });
        assert_eq!(walk_position(&r, Some(&view(&[Pending; 3])), None), WalkPosition { at: None, next: Some(0) });
        // Begun: at the second stop, the next is the third, whatever the clock says.
        let here = view(&[Done, Here, Pending]);
        assert_eq!(walk_position(&r, Some(&here), at("09:00")), WalkPosition { at: Some(1), next: Some(2) });
        // A skipped stop is not "next"; after the last one, nothing is.
        assert_eq!(walk_position(&r, Some(&view(&[Skipped, Done, Pending])), at("09:00")).next, Some(2));
        assert_eq!(walk_position(&r, Some(&view(&[Done, Done, Done])), at("10:00")), WalkPosition::default());
        // With a fix, the engine's next stop.
        let mut moving = view(&[Done, Pending, Pending]);
        moving.step = Some(Step {
            time: chrono::NaiveDate::from_ymd_opt(2024, 10, 3).unwrap().and_hms_opt(10, 30, 0).unwrap(),
            used: true,
            at_stop: None,
            next_stop: Some(StopId("c".into())),
            straight_m: None,
            distance_m: None,
            walk_s: None,
            along_m: 0.0,
            off_route: false,
            arrived: None,
            departed: None,
            skipped: vec![StopId("b".into())],
        });
        assert_eq!(walk_position(&r, Some(&moving), at("10:30")).next, Some(2));
        assert_eq!(Hm::parse("10:30").unwrap().minutes_until(Hm::parse("10:45").unwrap()), 15);
        assert_eq!(Hm::parse("10:45").unwrap().minutes_until(Hm::parse("10:30").unwrap()), -15);
    }
}
