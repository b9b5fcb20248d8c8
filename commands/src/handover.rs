//! Worksheets leaving and arriving without a network: QR codes, files (JSON, Markdown, a page to print),
//! the organiser's project bank, and the backup of all the user data.

use parcours_core::export::worksheets::worksheets_html;
use parcours_core::handover::{self, Assembler, HandoverError, Progress};
use parcours_core::status::{Code, Received, Saved};
use parcours_core::userdata::{ExportedWorksheet, ImportReport, UserData, bank_csv, worksheets_markdown};
use parcours_core::wire::{
    AppError, CodeArgs, CodesArgs, ErrorCode, IdsArgs, LangArgs, NoArgs, OutFile, RawFile, SaveArgs,
};
use parcours_core::worksheet::{WorksheetDoc, device_of};

use crate::{App, Host, lock, unknown_worksheet};

/// The codes in a picture (feature `photo`, on by default: the desktop app).
#[cfg(feature = "photo")]
fn read_picture(bytes: &[u8]) -> Result<Vec<String>, AppError> {
    handover::read_image(bytes).map_err(AppError::from)
}

/// Without the feature (the web worker) pictures are read beside the command layer: `worker.js` gives
/// them to `parcours-photo` and sends the codes found as `handover_found`.
#[cfg(not(feature = "photo"))]
fn read_picture(_: &[u8]) -> Result<Vec<String>, AppError> {
    Err(AppError::new(ErrorCode::Internal, "this build reads pictures in parcours-photo (see worker.js)"))
}

impl<H: Host> App<H> {
    /// The QR codes handing over the worksheets `ids`.
    pub fn handover_codes(&self, args: IdsArgs) -> Result<Vec<Code>, AppError> {
        let sheets = self.chosen(&args.ids)?;
        let device = self.with_users(|db| db.setting("device"))?;
        let texts = handover::encode(&sheets, device.as_deref()).map_err(AppError::from)?;
        texts.into_iter().map(|text| Ok(Code { svg: handover::svg(&text).map_err(AppError::from)?, text })).collect()
    }

    /// A photo or screenshot of one or more codes (PNG or JPEG).
    pub fn handover_read(&self, picture: RawFile) -> Result<Received, AppError> {
        self.handover_found(CodesArgs { codes: read_picture(&picture.bytes)? })
    }

    /// The codes read from a photo by the web app's picture reader (`parcours-photo`, a worker of its
    /// own), or by [`App::handover_read`].
    pub fn handover_found(&self, args: CodesArgs) -> Result<Received, AppError> {
        if args.codes.is_empty() {
            return Err(AppError::new(ErrorCode::NoCode, "no Parcours code in this picture"));
        }
        self.receive(&args.codes)
    }

    /// One code's text, as a phone's code scanner reads it.
    pub fn handover_text(&self, args: CodeArgs) -> Result<Received, AppError> {
        self.receive(&[args.code])
    }

    /// Forgets the codes read so far.
    pub fn handover_cancel(&self, _: NoArgs) -> Result<(), AppError> {
        *lock(&self.receiving)? = Assembler::new();
        Ok(())
    }

    /// Adds codes to the set being received; a code of another set starts that set afresh. Once the set
    /// is complete, its worksheets go into the user database.
    fn receive(&self, codes: &[String]) -> Result<Received, AppError> {
        let content = self.content()?;
        let mut assembler = lock(&self.receiving)?;
        let mut out = Received { found: codes.len(), ..Received::default() };
        for code in codes {
            match assembler.add(code) {
                Ok(_) => {}
                Err(HandoverError::OtherSet { .. }) => {
                    *assembler = Assembler::new();
                    assembler.add(code).map_err(AppError::from)?;
                    out.restarted = true;
                }
                Err(e) => return Err(AppError::from(e)),
            }
        }
        let Progress { have, total } = assembler.progress();
        (out.have, out.total) = (have, total);
        if total > 0 && have == total {
            let received = assembler.finish().map_err(AppError::from);
            *assembler = Assembler::new();
            let received = received?;
            let mut data = UserData::new(None, received.device.clone());
            data.worksheets =
                received.worksheets.iter().map(|w| ExportedWorksheet::new(w, Some(&content.pack))).collect();
            out.titles = data.worksheets.iter().map(|w| w.title.clone()).collect();
            let now = self.now()?;
            out.imported = Some(self.with_users(|db| db.import_received(&data, now))?);
        }
        Ok(out)
    }

