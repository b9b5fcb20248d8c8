//! "Mes visites": other visits opened on this device from their compiled pack files. Each file is
//! someone else's: it is opened with every defence of [`PackFile::from_bytes`] before it is kept (in
//! the user database, so the web app needs no file system), and again whenever it is read. Worksheets,
//! notes and walks carry their visit's id, so each visit keeps its own, and a new version of a visit
//! (same id) keeps them.
//!
//! Nothing is kept unasked: a file is first checked (`visit_check`), which says what keeping it would
//! do ([`Placement`]), and kept only on `visit_keep`. A visit here is replaced only by a newer version
//! signed by the key it was signed with (the key of the first version kept is trusted for its id; the
//! app's own visit, with the key its file carries). Any other file carrying its id is kept beside it,
//! under an id of its own (`<id>-autre-<k>`), never in its place.

use std::sync::Arc;

use parcours_core::pack::Pack;
use parcours_core::store::UserDb;
use parcours_core::store::sign::fingerprint;
use parcours_core::wire::{
    AppError, ErrorCode, IdArgs, NoArgs, NotTrusted, Placement, RawFile, VisitInfo, VisitOffer, VisitOpened,
};

use crate::{App, Content, Host, lock, report};

/// The setting naming the visit open (absent: the one the app came with).
const CHOSEN: &str = "visit";

/// A file checked and waiting for the person's answer.
pub(crate) struct Pending {
    bytes: Vec<u8>,
    content: Arc<Content>,
    offer: VisitOffer,
}

fn info(content: &Content, bundled: bool, current: bool) -> VisitInfo {
    let pack = &content.pack;
    described(pack, &pack.pack.id, &content.file_id, content.signer.as_deref(), (bundled, current))
}

/// A visit as listed: `pack`, kept here under `id`, its file carrying the id `file_id` and signed by
/// `signer`; `(bundled, current)`.
fn described(
    pack: &Pack,
    id: &str,
    file_id: &str,
    signer: Option<&str>,
    (bundled, current): (bool, bool),
) -> VisitInfo {
    VisitInfo {
        id: id.to_owned(),
        title: pack.event.title.clone(),
        date: pack.event.date,
        city: pack.event.city.clone(),
        stops: pack.stops.len(),
        bundled,
        current,
        version: pack.pack.version.clone(),
        signed_by: signer.map(fingerprint),
        beside: file_id != id,
    }
}

/// A kept visit, opened from its bytes (checked as any file from someone else), under the id it was
/// kept under.
fn kept(db: &UserDb, id: &str) -> Result<Option<Content>, AppError> {
    match db.visit_bytes(id)? {
        Some(bytes) => Content::from_bytes(&format!("{id}.parcours"), &bytes).map(|c| Some(c.kept_as(id))),
        None => Ok(None),
    }
}

