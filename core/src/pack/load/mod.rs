//! Source files → validated [`Pack`], collecting every problem with its `file:line`.
//!
//! One [`Loader`] collects the problems; each source file is read by its own module, which adds its
//! methods to it: `info` (`pack.toml`), `event`, `timetable`, `stops`, `routes`, `workshops`,
//! `worksheet`, `initiatives`, `map`, and `media` (recordings and photos).

mod event;
mod info;
mod initiatives;
mod map;
mod media;
mod routes;
mod stops;
mod timetable;
mod worksheet;
mod workshops;

pub use media::{MAX_AUDIO_BYTES, audio_mime, photo_info};

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::de::DeserializeOwned;

use super::raw::{Loc, S};
use super::*;

/// The source format version this code reads (`format` in `pack.toml`).
pub const FORMAT_VERSION: u32 = 1;

/// The files of a pack source, by path relative to the pack folder (`/`-separated), as bytes.
///
/// Filling it is the caller's I/O (see `store::read_source`); validation itself reads nothing.
#[derive(Clone, Debug, Default)]
pub struct Source {
    files: BTreeMap<String, Vec<u8>>,
}

impl Source {
    pub fn new() -> Source {
        Source::default()
    }

    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    pub fn remove(&mut self, path: &str) -> Option<Vec<u8>> {
        self.files.remove(path)
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// Validates a pack source. Returns the pack, or every problem found, sorted by file and line.
pub fn load(source: &Source) -> Result<Pack, Vec<Problem>> {
    let mut loader = Loader {
        source,
        problems: Vec::new(),
        languages: Vec::new(),
        used_files: BTreeSet::new(),
        text_owners_read: BTreeSet::new(),
        easy_read: false,
        media: BTreeMap::new(),
    };
    let pack = loader.pack();
    loader.unused_texts();
    let mut problems = loader.problems;
    if problems.is_empty() {
        if let Some(pack) = pack {
            // What every visit keeps to, however it came (a compiled pack is held to it too).
            let broken = super::bounds::problems(&pack);
            if broken.is_empty() {
                return Ok(pack);
            }
            problems
                .extend(broken.into_iter().map(|b| Problem::new("pack.toml", 1, format!("the visit as a whole: {b}"))));
        } else {
            problems.push(Problem::new("pack.toml", 1, "the pack could not be read"));
        }
    }
    problems.sort();
    problems.dedup();
    Err(problems)
}

/// One parsed file: its path and line index, for messages.
struct Doc {
    path: String,
    lines: LineIndex,
}

impl Doc {
    fn line(&self, span: Range<usize>) -> u32 {
        self.lines.line(span.start)
    }
}

struct Loader<'a> {
    source: &'a Source,
    problems: Vec<Problem>,
    languages: Vec<String>,
    used_files: BTreeSet<String>,
    /// Folders under `texts/` whose owning file was read: only their unused texts are worth reporting.
    text_owners_read: BTreeSet<&'static str>,
    /// pack.toml's `easy_read`: every stop, item and workshop must then have its easy-read text.
    easy_read: bool,
    /// The recordings read (path → bytes), for the pack file.
    media: BTreeMap<String, Vec<u8>>,
}

use super::bounds::{is_colour, is_slug};

impl Loader<'_> {
    pub(super) fn problem(&mut self, doc: &Doc, line: u32, message: impl Into<String>) {
        self.problems.push(Problem::new(doc.path.clone(), line, message));
    }

    pub(super) fn at<T>(&mut self, doc: &Doc, value: &S<T>, message: impl Into<String>) {
        let line = doc.line(value.span());
        self.problem(doc, line, message);
    }

    /// Reads `path` as UTF-8 text, reporting a missing file or bad bytes.
    pub(super) fn text_file(&mut self, path: &str, wanted_by: Option<(&Doc, u32, &str)>) -> Option<(String, Doc)> {
        self.used_files.insert(path.to_owned());
        let Some(bytes) = self.source.get(path) else {
            match wanted_by {
                Some((doc, line, what)) => self.problem(doc, line, format!("{what}: file {path} is missing")),
                None => self.problems.push(Problem::new(path, 1, "file is missing")),
            }
            return None;
        };
        let lines = LineIndex::new(bytes);
        let doc = Doc { path: path.to_owned(), lines };
        match std::str::from_utf8(bytes) {
            Ok(text) => Some((text.to_owned(), doc)),
            Err(error) => {
                let line = doc.lines.line(error.valid_up_to());
                self.problem(&doc, line, "the file is not valid UTF-8 text (save it as UTF-8)");
                None
            }
        }
    }

