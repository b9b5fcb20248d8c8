//! What the desktop (and mobile) app gives the command layer: the system clock, a random device id, the
//! free space of the data folder, files saved whole into Downloads (or a given folder), and the walk
//! recorded on site that the simulation may replay.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDateTime, Utc};
use parcours_commands::Host;
use parcours_core::store::StoreError;
use parcours_core::wire::{AppError, ErrorCode, OutFile};

pub struct TauriHost {
    /// Where files for the person go: `PARCOURS_OUT`, else Downloads, else the app's data folder.
    pub out: Option<PathBuf>,
    /// Where the user data is kept (for its free space).
    pub data: Option<PathBuf>,
    /// `PARCOURS_REPLAY`: a GPX walk for the simulation switch.
    pub replay: Option<PathBuf>,
}

/// A failed file write, named like the user database's (`disk_full`, `read_only`, `io`).
fn io_error(path: &std::path::Path, source: std::io::Error) -> AppError {
    AppError::from(StoreError::Io { path: path.display().to_string(), source })
}

impl Host for TauriHost {
    fn now_utc(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn local_time(&self, utc: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
        parcours_core::schedule::local_time(utc, zone)
    }

    /// Eight hex digits from the system's random source.
    fn new_device_id(&self) -> String {
        let mut bytes = [0u8; 4];
        // Without a random source (never seen), the time keeps ids apart well enough.
        if getrandom::fill(&mut bytes).is_err() {
            bytes = Utc::now().timestamp_subsec_nanos().to_le_bytes();
        }
        format!("{:08x}", u32::from_le_bytes(bytes))
    }

    fn free_bytes(&self) -> Option<u64> {
        fs4::available_space(self.data.as_ref()?).ok()
    }

    /// Written whole or not at all: a temporary file in the same folder, synced, then renamed.
    fn save_file(&self, file: &OutFile) -> Result<String, AppError> {
        let dir = self.out.as_ref().ok_or_else(|| AppError::new(ErrorCode::NoDataDir, "no folder to write to"))?;
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let path = dir.join(&file.name);
        let mut tmp = tempfile::Builder::new().prefix(".parcours-").tempfile_in(dir).map_err(|e| io_error(&path, e))?;
        tmp.write_all(&file.bytes).and_then(|()| tmp.as_file().sync_all()).map_err(|e| io_error(&path, e))?;
        // Never over another file: an export of the same minute, or a file of the person's with that
        // name, stays; the new one takes "name (2).ext", "name (3).ext"…
        let (stem, ext) = match file.name.rsplit_once('.') {
            Some((stem, ext)) => (stem.to_owned(), format!(".{ext}")),
            None => (file.name.clone(), String::new()),
        };
        let mut target = path;
        for n in 2..1000 {
            match tmp.persist_noclobber(&target) {
                Ok(_) => return Ok(target.display().to_string()),
                Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                    tmp = e.file;
                    target = dir.join(format!("{stem} ({n}){ext}"));
                }
                Err(e) => return Err(io_error(&target, e.error)),
            }
        }
        Err(io_error(&target, std::io::Error::from(std::io::ErrorKind::AlreadyExists)))
    }

    fn replay(&self) -> Option<(String, std::io::Result<Vec<u8>>)> {
        let path = self.replay.as_ref()?;
        Some((path.display().to_string(), std::fs::read(path)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_file_out_never_replaces_another_nor_follows_a_link_at_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let host = TauriHost { out: Some(dir.path().to_owned()), data: None, replay: None };
        let file =
            |text: &str| OutFile { name: "parcours-fiches.json".into(), mime: "application/json", bytes: text.into() };
        let first = host.save_file(&file("un")).unwrap();
        let second = host.save_file(&file("deux")).unwrap();
        assert!(second.ends_with("parcours-fiches (2).json"), "{second}");
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "un");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "deux");
        // A link planted at the next name, pointing at a file of the person's: left alone.
        let precious = dir.path().join("precious.txt");
        std::fs::write(&precious, "mine").unwrap();
        std::os::unix::fs::symlink(&precious, dir.path().join("parcours-fiches (3).json")).unwrap();
        let third = host.save_file(&file("trois")).unwrap();
        assert!(third.ends_with("parcours-fiches (4).json"), "{third}");
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "mine");
    }
}