/// The id a visit whose file says `id` is kept under beside the one here: `<id>-autre-<k>`, the first
/// free one (an id of at most 64 characters, as any).
fn beside_id(id: &str, taken: &[String]) -> String {
    let stem = id.chars().take(52).collect::<String>();
    let stem = stem.trim_end_matches('-');
    (1..).map(|k| format!("{stem}-autre-{k}")).find(|c| !taken.contains(c)).unwrap_or_default()
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
                list.push(info(b, true, is_current(id)));
            }
        }
        for id in ids {
            if is_current(&id) {
                let open = self.content()?;
                list.push(info(&open, self.is_bundled(&id), true));
                continue;
            }
            // Listed from the file's content only: no street network is built for a list.
            let read = self.with_users(|db| db.visit_bytes(&id)).ok().flatten().map(|bytes| {
                parcours_core::store::PackFile::from_bytes(&format!("{id}.parcours"), &bytes).map_err(AppError::from)
            });
            match read {
                Some(Ok(file)) => {
                    let pack = file.pack();
                    list.push(described(pack, &id, &pack.pack.id, file.signer(), (self.is_bundled(&id), false)));
                }
                Some(Err(e)) => report("a kept visit: ", &e),
                None => {}
            }
        }
        Ok(list)
    }

    fn is_bundled(&self, id: &str) -> bool {
        self.bundled.as_ref().is_ok_and(|b| b.pack.pack.id == id)
    }

    /// The visit here under `id`: kept on this device, else the app's own.
    fn here(&self, id: &str) -> Result<Option<(Arc<Content>, bool)>, AppError> {
        if let Some(content) = self.with_users(|db| Ok(kept(db, id)))?? {
            return Ok(Some((Arc::new(content), self.is_bundled(id))));
        }
        Ok(self.bundled.as_ref().ok().filter(|b| b.pack.pack.id == id).map(|b| (b.clone(), true)))
    }

    /// Checks a visit file and says what keeping it would do; it waits for `visit_keep`.
    pub fn visit_check(&self, file: RawFile) -> Result<VisitOffer, AppError> {
        let name = file.name.clone().unwrap_or_else(|| "visite.parcours".into());
        let content = Content::from_bytes(&name, &file.bytes)?;
        let id = content.pack.pack.id.clone();
        let names = |pack: &Pack| pack.stops.iter().map(|s| (s.id.clone(), s.name.clone())).collect::<Vec<_>>();
        let (placement, content, before) = match self.here(&id)? {
            None => (Placement::New, content, None),
            Some((old, bundled)) => {
                let current = self.content().is_ok_and(|c| c.pack.pack.id == id);
                let was = info(&old, bundled, current);
                let verdict = if *old.pack == *content.pack && old.signer == content.signer {
                    Ok(false)
                } else {
                    match (&old.signer, &content.signer) {
                        (None, _) => Err(NotTrusted::HereUnsigned),
                        (Some(_), None) => Err(NotTrusted::Unsigned),
                        (Some(a), Some(b)) if a != b => Err(NotTrusted::OtherKey),
                        _ if !content.pack.pack.is_newer_than(&old.pack.pack) => Err(NotTrusted::NotNewer),
                        _ => Ok(true),
                    }
                };
                match verdict {
                    Ok(false) => (Placement::Same, content, None),
                    Ok(true) => (Placement::Update { replaces: was }, content, Some(old)),
                    Err(why) => {
                        let mut taken = self.with_users(|db| db.visit_ids())?;
                        taken.extend(self.bundled.as_ref().ok().map(|b| b.pack.pack.id.clone()));
                        let local = beside_id(&id, &taken);
                        (Placement::Beside { of: was, why }, content.kept_as(&local), None)
                    }
                }
            }
        };
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
        let visit = info(&content, self.is_bundled(&content.pack.pack.id), false);
        let offer = VisitOffer { visit, placement, added, removed };
        *lock(&self.pending)? = Some(Pending { bytes: file.bytes, content: Arc::new(content), offer: offer.clone() });
        Ok(offer)
    }

    /// The file waiting for an answer, if any.
    pub fn visit_pending(&self, _: NoArgs) -> Result<Option<VisitOffer>, AppError> {
        Ok(lock(&self.pending)?.as_ref().map(|p| p.offer.clone()))
    }

    /// Forgets the file waiting.
    pub fn visit_cancel(&self, _: NoArgs) -> Result<(), AppError> {
        *lock(&self.pending)? = None;
        Ok(())
    }

    /// Keeps the file waiting as its offer said, and opens it.
    pub fn visit_keep(&self, _: NoArgs) -> Result<VisitOpened, AppError> {
        let pending = lock(&self.pending)?
            .take()
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no visit file is waiting: open the file again"))?;
        let Pending { bytes, content, offer } = pending;
        let id = content.pack.pack.id.clone();
        let now = self.now().unwrap_or_else(|_| self.host.now_utc().naive_utc());
        let same = offer.placement == Placement::Same;
        let kept_here = self.with_users(|db| db.visit_bytes(&id))?.is_some();
        self.with_users(|db| {
            // The very visit: kept once (the app's own is not copied).
            if !same || kept_here {
                db.save_visit(&id, &bytes, now)?;
            }
            db.set_setting(CHOSEN, &id)
        })?;
        let visit = info(&content, self.is_bundled(&id), true);
        let opened = if same { self.here(&id)?.map_or(content, |(c, _)| c) } else { content };
        self.use_content(opened)?;
        let replaced = matches!(offer.placement, Placement::Update { .. });
        Ok(VisitOpened { visit, replaced, added: offer.added, removed: offer.removed })
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
        let visit = info(&content, self.is_bundled(&args.id), true);
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
