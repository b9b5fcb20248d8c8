//! `worksheet.toml`: the form of the fiche chantier.

use std::collections::BTreeMap;

use super::Loader;
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn worksheet(&mut self) -> Option<Worksheet> {
        let (raw, doc) = self.toml::<raw::WorksheetToml>("worksheet.toml")?;
        let title = self.loc(&doc, &raw.title, "title");
        let instructions = self.loc(&doc, &raw.instructions, "instructions");
        let objectives = raw.objectives.iter().map(|o| self.loc(&doc, o, "objective")).collect();
        let rating_instructions = self.loc(&doc, &raw.rating_instructions, "rating_instructions");
        if raw.columns.is_empty() {
            self.problem(&doc, 1, "the worksheet has no [[column]]");
        }
        let mut seen = BTreeMap::new();
        let mut columns = Vec::new();
        for c in &raw.columns {
            let c = c.get_ref();
            columns.push(WorksheetColumn {
                id: self.id(&doc, &c.id, "column", &mut seen),
                label: self.loc(&doc, &c.label, "label"),
                help: self.loc(&doc, &c.help, "help"),
            });
        }
        let mut seen = BTreeMap::new();
        let mut ratings = Vec::new();
        for r in &raw.ratings {
            let r = r.get_ref();
            ratings.push(Rating {
                id: self.id(&doc, &r.id, "rating", &mut seen),
                colour: self.colour(&doc, &r.colour, "colour"),
                label: self.loc(&doc, &r.label, "label"),
                meaning: self.loc(&doc, &r.meaning, "meaning"),
            });
        }
        let rating_title = self.opt_loc(&doc, raw.rating_title.as_ref(), "rating_title");
        let title_column = raw.title_column.as_ref().map(|c| c.get_ref().clone());
        if let (Some(wanted), Some(id)) = (&raw.title_column, &title_column)
            && !columns.iter().any(|c| &c.id == id)
        {
            self.at(&doc, wanted, format!("title_column \"{id}\" is not the id of a [[column]]"));
        }
        Some(Worksheet {
            title,
            instructions,
            objectives,
            columns,
            rating_instructions,
            ratings,
            title_column,
            rating_title,
        })
    }
}
