//! `stops.toml` and each stop's texts, recordings and photo.

use std::collections::BTreeMap;

use super::{Doc, Loader};
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn stops(&mut self) -> Option<Vec<Stop>> {
        let (raw, doc) = self.toml::<raw::StopsToml>("stops.toml")?;
        self.text_owners_read.insert("texts/stops/");
        if raw.stops.is_empty() {
            self.problem(&doc, 1, "there is no [[stop]]");
        }
        let mut seen = BTreeMap::new();
        let mut stops = Vec::new();
        for stop in &raw.stops {
            let line = doc.line(stop.span());
            let s = stop.get_ref();
            let id = self.id(&doc, &s.id, "stop", &mut seen);
            let name = self.required(&doc, &s.name, "name");
            let theme = self.loc(&doc, &s.theme, "theme");
            let host = self.required(&doc, &s.host, "host");
            let meeting_place = self.loc(&doc, &s.meeting_place, "meeting_place");
            let facts = s.facts.iter().map(|f| self.loc(&doc, f, "fact")).collect();
            let mut speakers = Vec::new();
            for sp in &s.speakers {
                let sp = sp.get_ref();
                speakers.push(Speaker {
                    name: self.required(&doc, &sp.name, "speaker name"),
                    role: self.loc(&doc, &sp.role, "speaker role"),
                    organisation: sp.organisation.clone(),
                });
            }
            let position = s.position.as_ref().map(|p| self.position(&doc, p.get_ref()));
            let description =
                self.markdown(&format!("texts/stops/{id}"), &doc, line, &format!("stop \"{id}\" description"));
            let what = format!("stop \"{id}\"");
            let easy_read = self.easy_read(&doc, s.easy_read.as_ref(), line, &what);
            let audio = self.audio(&doc, s.audio.as_ref(), &StopId(id.clone()), &what);
            let access = self.opt_loc(&doc, s.access.as_ref(), "access");
            let photo = self.photo(&doc, s.photo.as_ref(), &StopId(id.clone()), &what);
            stops.push(Stop {
                id: StopId(id),
                name,
                theme,
                host,
                meeting_place,
                speakers,
                description,
                easy_read,
                audio,
                access,
                photo,
                facts,
                position,
            });
        }
        Some(stops)
    }

    pub(super) fn position(&mut self, doc: &Doc, p: &raw::RawPosition) -> Position {
        let (lat, lon, accuracy_m) = (*p.lat.get_ref(), *p.lon.get_ref(), *p.accuracy_m.get_ref());
        if !(-90.0..=90.0).contains(&lat) {
            self.at(doc, &p.lat, format!("latitude {lat} is out of range (-90 to 90)"));
        }
        if !(-180.0..=180.0).contains(&lon) {
            self.at(doc, &p.lon, format!("longitude {lon} is out of range (-180 to 180)"));
        }
        if !(accuracy_m.is_finite() && accuracy_m >= 0.0) {
            self.at(doc, &p.accuracy_m, format!("accuracy_m {accuracy_m} must be a distance in metres, 0 or more"));
        }
        let confidence = Confidence::parse(p.confidence.get_ref());
        if confidence.is_none() {
            self.at(
                doc,
                &p.confidence,
                format!("confidence \"{}\" must be \"high\" or \"low\"", p.confidence.get_ref()),
            );
        }
        Position {
            lat,
            lon,
            accuracy_m,
            confidence: confidence.unwrap_or(Confidence::Low),
            source: self.required(doc, &p.source, "position source"),
            licence: self.required(doc, &p.licence, "position licence"),
        }
    }
}
