//! `parcours userdb`: a phone's user database checked, exported, imported into, recovered.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use parcours_core::store::{self, UserDb};

use crate::shared::*;

#[derive(Subcommand)]
pub enum UserdbCommand {
    /// Integrity, schema version and counts; exit 1 with a clear message when the file is damaged.
    Check {
        /// The user database (user.sqlite, from the app's data folder).
        db: PathBuf,
    },
    /// All user data as one JSON file (format: docs/user-data.md).
    Export {
        db: PathBuf,
        /// The JSON file to write ("-" for standard output).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Adds worksheets, notes and positions from user-data files (a newer copy wins); creates the database
    /// if needed. Nothing is written unless every file is valid.
    Import {
        db: PathBuf,
        /// User-data JSON files (exported by the app or by `userdb export`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Everything still readable from a damaged database, as user-data JSON; what is lost goes to stderr.
    Recover {
        /// The damaged file (never written to).
        db: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
}

pub fn run(command: UserdbCommand) -> Outcome {
    match command {
        UserdbCommand::Check { db } => {
            let db = open_existing_userdb(&db)?;
            let data = db.export(None, None)?;
            let removed = data.worksheets.iter().filter(|w| w.removed_at.is_some()).count();
            out(&format!(
                "{}: ok — schema {}, {} worksheets ({} removed), {} notes, {} recorded positions\n",
                db.path().display(),
                store::USER_SCHEMA_VERSION,
                data.worksheets.len(),
                removed,
                data.notes.len(),
                data.corrections.len()
            ))
        }
        UserdbCommand::Export { db, output } => {
            let db = open_existing_userdb(&db)?;
            write_file(&output, &db.export(None, None)?.to_json())
        }
        UserdbCommand::Import { db, files } => {
            // Every file is read and checked before anything is written.
            let mut all = Vec::new();
            for file in &files {
                all.push(read_user_data(file)?);
            }
            let mut db = UserDb::open(&db)?;
            let mut merged = parcours_core::userdata::UserData::new(None, None);
            for data in all {
                merged.worksheets.extend(data.worksheets);
                merged.notes.extend(data.notes);
                merged.corrections.extend(data.corrections);
            }
            let report = db.import(&merged)?;
            out(&format!(
                "{}: {} added, {} updated, {} already there\n",
                db.path().display(),
                report.added,
                report.updated,
                report.unchanged
            ))
        }
        UserdbCommand::Recover { db, output } => {
            if !db.is_file() {
                return Err(Failure::Problems(vec![format!("{}: no such file", db.display())]));
            }
            let (data, lost) = UserDb::recover(&db);
            write_file(&output, &data.to_json())?;
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(
                stderr,
                "{}: recovered {} worksheets, {} notes, {} recorded positions; {} could not be read",
                db.display(),
                data.worksheets.len(),
                data.notes.len(),
                data.corrections.len(),
                lost.len()
            );
            for line in lost {
                let _ = writeln!(stderr, "  lost: {line}");
            }
            Ok(())
        }
    }
}

/// A user database to inspect, opened for reading only: a support tool never changes the evidence
/// (no migration, no switch to WAL, nothing written; an older file is reported as such).
fn open_existing_userdb(path: &Path) -> Result<UserDb, Failure> {
    if !path.is_file() {
        return Err(Failure::Problems(vec![format!("{}: no such file", path.display())]));
    }
    Ok(UserDb::open_read_only(path)?)
}

/// A user-data file (`docs/user-data.md`), read and checked.
pub fn read_user_data(path: &Path) -> Result<parcours_core::userdata::UserData, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::Problems(vec![format!("{}: {e}", path.display())]))?;
    parcours_core::userdata::UserData::parse(&bytes)
        .map_err(|e| Failure::Problems(vec![format!("{}: {e}", path.display())]))
}
