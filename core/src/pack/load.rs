//! Source files → validated [`Pack`], collecting every problem with its `file:line`.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::de::DeserializeOwned;

use super::raw::{self, Loc, S};
use super::*;

/// The source format version this code reads (`format` in `pack.toml`).
pub const FORMAT_VERSION: u32 = 1;

/// The largest recording a pack may carry (about ten minutes of speech as 96 kbit/s MP3).
pub const MAX_AUDIO_BYTES: usize = 8 * 1024 * 1024;

/// The MIME type of a recording, from its name and its first bytes: MP3 (`.mp3`, an ID3 tag or an MPEG
/// frame) or AAC in MP4 (`.m4a`, an `ftyp` box), the formats WebKitGTK, Chrome and Safari all play.
pub fn audio_mime(path: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".mp3") {
        let frame = bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0;
        if bytes.starts_with(b"ID3") || frame {
            return Ok("audio/mpeg");
        }
        return Err("is not an MP3 file (no ID3 tag, no MPEG audio frame at its start)".into());
    }
    if lower.ends_with(".m4a") {
        if bytes.get(4..8) == Some(b"ftyp") {
            return Ok("audio/mp4");
        }
        return Err("is not an MP4 audio file (no ftyp box at its start)".into());
    }
    Err("is not MP3 (.mp3) or AAC in MP4 (.m4a), the formats that play in WebKitGTK, Chrome and Safari".into())
}

