//! `timetable.toml`: the day's programme.

use std::collections::BTreeMap;

use super::Loader;
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn timetable(&mut self) -> Option<Vec<TimetableItem>> {
        let (raw, doc) = self.toml::<raw::TimetableToml>("timetable.toml")?;
        if raw.items.is_empty() {
            self.problem(&doc, 1, "the timetable has no [[item]]");
        }
        let mut seen = BTreeMap::new();
        let mut items = Vec::new();
        let mut complete = true;
        // (start, end, line of the item) of the previous item, to check order and overlaps.
        let mut previous: Option<(Hm, Option<Hm>, u32)> = None;
        for item in &raw.items {
            let line = doc.line(item.span());
            let item = item.get_ref();
            let id = self.id(&doc, &item.id, "item", &mut seen);
            let start = self.time(&doc, &item.start, "start");
            let end = item.end.as_ref().and_then(|e| self.time(&doc, e, "end"));
            let title = self.loc(&doc, &item.title, "title");
            let place = self.opt_loc(&doc, item.place.as_ref(), "place");
            let description = self.opt_loc(&doc, item.description.as_ref(), "description");
            let easy_read = self.easy_read(&doc, item.easy_read.as_ref(), line, &format!("item \"{id}\""));
            let Some(start) = start else {
                complete = false;
                continue;
            };
            if let (Some(end), Some(span)) = (end, item.end.as_ref())
                && end <= start
            {
                self.at(&doc, span, format!("item \"{id}\" ends ({end}) before it starts ({start})"));
            }
            if let Some((prev_start, prev_end, prev_line)) = previous {
                let start_line = doc.line(item.start.span());
                if start < prev_start {
                    self.problem(&doc, start_line, format!("item \"{id}\" starts at {start}, before the item on line {prev_line} ({prev_start}): keep the timetable in time order"));
                } else if prev_end.is_some_and(|e| e > start) {
                    let prev_end = prev_end.unwrap_or(start);
                    self.problem(&doc, start_line, format!("item \"{id}\" starts at {start}, while the item on line {prev_line} runs until {prev_end}: the two overlap"));
                }
            }
            previous = Some((start, end, line));
            items.push(TimetableItem { id: ItemId(id), start, end, title, place, description, easy_read });
        }
        complete.then_some(items)
    }
}
