//! `parcours bank merge`: the project bank from many phones' files and photos of their codes.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use parcours_core::pack::Pack;

use crate::shared::*;
use crate::userdb::read_user_data;

#[derive(Subcommand)]
pub enum BankCommand {
    /// Merge worksheets from user-data files (and photos of the app's QR codes) into one CSV, grouped by
    /// workshop and colour.
    Merge {
        /// User-data JSON files (one per phone or group), or photos/screenshots (.png, .jpg) of the codes
        /// the app shows under "Transmettre" (every code of a set must be in one of the photos).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The CSV file to write ("-" for standard output).
        #[arg(short, long)]
        output: PathBuf,
        /// Also write every worksheet as one page to print (HTML).
        #[arg(long)]
        html: Option<PathBuf>,
        /// The visit (source folder or pack file), for column labels, workshop names and colours.
        #[arg(long)]
        pack: Option<PathBuf>,
        /// Language of the labels.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

pub fn run(command: BankCommand) -> Outcome {
    let BankCommand::Merge { files, output, html, pack, lang } = command;
    let pack = pack.as_deref().map(load_any).transpose()?;
    let is_photo = |f: &PathBuf| {
        f.extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .is_some_and(|e| matches!(e.as_str(), "png" | "jpg" | "jpeg"))
    };
    let (photos, data_files): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(is_photo);
    let mut sources: Vec<(String, Vec<parcours_core::userdata::ExportedWorksheet>)> = Vec::new();
    for file in &data_files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        sources.push((name, read_user_data(file)?.worksheets));
    }
    if !photos.is_empty() {
        sources.push(("photos".into(), read_code_photos(&photos, pack.as_ref())?));
    }
    let mut rows = parcours_core::userdata::newest_copies(
        sources.into_iter().flat_map(|(name, worksheets)| worksheets.into_iter().map(move |w| (name.clone(), w))),
    );
    // A worksheet removed on its phone is not part of the bank.
    let before = rows.len();
    rows.retain(|(_, w)| w.removed_at.is_none());
    if rows.len() < before {
        eprintln!("{} removed worksheets left out (removed on their phone)", before - rows.len());
    }
    if let Some(page) = html {
        let docs: Vec<_> = rows.iter().map(|(_, w)| w.to_doc()).collect();
        write_file(&page, &parcours_core::export::worksheets::worksheets_html(&docs, pack.as_ref(), &lang, &[]))?;
    }
    write_file(&output, &parcours_core::userdata::bank_csv(&rows, pack.as_ref(), &lang))
}

/// The worksheets in photos of the app's QR codes: codes of several sets may be mixed across photos;
/// each set must be complete.
fn read_code_photos(
    photos: &[PathBuf],
    pack: Option<&Pack>,
) -> Result<Vec<parcours_core::userdata::ExportedWorksheet>, Failure> {
    use parcours_core::handover::{Assembler, HandoverError};
    let problem =
        |photo: &Path, e: &dyn std::fmt::Display| Failure::Problems(vec![format!("{}: {e}", photo.display())]);
    let mut sets: Vec<Assembler> = Vec::new();
    for photo in photos {
        let bytes = std::fs::read(photo).map_err(|e| problem(photo, &e))?;
        let codes = parcours_core::handover::read_image(&bytes).map_err(|e| problem(photo, &e))?;
        if codes.is_empty() {
            return Err(problem(photo, &"no Parcours code found in this picture"));
        }
        for code in codes {
            let mut placed = false;
            for set in &mut sets {
                match set.add(&code) {
                    Ok(_) => {
                        placed = true;
                        break;
                    }
                    Err(HandoverError::OtherSet { .. }) => {}
                    Err(e) => return Err(problem(photo, &e)),
                }
            }
            if !placed {
                let mut set = Assembler::new();
                set.add(&code).map_err(|e| problem(photo, &e))?;
                sets.push(set);
            }
        }
    }
    let mut out = Vec::new();
    for set in sets {
        let handover = set.finish().map_err(|e| Failure::Problems(vec![format!("photos: {e}")]))?;
        out.extend(handover.worksheets.iter().map(|w| parcours_core::userdata::ExportedWorksheet::new(w, pack)));
    }
    Ok(out)
}
