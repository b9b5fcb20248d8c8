//! The compiled pack: one SQLite file (`.parcours`), written once by [`build_pack_file`], opened read-only
//! by [`PackFile::open`], which checks what it is before trusting it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OpenFlags, Row, params};
use serde::Serialize;

use super::StoreError;
use crate::pack::*;
pub use crate::search::SearchHit;

/// `PRAGMA user_version` of the pack files this code writes (and the newest it reads).
pub const SCHEMA_VERSION: i64 = 4;
/// The oldest pack files this code still reads: version 3 lacks only the tables version 4 added, and
/// visits kept on a device (in the user database) may have been built by it.
pub const OLDEST_SCHEMA_VERSION: i64 = 3;
/// The line of [`SCHEMA`] after which come the tables of version 4.
const SINCE_4: &str = "-- Since version 4";
/// `PRAGMA application_id`: "PRCS", so that another program's SQLite file is told apart from a pack.
pub const APPLICATION_ID: i64 = 0x5052_4353;

const SCHEMA: &str = include_str!("schema.sql");

pub use crate::pack::bounds::MAX_PACK_BYTES;
/// The biggest single value (a text, a recording) SQLite reads from a pack (`SQLITE_LIMIT_LENGTH`).
pub const MAX_VALUE_BYTES: i32 = 32 * 1024 * 1024;
/// Opening a pack may take this many of SQLite's virtual-machine steps (counted by its progress
/// handler, every `STEP_OPS`), checks and reading together: the real pack takes about 2,000
/// (`parcours pack check FILE` says), a file built to keep SQLite busy is stopped here. Counted in
/// steps, not seconds: the core reads no clock, and the same bound holds on a slow phone. (The
/// integrity check is one step of its own, bounded by [`MAX_PACK_BYTES`].)
pub const MAX_OPEN_STEPS: u64 = 20_000_000;
/// What one search, or reading one recording or photo, may take once the pack is open: the same
/// counter, given this much again each time (a search in the real pack takes a few thousand; an FTS
/// index filled to keep every search busy is stopped here).
pub const MAX_READ_STEPS: u64 = 5_000_000;
const STEP_OPS: i32 = 1000;
/// The FTS5 index's own tables, named by SQLite (their SQL may differ between SQLite versions).
const FTS_SHADOWS: &[&str] = &["search_config", "search_content", "search_data", "search_docsize", "search_idx"];
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// An opened, checked pack file and the visit it holds.
pub struct PackFile {
    conn: Connection,
    pack: Pack,
    path: PathBuf,
    /// The file's size when it came as bytes (the web app's cached copy); read from the disk otherwise.
    bytes: Option<u64>,
    /// SQLite's virtual-machine steps its opening took (checks and reading), to the nearest `STEP_OPS`.
    open_steps: u64,
    /// SQLite's steps counted by the progress handler, in thousands (see [`PackFile::budget`]).
    steps: Arc<AtomicU64>,
    /// The public key (hex) that signed it, checked against its content; `None`: not signed.
    signer: Option<String>,
    /// Its schema version (`PRAGMA user_version`): [`OLDEST_SCHEMA_VERSION`] to [`SCHEMA_VERSION`].
    version: i64,
}

fn sqlite_error(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite { path: path.display().to_string(), source }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

fn opt_json<T: Serialize>(value: Option<&T>) -> Option<String> {
    value.map(json)
}

/// Compiles `pack` into a new pack file at `out`, replacing it only once the new file is complete.
pub fn build_pack_file(pack: &Pack, out: &Path) -> Result<(), StoreError> {
    build_signed_pack_file(pack, out, None)
}

/// [`build_pack_file`], signed with `key` when given ([`super::sign`]).
pub fn build_signed_pack_file(
    pack: &Pack,
    out: &Path,
    key: Option<&super::sign::SigningKey>,
) -> Result<(), StoreError> {
    let shown = out.display().to_string();
    let tmp = PathBuf::from(format!("{shown}.tmp"));
    let io = |source| StoreError::Io { path: shown.clone(), source };
    if tmp.exists() {
        std::fs::remove_file(&tmp).map_err(io)?;
    }
    let result = write(pack, &tmp, key).map_err(sqlite_error(out));
    if let Err(error) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(error);
    }
    std::fs::rename(&tmp, out).map_err(io)
}