    pub(super) fn toml<T: DeserializeOwned>(&mut self, path: &str) -> Option<(T, Doc)> {
        let (text, doc) = self.text_file(path, None)?;
        match toml::from_str::<T>(&text) {
            Ok(value) => Some((value, doc)),
            Err(error) => {
                let line = error.span().map_or(1, |span| doc.line(span));
                let message = plain(&error.message().trim().replace('\n', " "));
                self.problem(&doc, line, message);
                None
            }
        }
    }

    pub(super) fn loc(&mut self, doc: &Doc, value: &Loc, what: &str) -> Localized {
        let line = doc.line(value.span());
        let map = value.get_ref();
        for lang in self.languages.clone() {
            match map.get(&lang) {
                None => self.problem(doc, line, format!("{what} has no \"{lang}\" translation")),
                Some(text) if text.trim().is_empty() => {
                    self.problem(doc, line, format!("{what} is empty in \"{lang}\""));
                }
                Some(_) => {}
            }
        }
        for lang in map.keys() {
            if !self.languages.contains(lang) {
                self.problem(doc, line, format!("{what} is written in \"{lang}\", which pack.toml does not list"));
            }
        }
        Localized(map.iter().map(|(k, v)| (k.clone(), v.trim().to_owned())).collect())
    }

    pub(super) fn opt_loc(&mut self, doc: &Doc, value: Option<&Loc>, what: &str) -> Option<Localized> {
        value.map(|v| self.loc(doc, v, what))
    }

    /// An easy-read text, checked against the FALC rules a program can check ([`super::easy`]); required
    /// when pack.toml declares `easy_read = true` (`line` is where the entity starts).
    pub(super) fn easy_read(&mut self, doc: &Doc, value: Option<&Loc>, line: u32, what: &str) -> Option<Localized> {
        let Some(value) = value else {
            if self.easy_read {
                self.problem(
                    doc,
                    line,
                    format!("{what} has no easy_read text, which pack.toml's easy_read = true asks for"),
                );
            }
            return None;
        };
        let text = self.loc(doc, value, &format!("{what}'s easy_read"));
        let at = doc.line(value.span());
        for (lang, body) in &text.0 {
            for finding in super::easy::problems(body) {
                self.problem(doc, at, format!("{what}'s easy_read text in \"{lang}\": {finding}"));
            }
        }
        Some(text)
    }

