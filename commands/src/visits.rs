//! "Mes visites": other visits opened on this device from their compiled pack files. Each file is
//! someone else's: it is opened with every defence of [`PackFile::from_bytes`] before it is kept (in
//! the user database, so the web app needs no file system), and again whenever it is read. Worksheets,
//! notes and walks carry their visit's id, so each visit keeps its own, and a new version of a visit
//! (same id) keeps them.

use std::sync::Arc;

use parcours_core::pack::Pack;
use parcours_core::store::UserDb;
use parcours_core::wire::{AppError, ErrorCode, IdArgs, NoArgs, RawFile, VisitInfo, VisitOpened};

use crate::{App, Content, Host, lock, report};

/// The setting naming the visit open (absent: the one the app came with).
const CHOSEN: &str = "visit";

fn info(pack: &Pack, bundled: bool, current: bool) -> VisitInfo {
    VisitInfo {
        id: pack.pack.id.clone(),
        title: pack.event.title.clone(),
        date: pack.event.date,
        city: pack.event.city.clone(),
        stops: pack.stops.len(),
        bundled,
        current,
    }
}

/// A kept visit, opened from its bytes (checked as any file from someone else).
fn kept(db: &UserDb, id: &str) -> Result<Option<Content>, AppError> {
    match db.visit_bytes(id)? {
        Some(bytes) => Content::from_bytes(&format!("{id}.parcours"), &bytes).map(Some),
        None => Ok(None),
    }
}

/// At start: the visit chosen last time, if it is one kept here and still opens.
pub(crate) fn chosen(db: &UserDb, bundled: &Result<Arc<Content>, AppError>) -> Option<Arc<Content>> {
    let id = db.setting(CHOSEN).ok().flatten()?;
    if bundled.as_ref().is_ok_and(|b| b.pack.pack.id == id) && db.visit_bytes(&id).ok().flatten().is_none() {
        return None;
    }
    match kept(db, &id) {
        Ok(content) => content.map(Arc::new),
        Err(e) => {
            report("the visit chosen last time: ", &e);
            None
        }
    }
}

impl<H: Host> App<H> {
    pub fn visits(&self, _: NoArgs) -> Result<Vec<VisitInfo>, AppError> {
        let current = self.content().ok().map(|c| c.pack.pack.id.clone());
        let is_current = |id: &str| current.as_deref() == Some(id);
        let ids = self.with_users(|db| db.visit_ids()).unwrap_or_default();
        let mut list = Vec::new();
        if let Ok(b) = &self.bundled {
            let id = &b.pack.pack.id;
            // A newer version of it kept here is listed in its place.
            if !ids.contains(id) {
                list.push(info(&b.pack, true, is_current(id)));
            }
        }
        for id in ids {
            if is_current(&id) {
                let open = self.content()?;
                list.push(info(&open.pack, self.is_bundled(&id), true));
                continue;
            }
            // Listed from the file's content only (no street network built for a list).
            let read = self.with_users(|db| db.visit_bytes(&id)).ok().flatten().map(|bytes| {
                parcours_core::store::PackFile::from_bytes(&format!("{id}.parcours"), &bytes).map_err(AppError::from)
            });
            match read {
                Some(Ok(file)) => list.push(info(file.pack(), self.is_bundled(&id), false)),
                Some(Err(e)) => report("a kept visit: ", &e),
                None => {}
            }
        }
        Ok(list)
    }

    fn is_bundled(&self, id: &str) -> bool {
        self.bundled.as_ref().is_ok_and(|b| b.pack.pack.id == id)
    }

    pub fn visit_open(&self, file: RawFile) -> Result<VisitOpened, AppError> {
        let name = file.name.clone().unwrap_or_else(|| "visite.parcours".into());
        let content = Content::from_bytes(&name, &file.bytes)?;
        let id = content.pack.pack.id.clone();
        // The version it replaces, to say what changed: kept here, else the app's own.
        let before: Option<Arc<Content>> = match self.with_users(|db| Ok(kept(db, &id)))? {
            Ok(Some(old)) => Some(Arc::new(old)),
            _ => self.bundled.as_ref().ok().filter(|b| b.pack.pack.id == id).cloned(),
        };
        let names = |pack: &Pack| pack.stops.iter().map(|s| (s.id.clone(), s.name.clone())).collect::<Vec<_>>();
        let (added, removed) = match &before {
            Some(old) => {
                let (old, new) = (names(&old.pack), names(&content.pack));
                (
                    new.iter().filter(|(i, _)| !old.iter().any(|(j, _)| j == i)).map(|(_, n)| n.clone()).collect(),
                    old.iter().filter(|(i, _)| !new.iter().any(|(j, _)| j == i)).map(|(_, n)| n.clone()).collect(),
                )
            }
            None => (Vec::new(), Vec::new()),
        };
        let now = self.now().unwrap_or_else(|_| self.host.now_utc().naive_utc());
        self.with_users(|db| {
            db.save_visit(&id, &file.bytes, now)?;
            db.set_setting(CHOSEN, &id)
        })?;
        let visit = info(&content.pack, self.is_bundled(&id), true);
        self.use_content(Arc::new(content))?;
        Ok(VisitOpened { visit, replaced: before.is_some(), added, removed })
    }

    pub fn visit_switch(&self, args: IdArgs) -> Result<VisitInfo, AppError> {
        let content = match self.with_users(|db| Ok(kept(db, &args.id)))? {
            Ok(Some(content)) => Arc::new(content),
            Ok(None) => match &self.bundled {
                Ok(b) if b.pack.pack.id == args.id => b.clone(),
                _ => return Err(AppError::new(ErrorCode::NotFound, format!("no visit \"{}\" here", args.id))),
            },
            Err(e) => return Err(e),
        };
        self.with_users(|db| db.set_setting(CHOSEN, &args.id))?;
        let visit = info(&content.pack, self.is_bundled(&args.id), true);
        self.use_content(content)?;
        Ok(visit)
    }

    pub fn visit_remove(&self, args: IdArgs) -> Result<(), AppError> {
        if self.content().is_ok_and(|c| c.pack.pack.id == args.id) {
            return Err(AppError::new(ErrorCode::BadRequest, "this visit is open: open another one first"));
        }
        self.with_users(|db| db.remove_visit(&args.id))?;
        Ok(())
    }

    /// Makes `content` the visit open: the walk in progress and the codes being read were the other
    /// visit's, and go.
    fn use_content(&self, content: Arc<Content>) -> Result<(), AppError> {
        *lock(&self.loaded)? = Ok(content);
        *lock(&self.following)? = None;
        *lock(&self.receiving)? = parcours_core::handover::Assembler::new();
        Ok(())
    }
}
