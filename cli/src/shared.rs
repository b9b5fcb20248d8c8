//! What the subcommands share: reading a visit (a source folder or a pack file) and files from
//! someone else with bounds, writing to standard output or a file, the failure they all return.

use std::io::Write;
use std::path::Path;

use parcours_core::pack::{self, Pack};
use parcours_core::store::{self, PackFile};

/// What went wrong, already worded for the terminal.
pub enum Failure {
    /// Problems in the input: exit 1.
    Problems(Vec<String>),
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(error: E) -> Failure {
        Failure::Problems(vec![error.to_string()])
    }
}

pub type Outcome = Result<(), Failure>;

/// The route asked for, or the only one; several and none asked: say which there are.
pub fn route_id(pack: &Pack, route: Option<&str>) -> Result<String, Failure> {
    match (route, pack.routes.as_slice()) {
        (Some(id), _) => Ok(id.to_owned()),
        (None, [only]) => Ok(only.id.as_str().to_owned()),
        (None, routes) => Err(Failure::Problems(vec![format!(
            "--route: this visit has {} routes; say which: {}",
            routes.len(),
            routes.iter().map(|r| format!("--route {}", r.id.as_str())).collect::<Vec<_>>().join(", ")
        )])),
    }
}

/// Reads and validates a source folder; problems are shown with the folder's path in front.
pub fn load_source(dir: &Path) -> Result<Pack, Failure> {
    load_source_with(dir).map(|(pack, _)| pack)
}

/// The pack of source folder `dir`, and the source itself (for the warnings' lines).
pub fn load_source_with(dir: &Path) -> Result<(Pack, pack::Source), Failure> {
    let (source, mut problems) = store::read_source(dir);
    let result = pack::load(&source);
    if let Err(more) = &result {
        problems.extend(more.iter().cloned());
    }
    if problems.is_empty()
        && let Ok(pack) = result
    {
        return Ok((pack, source));
    }
    problems.sort();
    problems.dedup();
    let prefix = |file: &str| {
        if file == "." { dir.display().to_string() } else { dir.join(file).display().to_string() }
    };
    Err(Failure::Problems(problems.iter().map(|p| format!("{}:{}: {}", prefix(&p.file), p.line, p.message)).collect()))
}

/// What will fail on the day in a valid pack, on stderr as `path:line: warning: …` (the pack is not
/// refused); the count, if any.
pub fn warn(dir: &Path, pack: &Pack, source: Option<&pack::Source>) {
    let warnings = parcours_core::walk::advice::warnings(pack, source);
    for w in &warnings {
        let place = if source.is_some() { dir.join(&w.file).display().to_string() } else { dir.display().to_string() };
        eprintln!("{place}:{}: warning: {}", w.line, w.message);
    }
    if !warnings.is_empty() {
        eprintln!("{} warning(s): the pack is valid, but these will show on the day", warnings.len());
    }
}

/// `wanted` if the visit is written in it, else its first language.
pub fn visit_lang(pack: &Pack, wanted: Option<&str>) -> Result<String, Failure> {
    let languages = &pack.pack.languages;
    match wanted {
        None => Ok(languages.first().cloned().unwrap_or_else(|| "fr".to_owned())),
        Some(lang) if languages.iter().any(|l| l == lang) => Ok(lang.to_owned()),
        Some(lang) => Err(Failure::Problems(vec![format!(
            "--lang {lang}: this visit is written in {} only",
            languages.join(", ")
        )])),
    }
}

/// A web address people can open (`booklet::web_address`), or what to give instead.
pub fn web_address(url: &str) -> Result<&str, Failure> {
    parcours_core::export::booklet::web_address(url).ok_or_else(|| {
        Failure::Problems(vec![format!(
            "--url {url}: give the full https address, e.g. https://example.org/visite/ (http only for localhost)"
        )])
    })
}

/// An organiser's secret key file.
pub fn read_key(path: &Path) -> Result<parcours_core::store::sign::SigningKey, Failure> {
    let bytes = read_bounded(path, 4096)?;
    let text = String::from_utf8_lossy(&bytes);
    parcours_core::store::sign::SigningKey::from_file(&text)
        .map_err(|reason| Failure::Problems(vec![format!("{}: {reason}", path.display())]))
}

/// Writes a secret file: new only (an existing key is never replaced), readable by its owner only.
pub fn write_secret(path: &Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let failed = |e: std::io::Error| Failure::Problems(vec![format!("{}: {e}", path.display())]);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(failed)?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(failed)
}

/// The bytes of `path`, refused past `limit` without reading more (the file is someone else's).
pub fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let failed = |e: std::io::Error| Failure::Problems(vec![format!("{}: {e}", path.display())]);
    let file = std::fs::File::open(path).map_err(failed)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(failed)?;
    if bytes.len() > limit {
        return Err(Failure::Problems(vec![format!("{}: larger than {} MiB", path.display(), limit / 1024 / 1024)]));
    }
    Ok(bytes)
}

/// The visit in `path`: a source folder (checked) or a compiled pack file (opened as the app does).
pub fn load_any(path: &Path) -> Result<Pack, Failure> {
    if path.is_dir() { load_source(path) } else { Ok(PackFile::open(path)?.into_pack()) }
}

pub fn summary(pack: &Pack) -> String {
    let lang = pack.pack.languages.first().map_or("fr", String::as_str);
    let routes: Vec<String> = pack
        .routes
        .iter()
        .map(|r| {
            format!(
                "  {} ({}): {}",
                r.name.get(lang),
                r.id,
                r.stops.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" → ")
            )
        })
        .collect();
    let unplaced: Vec<&str> = pack.stops.iter().filter(|s| s.position.is_none()).map(|s| s.id.as_str()).collect();
    let features: usize = pack.map.iter().map(|m| m.geojson["features"].as_array().map_or(0, Vec::len)).sum();
    let mut extras = String::new();
    for lang in &pack.pack.languages {
        if let Some(s) = parcours_core::pack::easy::stats(pack, lang) {
            extras.push_str(&format!(
                "easy-read ({lang}): {} texts, {} sentences, words per sentence: median {}, longest {}\n",
                s.texts, s.sentences, s.median_words, s.max_words
            ));
        }
    }
    let recordings: usize = pack.stops.iter().map(|s| s.audio.len()).sum();
    if recordings > 0 {
        let bytes: u64 = pack.stops.iter().flat_map(|s| &s.audio).map(|a| a.bytes).sum();
        extras.push_str(&format!("{recordings} recordings ({bytes} bytes)\n"));
    }
    format!(
        "{} {} — {} — {} {}\n{} timetable items ({} – {}), {} stops{}, {} routes, {} workshops, {} initiatives, {} map features\n{}\n{extras}",
        pack.pack.id,
        pack.pack.version,
        pack.event.title.get(lang),
        pack.event.date.format("%Y-%m-%d"),
        pack.event.city,
        pack.timetable.len(),
        pack.event.start,
        pack.event.end,
        pack.stops.len(),
        if unplaced.is_empty() { String::new() } else { format!(" (position to confirm: {})", unplaced.join(", ")) },
        pack.routes.len(),
        pack.workshops.len(),
        pack.initiatives.len(),
        features,
        routes.join("\n"),
    )
}

/// Writes to standard output; a closed pipe (`| head`) is not an error worth a panic.
pub fn out(text: &str) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

pub fn write_file(path: &Path, text: &str) -> Outcome {
    if path == Path::new("-") {
        return out(text);
    }
    std::fs::write(path, text).map_err(|e| Failure::Problems(vec![format!("{}: {e}", path.display())]))
}
