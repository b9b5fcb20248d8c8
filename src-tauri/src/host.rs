//! What the desktop (and mobile) app gives the command layer: the system clock, a random device id, the
//! free space of the data folder, files saved whole into Downloads (or a given folder), and the walk
//! recorded on site that the simulation may replay.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
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
        tmp.persist(&path).map_err(|e| io_error(&path, e.error))?;
        Ok(path.display().to_string())
    }

    fn replay(&self) -> Option<(String, std::io::Result<Vec<u8>>)> {
        let path = self.replay.as_ref()?;
        Some((path.display().to_string(), std::fs::read(path)))
    }
}
