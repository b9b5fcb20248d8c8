//! `initiatives.toml` and each initiative's texts: the project bank.

use std::collections::{BTreeMap, BTreeSet};

use super::Loader;
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn initiatives(&mut self, workshops: &Option<Vec<Workshop>>) -> Option<Vec<Initiative>> {
        let (raw, doc) = self.toml::<raw::InitiativesToml>("initiatives.toml")?;
        self.text_owners_read.insert("texts/initiatives/");
        let known: Option<BTreeSet<&str>> = workshops.as_ref().map(|w| w.iter().map(|w| w.id.as_str()).collect());
        let mut seen = BTreeMap::new();
        let mut initiatives = Vec::new();
        for i in &raw.initiatives {
            let line = doc.line(i.span());
            let i = i.get_ref();
            let id = self.id(&doc, &i.id, "initiative", &mut seen);
            let workshop = i.workshop.get_ref().clone();
            if known.as_ref().is_some_and(|k| !k.contains(workshop.as_str())) {
                self.at(
                    &doc,
                    &i.workshop,
                    format!("initiative \"{id}\" names unknown workshop \"{workshop}\" (not in workshops.toml)"),
                );
            }
            let title = self.loc(&doc, &i.title, "title");
            let holder = self.required(&doc, &i.holder, "holder");
            let acts_on = self.loc(&doc, &i.acts_on, "acts_on");
            let territory = self.required(&doc, &i.territory, "territory");
            let description = self.markdown(
                &format!("texts/initiatives/{id}"),
                &doc,
                line,
                &format!("initiative \"{id}\" description"),
            );
            initiatives.push(Initiative {
                id: InitiativeId(id),
                workshop: WorkshopId(workshop),
                title,
                holder,
                acts_on,
                territory,
                description,
            });
        }
        Some(initiatives)
    }
}
