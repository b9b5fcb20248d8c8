//! The user-data file: worksheets, notes and recorded positions as one JSON document, for handing
//! worksheets over without a network, for backups (`parcours userdb export`) and for what can be saved
//! from a damaged database (`parcours userdb recover`). Its shape is documented in `docs/user-data.md`;
//! the project bank (CSV for the plenary) is made from such files.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::pack::Pack;
use crate::walk::Correction;
use crate::worksheet::{Note, WorksheetDoc};

/// The value of `format` in every user-data file.
pub const FORMAT: &str = "parcours-user-data";
/// The version this Parcours writes and the newest it reads.
pub const VERSION: u32 = 1;
/// Files larger than this are refused before parsing (a phone's worksheets are a few kilobytes).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// Where a copy of a worksheet stands in its history: its last edit, then its removal if it was
/// removed. Of two copies of one worksheet (same id) the greater is the newer, and takes the other's
/// place wherever copies meet (a file opened on a phone, the organiser's bank): the later edit; at the
/// same edit, the copy that says it was removed since (removing comes after the edit it removes), the
/// later removal first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Stage {
    pub edited: NaiveDateTime,
    pub removed: Option<NaiveDateTime>,
}

/// Each worksheet once, in the order first met, as its newest copy ([`Stage`]); `T` says where each
/// copy came from (a file's name).
pub fn newest_copies<T>(copies: impl IntoIterator<Item = (T, ExportedWorksheet)>) -> Vec<(T, ExportedWorksheet)> {
    let mut kept: Vec<(T, ExportedWorksheet)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (from, w) in copies {
        match at.get(&w.id) {
            Some(&i) if w.stage() > kept[i].1.stage() => kept[i] = (from, w),
            Some(_) => {}
            None => {
                at.insert(w.id.clone(), kept.len());
                kept.push((from, w));
            }
        }
    }
    kept
}

/// One worksheet as exported: the stored worksheet plus its title (for readers without the pack).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ExportedWorksheet {
    pub id: String,
    pub pack: String,
    pub workshop: String,
    pub title: String,
    pub fields: BTreeMap<String, String>,
    pub rating: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When it was removed from the lists on its device (kept, and can be put back); absent if it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_at: Option<NaiveDateTime>,
}

impl ExportedWorksheet {
    pub fn new(ws: &WorksheetDoc, pack: Option<&Pack>) -> ExportedWorksheet {
        let title = ws.title_in(pack.map(|p| &p.worksheet));
        ExportedWorksheet {
            id: ws.id.clone(),
            pack: ws.pack.clone(),
            workshop: ws.workshop.clone(),
            title: title.lines().next().unwrap_or_default().to_owned(),
            fields: ws.fields.clone(),
            rating: ws.rating.clone(),
            created_at: ws.created_at,
            updated_at: ws.updated_at,
            removed_at: None,
        }
    }

    /// Where this copy stands in its worksheet's history ([`Stage`]).
    pub fn stage(&self) -> Stage {
        Stage { edited: self.updated_at, removed: self.removed_at }
    }