/// A photo's MIME type, width and height, from its name and its header (nothing is decoded): JPEG
/// (`.jpg`, `.jpeg`), PNG (`.png`) or WebP (`.webp`), the formats every browser shows.
pub fn photo_info(path: &str, bytes: &[u8]) -> Result<(&'static str, u32, u32), String> {
    use imagesize::ImageType;
    let lower = path.to_ascii_lowercase();
    let (mime, kind, name) = if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        ("image/jpeg", ImageType::Jpeg, "JPEG")
    } else if lower.ends_with(".png") {
        ("image/png", ImageType::Png, "PNG")
    } else if lower.ends_with(".webp") {
        ("image/webp", ImageType::Webp, "WebP")
    } else {
        return Err("is not a JPEG (.jpg), PNG (.png) or WebP (.webp) picture, the formats every browser shows".into());
    };
    if imagesize::image_type(bytes).ok() != Some(kind) {
        return Err(format!("is not a {name} picture (its first bytes are not a {name} file's)"));
    }
    let size = imagesize::blob_size(bytes).map_err(|_| "is a damaged picture: its size cannot be read".to_owned())?;
    // The header may be whole while the rest is missing: a picture must end as its format ends.
    let whole = match kind {
        ImageType::Png => bytes.ends_with(b"IEND\xAE\x42\x60\x82"),
        ImageType::Jpeg => {
            bytes.len() > 4 && bytes[bytes.len().saturating_sub(64)..].windows(2).any(|w| w == [0xFF, 0xD9])
        }
        _ => bytes.get(4..8).is_some_and(|n| {
            let riff = u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize + 8;
            riff == bytes.len() || riff + 1 == bytes.len()
        }),
    };
    if !whole {
        return Err("is cut short: the end of the picture is missing (copy the file again)".into());
    }
    let (w, h) = (size.width, size.height);
    if w == 0 || h == 0 || w > MAX_PHOTO_SIDE as usize || h > MAX_PHOTO_SIDE as usize {
        return Err(format!("is {w} × {h} pixels, at most {MAX_PHOTO_SIDE} a side: save it 1,200 pixels wide"));
    }
    Ok((mime, w as u32, h as u32))
}

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
    fn problem(&mut self, doc: &Doc, line: u32, message: impl Into<String>) {
        self.problems.push(Problem::new(doc.path.clone(), line, message));
    }

    fn at<T>(&mut self, doc: &Doc, value: &S<T>, message: impl Into<String>) {
        let line = doc.line(value.span());
        self.problem(doc, line, message);
    }

    /// Reads `path` as UTF-8 text, reporting a missing file or bad bytes.
    fn text_file(&mut self, path: &str, wanted_by: Option<(&Doc, u32, &str)>) -> Option<(String, Doc)> {
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

    fn toml<T: DeserializeOwned>(&mut self, path: &str) -> Option<(T, Doc)> {
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

    fn loc(&mut self, doc: &Doc, value: &Loc, what: &str) -> Localized {
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

    fn opt_loc(&mut self, doc: &Doc, value: Option<&Loc>, what: &str) -> Option<Localized> {
        value.map(|v| self.loc(doc, v, what))
    }

    /// An easy-read text, checked against the FALC rules a program can check ([`super::easy`]); required
    /// when pack.toml declares `easy_read = true` (`line` is where the entity starts).
    fn easy_read(&mut self, doc: &Doc, value: Option<&Loc>, line: u32, what: &str) -> Option<Localized> {
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

    /// A stop's recordings: each file present, named for its format, of that format, not too big.
    fn audio(&mut self, doc: &Doc, value: Option<&Loc>, stop: &StopId, what: &str) -> Vec<Audio> {
        let Some(value) = value else { return Vec::new() };
        // A recording is optional per language: only the languages are checked, not that each has one.
        let line = doc.line(value.span());
        let mut out = Vec::new();
        for (lang, path) in value.get_ref().clone() {
            if !self.languages.contains(&lang) {
                self.problem(doc, line, format!("{what}'s audio is in \"{lang}\", which pack.toml does not list"));
                continue;
            }
            let path = path.trim().to_owned();
            self.used_files.insert(path.clone());
            let Some(bytes) = self.source.get(&path) else {
                self.problem(doc, line, format!("{what}'s audio in \"{lang}\": file {path} is missing"));
                continue;
            };
            if bytes.len() > MAX_AUDIO_BYTES {
                let size = bytes.len();
                self.problem(
                    doc,
                    line,
                    format!(
                        "{what}'s audio {path} is {size} bytes, at most {MAX_AUDIO_BYTES}: record it at 64 to 96 kbit/s"
                    ),
                );
                continue;
            }
            match audio_mime(&path, bytes) {
                Ok(mime) => {
                    self.media.insert(Pack::media_key(stop, &lang), bytes.to_vec());
                    out.push(Audio { lang, mime: mime.to_owned(), bytes: bytes.len() as u64 });
                }
                Err(reason) => self.problem(doc, line, format!("{what}'s audio {path} {reason}")),
            }
        }
        out
    }

    /// A stop's photo: the file present, a picture of the format its name says, not too big, described.
    fn photo(&mut self, doc: &Doc, value: Option<&S<raw::RawPhoto>>, stop: &StopId, what: &str) -> Option<Photo> {
        let value = value?;
        let line = doc.line(value.span());
        let raw = value.get_ref();
        let alt = self.loc(doc, &raw.alt, &format!("{what}'s photo alt (what it shows)"));
        let credit = self.required(doc, &raw.credit, "photo credit");
        let path = raw.file.get_ref().trim().to_owned();
        self.used_files.insert(path.clone());
        let Some(bytes) = self.source.get(&path) else {
            self.problem(doc, line, format!("{what}'s photo: file {path} is missing"));
            return None;
        };
        if bytes.len() as u64 > MAX_PHOTO_BYTES {
            let size = bytes.len();
            self.problem(
                doc,
                line,
                format!("{what}'s photo {path} is {size} bytes, at most {MAX_PHOTO_BYTES}: save it 1,200 pixels wide"),
            );
            return None;
        }
        match photo_info(&path, bytes) {
            Ok((mime, width, height)) => {
                let bytes = bytes.to_vec();
                let size = bytes.len() as u64;
                self.media.insert(Pack::photo_key(stop), bytes);
                Some(Photo { mime: mime.to_owned(), width, height, bytes: size, alt, credit })
            }
            Err(reason) => {
                self.problem(doc, line, format!("{what}'s photo {path} {reason}"));
                None
            }
        }
    }

    fn required(&mut self, doc: &Doc, value: &S<String>, what: &str) -> String {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.at(doc, value, format!("{what} is empty"));
        }
        text.to_owned()
    }

    fn time(&mut self, doc: &Doc, value: &S<String>, what: &str) -> Option<Hm> {
        let parsed = Hm::parse(value.get_ref().trim());
        if parsed.is_none() {
            self.at(doc, value, format!("{what} \"{}\" is not a time written HH:MM (e.g. 09:50)", value.get_ref()));
        }
        parsed
    }

    /// A slug id, unique among `seen` (which maps id → line of first use).
    fn id(&mut self, doc: &Doc, value: &S<String>, what: &str, seen: &mut BTreeMap<String, u32>) -> String {
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

    fn colour(&mut self, doc: &Doc, value: &S<String>, what: &str) -> String {
        let colour = value.get_ref().trim().to_ascii_lowercase();
        if !is_colour(&colour) {
            self.at(doc, value, format!("{what} \"{}\" is not a colour written #rrggbb", value.get_ref()));
        }
        colour
    }

    /// `texts/<dir>/<id>.<lang>.md` for every language.
    fn markdown(&mut self, stem: &str, wanted_by: &Doc, line: u32, what: &str) -> Localized {
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

    fn pack(&mut self) -> Option<Pack> {
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

    fn pack_info(&mut self) -> Option<PackInfo> {
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

    fn event(&mut self) -> Option<Event> {
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

    fn timetable(&mut self) -> Option<Vec<TimetableItem>> {
        let (raw, doc) = self.toml::<raw::TimetableToml>("timetable.toml")?;
        if raw.items.is_empty() {
            self.problem(&doc, 1, "the timetable has no [[item]]");
        }
        let mut seen = BTreeMap::new();
        let mut items = Vec::new();
        let mut complete = true;
        // (start, end, line of the item) of the previous item, to check order and overlaps.
        let mut previous: Option<(Hm, Option<Hm>, u32)> = None;
        for item in &raw.items {
            let line = doc.line(item.span());
            let item = item.get_ref();
            let id = self.id(&doc, &item.id, "item", &mut seen);
            let start = self.time(&doc, &item.start, "start");
            let end = item.end.as_ref().and_then(|e| self.time(&doc, e, "end"));
            let title = self.loc(&doc, &item.title, "title");
            let place = self.opt_loc(&doc, item.place.as_ref(), "place");
            let description = self.opt_loc(&doc, item.description.as_ref(), "description");
            let easy_read = self.easy_read(&doc, item.easy_read.as_ref(), line, &format!("item \"{id}\""));
            let Some(start) = start else {
                complete = false;
                continue;
            };
            if let (Some(end), Some(span)) = (end, item.end.as_ref())
                && end <= start
            {
                self.at(&doc, span, format!("item \"{id}\" ends ({end}) before it starts ({start})"));
            }
            if let Some((prev_start, prev_end, prev_line)) = previous {
                let start_line = doc.line(item.start.span());
                if start < prev_start {
                    self.problem(&doc, start_line, format!("item \"{id}\" starts at {start}, before the item on line {prev_line} ({prev_start}): keep the timetable in time order"));
                } else if prev_end.is_some_and(|e| e > start) {
                    let prev_end = prev_end.unwrap_or(start);
                    self.problem(&doc, start_line, format!("item \"{id}\" starts at {start}, while the item on line {prev_line} runs until {prev_end}: the two overlap"));
                }
            }
            previous = Some((start, end, line));
            items.push(TimetableItem { id: ItemId(id), start, end, title, place, description, easy_read });
        }
        complete.then_some(items)
    }

    fn stops(&mut self) -> Option<Vec<Stop>> {
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

    fn position(&mut self, doc: &Doc, p: &raw::RawPosition) -> Position {
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

    fn routes(&mut self, stops: &Option<Vec<Stop>>) -> Option<Vec<Route>> {
        let (raw, doc) = self.toml::<raw::RoutesToml>("routes.toml")?;
        if raw.routes.is_empty() {
            self.problem(&doc, 1, "there is no [[route]]");
        }
        let known: Option<BTreeSet<&str>> = stops.as_ref().map(|s| s.iter().map(|s| s.id.as_str()).collect());
        let mut seen = BTreeMap::new();
        let mut routes = Vec::new();
        let mut complete = true;
        for (n, route) in raw.routes.iter().enumerate() {
            let line = doc.line(route.span());
            let r = route.get_ref();
            let id = self.id(&doc, &r.id, "route", &mut seen);
            let name = self.loc(&doc, &r.name, "name");
            let colour = self.colour(&doc, &r.colour, "colour");
            // Colour is never the only sign of a route: a mark and a line style, given or by order.
            let symbol = match &r.symbol {
                Some(s) if !s.get_ref().trim().is_empty() && s.get_ref().trim().chars().count() <= 2 => {
                    s.get_ref().trim().to_owned()
                }
                Some(s) => {
                    self.at(&doc, s, "symbol must be one or two characters, like \"●\" or \"◆\"");
                    String::new()
                }
                None => ROUTE_SYMBOLS[n % ROUTE_SYMBOLS.len()].to_owned(),
            };
            let line_style = match &r.line {
                Some(l) => LineStyle::parse(l.get_ref().trim()).unwrap_or_else(|| {
                    self.at(&doc, l, format!("line \"{}\" must be \"solid\" or \"dashed\"", l.get_ref()));
                    LineStyle::Solid
                }),
                None if n == 0 => LineStyle::Solid,
                None => LineStyle::Dashed,
            };
            let start = self.time(&doc, &r.start, "start");
            let end = self.time(&doc, &r.end, "end");
            if r.stops.is_empty() {
                self.problem(&doc, line, format!("route \"{id}\" has no [[route.stop]]"));
            }
            let mut schedule = Vec::new();
            let mut visited: BTreeMap<String, u32> = BTreeMap::new();
            let mut last_depart: Option<Hm> = start;
            for visit in &r.stops {
                let v = visit.get_ref();
                let stop_line = doc.line(v.stop.span());
                let stop = v.stop.get_ref().clone();
                if let Some(known) = &known
                    && !known.contains(stop.as_str())
                {
                    self.problem(
                        &doc,
                        stop_line,
                        format!("route \"{id}\" names unknown stop \"{stop}\" (not in stops.toml)"),
                    );
                }
                if let Some(first) = visited.insert(stop.clone(), stop_line) {
                    self.problem(
                        &doc,
                        stop_line,
                        format!("route \"{id}\" visits stop \"{stop}\" twice (first on line {first})"),
                    );
                }
                let arrive = self.time(&doc, &v.arrive, "arrive");
                let depart = self.time(&doc, &v.depart, "depart");
                let (Some(arrive), Some(depart)) = (arrive, depart) else {
                    complete = false;
                    continue;
                };
                if depart < arrive {
                    self.at(
                        &doc,
                        &v.depart,
                        format!("route \"{id}\" leaves \"{stop}\" ({depart}) before arriving ({arrive})"),
                    );
                }
                if let Some(previous) = last_depart
                    && arrive < previous
                {
                    self.at(&doc, &v.arrive, format!("route \"{id}\" arrives at \"{stop}\" at {arrive}, before {previous} (the walk's start or the previous departure)"));
                }
                if let Some(end) = end
                    && depart > end
                {
                    self.at(
                        &doc,
                        &v.depart,
                        format!("route \"{id}\" leaves \"{stop}\" at {depart}, after the walk ends ({end})"),
                    );
                }
                last_depart = Some(depart);
                schedule.push(PlannedVisit { stop: StopId(stop), arrive, depart });
            }
            let (Some(start), Some(end)) = (start, end) else {
                complete = false;
                continue;
            };
            if end <= start {
                self.at(&doc, &r.end, format!("route \"{id}\" ends ({end}) before it starts ({start})"));
            }
            let back_to = r.back_to.as_ref().map(|b| {
                let stop = b.get_ref().trim().to_owned();
                if let Some(known) = &known
                    && !known.contains(stop.as_str())
                {
                    self.at(
                        &doc,
                        b,
                        format!("route \"{id}\"'s back_to names unknown stop \"{stop}\" (not in stops.toml)"),
                    );
                }
                if schedule.last().is_some_and(|v: &PlannedVisit| v.stop.as_str() == stop) {
                    self.at(&doc, b, format!("route \"{id}\" already ends at \"{stop}\": remove back_to"));
                }
                StopId(stop)
            });
            let stops = schedule.iter().map(|v| v.stop.clone()).collect();
            routes.push(Route {
                id: RouteId(id),
                name,
                colour,
                symbol,
                line: line_style,
                start,
                end,
                stops,
                schedule,
                back_to,
            });
        }
        complete.then_some(routes)
    }

    fn workshops(&mut self) -> Option<Vec<Workshop>> {
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

    fn worksheet(&mut self) -> Option<Worksheet> {
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
        Some(Worksheet { title, instructions, objectives, columns, rating_instructions, ratings })
    }

    fn initiatives(&mut self, workshops: &Option<Vec<Workshop>>) -> Option<Vec<Initiative>> {
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

    fn map(&mut self) -> Option<Vec<MapLayer>> {
        let (raw, doc) = self.toml::<raw::MapToml>("map.toml")?;
        let mut seen = BTreeMap::new();
        let mut layers = Vec::new();
        let mut complete = true;
        for layer in &raw.layers {
            let line = doc.line(layer.span());
            let l = layer.get_ref();
            let id = self.id(&doc, &l.id, "layer", &mut seen);
            let kind = self.required(&doc, &l.kind, "kind");
            let attribution = self.required(&doc, &l.attribution, "attribution");
            let licence = self.required(&doc, &l.licence, "licence");
            let source = self.required(&doc, &l.source, "source");
            if licence.contains("ODbL") && !attribution.contains("OpenStreetMap") {
                self.at(&doc, &l.attribution, "ODbL map data must be shown with \"© OpenStreetMap contributors\"");
            }
            let file = l.file.get_ref().clone();
            match self.geojson(&file, &doc, line) {
                Some(geojson) => layers.push(MapLayer { id, kind, attribution, licence, source, geojson }),
                None => complete = false,
            }
        }
        complete.then_some(layers)
    }

    /// A GeoJSON FeatureCollection whose coordinates are all valid WGS 84 longitudes/latitudes.
    fn geojson(&mut self, path: &str, wanted_by: &Doc, line: u32) -> Option<serde_json::Value> {
        let (text, doc) = self.text_file(path, Some((wanted_by, line, "map layer")))?;
        if text.len() > super::bounds::MAX_MAP_BYTES {
            let most = super::bounds::MAX_MAP_BYTES;
            self.problem(
                &doc,
                1,
                format!("a map layer of {} bytes, at most {most}: cut it to the visit's area", text.len()),
            );
            return None;
        }
        let value: serde_json::Value = match serde_json::from_str(&text) {
            Ok(value) => value,
            Err(error) => {
                let line = u32::try_from(error.line()).unwrap_or(1);
                self.problem(&doc, line, format!("not valid JSON: {error}"));
                return None;
            }
        };
        let collection = match serde_json::from_value::<geojson::FeatureCollection>(value.clone()) {
            Ok(collection) => collection,
            Err(error) => {
                self.problem(&doc, 1, format!("not a GeoJSON FeatureCollection: {error}"));
                return None;
            }
        };
        let mut ok = true;
        for (n, feature) in collection.features.iter().enumerate() {
            let mut bad = None;
            if let Some(geometry) = &feature.geometry {
                visit_positions(&geometry.value, &mut |p| {
                    let (lon, lat) = (p.first().copied().unwrap_or(f64::NAN), p.get(1).copied().unwrap_or(f64::NAN));
                    if bad.is_none() && !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
                        bad = Some((lon, lat));
                    }
                });
            }
            if let Some((lon, lat)) = bad {
                ok = false;
                self.problem(
                    &doc,
                    1,
                    format!(
                        "feature {} has a position [{lon}, {lat}] outside longitude -180..180 / latitude -90..90",
                        n + 1
                    ),
                );
            }
        }
        ok.then_some(value)
    }

    /// Markdown files under `texts/` that no entity asked for are most likely misnamed.
    fn unused_texts(&mut self) {
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

fn visit_positions(value: &geojson::GeometryValue, f: &mut impl FnMut(&[f64])) {
    use geojson::GeometryValue as V;
    match value {
        V::Point { coordinates } => f(coordinates.as_slice()),
        V::MultiPoint { coordinates } | V::LineString { coordinates } => {
            coordinates.iter().for_each(|p| f(p.as_slice()));
        }
        V::MultiLineString { coordinates } | V::Polygon { coordinates } => {
            coordinates.iter().flatten().for_each(|p| f(p.as_slice()));
        }
        V::MultiPolygon { coordinates } => coordinates.iter().flatten().flatten().for_each(|p| f(p.as_slice())),
        V::GeometryCollection { geometries } => geometries.iter().for_each(|g| visit_positions(&g.value, f)),
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