fn write(pack: &Pack, path: &Path, key: Option<&super::sign::SigningKey>) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    // Small pages: a pack is ~30 small tables, and 4 KiB pages would leave most of the file empty.
    conn.execute_batch("PRAGMA page_size = 1024; PRAGMA journal_mode = DELETE; PRAGMA foreign_keys = ON;")?;
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA)?;
    let mut access = tx.prepare("INSERT INTO stop_access VALUES (?1, ?2)")?;
    let mut photo = tx.prepare("INSERT INTO stop_photo VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    let info = &pack.pack;
    for (key, value) in [
        ("id", info.id.clone()),
        ("version", info.version.clone()),
        ("format", info.format.to_string()),
        ("languages", json(&info.languages)),
        ("walking_speed_m_s", info.walking_speed_m_s.to_string()),
        ("easy_read", info.easy_read.to_string()),
    ] {
        tx.execute("INSERT INTO pack_info (key, value) VALUES (?1, ?2)", params![key, value])?;
    }
    let e = &pack.event;
    tx.execute(
        "INSERT INTO event VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            json(&e.title),
            json(&e.subtitle),
            e.date.format("%Y-%m-%d").to_string(),
            e.timezone,
            e.start.to_string(),
            e.end.to_string(),
            e.city,
            e.neighbourhood,
            e.venue,
            e.address,
            json(&e.introduction)
        ],
    )?;
    for (ord, o) in (0_i64..).zip(e.organisations.iter()) {
        tx.execute(
            "INSERT INTO organisations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                ord,
                o.id,
                o.role.as_str(),
                o.name,
                opt_json(o.about.as_ref()),
                o.address,
                o.phone,
                o.email,
                o.website
            ],
        )?;
    }
    for (ord, f) in (0_i64..).zip(e.key_figures.iter()) {
        tx.execute("INSERT INTO key_figures VALUES (?1, ?2, ?3, ?4)", params![ord, f.value, json(&f.label), f.source])?;
    }
    for (ord, t) in (0_i64..).zip(pack.timetable.iter()) {
        tx.execute(
            "INSERT INTO timetable VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                ord,
                t.id.as_str(),
                t.start.to_string(),
                t.end.map(|e| e.to_string()),
                json(&t.title),
                opt_json(t.place.as_ref()),
                opt_json(t.description.as_ref()),
                opt_json(t.easy_read.as_ref())
            ],
        )?;
    }
    let mut index = tx.prepare("INSERT INTO search (kind, ref, lang, title, body) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for (ord, s) in (0_i64..).zip(pack.stops.iter()) {
        let p = s.position.as_ref();
        tx.execute(
            "INSERT INTO stops VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                ord,
                s.id.as_str(),
                s.name,
                json(&s.theme),
                s.host,
                json(&s.meeting_place),
                json(&s.description),
                opt_json(s.easy_read.as_ref()),
                p.map(|p| p.lat),
                p.map(|p| p.lon),
                p.map(|p| p.accuracy_m),
                p.map(|p| p.confidence.as_str()),
                p.map(|p| p.source.clone()),
                p.map(|p| p.licence.clone())
            ],
        )?;
        for (n, sp) in (0_i64..).zip(s.speakers.iter()) {
            tx.execute(
                "INSERT INTO speakers VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.id.as_str(), n, sp.name, json(&sp.role), sp.organisation],
            )?;
        }
        for a in &s.audio {
            let data = pack.media.get(&Pack::media_key(&s.id, &a.lang)).map_or(&[][..], Vec::as_slice);
            tx.execute("INSERT INTO stop_audio VALUES (?1, ?2, ?3, ?4)", params![s.id.as_str(), a.lang, a.mime, data])?;
        }
        for (n, fact) in (0_i64..).zip(s.facts.iter()) {
            tx.execute("INSERT INTO facts VALUES (?1, ?2, ?3)", params![s.id.as_str(), n, json(fact)])?;
        }
        if let Some(text) = &s.access {
            access.execute(params![s.id.as_str(), json(text)])?;
        }
        if let Some(p) = &s.photo {
            let data = pack.media.get(&Pack::photo_key(&s.id)).map_or(&[][..], Vec::as_slice);
            photo.execute(params![s.id.as_str(), p.mime, p.width, p.height, json(&p.alt), p.credit, data])?;
        }
        for lang in &info.languages {
            let speakers: Vec<String> =
                s.speakers.iter().map(|sp| format!("{}, {}", sp.name, sp.role.get(lang))).collect();
            let facts: Vec<&str> = s.facts.iter().map(|f| f.get(lang)).collect();
            let body = [
                s.theme.get(lang),
                &s.host,
                s.meeting_place.get(lang),
                &speakers.join("\n"),
                s.description.get(lang),
                &facts.join("\n"),
                s.access.as_ref().map_or("", |a| a.get(lang)),
            ]
            .join("\n");
            index.execute(params!["stop", s.id.as_str(), lang, s.name, body])?;
        }
    }
    for (ord, r) in (0_i64..).zip(pack.routes.iter()) {
        tx.execute(
            "INSERT INTO routes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                ord,
                r.id.as_str(),
                json(&r.name),
                r.colour,
                r.symbol,
                r.line.as_str(),
                r.start.to_string(),
                r.end.to_string()
            ],
        )?;
        for (n, v) in (0_i64..).zip(r.schedule.iter()) {
            tx.execute(
                "INSERT INTO route_stops VALUES (?1, ?2, ?3, ?4, ?5)",
                params![r.id.as_str(), n, v.stop.as_str(), v.arrive.to_string(), v.depart.to_string()],
            )?;
        }
        if let Some(back) = &r.back_to {
            tx.execute("INSERT INTO route_back VALUES (?1, ?2)", params![r.id.as_str(), back.as_str()])?;
        }
    }
    for (ord, w) in (0_i64..).zip(pack.workshops.iter()) {
        tx.execute(
            "INSERT INTO workshops VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                ord,
                w.id.as_str(),
                w.number,
                json(&w.title),
                json(&w.question),
                opt_json(w.topics.as_ref()),
                opt_json(w.easy_read.as_ref())
            ],
        )?;
        for (n, q) in (0_i64..).zip(w.more_questions.iter()) {
            tx.execute("INSERT INTO workshop_questions VALUES (?1, ?2, ?3)", params![w.id.as_str(), n, json(q)])?;
        }
        for lang in &info.languages {
            let topics = w.topics.as_ref().map_or("", |t| t.get(lang));
            let more: Vec<&str> = w.more_questions.iter().map(|q| q.get(lang)).collect();
            let body = format!("{}\n{}\n{}", w.question.get(lang), more.join("\n"), topics);
            index.execute(params!["workshop", w.id.as_str(), lang, w.title.get(lang), body])?;
        }
    }
    let ws = &pack.worksheet;
    tx.execute(
        "INSERT INTO worksheet VALUES (1, ?1, ?2, ?3, ?4)",
        params![json(&ws.title), json(&ws.instructions), json(&ws.objectives), json(&ws.rating_instructions)],
    )?;
    for (ord, c) in (0_i64..).zip(ws.columns.iter()) {
        tx.execute(
            "INSERT INTO worksheet_columns VALUES (?1, ?2, ?3, ?4)",
            params![ord, c.id, json(&c.label), json(&c.help)],
        )?;
    }
    for (ord, r) in (0_i64..).zip(ws.ratings.iter()) {
        tx.execute(
            "INSERT INTO worksheet_ratings VALUES (?1, ?2, ?3, ?4, ?5)",
            params![ord, r.id, r.colour, json(&r.label), json(&r.meaning)],
        )?;
    }
    for (ord, i) in (0_i64..).zip(pack.initiatives.iter()) {
        tx.execute(
            "INSERT INTO initiatives VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                ord,
                i.id.as_str(),
                i.workshop.as_str(),
                json(&i.title),
                i.holder,
                json(&i.acts_on),
                i.territory,
                json(&i.description)
            ],
        )?;
        for lang in &info.languages {
            let body = [i.holder.as_str(), i.acts_on.get(lang), &i.territory, i.description.get(lang)].join("\n");
            index.execute(params!["initiative", i.id.as_str(), lang, i.title.get(lang), body])?;
        }
    }
    for (ord, m) in (0_i64..).zip(pack.map.iter()) {
        tx.execute(
            "INSERT INTO map_layers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![ord, m.id, m.kind, m.attribution, m.licence, m.source, json(&m.geojson)],
        )?;
    }
    drop((index, access, photo));
    tx.execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    if let Some(key) = key {
        super::sign::sign(&tx, key)?;
    }
    tx.commit()?;
    conn.execute_batch("VACUUM")?;
    Ok(())
}