    pub fn to_doc(&self) -> WorksheetDoc {
        WorksheetDoc {
            id: self.id.clone(),
            pack: self.pack.clone(),
            workshop: self.workshop.clone(),
            fields: self.fields.clone(),
            rating: self.rating.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct UserData {
    pub format: String,
    pub version: u32,
    /// When the file was made (event time zone), and by which device, when known.
    pub exported_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub worksheets: Vec<ExportedWorksheet>,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

impl UserData {
    pub fn new(exported_at: Option<NaiveDateTime>, device: Option<String>) -> UserData {
        UserData {
            format: FORMAT.into(),
            version: VERSION,
            exported_at,
            device,
            worksheets: Vec::new(),
            notes: Vec::new(),
            corrections: Vec::new(),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Reads a user-data file; every refusal says why, with the line and column for bad JSON.
    pub fn parse(bytes: &[u8]) -> Result<UserData, ImportError> {
        if bytes.len() > MAX_BYTES {
            return Err(ImportError::TooBig { bytes: bytes.len(), max: MAX_BYTES });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| ImportError::NotUtf8 { offset: e.valid_up_to() })?;
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ImportError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            other => return Err(ImportError::NotUserData { found: other.map(str::to_owned) }),
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
        if version > u64::from(VERSION) {
            return Err(ImportError::TooNew { found: version, supported: VERSION });
        }
        serde_json::from_value(value).map_err(|e| ImportError::Shape { message: e.to_string() })
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("the file is too big ({bytes} bytes; at most {max})")]
    TooBig { bytes: usize, max: usize },
    #[error("the file is not UTF-8 text (from byte {offset})")]
    NotUtf8 { offset: usize },
    #[error("line {line}, column {column}: not valid JSON ({message})")]
    Json { line: usize, column: usize, message: String },
    #[error("not a Parcours user-data file (\"format\" is {found:?}, expected \"parcours-user-data\")")]
    NotUserData { found: Option<String> },
    #[error("made by a newer Parcours (version {found}; this one reads {supported}): update Parcours")]
    TooNew { found: u64, supported: u32 },
    #[error("the file does not have the expected shape: {message}")]
    Shape { message: String },
}

/// What an import did, counted.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    /// Already there, as new or newer.
    pub unchanged: usize,
    /// How many of the file's worksheets belong to another visit (pack) than the one open: kept, and
    /// shown apart. Set by the app, which knows the open pack.
    #[serde(default)]
    pub other_visit: usize,
    /// Received worksheets carrying one of this device's ids but not what this device holds: kept as
    /// copies under ids of their own, never over this device's worksheet.
    #[serde(default)]
    pub copies: usize,
    /// Left out: dated more than a day ahead of this device's clock, or with fields beyond the bounds.
    #[serde(default)]
    pub refused: usize,
}

/// The most fields a received worksheet may have, and the longest a field may be.
pub const MAX_FIELDS: usize = 64;
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// The project bank as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheets read the accents): one
/// row per worksheet, grouped by workshop then by rating (in the form's order), with the form's columns.
/// `pack` gives the labels, the orders and the workshops' names; without it, ids are used.
pub fn bank_csv(worksheets: &[(String, ExportedWorksheet)], pack: Option<&Pack>, lang: &str) -> String {
    let columns: Vec<(String, String)> = match pack {
        Some(p) => p.worksheet.columns.iter().map(|c| (c.id.clone(), c.label.get(lang).to_owned())).collect(),
        None => {
            let mut ids: Vec<String> = worksheets.iter().flat_map(|(_, w)| w.fields.keys().cloned()).collect();
            ids.sort();
            ids.dedup();
            ids.into_iter().map(|id| (id.clone(), id)).collect()
        }
    };
    let mut rows: Vec<&(String, ExportedWorksheet)> = worksheets.iter().collect();
    rows.sort_by_cached_key(|(_, w)| bank_rank(pack, w));
    let w = parcours_i18n::Lang::from_tag(lang).words();
    let mut header = vec![w.csv_workshop().to_owned(), w.csv_colour().to_owned(), w.csv_title().to_owned()];
    header.extend(columns.iter().map(|(_, label)| label.clone()));
    header.extend(["id".to_owned(), w.csv_file().to_owned()]);
    let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut row = |cells: Vec<String>| {
        // A failed write into memory cannot happen; a row is then left out rather than a panic.
        let _ = csv.write_record(cells.iter().map(|c| spreadsheet_safe(c).into_owned()));
    };
    row(header);
    for (source, w) in rows {
        let mut line =
            vec![workshop_name(pack, &w.workshop, lang), rating_name(pack, w.rating.as_deref(), lang), w.title.clone()];
        line.extend(columns.iter().map(|(id, _)| w.fields.get(id).cloned().unwrap_or_default()));
        line.extend([w.id.clone(), source.clone()]);
        row(line);
    }
    let bytes = csv.into_inner().unwrap_or_default();
    String::from("\u{feff}") + &String::from_utf8_lossy(&bytes)
}

/// The project bank's order, on screen and in its CSV: by workshop (the pack's numbers; one it does not
/// know after, by id), then by colour (the form's order; an unknown one, then none, last), then by
/// title, then by id.
pub fn bank_rank(pack: Option<&Pack>, w: &ExportedWorksheet) -> (u32, String, usize, String, String) {
    let workshop =
        pack.and_then(|p| p.workshops.iter().find(|k| k.id.as_str() == w.workshop)).map_or(u32::MAX, |k| k.number);
    let rating = match &w.rating {
        None => usize::MAX,
        Some(r) => pack.and_then(|p| p.worksheet.ratings.iter().position(|x| &x.id == r)).unwrap_or(usize::MAX - 1),
    };
    (workshop, w.workshop.clone(), rating, w.title.clone(), w.id.clone())
}

/// This visit's worksheets for the bank's screen: in [`bank_rank`]'s order, one group per workshop.
pub fn bank_groups(pack: &Pack, worksheets: Vec<WorksheetDoc>) -> Vec<Vec<WorksheetDoc>> {
    let mut ranked: Vec<_> =
        worksheets.into_iter().map(|w| (bank_rank(Some(pack), &ExportedWorksheet::new(&w, Some(pack))), w)).collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    let mut groups: Vec<Vec<WorksheetDoc>> = Vec::new();
    for (_, w) in ranked {
        match groups.last_mut() {
            Some(group) if group[0].workshop == w.workshop => group.push(w),
            _ => groups.push(vec![w]),
        }
    }
    groups
}

/// "1 — Aller vers les publics" (the workshop's id if the pack does not have it).
fn workshop_name(pack: Option<&Pack>, id: &str, lang: &str) -> String {
    pack.and_then(|p| p.workshops.iter().find(|w| w.id.as_str() == id))
        .map_or_else(|| id.to_owned(), |w| format!("{} — {}", w.number, w.title.get(lang)))
}

/// The colour's label in `lang` (its id if the form does not have it; empty if none is chosen).
fn rating_name(pack: Option<&Pack>, rating: Option<&str>, lang: &str) -> String {
    let Some(r) = rating else { return String::new() };
    pack.and_then(|p| p.worksheet.ratings.iter().find(|x| x.id == r))
        .map_or_else(|| r.to_owned(), |x| x.label.get(lang).to_owned())
}

/// A cell a spreadsheet will not run as a formula: one starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'` (OWASP's advice against CSV injection).
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

/// One worksheet laid out for reading (the Markdown file, the printed pages of the app and of the saved
/// HTML): its title, the facts about it (label, value) and the form's columns (label, text) in the
/// form's order, then any column the form no longer has.
pub struct Readable {
    pub title: String,
    pub facts: Vec<(&'static str, String)>,
    pub columns: Vec<(String, String)>,
}

pub fn readable(ws: &WorksheetDoc, pack: Option<&Pack>, lang: &str) -> Readable {
    let w = parcours_i18n::Lang::from_tag(lang).words();
    let title = ws.title_in(pack.map(|p| &p.worksheet));
    let title = if title.is_empty() { w.readable_untitled().to_owned() } else { title };
    let workshop = pack
        .and_then(|p| p.workshops.iter().find(|w| w.id.as_str() == ws.workshop))
        .map_or_else(|| ws.workshop.clone(), |w| format!("{} — {}", w.number, w.title.get(lang)));
    let rating = ws.rating.as_ref().map(|r| {
        pack.and_then(|p| p.worksheet.ratings.iter().find(|x| &x.id == r))
            .map_or_else(|| r.clone(), |x| format!("{} — {}", x.label.get(lang), x.meaning.get(lang)))
    });
    let facts = vec![
        (w.readable_workshop(), workshop),
        (w.readable_colour(), rating.unwrap_or_else(|| w.readable_not_chosen().to_owned())),
        (w.readable_updated(), crate::text::numeric_date_time(ws.updated_at, lang)),
        ("id", ws.id.clone()),
    ];
    let mut columns: Vec<(String, String)> = match pack {
        Some(p) => p.worksheet.columns.iter().map(|c| (c.id.clone(), c.label.get(lang).to_owned())).collect(),
        None => Vec::new(),
    };
    for id in ws.fields.keys() {
        if !columns.iter().any(|(c, _)| c == id) {
            columns.push((id.clone(), id.clone()));
        }
    }
    let columns = columns
        .into_iter()
        .map(|(id, label)| (label, ws.fields.get(&id).map(|t| t.trim().to_owned()).unwrap_or_default()))
        .collect();
    Readable { title: one_line(&title), facts, columns }
}

pub(crate) fn document_title(pack: Option<&Pack>, lang: &str) -> (String, Option<String>) {
    match pack {
        Some(p) => (p.worksheet.title.get(lang).to_owned(), Some(p.event.title.get(lang).to_owned())),
        None => ("Parcours".to_owned(), None),
    }
}

/// Worksheets as a readable Markdown document, in the form's order, with the workshop and the colour
/// in words. `pack` gives the labels; without it, ids are used.
pub fn worksheets_markdown(worksheets: &[WorksheetDoc], pack: Option<&Pack>, lang: &str) -> String {
    let (heading, event) = document_title(pack, lang);
    let mut out = format!("# {heading}\n");
    if let Some(event) = event {
        out.push_str(&format!("\n{event}\n"));
    }
    for ws in worksheets {
        let r = readable(ws, pack, lang);
        out.push_str(&format!("\n## {}\n\n", r.title));
        let w = parcours_i18n::Lang::from_tag(lang).words();
        for (label, value) in &r.facts {
            out.push_str(&format!("- {}\n", w.fact_line(label, &one_line(value))));
        }
        for (label, text) in &r.columns {
            out.push_str(&format!("\n### {}\n\n{}\n", one_line(label), if text.is_empty() { "—" } else { text }));
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_never_hands_a_spreadsheet_a_formula_and_reads_back_cell_for_cell() {
        let at = NaiveDateTime::parse_from_str("2024-10-03T12:00", "%Y-%m-%dT%H:%M").unwrap();
        let texts = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tcach\u{e9}", "\rretour", "a, \"b\"\nc"];
        let rows: Vec<(String, ExportedWorksheet)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let doc = WorksheetDoc {
                    id: format!("d-{i}"),
                    pack: "p".into(),
                    workshop: "w".into(),
                    fields: BTreeMap::from([("titre".to_owned(), (*t).to_owned())]),
                    rating: None,
                    created_at: at,
                    updated_at: at,
                };
                ("d".to_owned(), ExportedWorksheet::new(&doc, None))
            })
            .collect();
        let text = bank_csv(&rows, None, "fr");
        let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let header = reader.headers().unwrap().clone();
        let titre = header.iter().position(|h| h == "titre").expect("the column");
        let cells: Vec<String> = reader.records().map(|r| r.unwrap()[titre].to_owned()).collect();
        let mut expected: Vec<String> = texts[..6].iter().map(|t| format!("'{t}")).collect();
        expected.push(texts[6].to_owned());
        expected.sort();
        let mut cells = cells;
        cells.sort();
        assert_eq!(cells, expected);
        assert!(text.contains("\r\n"), "RFC 4180 line ends");
    }
}