    /// Saves the worksheets `ids` as a user-data file (JSON, for another Parcours or the project bank),
    /// as Markdown (to read) and as a page to print (HTML, with the QR codes), side by side.
    pub fn worksheets_save(&self, args: SaveArgs) -> Result<Saved, AppError> {
        let content = self.content()?;
        let pack = Some(content.pack.as_ref());
        let sheets = self.chosen(&args.ids)?;
        let now = self.now()?;
        let device = self.with_users(|db| db.setting("device"))?;
        let mut data = UserData::new(Some(now), device.clone());
        data.worksheets = sheets.iter().map(|w| ExportedWorksheet::new(w, pack)).collect();
        let stem = format!("parcours-fiches-{}-{}", device.as_deref().unwrap_or_default(), now.format("%Y%m%d-%H%M%S"));
        let codes: Vec<String> = handover::encode(&sheets, device.as_deref())
            .and_then(|texts| texts.iter().map(|t| handover::svg(t)).collect())
            .unwrap_or_default();
        let save = |ext: &str, mime, text: String| {
            self.host.save_file(&OutFile { name: format!("{stem}.{ext}"), mime, bytes: text.into_bytes() })
        };
        Ok(Saved {
            json: save("json", "application/json", data.to_json())?,
            markdown: save("md", "text/markdown", worksheets_markdown(&sheets, pack, &args.lang))?,
            html: save("html", "text/html", worksheets_html(&sheets, pack, &args.lang, &codes))?,
        })
    }

    /// One worksheets file chosen by the organiser, added to the project bank: its worksheets only
    /// (notes and positions stay private). Refused whole, with the file's name and the reason, if
    /// anything is wrong. Worksheets of another visit are kept, and counted apart.
    pub fn bank_import(&self, file: RawFile) -> Result<ImportReport, AppError> {
        let pack = &self.content()?.pack.pack.id;
        let name = file.name.as_deref().unwrap_or("file");
        // Its notes and positions are not taken (`import_received` takes worksheets only).
        let data =
            UserData::parse(&file.bytes).map_err(|e| AppError::new(ErrorCode::BadFile, format!("{name}: {e}")))?;
        let now = self.now()?;
        let mut report = self.with_users(|db| db.import_received(&data, now))?;
        report.other_visit = data.worksheets.iter().filter(|w| &w.pack != pack).count();
        Ok(report)
    }

    /// The worksheets of other visits (packs) kept on this device, with their titles, to be read.
    pub fn worksheets_other_visits(&self, _: NoArgs) -> Result<Vec<ExportedWorksheet>, AppError> {
        let pack = &self.content()?.pack.pack.id;
        let sheets = self.with_users(|db| db.other_visits(pack))?;
        Ok(sheets.iter().map(|w| ExportedWorksheet::new(w, None)).collect())
    }

    /// The project bank (every worksheet of this visit on this device: mine and those received) as CSV
    /// for the plenary; where it was saved.
    pub fn bank_export(&self, args: LangArgs) -> Result<String, AppError> {
        let pack = &self.content()?.pack;
        let sheets = self.with_users(|db| db.worksheets(&pack.pack.id))?;
        let rows: Vec<(String, ExportedWorksheet)> = sheets
            .iter()
            .map(|w| (device_of(&w.id).unwrap_or_default().to_owned(), ExportedWorksheet::new(w, Some(pack))))
            .collect();
        let name = format!("parcours-banque-projets-{}.csv", self.now()?.format("%Y%m%d-%H%M%S"));
        let bytes = bank_csv(&rows, Some(pack), &args.lang).into_bytes();
        self.host.save_file(&OutFile { name, mime: "text/csv", bytes })
    }

    /// Saves all the user data (worksheets, notes, recorded positions) as one file, and remembers when.
    pub fn backup(&self, _: NoArgs) -> Result<String, AppError> {
        let content = self.content()?;
        let now = self.now()?;
        let data = self.with_users(|db| db.export(Some(now), Some(&content.pack)))?;
        let name = format!("parcours-sauvegarde-{}.json", now.format("%Y%m%d-%H%M%S"));
        let to =
            self.host.save_file(&OutFile { name, mime: "application/json", bytes: data.to_json().into_bytes() })?;
        self.backed_up(now, &to)?;
        Ok(to)
    }

    /// The worksheets `ids` (in that order) of this device's database; an unknown id is an error.
    fn chosen(&self, ids: &[String]) -> Result<Vec<WorksheetDoc>, AppError> {
        ids.iter().map(|id| self.with_users(|db| db.worksheet(id))?.ok_or_else(|| unknown_worksheet(id))).collect()
    }
}