/// Reads the 100-byte SQLite header: refuses what is not a pack before SQLite parses anything.
fn check_header(path: &Path) -> Result<i64, StoreError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => StoreError::NotFound { path: shown.clone() },
        _ => StoreError::Io { path: shown.clone(), source },
    })?;
    let not_a_pack = |reason: &str| StoreError::NotAPack { path: shown.clone(), reason: reason.to_owned() };
    if meta.is_dir() {
        return Err(not_a_pack(
            "it is a folder; `parcours pack check` takes a source folder, the app a .parcours file",
        ));
    }
    if meta.len() > MAX_PACK_BYTES {
        return Err(not_a_pack(&too_big(meta.len())));
    }
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|source| StoreError::Io { path: shown.clone(), source })?;
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(source) => {
                return Err(StoreError::Io { path: shown.clone(), source });
            }
        }
    }
    check_header_bytes(shown, &header[..read])
}

fn too_big(bytes: u64) -> String {
    format!("it is {bytes} bytes, more than a pack's {MAX_PACK_BYTES}")
}

/// The header checks of [`check_header`] on the file's first bytes (`shown` names it in errors).
fn check_header_bytes(shown: String, header: &[u8]) -> Result<i64, StoreError> {
    let not_a_pack = |reason: &str| StoreError::NotAPack { path: shown.clone(), reason: reason.to_owned() };
    if header.len() < 100 || &header[..16] != SQLITE_MAGIC {
        return Err(not_a_pack("it is not an SQLite database"));
    }
    let be = |at: usize| i64::from(i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]));
    if be(68) != APPLICATION_ID {
        return Err(not_a_pack("it is an SQLite database of another application"));
    }
    let found = be(60);
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: shown, found, supported: SCHEMA_VERSION });
    }
    if found < OLDEST_SCHEMA_VERSION {
        return Err(StoreError::TooOld { path: shown, found, supported: OLDEST_SCHEMA_VERSION });
    }
    Ok(found)
}

