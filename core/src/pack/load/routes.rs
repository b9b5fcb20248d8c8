//! `routes.toml`: each route's stops and timings, checked against the stops.

use std::collections::{BTreeMap, BTreeSet};

use super::Loader;
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn routes(&mut self, stops: &Option<Vec<Stop>>) -> Option<Vec<Route>> {
        let (raw, doc) = self.toml::<raw::RoutesToml>("routes.toml")?;
        if raw.routes.is_empty() {
            self.problem(&doc, 1, "there is no [[route]]");
        }
        let known: Option<BTreeSet<&str>> = stops.as_ref().map(|s| s.iter().map(|s| s.id.as_str()).collect());
        let mut seen = BTreeMap::new();
        let mut routes = Vec::new();
        let mut complete = true;
        for (n, route) in raw.routes.iter().enumerate() {
            let line = doc.line(route.span());
            let r = route.get_ref();
            let id = self.id(&doc, &r.id, "route", &mut seen);
            let name = self.loc(&doc, &r.name, "name");
            let colour = self.colour(&doc, &r.colour, "colour");
            // Colour is never the only sign of a route: a mark and a line style, given or by order.
            let symbol = match &r.symbol {
                Some(s) if !s.get_ref().trim().is_empty() && s.get_ref().trim().chars().count() <= 2 => {
                    s.get_ref().trim().to_owned()
                }
                Some(s) => {
                    self.at(&doc, s, "symbol must be one or two characters, like \"●\" or \"◆\"");
                    String::new()
                }
                None => ROUTE_SYMBOLS[n % ROUTE_SYMBOLS.len()].to_owned(),
            };
            let line_style = match &r.line {
                Some(l) => LineStyle::parse(l.get_ref().trim()).unwrap_or_else(|| {
                    self.at(&doc, l, format!("line \"{}\" must be \"solid\" or \"dashed\"", l.get_ref()));
                    LineStyle::Solid
                }),
                None if n == 0 => LineStyle::Solid,
                None => LineStyle::Dashed,
            };
            let start = self.time(&doc, &r.start, "start");
            let end = self.time(&doc, &r.end, "end");
            if r.stops.is_empty() {
                self.problem(&doc, line, format!("route \"{id}\" has no [[route.stop]]"));
            }
            let mut schedule = Vec::new();
            let mut visited: BTreeMap<String, u32> = BTreeMap::new();
            let mut last_depart: Option<Hm> = start;
            for visit in &r.stops {
                let v = visit.get_ref();
                let stop_line = doc.line(v.stop.span());
                let stop = v.stop.get_ref().clone();
                if let Some(known) = &known
                    && !known.contains(stop.as_str())
                {
                    self.problem(
                        &doc,
                        stop_line,
                        format!("route \"{id}\" names unknown stop \"{stop}\" (not in stops.toml)"),
                    );
                }
                if let Some(first) = visited.insert(stop.clone(), stop_line) {
                    self.problem(
                        &doc,
                        stop_line,
                        format!("route \"{id}\" visits stop \"{stop}\" twice (first on line {first})"),
                    );
                }
                let arrive = self.time(&doc, &v.arrive, "arrive");
                let depart = self.time(&doc, &v.depart, "depart");
                let (Some(arrive), Some(depart)) = (arrive, depart) else {
                    complete = false;
                    continue;
                };
                if depart < arrive {
                    self.at(
                        &doc,
                        &v.depart,
                        format!("route \"{id}\" leaves \"{stop}\" ({depart}) before arriving ({arrive})"),
                    );
                }
                if let Some(previous) = last_depart
                    && arrive < previous
                {
                    self.at(&doc, &v.arrive, format!("route \"{id}\" arrives at \"{stop}\" at {arrive}, before {previous} (the walk's start or the previous departure)"));
                }
                if let Some(end) = end
                    && depart > end
                {
                    self.at(
                        &doc,
                        &v.depart,
                        format!("route \"{id}\" leaves \"{stop}\" at {depart}, after the walk ends ({end})"),
                    );
                }
                last_depart = Some(depart);
                schedule.push(PlannedVisit { stop: StopId(stop), arrive, depart });
            }
            let (Some(start), Some(end)) = (start, end) else {
                complete = false;
                continue;
            };
            if end <= start {
                self.at(&doc, &r.end, format!("route \"{id}\" ends ({end}) before it starts ({start})"));
            }
            let back_to = r.back_to.as_ref().map(|b| {
                let stop = b.get_ref().trim().to_owned();
                if let Some(known) = &known
                    && !known.contains(stop.as_str())
                {
                    self.at(
                        &doc,
                        b,
                        format!("route \"{id}\"'s back_to names unknown stop \"{stop}\" (not in stops.toml)"),
                    );
                }
                if schedule.last().is_some_and(|v: &PlannedVisit| v.stop.as_str() == stop) {
                    self.at(&doc, b, format!("route \"{id}\" already ends at \"{stop}\": remove back_to"));
                }
                StopId(stop)
            });
            let stops = schedule.iter().map(|v| v.stop.clone()).collect();
            routes.push(Route {
                id: RouteId(id),
                name,
                colour,
                symbol,
                line: line_style,
                start,
                end,
                stops,
                schedule,
                back_to,
            });
        }
        complete.then_some(routes)
    }
}
