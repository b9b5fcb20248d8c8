//! What the person records: worksheets (made, filled in, removed and put back), notes, the state of the
//! user database, and the "ready for offline" checks.

use parcours_core::status::{Readiness, UserDataStatus};
use parcours_core::wire::{AppError, FieldArgs, IdArgs, NoArgs, NoteArgs, WorkshopArgs};
use parcours_core::worksheet::{Note, Removed, WorksheetDoc, worksheet_id};

use crate::{App, Host, lock, unknown_worksheet};

/// When the last backup was made, as kept in the settings.
const BACKUP_STAMP: &str = "%Y-%m-%dT%H:%M:%S";

impl<H: Host> App<H> {
    /// The user database at start-up: opened (read-only?), set aside, or why not.
    /// "Effacer mes données de cet appareil": everything the person left here erased for good (see
    /// `UserDb::erase`), the walk and the codes being read forgotten in memory too; a new device id is
    /// drawn. Answers the user data's new state.
    pub fn erase_data(&self, _: NoArgs) -> Result<UserDataStatus, AppError> {
        self.with_users(|db| {
            db.erase()?;
            crate::give_device_id(&self.host, db)
        })?;
        self.host.erased();
        *lock(&self.following)? = None;
        *lock(&self.receiving)? = parcours_core::handover::Assembler::new();
        *lock(&self.set_aside)? = None;
        // The visits kept here went with the rest: the app's own is open again.
        *lock(&self.loaded)? = self.bundled.clone();
        self.user_data(NoArgs {})
    }

    /// The user database as one image, when something changed since `seen` (what [`UserDb::changes`]
    /// said at the last image), with the count to give next time: for a shell that keeps the database
    /// whole (a browser's IndexedDB). `None`: nothing changed, or no database.
    pub fn user_image(&self, seen: u64) -> Option<(u64, Result<Vec<u8>, AppError>)> {
        let mut guard = lock(&self.users).ok()?;
        let db = guard.as_mut().ok()?;
        let changes = db.changes();
        (changes != seen).then(|| (changes, db.image().map_err(AppError::from)))
    }

    pub fn user_data(&self, _: NoArgs) -> Result<UserDataStatus, AppError> {
        let guard = lock(&self.users)?;
        Ok(match guard.as_ref() {
            Ok(db) => UserDataStatus {
                ok: true,
                set_aside: lock(&self.set_aside).ok().and_then(|a| a.clone()),
                error: None,
                path: Some(db.path().display().to_string()),
                device: db.setting("device").ok().flatten(),
                read_only: db.is_read_only(),
                temporary: !self.host.keeps_data(),
                elsewhere: self.host.held_elsewhere(),
                note: self.host.storage_note(),
                refused_file: lock(&self.refused_file).ok().and_then(|r| r.clone()),
            },
            Err(e) => UserDataStatus {
                ok: false,
                set_aside: lock(&self.set_aside).ok().and_then(|a| a.clone()),
                error: Some(e.message.clone()),
                path: None,
                device: None,
                read_only: false,
                temporary: false,
                elsewhere: false,
                note: None,
                refused_file: lock(&self.refused_file).ok().and_then(|r| r.clone()),
            },
        })
    }

    /// "Prêt pour le hors-ligne": the pack, the map, the user data, checked now.
    pub fn readiness(&self, _: NoArgs) -> Result<Readiness, AppError> {
        let content = self.content()?;
        let pack = &content.pack;
        let (pack_bytes, pack_problem) = {
            let file = lock(&content.file)?;
            (file.size_bytes(), file.quick_check().err())
        };
        let mut ready = Readiness {
            pack_id: pack.pack.id.clone(),
            pack_version: pack.pack.version.clone(),
            pack_bytes,
            pack_problem,
            streets: pack.map.iter().map(|m| m.geojson["features"].as_array().map_or(0, Vec::len)).sum(),
            routable_points: content.walk.as_ref().map_or(0, |w| w.network.stats.kept_nodes),
            attribution: pack.map.iter().map(|m| m.attribution.clone()).collect::<Vec<_>>().join(" · "),
            user_ok: false,
            user_problem: None,
            user_path: None,
            user_bytes: 0,
            worksheets: 0,
            notes: 0,
            corrections: 0,
            snapshots: 0,
            set_aside: lock(&self.set_aside).ok().and_then(|a| a.clone()),
            last_backup: None,
            last_backup_path: None,
            free_bytes: None,
            removed_worksheets: 0,
            other_visit_worksheets: 0,
            storage: self.host.storage(),
        };
        let guard = lock(&self.users)?;
        match guard.as_ref() {
            Ok(db) => {
                let id = &pack.pack.id;
                ready.user_path = Some(db.path().display().to_string());
                ready.user_bytes = db.size_bytes();
                ready.user_problem = db.quick_check().err();
                ready.user_ok = ready.user_problem.is_none();
                ready.worksheets = db.worksheets(id).map_or(0, |l| l.len());
                ready.removed_worksheets = db.removed_worksheets(id).map_or(0, |l| l.len());
                ready.other_visit_worksheets = db.other_visits(id).map_or(0, |l| l.len());
                ready.notes = db.notes(id).map_or(0, |l| l.len());
                ready.corrections = db.corrections(id).map_or(0, |l| l.len());
                ready.snapshots = db.snapshots().len();
                ready.last_backup = db
                    .setting("last_backup")
                    .ok()
                    .flatten()
                    .and_then(|t| chrono::NaiveDateTime::parse_from_str(&t, BACKUP_STAMP).ok());
                ready.last_backup_path = db.setting("last_backup_path").ok().flatten();
                ready.free_bytes = self.host.free_bytes();
            }
            Err(e) => ready.user_problem = Some(e.message.clone()),
        }
        Ok(ready)
    }

