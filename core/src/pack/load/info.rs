//! `pack.toml`: the pack's id, version, format, languages, walking speed, easy-read flag.

use std::collections::{BTreeMap, BTreeSet};

use super::FORMAT_VERSION;
use super::Loader;
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn pack_info(&mut self) -> Option<PackInfo> {
        let (raw, doc) = self.toml::<raw::PackToml>("pack.toml")?;
        let format = *raw.format.get_ref();
        if format != i64::from(FORMAT_VERSION) {
            self.at(
                &doc,
                &raw.format,
                format!("pack format {format} is not supported: this Parcours reads format {FORMAT_VERSION}"),
            );
        }
        let id = self.id(&doc, &raw.id, "pack", &mut BTreeMap::new());
        let version = self.required(&doc, &raw.version, "version");
        let walking_speed_m_s = raw.walking_speed_m_s.as_ref().map_or(1.2, |s| *s.get_ref());
        if let Some(speed) = &raw.walking_speed_m_s
            && !(0.3..=3.0).contains(speed.get_ref())
        {
            self.at(
                &doc,
                speed,
                format!("walking_speed_m_s {} is not a walking speed (0.3 to 3 m/s)", speed.get_ref()),
            );
        }
        let languages = raw.languages.get_ref().clone();
        if languages.is_empty() {
            self.at(&doc, &raw.languages, "languages is empty: list at least one, e.g. [\"fr\", \"en\"]");
        }
        let problems_before = self.problems.len();
        let mut seen = BTreeSet::new();
        for lang in &languages {
            let valid = (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase());
            if !valid {
                self.at(
                    &doc,
                    &raw.languages,
                    format!("language \"{lang}\" is not a two- or three-letter code such as \"fr\""),
                );
            }
            if !seen.insert(lang) {
                self.at(&doc, &raw.languages, format!("language \"{lang}\" is listed twice"));
            }
        }
        let languages_ok = !languages.is_empty() && self.problems.len() == problems_before;
        self.languages = languages.clone();
        // Every text is checked against this list: a wrong list would bury its own error under hundreds.
        if !languages_ok {
            return None;
        }
        let easy_read = raw.easy_read.as_ref().is_some_and(|e| *e.get_ref());
        self.easy_read = easy_read;
        Some(PackInfo { id, version, format: FORMAT_VERSION, languages, walking_speed_m_s, easy_read })
    }
}
