//! `event.toml` and the event's texts: the day, its organisations and key figures.

use std::collections::BTreeMap;

use super::Loader;
use crate::pack::raw;
use crate::pack::*;

impl Loader<'_> {
    pub(super) fn event(&mut self) -> Option<Event> {
        let (raw, doc) = self.toml::<raw::EventToml>("event.toml")?;
        self.text_owners_read.insert("texts/event.");
        let e = &raw.event;
        let title = self.loc(&doc, &e.title, "title");
        let subtitle = self.loc(&doc, &e.subtitle, "subtitle");
        let date = chrono::NaiveDate::parse_from_str(e.date.get_ref(), "%Y-%m-%d").ok();
        if date.is_none() {
            self.at(&doc, &e.date, format!("date \"{}\" is not a date written YYYY-MM-DD", e.date.get_ref()));
        }
        let timezone = e.timezone.get_ref().clone();
        if !valid_timezone(&timezone) {
            self.at(
                &doc,
                &e.timezone,
                format!("time zone \"{timezone}\" is unknown (use an IANA name such as \"Europe/Paris\")"),
            );
        }
        let start = self.time(&doc, &e.start, "start");
        let end = self.time(&doc, &e.end, "end");
        if let (Some(s), Some(en)) = (start, end)
            && en <= s
        {
            self.at(&doc, &e.end, format!("the event ends ({en}) before it starts ({s})"));
        }
        let city = self.required(&doc, &e.city, "city");
        let neighbourhood = self.required(&doc, &e.neighbourhood, "neighbourhood");
        let venue = self.required(&doc, &e.venue, "venue");
        let address = self.required(&doc, &e.address, "address");
        let mut seen = BTreeMap::new();
        let mut organisations = Vec::new();
        for o in &raw.organisations {
            let o = o.get_ref();
            let id = self.id(&doc, &o.id, "organisation", &mut seen);
            let role = OrganisationRole::parse(o.role.get_ref());
            if role.is_none() {
                self.at(&doc, &o.role, format!("role \"{}\" must be \"organiser\" or \"partner\"", o.role.get_ref()));
            }
            let name = self.required(&doc, &o.name, "name");
            let about = self.opt_loc(&doc, o.about.as_ref(), "about");
            organisations.push(Organisation {
                id,
                role: role.unwrap_or(OrganisationRole::Partner),
                name,
                about,
                address: o.address.clone(),
                phone: o.phone.clone(),
                email: o.email.clone(),
                website: o.website.clone(),
            });
        }
        if !organisations.iter().any(|o| o.role == OrganisationRole::Organiser) {
            self.problem(&doc, 1, "no organisation has role = \"organiser\"");
        }
        let mut key_figures = Vec::new();
        for f in &raw.figures {
            let f = f.get_ref();
            key_figures.push(KeyFigure {
                value: self.required(&doc, &f.value, "value"),
                label: self.loc(&doc, &f.label, "label"),
                source: self.required(&doc, &f.source, "source"),
            });
        }
        let introduction = self.markdown("texts/event", &doc, 1, "the event's introduction");
        Some(Event {
            title,
            subtitle,
            date: date?,
            timezone,
            start: start?,
            end: end?,
            city,
            neighbourhood,
            venue,
            address,
            introduction,
            organisations,
            key_figures,
        })
    }
}

#[cfg(feature = "tz")]
fn valid_timezone(name: &str) -> bool {
    name.parse::<chrono_tz::Tz>().is_ok()
}

#[cfg(not(feature = "tz"))]
fn valid_timezone(name: &str) -> bool {
    // Without the time zone database (the wasm UI), accept any IANA-shaped name.
    name.split('/').count() >= 2 && name.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c))
}