impl PackFile {
    /// Opens a pack file read-only after checking, in order: that it exists, is an SQLite file, is a
    /// Parcours pack of this schema version, passes `PRAGMA integrity_check`, and holds a readable visit.
    pub fn open(path: &Path) -> Result<PackFile, StoreError> {
        let version = check_header(path)?;
        let shown = path.display().to_string();
        let corrupt = |reason: String| StoreError::Corrupt { path: shown.clone(), reason };
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| corrupt(e.to_string()))?;
        PackFile::checked(conn, path.to_owned(), None, version)
    }

    /// Opens a pack given as bytes (the web app's cached copy) read-only in memory, after the same
    /// checks as [`PackFile::open`]; `name` names it in errors. Search works as on a file.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<PackFile, StoreError> {
        if bytes.len() as u64 > MAX_PACK_BYTES {
            return Err(StoreError::NotAPack { path: name.to_owned(), reason: too_big(bytes.len() as u64) });
        }
        let version = check_header_bytes(name.to_owned(), bytes)?;
        let corrupt = |reason: String| StoreError::Corrupt { path: name.to_owned(), reason };
        let mut conn = Connection::open_in_memory().map_err(|e| corrupt(e.to_string()))?;
        conn.deserialize_read_exact(rusqlite::MAIN_DB, bytes, bytes.len(), true).map_err(|e| corrupt(e.to_string()))?;
        PackFile::checked(conn, PathBuf::from(name), Some(bytes.len() as u64), version)
    }

    /// The checks every pack from someone else goes through, on a connection that trusts nothing in
    /// the file (defensive mode, `trusted_schema` off, a bound on every value and on the work done):
    /// its tables exactly those Parcours writes (no view, no trigger, nothing added or changed), `PRAGMA
    /// integrity_check`, the visit read, then held to the rules of any visit ([`crate::pack::bounds`]).
    fn checked(mut conn: Connection, path: PathBuf, bytes: Option<u64>, version: i64) -> Result<PackFile, StoreError> {
        let shown = path.display().to_string();
        let corrupt = |reason: String| StoreError::Corrupt { path: shown.clone(), reason };
        let not_a_pack = |reason: String| StoreError::NotAPack { path: shown.clone(), reason };
        let steps = harden(&mut conn).map_err(|e| corrupt(e.to_string()))?;
        // What went wrong, said plainly when it was one of the bounds.
        let why = |e: rusqlite::Error| -> String {
            if steps.load(Ordering::Relaxed) * STEP_OPS as u64 > MAX_OPEN_STEPS {
                return format!(
                    "reading it takes far more work than a pack ever needs (stopped after {MAX_OPEN_STEPS} steps)"
                );
            }
            match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::TooBig) => format!("it holds a value bigger than {MAX_VALUE_BYTES} bytes"),
                _ => e.to_string(),
            }
        };
        check_schema(&conn, version).map_err(|r| match r {
            Ok(reason) => not_a_pack(format!("it is not built as Parcours builds a pack: {reason}")),
            Err(e) => corrupt(why(e)),
        })?;
        let report: Vec<String> = conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut stmt| stmt.query_map([], |row| row.get::<_, String>(0))?.collect())
            .map_err(|e| corrupt(why(e)))?;
        if report != ["ok"] {
            return Err(corrupt(report.into_iter().take(3).collect::<Vec<_>>().join("; ")));
        }
        let pack = read(&conn, version).map_err(|bad| match bad {
            Bad::Sqlite(e) => corrupt(why(e)),
            Bad::Other(reason) => corrupt(reason),
        })?;
        let broken = crate::pack::bounds::problems(&pack);
        if !broken.is_empty() {
            return Err(not_a_pack(format!("its visit breaks the rules of a pack: {}", broken.join("; "))));
        }
        let signer = super::sign::verify(&conn).map_err(not_a_pack)?;
        // Checked: every later read gets a budget of its own (`budget`).
        let open_steps = steps.load(Ordering::Relaxed) * STEP_OPS as u64;
        Ok(PackFile { conn, pack, path, bytes, open_steps, steps, version, signer })
    }

    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// The public key (hex) whose signature of its content was checked at opening; `None`: unsigned.
    pub fn signer(&self) -> Option<&str> {
        self.signer.as_deref()
    }

    /// How much of [`MAX_OPEN_STEPS`] opening it took (SQLite's steps, to the nearest thousand).
    pub fn open_steps(&self) -> u64 {
        self.open_steps
    }

    pub fn into_pack(self) -> Pack {
        self.pack
    }

    /// The file's size in bytes.
    pub fn size_bytes(&self) -> u64 {
        self.bytes.unwrap_or_else(|| std::fs::metadata(self.path()).map_or(0, |m| m.len()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Gives the next read [`MAX_READ_STEPS`]: the progress handler set at opening stops SQLite once
    /// the counter passes [`MAX_OPEN_STEPS`], so the counter is set that far below it.
    fn budget(&self) {
        self.steps.store((MAX_OPEN_STEPS - MAX_READ_STEPS) / STEP_OPS as u64, Ordering::Relaxed);
    }

    /// A read stopped by [`PackFile::budget`] said plainly; any other error as it is.
    fn read_error(&self, e: rusqlite::Error) -> StoreError {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) {
            return StoreError::Corrupt {
                path: self.path.display().to_string(),
                reason: format!(
                    "reading it takes far more work than a pack ever needs (stopped after {MAX_READ_STEPS} steps)"
                ),
            };
        }
        sqlite_error(&self.path)(e)
    }

    /// A stop's recording in `lang`: its MIME type and bytes, or `None` when the pack has none.
    pub fn audio(&self, stop: &str, lang: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        self.budget();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT mime, data FROM stop_audio WHERE stop_id = ?1 AND lang = ?2")
            .map_err(|e| self.read_error(e))?;
        let mut rows = stmt.query(params![stop, lang]).map_err(|e| self.read_error(e))?;
        match rows.next().map_err(|e| self.read_error(e))? {
            Some(row) => {
                Ok(Some((row.get(0).map_err(|e| self.read_error(e))?, row.get(1).map_err(|e| self.read_error(e))?)))
            }
            None => Ok(None),
        }
    }

    /// A stop's photo: its MIME type and bytes, or `None` when it has none. The bytes are checked to be
    /// the picture the pack says (format and size) before they are given out.
    pub fn photo(&self, stop: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        if self.version < 4 {
            return Ok(None);
        }
        let said = self.pack.stops.iter().find(|s| s.id.as_str() == stop).and_then(|s| s.photo.as_ref());
        let Some(said) = said else { return Ok(None) };
        self.budget();
        let data: Vec<u8> = self
            .conn
            .query_row("SELECT data FROM stop_photo WHERE stop_id = ?1", params![stop], |row| row.get(0))
            .map_err(|e| self.read_error(e))?;
        let name = format!("photo.{}", said.mime.trim_start_matches("image/"));
        let found = crate::pack::photo_info(&name, &data).map_err(|reason| StoreError::Corrupt {
            path: self.path.display().to_string(),
            reason: format!("the photo of stop \"{stop}\" {reason}"),
        })?;
        if (found.1, found.2) != (said.width, said.height) {
            return Err(StoreError::Corrupt {
                path: self.path.display().to_string(),
                reason: format!("the photo of stop \"{stop}\" is not the size the pack says"),
            });
        }
        Ok(Some((said.mime.clone(), data)))
    }

    /// The file's schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> i64 {
        self.version
    }

    /// `PRAGMA quick_check` now (the full `integrity_check` ran at opening): `Ok` or what is wrong.
    pub fn quick_check(&self) -> Result<(), String> {
        self.budget();
        super::quick_check(&self.conn)
    }

    /// Full-text search over stops, workshops and initiatives, accents and case ignored, every word of
    /// `query` required. Words match as prefixes through the FTS5 index; when that finds nothing, they
    /// match anywhere inside words ("harcelement" finds "cyberharcèlement"). `lang` limits to one
    /// language; otherwise each thing appears once, in its best-ranked language.
    pub fn search(&self, query: &str, lang: Option<&str>, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let words = crate::text::query_words(query);
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let fts_query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
        self.budget();
        let mut hits = self.collect(
            "SELECT kind, ref, lang, title, snippet(search, 4, '[', ']', '…', 12) FROM search
             WHERE search MATCH ?1 AND (?2 IS NULL OR lang = ?2) ORDER BY rank",
            params![fts_query.join(" "), lang],
            limit,
            |_| true,
        )?;
        if hits.is_empty() {
            hits = self.collect(
                "SELECT kind, ref, lang, title, title || ' ' || body FROM search WHERE (?1 IS NULL OR lang = ?1) ORDER BY rowid",
                params![lang],
                limit,
                |hit| {
                    let text = crate::text::fold(&hit.snippet);
                    if !words.iter().all(|w| text.contains(w.as_str())) {
                        return false;
                    }
                    hit.snippet = snippet_around(&hit.snippet, &words[0]);
                    true
                },
            )?;
        }
        Ok(hits)
    }

    /// Runs a search query whose rows are (kind, ref, lang, title, snippet), keeping the hits `keep`
    /// accepts (it may rewrite them), each thing once, at most `limit`.
    fn collect(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        limit: usize,
        mut keep: impl FnMut(&mut SearchHit) -> bool,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.read_error(e))?;
        let rows = stmt
            .query_map(params, |row| {
                Ok(SearchHit {
                    kind: row.get(0)?,
                    id: row.get(1)?,
                    lang: row.get(2)?,
                    title: row.get(3)?,
                    snippet: row.get::<_, String>(4)?.replace('\n', " "),
                })
            })
            .map_err(|e| self.read_error(e))?;
        let mut hits: Vec<SearchHit> = Vec::new();
        for hit in rows {
            let mut hit = hit.map_err(|e| self.read_error(e))?;
            if hits.iter().any(|h| h.kind == hit.kind && h.id == hit.id) || !keep(&mut hit) {
                continue;
            }
            hits.push(hit);
            if hits.len() >= limit {
                break;
            }
        }
        Ok(hits)
    }
}

