//! `workshops.toml`: the workshops and their questions.

use std::collections::BTreeMap;

use super::Loader;
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn workshops(&mut self) -> Option<Vec<Workshop>> {
        let (raw, doc) = self.toml::<raw::WorkshopsToml>("workshops.toml")?;
        let mut seen = BTreeMap::new();
        let mut numbers: BTreeMap<i64, u32> = BTreeMap::new();
        let mut workshops = Vec::new();
        for w in &raw.workshops {
            let start_line = doc.line(w.span());
            let w = w.get_ref();
            let id = self.id(&doc, &w.id, "workshop", &mut seen);
            let number = *w.number.get_ref();
            let line = doc.line(w.number.span());
            if !(1..=99).contains(&number) {
                self.problem(&doc, line, format!("workshop number {number} must be between 1 and 99"));
            } else if let Some(first) = numbers.insert(number, line) {
                self.problem(&doc, line, format!("workshop number {number} is used twice (first on line {first})"));
            }
            workshops.push(Workshop {
                id: WorkshopId(id),
                number: u32::try_from(number).unwrap_or(0),
                title: self.loc(&doc, &w.title, "title"),
                question: self.loc(&doc, &w.question, "question"),
                more_questions: w.more_questions.iter().map(|q| self.loc(&doc, q, "more_questions")).collect(),
                topics: self.opt_loc(&doc, w.topics.as_ref(), "topics"),
                easy_read: self.easy_read(
                    &doc,
                    w.easy_read.as_ref(),
                    start_line,
                    &format!("workshop \"{}\"", w.id.get_ref()),
                ),
            });
        }
        Some(workshops)
    }
}