    /// Remembers that a backup was made now, saved as `to`.
    pub(crate) fn backed_up(&self, now: chrono::NaiveDateTime, to: &str) -> Result<(), AppError> {
        self.with_users(|db| {
            db.set_setting("last_backup", &now.format(BACKUP_STAMP).to_string())?;
            db.set_setting("last_backup_path", to)
        })
    }

    pub fn worksheets(&self, _: NoArgs) -> Result<Vec<WorksheetDoc>, AppError> {
        let pack = &self.content()?.pack.pack.id;
        self.with_users(|db| db.worksheets(pack))
    }

    /// A new, empty worksheet for `workshop`, saved before it is returned. Its id is this device's
    /// id and a counter kept in the database ([`worksheet_id`]).
    pub fn worksheet_new(&self, args: WorkshopArgs) -> Result<WorksheetDoc, AppError> {
        let pack = self.content()?.pack.pack.id.clone();
        let now = self.now()?;
        self.with_users(|db| {
            let device = db.setting("device")?.unwrap_or_else(|| "device".into());
            let n: u64 = db.setting("worksheet_counter")?.and_then(|n| n.parse().ok()).unwrap_or(0) + 1;
            db.set_setting("worksheet_counter", &n.to_string())?;
            let ws = WorksheetDoc {
                id: worksheet_id(&device, n),
                pack,
                workshop: args.workshop,
                fields: Default::default(),
                rating: None,
                created_at: now,
                updated_at: now,
            };
            db.save_worksheet(&ws)?;
            Ok(ws)
        })
    }

    /// Sets one field (or, with `field = "rating"`, the rating) of a worksheet; answers once committed.
    pub fn worksheet_set(&self, args: FieldArgs) -> Result<WorksheetDoc, AppError> {
        let now = self.now()?;
        self.with_users(|db| db.set_worksheet_field(&args.id, &args.field, &args.value, now))?
            .ok_or_else(|| unknown_worksheet(&args.id))
    }

    /// The worksheets removed from the lists (kept on the device), most recently removed first.
    pub fn worksheets_removed(&self, _: NoArgs) -> Result<Vec<Removed>, AppError> {
        let pack = &self.content()?.pack.pack.id;
        self.with_users(|db| db.removed_worksheets(pack))
    }

    /// Removes a worksheet from the lists; it stays on the device and can be put back.
    pub fn worksheet_remove(&self, args: IdArgs) -> Result<(), AppError> {
        let now = self.now()?;
        self.with_users(|db| db.remove_worksheet(&args.id, now))?
            .then_some(())
            .ok_or_else(|| unknown_worksheet(&args.id))
    }

    /// Puts a removed worksheet back in the lists.
    pub fn worksheet_restore(&self, args: IdArgs) -> Result<(), AppError> {
        self.with_users(|db| db.restore_worksheet(&args.id))?.then_some(()).ok_or_else(|| unknown_worksheet(&args.id))
    }

    pub fn notes(&self, _: NoArgs) -> Result<Vec<Note>, AppError> {
        let pack = &self.content()?.pack.pack.id;
        self.with_users(|db| db.notes(pack))
    }

    /// Saves the note of a stop (`stop = ""`: of the day); answers with it once committed.
    pub fn note_set(&self, args: NoteArgs) -> Result<Note, AppError> {
        let pack = &self.content()?.pack.pack.id;
        let now = self.now()?;
        self.with_users(|db| db.set_note(pack, &args.stop, &args.text, now))
    }
}