/// About twelve words of `text` around the first word containing `folded_word`, that word in `[` `]`,
/// like FTS5's `snippet()`.
fn snippet_around(text: &str, folded_word: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some(at) = words.iter().position(|w| crate::text::fold(w).contains(folded_word)) else {
        return words.iter().take(12).copied().collect::<Vec<_>>().join(" ");
    };
    let from = at.saturating_sub(5);
    let to = (at + 7).min(words.len());
    let mut out: Vec<String> = words[from..to].iter().map(|w| (*w).to_owned()).collect();
    let word = words[at];
    let core_end = word.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
    out[at - from] = format!("[{}]{}", &word[..core_end], &word[core_end..]);
    let mut snippet = out.join(" ");
    if from > 0 {
        snippet.insert(0, '…');
    }
    if to < words.len() {
        snippet.push('…');
    }
    snippet
}

/// A connection to a file from someone else: defensive mode (no writing to the schema, no shadow
/// tables by hand), no function or virtual table from the file's schema trusted, values bounded, and
/// a budget of work counted by the progress handler (the count is returned, in `STEP_OPS` steps).
fn harden(conn: &mut Connection) -> rusqlite::Result<Arc<AtomicU64>> {
    use rusqlite::config::DbConfig;
    use rusqlite::limits::Limit;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)?;
    conn.set_limit(Limit::SQLITE_LIMIT_SQL_LENGTH, 100_000)?;
    conn.set_limit(Limit::SQLITE_LIMIT_EXPR_DEPTH, 100)?;
    conn.set_limit(Limit::SQLITE_LIMIT_COMPOUND_SELECT, 10)?;
    let steps = Arc::new(AtomicU64::new(0));
    let counter = steps.clone();
    conn.progress_handler(
        STEP_OPS,
        Some(move || counter.fetch_add(1, Ordering::Relaxed) * STEP_OPS as u64 > MAX_OPEN_STEPS),
    )?;
    Ok(steps)
}

/// One object of `sqlite_schema`: type, name, table, SQL.
type SchemaRow = (String, String, String, Option<String>);

fn schema_rows(conn: &Connection) -> rusqlite::Result<Vec<SchemaRow>> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// The schema a pack of `version` has: [`SCHEMA`] (for version 3, its part before [`SINCE_4`]) made in
/// memory once.
fn expected_schema(version: i64) -> &'static [SchemaRow] {
    static EXPECTED: std::sync::OnceLock<[Vec<SchemaRow>; 2]> = std::sync::OnceLock::new();
    let made = |sql: &str| {
        Connection::open_in_memory()
            .and_then(|conn| {
                conn.execute_batch(sql)?;
                schema_rows(&conn)
            })
            .unwrap_or_default()
    };
    let [v3, v4] = EXPECTED.get_or_init(|| [made(SCHEMA.split(SINCE_4).next().unwrap_or(SCHEMA)), made(SCHEMA)]);
    if version >= 4 { v4 } else { v3 }
}