    pub(super) fn required(&mut self, doc: &Doc, value: &S<String>, what: &str) -> String {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.at(doc, value, format!("{what} is empty"));
        }
        text.to_owned()
    }

    pub(super) fn time(&mut self, doc: &Doc, value: &S<String>, what: &str) -> Option<Hm> {
        let parsed = Hm::parse(value.get_ref().trim());
        if parsed.is_none() {
            self.at(doc, value, format!("{what} \"{}\" is not a time written HH:MM (e.g. 09:50)", value.get_ref()));
        }
        parsed
    }

    /// A slug id, unique among `seen` (which maps id → line of first use).
    pub(super) fn id(&mut self, doc: &Doc, value: &S<String>, what: &str, seen: &mut BTreeMap<String, u32>) -> String {
        let id = value.get_ref().clone();
        let line = doc.line(value.span());
        if !is_slug(&id) {
            self.problem(
                doc,
                line,
                format!("{what} id \"{id}\" must use only a-z, 0-9 and - (e.g. \"college-albert-camus\")"),
            );
        }
        if let Some(first) = seen.get(&id) {
            self.problem(doc, line, format!("{what} id \"{id}\" is used twice (first on line {first})"));
        } else {
            seen.insert(id.clone(), line);
        }
        id
    }

    pub(super) fn colour(&mut self, doc: &Doc, value: &S<String>, what: &str) -> String {
        let colour = value.get_ref().trim().to_ascii_lowercase();
        if !is_colour(&colour) {
            self.at(doc, value, format!("{what} \"{}\" is not a colour written #rrggbb", value.get_ref()));
        }
        colour
    }

    /// `texts/<dir>/<id>.<lang>.md` for every language.
    pub(super) fn markdown(&mut self, stem: &str, wanted_by: &Doc, line: u32, what: &str) -> Localized {
        let mut texts = BTreeMap::new();
        for lang in self.languages.clone() {
            let path = format!("{stem}.{lang}.md");
            if let Some((text, doc)) = self.text_file(&path, Some((wanted_by, line, what))) {
                if text.trim().is_empty() {
                    self.problem(&doc, 1, format!("{what} is empty"));
                }
                texts.insert(lang, text.trim().to_owned());
            }
        }
        Localized(texts)
    }

    pub(super) fn pack(&mut self) -> Option<Pack> {
        let info = self.pack_info();
        // Without the language list no text can be checked; stop at pack.toml's problems.
        let info = info?;
        let event = self.event();
        let timetable = self.timetable();
        let stops = self.stops();
        let routes = self.routes(&stops);
        let workshops = self.workshops();
        let worksheet = self.worksheet();
        let initiatives = self.initiatives(&workshops);
        let map = self.map();
        Some(Pack {
            pack: info,
            event: event?,
            timetable: timetable?,
            stops: stops?,
            routes: routes?,
            workshops: workshops?,
            worksheet: worksheet?,
            initiatives: initiatives?,
            map: map?,
            media: std::mem::take(&mut self.media),
        })
    }

    /// Markdown files under `texts/` that no entity asked for are most likely misnamed.
    pub(super) fn unused_texts(&mut self) {
        let unused: Vec<String> = self
            .source
            .paths()
            .filter(|p| p.starts_with("texts/") && p.ends_with(".md") && !self.used_files.contains(*p))
            .filter(|p| {
                let owned = ["texts/event.", "texts/stops/", "texts/initiatives/"].iter().any(|o| p.starts_with(o));
                // A text of an owner that could not be read is not "unused"; any other text is.
                !owned || self.text_owners_read.iter().any(|o| p.starts_with(o))
            })
            .map(str::to_owned)
            .collect();
        for path in unused {
            self.problems.push(Problem::new(
                path,
                1,
                "this text is not used: its name must be texts/<stops|initiatives>/<id>.<language>.md with a known id and language",
            ));
        }
    }
}

/// The TOML reader's words for a value of the wrong kind, said as an organiser would need them:
/// `invalid type: string "fr", expected a sequence` becomes
/// `"fr" should be a list in square brackets, e.g. ["fr", "en"]`.
fn plain(message: &str) -> String {
    if let Some(field) = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
        return format!("`{field}` is missing: add it (the format: assets/packs/README.md)");
    }
    let Some((found, expected)) = message.strip_prefix("invalid type: ").and_then(|m| m.split_once(", expected "))
    else {
        return message.to_owned();
    };
    let found = found.strip_prefix("string ").unwrap_or(found);
    let should = match expected {
        "a sequence" => "should be a list in square brackets, e.g. [\"fr\", \"en\"]",
        "a string" => "should be a text in quotes, e.g. \"…\"",
        e if e.starts_with("a map") || e.starts_with("struct") => {
            "should be a table in braces, e.g. { fr = \"…\", en = \"…\" }"
        }
        e if e.starts_with('u') || e.starts_with('i') || e.starts_with('f') || e.contains("number") => {
            "should be a number, without quotes"
        }
        "a boolean" => "should be true or false, without quotes",
        _ => return message.to_owned(),
    };
    format!("{found} {should}")
}

#[cfg(test)]
mod plain_tests {
    use super::plain;

    #[test]
    fn wrong_kinds_are_said_plainly() {
        assert_eq!(
            plain("invalid type: string \"fr\", expected a sequence"),
            "\"fr\" should be a list in square brackets, e.g. [\"fr\", \"en\"]"
        );
        assert_eq!(
            plain("invalid type: integer `3`, expected a string"),
            "integer `3` should be a text in quotes, e.g. \"…\""
        );
        assert_eq!(plain("invalid type: string \"1,2\", expected f64"), "\"1,2\" should be a number, without quotes");
        assert_eq!(plain("missing field `name`"), "`name` is missing: add it (the format: assets/packs/README.md)");
        assert_eq!(plain("unknown field `hots`"), "unknown field `hots`");
    }
}
