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
        let title = match pack {
            Some(p) => ws.title(&p.worksheet),
            None => ws.fields.get("titre").or_else(|| ws.fields.values().next()).cloned().unwrap_or_default(),
        };
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
}

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
    let workshop_rank = |id: &str| -> (u32, String) {
        pack.and_then(|p| p.workshops.iter().find(|w| w.id.as_str() == id))
            .map_or((u32::MAX, id.to_owned()), |w| (w.number, format!("{} — {}", w.number, w.title.get(lang))))
    };
    let rating_rank = |r: &Option<String>| -> (usize, String) {
        let Some(r) = r else { return (usize::MAX, String::new()) };
        pack.and_then(|p| {
            p.worksheet
                .ratings
                .iter()
                .position(|x| &x.id == r)
                .map(|i| (i, p.worksheet.ratings[i].label.get(lang).to_owned()))
        })
        .unwrap_or((usize::MAX - 1, r.clone()))
    };
    let mut rows: Vec<&(String, ExportedWorksheet)> = worksheets.iter().collect();
    rows.sort_by(|a, b| {
        (workshop_rank(&a.1.workshop).0, &a.1.workshop, rating_rank(&a.1.rating).0, &a.1.title, &a.1.id).cmp(&(
            workshop_rank(&b.1.workshop).0,
            &b.1.workshop,
            rating_rank(&b.1.rating).0,
            &b.1.title,
            &b.1.id,
        ))
    });
    let (h_workshop, h_rating, h_title, h_source) =
        if lang == "fr" { ("Atelier", "Couleur", "Titre", "Fichier") } else { ("Workshop", "Colour", "Title", "File") };
    let mut header = vec![h_workshop.to_owned(), h_rating.to_owned(), h_title.to_owned()];
    header.extend(columns.iter().map(|(_, label)| label.clone()));
    header.extend(["id".to_owned(), h_source.to_owned()]);
    let mut out = String::from("\u{feff}");
    out.push_str(&csv_line(&header));
    for (source, w) in rows {
        let mut line = vec![workshop_rank(&w.workshop).1, rating_rank(&w.rating).1, w.title.clone()];
        line.extend(columns.iter().map(|(id, _)| w.fields.get(id).cloned().unwrap_or_default()));
        line.extend([w.id.clone(), source.clone()]);
        out.push_str(&csv_line(&line));
    }
    out
}

/// One worksheet laid out for reading: its title, the facts about it (label, value) and the form's
/// columns (label, text) in the form's order, then any column the form no longer has.
struct Readable {
    title: String,
    facts: Vec<(&'static str, String)>,
    columns: Vec<(String, String)>,
}

fn readable(ws: &WorksheetDoc, pack: Option<&Pack>, lang: &str) -> Readable {
    let fr = lang == "fr";
    let title = match pack {
        Some(p) => ws.title(&p.worksheet),
        None => ws.fields.get("titre").cloned().unwrap_or_default(),
    };
    let title = if title.is_empty() { (if fr { "Sans titre" } else { "Untitled" }).to_owned() } else { title };
    let workshop = pack
        .and_then(|p| p.workshops.iter().find(|w| w.id.as_str() == ws.workshop))
        .map_or_else(|| ws.workshop.clone(), |w| format!("{} — {}", w.number, w.title.get(lang)));
    let rating = ws.rating.as_ref().map(|r| {
        pack.and_then(|p| p.worksheet.ratings.iter().find(|x| &x.id == r))
            .map_or_else(|| r.clone(), |x| format!("{} — {}", x.label.get(lang), x.meaning.get(lang)))
    });
    let facts = vec![
        (if fr { "Atelier" } else { "Workshop" }, workshop),
        (
            if fr { "Couleur" } else { "Colour" },
            rating.unwrap_or_else(|| (if fr { "pas choisie" } else { "not chosen" }).to_owned()),
        ),
        (if fr { "Mise à jour" } else { "Updated" }, ws.updated_at.format("%d/%m/%Y %H:%M").to_string()),
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

fn document_title(pack: Option<&Pack>, lang: &str) -> (String, Option<String>) {
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
        for (label, value) in &r.facts {
            out.push_str(&format!("- {label} : {}\n", one_line(value)));
        }
        for (label, text) in &r.columns {
            out.push_str(&format!("\n### {}\n\n{}\n", one_line(label), if text.is_empty() { "—" } else { text }));
        }
    }
    out
}

/// Worksheets as one self-contained HTML page to print (A4, a worksheet per page), with the QR codes
/// (`codes`, SVG) that hand them over, so a printed sheet can still be scanned into another phone.
pub fn worksheets_html(worksheets: &[WorksheetDoc], pack: Option<&Pack>, lang: &str, codes: &[String]) -> String {
    let (heading, event) = document_title(pack, lang);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font-family:system-ui,sans-serif;font-size:12pt;line-height:1.4;margin:1.5cm;color:#000}}\
         h1{{font-size:18pt}}h2{{font-size:15pt;border-bottom:1px solid #000}}article+article{{break-before:page}}\
         h3{{font-size:12pt;margin:0.8em 0 0.2em}}p.text{{white-space:pre-wrap;margin:0}}\
         dl{{display:grid;grid-template-columns:auto 1fr;gap:0 1em}}dt{{font-weight:700}}dd{{margin:0}}\
         figure{{display:inline-block;width:7cm;margin:0 1em 1em 0;text-align:center}}figure svg{{width:100%;height:auto}}\
         </style></head><body>\n<h1>{}</h1>\n",
        html(&heading),
        html(&heading)
    );
    if let Some(event) = event {
        out.push_str(&format!("<p>{}</p>\n", html(&event)));
    }
    if !codes.is_empty() {
        let n = codes.len();
        out.push_str("<section class=\"codes\">\n");
        for (i, svg) in codes.iter().enumerate() {
            let svg = svg.find("<svg").map_or(svg.as_str(), |at| &svg[at..]);
            out.push_str(&format!("<figure>{svg}<figcaption>Code {} / {n}</figcaption></figure>\n", i + 1));
        }
        out.push_str("</section>\n");
    }
    for ws in worksheets {
        let r = readable(ws, pack, lang);
        out.push_str(&format!("<article>\n<h2>{}</h2>\n<dl>", html(&r.title)));
        for (label, value) in &r.facts {
            out.push_str(&format!("<dt>{}</dt><dd>{}</dd>", html(label), html(value)));
        }
        out.push_str("</dl>\n");
        for (label, text) in &r.columns {
            out.push_str(&format!(
                "<h3>{}</h3><p class=\"text\">{}</p>\n",
                html(label),
                if text.is_empty() { "—".to_owned() } else { html(text) }
            ));
        }
        out.push_str("</article>\n");
    }
    out.push_str("</body></html>\n");
    out
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn csv_line(cells: &[String]) -> String {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r', ';']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() }
        })
        .collect();
    quoted.join(",") + "\r\n"
}