/// The file's tables, indexes and virtual table are exactly those [`SCHEMA`] makes (the FTS5 index's
/// own tables by name only); no view, no trigger. `Ok(reason)` says what differs.
fn check_schema(conn: &Connection, version: i64) -> Result<(), Result<String, rusqlite::Error>> {
    let found = schema_rows(conn).map_err(Err)?;
    let expected = expected_schema(version);
    let shadow = |row: &SchemaRow| row.0 == "table" && FTS_SHADOWS.contains(&row.1.as_str());
    let same = |a: &SchemaRow, b: &SchemaRow| a == b || (shadow(a) && shadow(b) && a.1 == b.1);
    for row in &found {
        if expected.iter().any(|e| same(e, row)) {
            continue;
        }
        let name: String = row.1.chars().take(40).collect();
        return Err(Ok(match row.0.as_str() {
            "view" | "trigger" => format!("it holds a {} \"{name}\", which a pack never has", row.0),
            kind if expected.iter().any(|e| e.0 == kind && e.1 == row.1) => {
                format!("its {kind} \"{name}\" is not the one Parcours writes")
            }
            kind => format!("it holds a {kind} \"{name}\" that is not part of a pack"),
        }));
    }
    let missing = |e: &&SchemaRow| !found.iter().any(|f| same(e, f));
    if let Some(missing) = expected.iter().filter(|e| e.0 == "table").find(missing).or(expected.iter().find(missing)) {
        return Err(Ok(format!("its {} \"{}\" is missing", missing.0, missing.1)));
    }
    Ok(())
}

/// Why a pack file that passed the integrity check still cannot be read as a visit.
enum Bad {
    Sqlite(rusqlite::Error),
    Other(String),
}

impl From<rusqlite::Error> for Bad {
    fn from(e: rusqlite::Error) -> Bad {
        Bad::Sqlite(e)
    }
}

impl From<serde_json::Error> for Bad {
    fn from(e: serde_json::Error) -> Bad {
        Bad::Other(format!("bad JSON in a text column: {e}"))
    }
}

fn loc(row: &Row<'_>, i: usize) -> Result<Localized, Bad> {
    Ok(serde_json::from_str(&row.get::<_, String>(i)?)?)
}

fn opt_loc(row: &Row<'_>, i: usize) -> Result<Option<Localized>, Bad> {
    row.get::<_, Option<String>>(i)?.map(|t| serde_json::from_str(&t)).transpose().map_err(Bad::from)
}

/// A map layer's GeoJSON, its length checked before it is parsed (a parsed point takes far more memory
/// than its text).
fn map_json(text: String) -> Result<serde_json::Value, Bad> {
    let most = crate::pack::bounds::MAX_MAP_BYTES;
    if text.len() > most {
        return Err(Bad::Other(format!("it holds a map layer of {} bytes, at most {most}", text.len())));
    }
    Ok(serde_json::from_str(&text)?)
}

fn hm(row: &Row<'_>, i: usize) -> Result<Hm, Bad> {
    let text: String = row.get(i)?;
    Hm::parse(&text).ok_or_else(|| Bad::Other(format!("bad time {text:?}")))
}

/// Runs `sql` and maps each row; `f` may fail with a [`Bad`].
fn rows<T>(conn: &Connection, sql: &str, f: impl Fn(&Row<'_>) -> Result<T, Bad>) -> Result<Vec<T>, Bad> {
    let mut stmt = conn.prepare(sql)?;
    let mut out = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        out.push(f(row)?);
    }
    Ok(out)
}

