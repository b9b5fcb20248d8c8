//! Worksheets ("fiches chantier") and notes as a person writes them: the data both the shell and the UI
//! read. The form itself (columns, ratings) comes from the pack's `worksheet`.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::pack::Worksheet;

/// One filled-in worksheet. Points at the pack's workshop, columns and rating by their stable ids, so a
/// new version of the pack keeps it attached; an id the pack no longer has is kept and shown, not dropped.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct WorksheetDoc {
    /// Unique across devices (made by the app from the device's id and a counter).
    pub id: String,
    pub pack: String,
    pub workshop: String,
    /// Column id → text; empty columns are absent.
    pub fields: BTreeMap<String, String>,
    /// The feasibility rating's id (`vert`, `orange`…), if chosen.
    pub rating: Option<String>,
    /// Event time zone.
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A worksheet removed from the lists: kept on the device, with when it was removed, until put back.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Removed {
    #[serde(flatten)]
    pub worksheet: WorksheetDoc,
    pub removed_at: NaiveDateTime,
}

/// The id of the `n`-th worksheet made on `device`: `<device>-<n>`, unique when the worksheets of
/// several phones are put together.
pub fn worksheet_id(device: &str, n: u64) -> String {
    format!("{device}-{n}")
}

/// The fields taken as a worksheet's title when its form is not known ([`WorksheetDoc::title_in`]): the
/// names forms give their title column (a form says which it is: `title_column`).
pub const TITLE_FIELDS: [&str; 2] = ["titre", "title"];

/// The device a worksheet id was made on (`"a1b2c3d4-7"` → `"a1b2c3d4"`).
pub fn device_of(id: &str) -> Option<&str> {
    id.rsplit_once('-').map(|(device, _)| device)
}

impl WorksheetDoc {
    /// Was this worksheet made on `device`? (Without a device id, every worksheet counts as one's own.)
    pub fn is_from(&self, device: Option<&str>) -> bool {
        device.is_none_or(|d| device_of(&self.id) == Some(d))
    }

    /// Its title: the form's title column (`title_column`) if it has one and it is filled, else the first
    /// filled column in the form's order. With no form (`None`: a worksheet of a visit not on this
    /// device, a file read without its visit), a field named as titles usually are ([`TITLE_FIELDS`]),
    /// else the first filled field. Its first line.
    pub fn title_in(&self, form: Option<&Worksheet>) -> String {
        let filled = |id: &str| self.fields.get(id).map(|t| t.trim()).filter(|t| !t.is_empty());
        let first = match form {
            Some(form) => form
                .title_column
                .as_deref()
                .and_then(filled)
                .or_else(|| form.columns.iter().find_map(|c| filled(&c.id))),
            None => {
                TITLE_FIELDS.iter().find_map(|id| filled(id)).or_else(|| self.fields.keys().find_map(|id| filled(id)))
            }
        };
        first.unwrap_or_default().lines().next().unwrap_or_default().to_owned()
    }

    /// [`WorksheetDoc::title_in`] its visit's form.
    pub fn title(&self, form: &Worksheet) -> String {
        self.title_in(Some(form))
    }

    /// Fields whose column the form does not have (an older form): kept, and shown apart.
    pub fn orphan_fields<'a>(&'a self, form: &Worksheet) -> Vec<(&'a str, &'a str)> {
        self.fields
            .iter()
            .filter(|(id, _)| form.columns.iter().all(|c| &c.id != *id))
            .map(|(id, text)| (id.as_str(), text.as_str()))
            .collect()
    }
}

/// A worksheet's filled fields as (label, text): in the order of `form`, with its labels, where the form
/// has the column; the others after, by their ids.
pub fn fields_in_form_order(form: &Worksheet, fields: &BTreeMap<String, String>, lang: &str) -> Vec<(String, String)> {
    let columns = &form.columns;
    let mut out: Vec<(usize, String, String)> = fields
        .iter()
        .map(|(id, text)| match columns.iter().position(|c| &c.id == id) {
            Some(i) => (i, columns[i].label.get(lang).to_owned(), text.clone()),
            None => (usize::MAX, id.clone(), text.clone()),
        })
        .collect();
    out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    out.into_iter().map(|(_, label, text)| (label, text)).collect()
}

/// A note: about a stop, or (`stop` empty) about the day.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Note {
    pub pack: String,
    pub stop: String,
    pub text: String,
    pub updated_at: NaiveDateTime,
}
