//! What `pack check` warns about: a pack that is valid, but will fail on the day. Each warning says
//! where (`file:line` of the pack's source, when there is one) and what to do; none refuses the pack.
//!
//! - a map layer of a kind the app does not walk along, and no street layer at all (the way between
//!   stops is then a straight line through the blocks);
//! - a stop far from every street (the way to it ends across the blocks: its position or the streets
//!   are wrong);
//! - streets in several pieces that do not meet, a quarter of them or more left out (only the largest
//!   is walked);
//! - a planned walk between two stops shorter than the walking time at the pack's walking speed;
//! - a way back (`back_to`) to a stop with no position, or planned shorter than it takes.

use crate::pack::{Pack, Problem, Source};
use crate::walk::network::{Network, Xy};

/// A stop farther than this from every street gets a warning.
pub const FAR_FROM_STREETS_M: f64 = 100.0;

/// The layer kinds the app knows: `streets` are drawn and walked along; the others are drawn only.
pub const WALKED_KIND: &str = "streets";

/// The warnings for `pack`, placed in `source` when it is given.
pub fn warnings(pack: &Pack, source: Option<&Source>) -> Vec<Problem> {
    let at = |file: &str, anchor: Option<&str>, needle: &str| locate(source, file, anchor, needle);
    let mut out = Vec::new();
    for layer in pack.map.iter().filter(|l| l.kind != WALKED_KIND) {
        let (file, line) = at("map.toml", Some(&format!("id = \"{}\"", layer.id)), "kind");
        out.push(Problem::new(
            file,
            line,
            format!(
                "layer \"{}\" has kind = \"{}\": it is drawn on the map, but only kind = \"{WALKED_KIND}\" is walked along. \
                 If these are the streets, write kind = \"{WALKED_KIND}\"",
                layer.id, layer.kind
            ),
        ));
    }
    let Some(net) = Network::from_layers(&pack.map) else {
        let (file, line) = at("map.toml", None, "[[layer]]");
        out.push(Problem::new(
            file,
            line,
            format!(
                "no layer of kind = \"{WALKED_KIND}\": the way between stops will be a straight line across the blocks, \
                 and \"off route\" cannot be told. Add the streets (assets/packs/README.md, \"Streets: what walking directions need\")"
            ),
        ));
        return out;
    };
    let stats = net.stats;
    // Clipping an extract leaves small pieces at its edges: only a large part left out is worth saying
    // (a stop on a piece left out is also far from the streets walked, below).
    if stats.components > 1 && stats.nodes - stats.kept_nodes >= stats.nodes / 4 {
        let layer = pack.map.iter().find(|l| l.kind == WALKED_KIND).map_or("streets", |l| l.id.as_str());
        let (file, line) = at("map.toml", Some(&format!("id = \"{layer}\"")), "file");
        out.push(Problem::new(
            file,
            line,
            format!(
                "the streets are in {} pieces that do not meet; only the largest ({} of {} crossings and bends) is walked. \
                 Streets meet only where their lines share a point: join them there",
                stats.components, stats.kept_nodes, stats.nodes
            ),
        ));
    }
    for stop in &pack.stops {
        let Some(p) = &stop.position else { continue };
        let point = net.to_xy(p.lat, p.lon);
        let Some(snap) = net.snap(point) else { continue };
        if snap.offset_m > FAR_FROM_STREETS_M.max(p.accuracy_m) {
            let (file, line) = at("stops.toml", None, &format!("id = \"{}\"", stop.id.as_str()));
            out.push(Problem::new(
                file,
                line,
                format!(
                    "stop \"{}\" is {:.0} m from the nearest street: the way to it will end across the blocks. \
                     Check its position (lat, lon), or add the path that leads to it to the streets",
                    stop.id.as_str(),
                    snap.offset_m
                ),
            ));
        }
    }
    let speed = pack.pack.walking_speed_m_s;
    for route in &pack.routes {
        let placed: Vec<(usize, Xy)> = route
            .schedule
            .iter()
            .enumerate()
            .filter_map(|(i, v)| pack.stop(&v.stop)?.position.as_ref().map(|p| (i, net.to_xy(p.lat, p.lon))))
            .collect();
        for pair in placed.windows(2) {
            let ((i, a), (j, b)) = (pair[0], pair[1]);
            let (from, to) = (&route.schedule[i], &route.schedule[j]);
            let Some(path) = net.route(a, b) else { continue };
            let walking_s = path.length_m / speed;
            let planned_s = f64::from(to.arrive.minutes().saturating_sub(from.depart.minutes())) * 60.0;
            if planned_s < walking_s {
                let (file, line) = at(
                    "routes.toml",
                    Some(&format!("id = \"{}\"", route.id.as_str())),
                    &format!("stop = \"{}\"", to.stop.as_str()),
                );
                out.push(Problem::new(
                    file,
                    line,
                    format!(
                        "route \"{}\": {} min planned from \"{}\" (leaves {}) to \"{}\" (arrives {}), but the walk is {:.0} m, \
                         {:.0} min at {speed} m/s: leave earlier or arrive later",
                        route.id.as_str(),
                        planned_s / 60.0,
                        from.stop.as_str(),
                        from.depart,
                        to.stop.as_str(),
                        to.arrive,
                        path.length_m,
                        (walking_s / 60.0).round()
                    ),
                ));
            }
        }
        // The way back: from the last placed stop's departure to the walk's end.
        let Some(back) = route.back_to.as_ref() else { continue };
        let here = || at("routes.toml", Some(&format!("id = \"{}\"", route.id.as_str())), "back_to");
        let Some(to) = pack.stop(back).and_then(|s| s.position.as_ref()) else {
            let (file, line) = here();
            out.push(Problem::new(
                file,
                line,
                format!(
                    "route \"{}\" goes back to \"{}\", which has no position: the way back cannot be shown; give it one",
                    route.id.as_str(),
                    back.as_str()
                ),
            ));
            continue;
        };
        let Some(&(i, a)) = placed.last() else { continue };
        let Some(path) = net.route(a, net.to_xy(to.lat, to.lon)) else { continue };
        let from = &route.schedule[i];
        let walking_s = path.length_m / speed;
        let planned_s = f64::from(route.end.minutes().saturating_sub(from.depart.minutes())) * 60.0;
        if planned_s < walking_s {
            let (file, line) = here();
            out.push(Problem::new(
                file,
                line,
                format!(
                    "route \"{}\": {} min planned from \"{}\" (leaves {}) back to \"{}\" (the walk ends {}), but the way back is \
                     {:.0} m, {:.0} min at {speed} m/s: leave earlier or end later",
                    route.id.as_str(),
                    planned_s / 60.0,
                    from.stop.as_str(),
                    from.depart,
                    back.as_str(),
                    route.end,
                    path.length_m,
                    (walking_s / 60.0).round()
                ),
            ));
        }
    }
    out
}