fn one<T>(conn: &Connection, sql: &str, f: impl Fn(&Row<'_>) -> Result<T, Bad>) -> Result<T, Bad> {
    rows(conn, sql, f)?.into_iter().next().ok_or_else(|| Bad::Other(format!("missing row: {sql}")))
}

fn read(conn: &Connection, version: i64) -> Result<Pack, Bad> {
    let info: std::collections::BTreeMap<String, String> =
        rows(conn, "SELECT key, value FROM pack_info", |r| Ok((r.get(0)?, r.get(1)?)))?.into_iter().collect();
    let get = |key: &str| info.get(key).cloned().ok_or_else(|| Bad::Other(format!("pack_info has no {key}")));
    let pack_info = PackInfo {
        id: get("id")?,
        version: get("version")?,
        format: get("format")?.parse().map_err(|_| Bad::Other("bad format".into()))?,
        languages: serde_json::from_str(&get("languages")?)?,
        walking_speed_m_s: get("walking_speed_m_s")?.parse().map_err(|_| Bad::Other("bad walking speed".into()))?,
        easy_read: get("easy_read")? == "true",
    };
    let organisations = rows(
        conn,
        "SELECT id, role, name, about, address, phone, email, website FROM organisations ORDER BY ord",
        |r| {
            let role: String = r.get(1)?;
            Ok(Organisation {
                id: r.get(0)?,
                role: OrganisationRole::parse(&role).ok_or_else(|| Bad::Other(format!("bad role {role:?}")))?,
                name: r.get(2)?,
                about: opt_loc(r, 3)?,
                address: r.get(4)?,
                phone: r.get(5)?,
                email: r.get(6)?,
                website: r.get(7)?,
            })
        },
    )?;
    let key_figures = rows(conn, "SELECT value, label, source FROM key_figures ORDER BY ord", |r| {
        Ok(KeyFigure { value: r.get(0)?, label: loc(r, 1)?, source: r.get(2)? })
    })?;
    let event = one(
        conn,
        "SELECT title, subtitle, date, timezone, start, \"end\", city, neighbourhood, venue, address, introduction FROM event",
        |r| {
            let date: String = r.get(2)?;
            Ok(Event {
                title: loc(r, 0)?,
                subtitle: loc(r, 1)?,
                date: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                    .map_err(|_| Bad::Other(format!("bad date {date:?}")))?,
                timezone: r.get(3)?,
                start: hm(r, 4)?,
                end: hm(r, 5)?,
                city: r.get(6)?,
                neighbourhood: r.get(7)?,
                venue: r.get(8)?,
                address: r.get(9)?,
                introduction: loc(r, 10)?,
                organisations: organisations.clone(),
                key_figures: key_figures.clone(),
            })
        },
    )?;
    let timetable = rows(
        conn,
        "SELECT id, start, \"end\", title, place, description, easy_read FROM timetable ORDER BY ord",
        |r| {
            let end: Option<String> = r.get(2)?;
            Ok(TimetableItem {
                id: ItemId(r.get(0)?),
                start: hm(r, 1)?,
                end: match end {
                    Some(_) => Some(hm(r, 2)?),
                    None => None,
                },
                title: loc(r, 3)?,
                place: opt_loc(r, 4)?,
                description: opt_loc(r, 5)?,
                easy_read: opt_loc(r, 6)?,
            })
        },
    )?;
    let mut stops = rows(
        conn,
        "SELECT id, name, theme, host, meeting_place, description, lat, lon, accuracy_m, position_confidence,
                position_source, position_licence, easy_read FROM stops ORDER BY ord",
        |r| {
            let lat: Option<f64> = r.get(6)?;
            let lon: Option<f64> = r.get(7)?;
            let position = match (lat, lon) {
                (Some(lat), Some(lon)) => {
                    let confidence: String = r.get::<_, Option<String>>(9)?.unwrap_or_default();
                    Some(Position {
                        lat,
                        lon,
                        accuracy_m: r.get::<_, Option<f64>>(8)?.unwrap_or(0.0),
                        confidence: Confidence::parse(&confidence)
                            .ok_or_else(|| Bad::Other(format!("bad confidence {confidence:?}")))?,
                        source: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
                        licence: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                    })
                }
                _ => None,
            };
            Ok(Stop {
                id: StopId(r.get(0)?),
                name: r.get(1)?,
                theme: loc(r, 2)?,
                host: r.get(3)?,
                meeting_place: loc(r, 4)?,
                speakers: Vec::new(),
                description: loc(r, 5)?,
                easy_read: opt_loc(r, 12)?,
                audio: Vec::new(),
                access: None,
                photo: None,
                facts: Vec::new(),
                position,
            })
        },
    )?;
    let speakers = rows(conn, "SELECT stop_id, name, role, organisation FROM speakers ORDER BY stop_id, ord", |r| {
        Ok((r.get::<_, String>(0)?, Speaker { name: r.get(1)?, role: loc(r, 2)?, organisation: r.get(3)? }))
    })?;
    let facts = rows(conn, "SELECT stop_id, text FROM facts ORDER BY stop_id, ord", |r| {
        Ok((r.get::<_, String>(0)?, loc(r, 1)?))
    })?;
    let audio = rows(conn, "SELECT stop_id, lang, mime, length(data) FROM stop_audio ORDER BY stop_id, lang", |r| {
        let bytes: i64 = r.get(3)?;
        Ok((r.get::<_, String>(0)?, Audio { lang: r.get(1)?, mime: r.get(2)?, bytes: bytes.max(0) as u64 }))
    })?;
    // The tables of version 4; a file of version 3 has none of them.
    let access = if version >= 4 {
        rows(conn, "SELECT stop_id, text FROM stop_access", |r| Ok((r.get::<_, String>(0)?, loc(r, 1)?)))?
    } else {
        Vec::new()
    };
    let photos = if version >= 4 {
        rows(conn, "SELECT stop_id, mime, width, height, alt, credit, length(data) FROM stop_photo", |r| {
            let number = |i: usize| -> Result<u32, Bad> {
                let n: i64 = r.get(i)?;
                u32::try_from(n).map_err(|_| Bad::Other(format!("bad photo size {n}")))
            };
            Ok((
                r.get::<_, String>(0)?,
                Photo {
                    mime: r.get(1)?,
                    width: number(2)?,
                    height: number(3)?,
                    alt: loc(r, 4)?,
                    credit: r.get(5)?,
                    bytes: number(6)?.into(),
                },
            ))
        })?
    } else {
        Vec::new()
    };
    for stop in &mut stops {
        stop.access = access.iter().find(|(id, _)| id == stop.id.as_str()).map(|(_, a)| a.clone());
        stop.photo = photos.iter().find(|(id, _)| id == stop.id.as_str()).map(|(_, p)| p.clone());
        stop.audio = audio.iter().filter(|(id, _)| id == stop.id.as_str()).map(|(_, a)| a.clone()).collect();
        stop.speakers = speakers.iter().filter(|(id, _)| id == stop.id.as_str()).map(|(_, s)| s.clone()).collect();
        stop.facts = facts.iter().filter(|(id, _)| id == stop.id.as_str()).map(|(_, f)| f.clone()).collect();
    }
    let visits = rows(conn, "SELECT route_id, stop_id, arrive, depart FROM route_stops ORDER BY route_id, ord", |r| {
        Ok((r.get::<_, String>(0)?, PlannedVisit { stop: StopId(r.get(1)?), arrive: hm(r, 2)?, depart: hm(r, 3)? }))
    })?;
    let backs: Vec<(String, String)> = if version >= 4 {
        rows(conn, "SELECT route_id, stop_id FROM route_back", |r| Ok((r.get(0)?, r.get(1)?)))?
    } else {
        Vec::new()
    };
    let questions: Vec<(String, Localized)> = if version >= 4 {
        rows(conn, "SELECT workshop_id, text FROM workshop_questions ORDER BY workshop_id, ord", |r| {
            Ok((r.get(0)?, loc(r, 1)?))
        })?
    } else {
        Vec::new()
    };
    let routes = rows(conn, "SELECT id, name, colour, symbol, line, start, \"end\" FROM routes ORDER BY ord", |r| {
        let id: String = r.get(0)?;
        let schedule: Vec<PlannedVisit> =
            visits.iter().filter(|(route, _)| *route == id).map(|(_, v)| v.clone()).collect();
        Ok(Route {
            name: loc(r, 1)?,
            colour: r.get(2)?,
            symbol: r.get(3)?,
            line: {
                let line: String = r.get(4)?;
                LineStyle::parse(&line).ok_or_else(|| Bad::Other(format!("bad line style {line:?}")))?
            },
            start: hm(r, 5)?,
            end: hm(r, 6)?,
            stops: schedule.iter().map(|v| v.stop.clone()).collect(),
            schedule,
            back_to: backs.iter().find(|(route, _)| *route == id).map(|(_, stop)| StopId(stop.clone())),
            id: RouteId(id),
        })
    })?;
    let workshops =
        rows(conn, "SELECT id, number, title, question, topics, easy_read FROM workshops ORDER BY ord", |r| {
            let id: String = r.get(0)?;
            Ok(Workshop {
                more_questions: questions.iter().filter(|(w, _)| *w == id).map(|(_, q)| q.clone()).collect(),
                id: WorkshopId(id),
                number: r.get(1)?,
                title: loc(r, 2)?,
                question: loc(r, 3)?,
                topics: opt_loc(r, 4)?,
                easy_read: opt_loc(r, 5)?,
            })
        })?;
    let columns = rows(conn, "SELECT id, label, help FROM worksheet_columns ORDER BY ord", |r| {
        Ok(WorksheetColumn { id: r.get(0)?, label: loc(r, 1)?, help: loc(r, 2)? })
    })?;
    let ratings = rows(conn, "SELECT id, colour, label, meaning FROM worksheet_ratings ORDER BY ord", |r| {
        Ok(Rating { id: r.get(0)?, colour: r.get(1)?, label: loc(r, 2)?, meaning: loc(r, 3)? })
    })?;
    let worksheet = one(conn, "SELECT title, instructions, objectives, rating_instructions FROM worksheet", |r| {
        Ok(Worksheet {
            title: loc(r, 0)?,
            instructions: loc(r, 1)?,
            objectives: serde_json::from_str(&r.get::<_, String>(2)?)?,
            columns: columns.clone(),
            rating_instructions: loc(r, 3)?,
            ratings: ratings.clone(),
        })
    })?;
    let initiatives = rows(
        conn,
        "SELECT id, workshop_id, title, holder, acts_on, territory, description FROM initiatives ORDER BY ord",
        |r| {
            Ok(Initiative {
                id: InitiativeId(r.get(0)?),
                workshop: WorkshopId(r.get(1)?),
                title: loc(r, 2)?,
                holder: r.get(3)?,
                acts_on: loc(r, 4)?,
                territory: r.get(5)?,
                description: loc(r, 6)?,
            })
        },
    )?;
    let map = rows(conn, "SELECT id, kind, attribution, licence, source, geojson FROM map_layers ORDER BY ord", |r| {
        Ok(MapLayer {
            id: r.get(0)?,
            kind: r.get(1)?,
            attribution: r.get(2)?,
            licence: r.get(3)?,
            source: r.get(4)?,
            geojson: map_json(r.get::<_, String>(5)?)?,
        })
    })?;
    Ok(Pack {
        pack: pack_info,
        event,
        timetable,
        stops,
        routes,
        workshops,
        worksheet,
        initiatives,
        map,
        media: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_work_budget_stops_a_query_that_never_ends_and_values_are_bounded() {
        let mut conn = Connection::open_in_memory().unwrap();
        let steps = harden(&mut conn).unwrap();
        let endless = conn.query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
            [],
            |r| r.get::<_, i64>(0),
        );
        assert_eq!(endless.unwrap_err().sqlite_error_code(), Some(rusqlite::ErrorCode::OperationInterrupted));
        assert!(steps.load(Ordering::Relaxed) * STEP_OPS as u64 > MAX_OPEN_STEPS);
        let mut conn = Connection::open_in_memory().unwrap();
        harden(&mut conn).unwrap();
        let big =
            conn.query_row("SELECT length(zeroblob(?1))", [i64::from(MAX_VALUE_BYTES) + 1], |r| r.get::<_, i64>(0));
        assert_eq!(big.unwrap_err().sqlite_error_code(), Some(rusqlite::ErrorCode::TooBig));
        // Defensive mode: the schema cannot be written by hand.
        let schema =
            conn.execute_batch("PRAGMA writable_schema = ON; CREATE TABLE t (x); UPDATE sqlite_schema SET sql = 'x'");
        assert!(schema.is_err());
    }
}
