//! Where the day stands at a given moment: which programme item is on now, which comes next.
//! Pure: the caller passes the moment, as a wall-clock time in the event's time zone.

use chrono::NaiveDateTime;
#[cfg(feature = "tz")]
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::pack::{Hm, ItemId, Pack};

/// `utc` as the wall-clock time in the IANA time zone `zone` (chrono-tz's copy of the database), or
/// `None` if the zone is unknown. The native shells give the command layer this; the web app asks the
/// browser's own database instead and ships none.
#[cfg(feature = "tz")]
pub fn local_time(utc: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
    zone.parse::<chrono_tz::Tz>().ok().map(|tz| utc.with_timezone(&tz).naive_local())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Not the event's date: the programme is shown without a current item.
    OtherDay,
    /// The event's date, before the first item.
    Before,
    During,
    /// The event's date, after its end.
    After,
}

/// The day at one moment, for "maintenant / ensuite" and the programme's highlight.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct DayStatus {
    /// The moment this was computed for (event's time zone), `YYYY-MM-DD` and `HH:MM`.
    pub date: chrono::NaiveDate,
    pub time: Hm,
    pub phase: Phase,
    pub current: Option<ItemId>,
    pub next: Option<ItemId>,
}

impl DayStatus {
    /// The time of the visit's day this status is for; `None` on another day (a walk's times then
    /// come from the plan, not from the clock).
    pub fn time_of_day(&self) -> Option<Hm> {
        (self.phase != Phase::OtherDay).then_some(self.time)
    }
}

/// An item runs from its start to its end, or else to the next item's start; the last item without an
/// end runs to the event's end (and is only a moment if it starts then, like "Fin de la journée").
pub fn day_status(pack: &Pack, now: NaiveDateTime) -> DayStatus {
    let date = now.date();
    let time = Hm::of(now);
    let items = &pack.timetable;
    if date != pack.event.date {
        return DayStatus { date, time, phase: Phase::OtherDay, current: None, next: None };
    }
    let end_of = |i: usize| items[i].end.or_else(|| items.get(i + 1).map(|n| n.start)).unwrap_or(pack.event.end);
    let current = (0..items.len()).find(|&i| items[i].start <= time && time < end_of(i)).map(|i| items[i].id.clone());
    let next = items.iter().find(|item| item.start > time).map(|item| item.id.clone());
    let first = items.first().map_or(pack.event.start, |i| i.start);
    let phase = if time < first {
        Phase::Before
    } else if time >= pack.event.end {
        Phase::After
    } else {
        Phase::During
    };
    DayStatus { date, time, phase, current, next }
}

/// Where a group following `route` should be at `time` by the plan: the stop being visited, or the next
/// one to walk to (its index in the route), or `None` once the last stop is left.
/// `time` is `None` on another day than the event's: the plan starts at the first stop.
pub fn planned_stop(route: &crate::pack::Route, time: Option<Hm>) -> Option<usize> {
    match time {
        None => (!route.schedule.is_empty()).then_some(0),
        Some(t) => route.schedule.iter().position(|visit| t < visit.depart),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{Localized, PlannedVisit, Route, RouteId, StopId};

    #[test]
    fn planned_stop_follows_departures() {
        let hm = |s| Hm::parse(s).unwrap();
        let visit = |id: &str, a, d| PlannedVisit { stop: StopId(id.into()), arrive: hm(a), depart: hm(d) };
        let route = Route {
            id: RouteId("r".into()),
            name: Localized::default(),
            colour: "#000000".into(),
            symbol: "●".into(),
            line: crate::pack::LineStyle::Solid,
            start: hm("09:50"),
            end: hm("11:45"),
            stops: vec![],
            schedule: vec![visit("a", "10:00", "10:20"), visit("b", "10:25", "10:45")],
            back_to: None,
        };
        assert_eq!(planned_stop(&route, None), Some(0));
        assert_eq!(planned_stop(&route, Some(hm("09:00"))), Some(0));
        assert_eq!(planned_stop(&route, Some(hm("10:19"))), Some(0));
        assert_eq!(planned_stop(&route, Some(hm("10:20"))), Some(1));
        assert_eq!(planned_stop(&route, Some(hm("10:45"))), None);
    }
}