/// Where `needle` first is in `file` of the source, after the line holding `anchor` if given:
/// (file, line). Without a source (a compiled pack) or a match: the file and line 1.
fn locate(source: Option<&Source>, file: &str, anchor: Option<&str>, needle: &str) -> (String, u32) {
    let text = source.and_then(|s| s.get(file)).map(String::from_utf8_lossy).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let start = anchor.and_then(|a| lines.iter().position(|l| l.contains(a))).unwrap_or(0);
    let found = lines.iter().skip(start).position(|l| l.contains(needle)).map(|k| start + k + 1);
    (file.to_owned(), found.or(anchor.and(Some(start + 1))).unwrap_or(1) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_is_found_after_its_anchor() {
        let mut source = Source::new();
        source.insert("routes.toml", "[[route]]\nid = \"a\"\nstop = \"x\"\n[[route]]\nid = \"b\"\nstop = \"x\"\n");
        assert_eq!(locate(Some(&source), "routes.toml", Some("id = \"b\""), "stop = \"x\""), ("routes.toml".into(), 6));
        assert_eq!(locate(Some(&source), "routes.toml", None, "stop = \"x\""), ("routes.toml".into(), 3));
        assert_eq!(locate(None, "routes.toml", None, "x"), ("routes.toml".into(), 1));
    }
}
