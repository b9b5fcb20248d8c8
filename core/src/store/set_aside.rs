//! When the user data cannot be read: it is set aside (kept under another name, never deleted), a fresh
//! database is made in its place, and what can still be read from the old one is brought into it. The
//! rule is the same wherever the data lives: a file here, OPFS or IndexedDB in a browser (`web/`).

use std::path::Path;

use super::StoreError;
use super::user_db::{SetAside, UserDb};
use crate::wire::ErrorCode;

impl UserDb {
    /// A fresh database at `path` once the damaged one is kept at `aside` (`moved_to`: where the person
    /// is told it is), with what could still be read from it; what was done, to tell the person.
    pub fn fresh_after(
        path: &Path,
        aside: &Path,
        moved_to: String,
        reason: String,
    ) -> Result<(UserDb, SetAside), StoreError> {
        let mut db = UserDb::open(path)?;
        let (data, lost) = UserDb::recover(aside);
        let report = db.import(&data)?;
        Ok((db, SetAside { moved_to, reason, recovered: report.added, lost }))
    }

    /// [`UserDb::open_or_set_aside`] on `user.sqlite` in the folder `dir`, made first if needed.
    pub fn open_in_folder(dir: &Path) -> Result<(UserDb, Option<SetAside>), StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.display().to_string(), source })?;
        UserDb::open_or_set_aside(&dir.join("user.sqlite"))
    }

    /// [`UserDb::open`]; if the file is damaged or not ours, it is renamed `<name>.damaged-N` (with its
    /// `-wal` and `-shm`), never deleted, a fresh database is opened in its place, and what can still be
    /// read from the old one is copied into it ([`UserDb::recover`]). A file from a newer
    /// Parcours is not moved: that is an error to show, as is any I/O failure.
    pub fn open_or_set_aside(path: &Path) -> Result<(UserDb, Option<SetAside>), StoreError> {
        match UserDb::open(path) {
            Ok(db) => Ok((db, None)),
            Err(error) if is_damage(&error) => {
                let reason = error.to_string();
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let io = |source| StoreError::Io { path: path.display().to_string(), source };
                let target = path.with_file_name(set_aside_name(&name, |n| path.with_file_name(n).exists()));
                std::fs::rename(path, &target).map_err(io)?;
                for suffix in ["-wal", "-shm"] {
                    let side = path.with_file_name(format!("{name}{suffix}"));
                    if side.exists() {
                        let to = target.with_file_name(format!(
                            "{}{suffix}",
                            target.file_name().unwrap_or_default().to_string_lossy()
                        ));
                        std::fs::rename(&side, to).map_err(io)?;
                    }
                }
                let (db, aside) = UserDb::fresh_after(path, &target, target.display().to_string(), reason)?;
                Ok((db, Some(aside)))
            }
            // A sound file that cannot be written (read-only folder or medium): shown, not moved.
            Err(error) if matches!(error.code(), ErrorCode::ReadOnly | ErrorCode::CannotOpen) && path.exists() => {
                UserDb::open_read_only(path).map(|db| (db, None)).map_err(|_| error)
            }
            Err(other) => Err(other),
        }
    }
}

/// The user data is set aside (kept under another name, a fresh database made) when its file is
/// damaged or not a Parcours database; any other failure is said, and nothing is moved. The one rule,
/// for every place the data lives (a file, OPFS, IndexedDB).
pub fn is_damage(error: &StoreError) -> bool {
    matches!(error, StoreError::Corrupt { .. } | StoreError::NotAPack { .. })
}

/// The name a damaged `name` is kept under: `name.damaged-N`, the first `N` not `taken`.
pub fn set_aside_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..u32::MAX)
        .map(|n| format!("{name}.damaged-{n}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| format!("{name}.damaged"))
}
