//! The compiled pack: one SQLite file (`.parcours`), written once by [`build_pack_file`], opened read-only
//! by [`PackFile::open`], which checks what it is before trusting it (`guard`).
//!
//! One file per table (or per table and the tables hanging on it), each with its writing and its
//! reading side by side: `info`, `event`, `timetable`, `stops`, `routes`, `workshops`, `worksheet`,
//! `initiatives`, `map`. What they share is in `cells`; the search index is read by `search`.

mod cells;
mod event;
mod guard;
mod info;
mod initiatives;
mod map;
mod routes;
mod search;
mod stops;
mod timetable;
mod worksheet;
mod workshops;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, OpenFlags, params};

use super::StoreError;
use crate::pack::*;
pub use crate::search::SearchHit;
use cells::Bad;
use guard::{check_header, check_header_bytes, check_schema, harden, too_big};

/// `PRAGMA user_version` of the pack files this code writes (and the newest it reads).
pub const SCHEMA_VERSION: i64 = 5;
/// The oldest pack files this code still reads: version 3 lacks only the tables version 4 added, and
/// visits kept on a device (in the user database) may have been built by it.
pub const OLDEST_SCHEMA_VERSION: i64 = 3;
/// The lines of [`SCHEMA`] after which come the tables a version added: (version, line).
const SINCE: [(i64, &str); 2] = [(4, "-- Since version 4"), (5, "-- Since version 5")];
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
    info::write(&tx, pack)?;
    event::write(&tx, pack)?;
    timetable::write(&tx, pack)?;
    let mut index = tx.prepare("INSERT INTO search (kind, ref, lang, title, body) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    stops::write(&tx, pack, &mut index)?;
    routes::write(&tx, pack)?;
    workshops::write(&tx, pack, &mut index)?;
    worksheet::write(&tx, pack)?;
    initiatives::write(&tx, pack, &mut index)?;
    map::write(&tx, pack)?;
    drop(index);
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
}

/// The visit in a checked file, table by table.
fn read(conn: &Connection, version: i64) -> Result<Pack, Bad> {
    Ok(Pack {
        pack: info::read(conn)?,
        event: event::read(conn)?,
        timetable: timetable::read(conn)?,
        stops: stops::read(conn, version)?,
        routes: routes::read(conn, version)?,
        workshops: workshops::read(conn, version)?,
        worksheet: worksheet::read(conn, version)?,
        initiatives: initiatives::read(conn)?,
        map: map::read(conn)?,
        media: Default::default(),
    })
}
