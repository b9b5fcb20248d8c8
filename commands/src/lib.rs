//! `parcours-commands`: the Parcours app without its shell. One [`App`] holds the visit opened (pack,
//! street network, a prepared course per route), the walk in progress, the user database and the codes
//! being received; each command of [`parcours_core::wire`] is one method of it. What differs between the
//! shells (the clock, a random device id, saving a file, free space, a recorded walk to replay) comes in
//! through [`Host`]. The Tauri app and the web worker are each a [`Host`] and a line per command over
//! [`App::dispatch`].
//!
//! No Tauri, no Leptos, no web-sys here; no clock, no file system, no network: a test runs every rule
//! natively with a host of its own.

#![warn(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, NaiveDateTime, Utc};
use parcours_core::handover::Assembler;
use parcours_core::pack::Pack;
use parcours_core::status::SetAside;
use parcours_core::store::{PackFile, StoreError, UserDb};
use parcours_core::walk::{Course, Network, Walkable};
use parcours_core::wire::{AppError, ErrorCode, OutFile};

mod dispatch;
mod handover;
mod user;
mod visits;
mod walk;

pub use dispatch::Input;

/// What a shell gives the app: everything that is not the same in a desktop app and a browser.
pub trait Host: Send + Sync {
    /// Now, in UTC. (The app turns it into the event's wall-clock time.)
    fn now_utc(&self) -> DateTime<Utc>;
    /// `utc` as the wall-clock time in the IANA time zone `zone`, `None` if the zone is unknown here:
    /// natively [`parcours_core::schedule::local_time`], in the browser its own database.
    fn local_time(&self, utc: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime>;
    /// A new random id for this device: asked once, when the user database has none.
    fn new_device_id(&self) -> String;
    /// Free space where the user data is kept, in bytes, if the system says.
    fn free_bytes(&self) -> Option<u64>;
    /// Saves (or shares) a file made for the person, whole or not at all; says where it went, in words
    /// the person can follow (a path, a file name).
    fn save_file(&self, file: &OutFile) -> Result<String, AppError>;
    /// A walk recorded on site (GPX: its name and bytes) that the simulation replays instead of a
    /// synthetic one, if the shell was given one.
    fn replay(&self) -> Option<(String, std::io::Result<Vec<u8>>)> {
        None
    }
    /// False when the user database lives only in memory (nothing is kept once the app closes).
    fn keeps_data(&self) -> bool {
        true
    }
    /// True when another window of the app holds the user data (a second browser tab): this one works
    /// in memory and says so.
    fn held_elsewhere(&self) -> bool {
        false
    }
    /// Why the data lives only in memory, in the system's words (shown small, for whoever helps).
    fn storage_note(&self) -> Option<String> {
        None
    }
    /// Where the user data is kept (the ready screen says it).
    fn storage(&self) -> parcours_core::status::Storage {
        parcours_core::status::Storage::File
    }
    /// The user data was erased: the shell removes what it keeps beside the database where the core
    /// cannot list a folder (copies set aside in a browser's storage).
    fn erased(&self) {}
}

/// The visit, opened once (read-only), with its street network and each route prepared for following.
pub struct Content {
    pub pack: Arc<Pack>,
    /// The public key (hex) whose signature of the file was checked; `None`: not signed.
    pub signer: Option<String>,
    /// The id the file carries: the visit's own, unless it was kept beside another visit with that id
    /// (`visits`), under another.
    pub file_id: String,
    file: Mutex<PackFile>,
    /// Its street network and routes ready for following; `None`: it has no street data.
    walk: Option<Walkable>,
}

impl Content {
    /// The compiled pack at `path`, checked, with its network and courses built.
    pub fn open(path: &Path) -> Result<Content, AppError> {
        Ok(Content::of(PackFile::open(path)?))
    }

    /// The compiled pack given as bytes (the web app's cached copy), opened in memory.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Content, AppError> {
        Ok(Content::of(PackFile::from_bytes(name, bytes)?))
    }

    pub fn of(file: PackFile) -> Content {
        let pack = Arc::new(file.pack().clone());
        let walk = Walkable::of(&pack);
        let (signer, file_id) = (file.signer().map(str::to_owned), pack.pack.id.clone());
        Content { pack, signer, file_id, file: Mutex::new(file), walk }
    }

    /// The visit under the id `id` on this device (a file kept beside another visit with its id): its
    /// worksheets, notes and walks are then its own.
    pub fn kept_as(mut self, id: &str) -> Content {
        if self.pack.pack.id != id {
            Arc::make_mut(&mut self.pack).pack.id = id.to_owned();
        }
        self
    }

    fn course(&self, route: &str) -> Result<(&Network, &Course), AppError> {
        let walk = self.walk.as_ref().ok_or_else(|| {
            AppError::new(ErrorCode::NoStreets, "this visit has no street data: walking directions are not available")
        })?;
        let course = walk
            .course(route)
            .ok_or_else(|| AppError::new(ErrorCode::UnknownRoute, format!("no route \"{route}\" in this visit")))?;
        Ok((&walk.network, course))
    }
}

/// The user database, or why it could not be opened (the app still guides; it just keeps nothing).
pub type Opened = Result<(UserDb, Option<SetAside>), AppError>;

/// Opens (or creates) the user database in the folder `dir` ([`UserDb::open_in_folder`]).
pub fn open_users(dir: Option<&Path>) -> Opened {
    let dir = dir.ok_or_else(|| AppError::new(ErrorCode::NoDataDir, "no folder for user data"))?;
    Ok(UserDb::open_in_folder(dir)?)
}

/// How the app starts: an optional fixed "now" for demonstrations and tests.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The clock starts at this wall-clock time (event's time zone) and runs from there.
    pub now: Option<NaiveDateTime>,
}

/// The app: one per shell, shared by every call (each part behind its own lock).
pub struct App<H: Host> {
    host: H,
    /// The fixed start of the clock and the host's time then.
    start: Option<(NaiveDateTime, DateTime<Utc>)>,
    /// The visit the app came with (the shell's), and the visit open now: that one, or another opened
    /// on this device (kept in the user database, [`App::visit_keep`]).
    bundled: Result<Arc<Content>, AppError>,
    loaded: Mutex<Result<Arc<Content>, AppError>>,
    users: Mutex<Result<UserDb, AppError>>,
    set_aside: Mutex<Option<SetAside>>,
    /// A visit file given at start ("Open with") that was refused: said by `user_data`.
    refused_file: Mutex<Option<String>>,
    /// A visit file checked and waiting for the person's answer (`visit_keep` / `visit_cancel`).
    pending: Mutex<Option<visits::Pending>>,
    following: Mutex<Option<walk::Session>>,
    receiving: Mutex<Assembler>,
}

impl<H: Host> App<H> {
    /// The app over the visit `loaded` and the user database `users` (either may have failed: every
    /// command that needs it then answers why). A database without a device id gets one.
    pub fn new(host: H, settings: Settings, loaded: Result<Content, AppError>, users: Opened) -> App<H> {
        let start = settings.now.map(|t| (t, host.now_utc()));
        let (users, set_aside) = match users {
            Ok((mut db, aside)) => {
                if let Err(e) = give_device_id(&host, &mut db) {
                    report("user data: ", &AppError::from(e));
                }
                (Ok(db), aside)
            }
            Err(e) => (Err(e), None),
        };
        if let Err(e) = &loaded {
            report("", e);
        }
        if let Err(e) = &users {
            report("user data: ", e);
        }
        let bundled = loaded.map(Arc::new);
        // The visit chosen last time, if it is another one kept here (checked again as it is read).
        let chosen = users.as_ref().ok().and_then(|db| visits::chosen(db, &bundled));
        App {
            host,
            start,
            loaded: Mutex::new(chosen.map_or_else(|| bundled.clone(), Ok)),
            bundled,
            users: Mutex::new(users),
            set_aside: Mutex::new(set_aside),
            refused_file: Mutex::new(None),
            pending: Mutex::new(None),
            following: Mutex::new(None),
            receiving: Mutex::new(Assembler::new()),
        }
    }

    /// A visit file given to the app at its start was refused (`name: why`): the interface says so
    /// (`user_data`), and the app opens on its own visit.
    pub fn note_refused_file(&self, text: String) {
        if let Ok(mut refused) = lock(&self.refused_file) {
            *refused = Some(text);
        }
    }

    pub fn host(&self) -> &H {
        &self.host
    }

    /// The visit open now, or why it could not be opened.
    fn content(&self) -> Result<Arc<Content>, AppError> {
        lock(&self.loaded)?.clone()
    }

    /// Now, as a wall-clock time in the event's time zone: the host's clock, or the fixed start plus
    /// the time gone by since the app began.
    pub fn now(&self) -> Result<NaiveDateTime, AppError> {
        let content = self.content()?;
        let utc = self.host.now_utc();
        Ok(match self.start {
            Some((start, at)) => start + (utc - at).max(chrono::Duration::zero()),
            None => self.host.local_time(utc, &content.pack.event.timezone).unwrap_or_else(|| utc.naive_utc()),
        })
    }

    /// Runs `f` on the user database, or answers why there is none.
    fn with_users<T>(&self, f: impl FnOnce(&mut UserDb) -> Result<T, StoreError>) -> Result<T, AppError> {
        let mut guard = lock(&self.users)?;
        match guard.as_mut() {
            Ok(db) => f(db).map_err(AppError::from),
            Err(e) => Err(e.clone()),
        }
    }
}

pub(crate) fn give_device_id<H: Host>(host: &H, db: &mut UserDb) -> Result<(), StoreError> {
    if !db.is_read_only() && db.setting("device")?.is_none() {
        db.set_setting("device", &host.new_device_id())?;
    }
    Ok(())
}

/// What could not be opened, for the shell's log (the interface shows it too).
#[allow(clippy::print_stderr)]
fn report(what: &str, e: &AppError) {
    eprintln!("parcours: {what}{}", e.message);
}

fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, AppError> {
    m.lock().map_err(|_| AppError::new(ErrorCode::Busy, "the app is busy, try again"))
}

fn unknown_worksheet(id: &str) -> AppError {
    AppError::new(ErrorCode::UnknownWorksheet, format!("no worksheet \"{id}\" on this device"))
}

fn unknown_stop(id: &str, on: &str) -> AppError {
    AppError::new(ErrorCode::UnknownStop, format!("no stop \"{id}\" {on}"))
}
