//! From a command's name and its arguments as they come over the wire to the method that answers it:
//! the one table every shell calls ([`App::dispatch`]), typed by [`parcours_core::wire`].

use parcours_core::wire::{self, AppError, Command, ErrorCode, RawFile};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{App, Host};

/// A command's arguments as a shell received them.
#[derive(Debug)]
pub enum Input {
    /// A JSON object with the command's fields.
    Json(serde_json::Value),
    /// A file's bytes, sent as the call's raw body (and its name, if the shell knows it).
    Raw(RawFile),
}

/// Arguments made from an [`Input`]: JSON for most commands, the raw file for a few.
pub trait FromInput: Sized {
    fn from_input(input: Input) -> Result<Self, AppError>;
}

fn from_json<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value).map_err(|e| AppError::new(ErrorCode::BadRequest, format!("bad arguments: {e}")))
}

macro_rules! json_args {
    ($($ty:ident),* $(,)?) => {
        $(impl FromInput for wire::$ty {
            fn from_input(input: Input) -> Result<Self, AppError> {
                match input {
                    Input::Json(value) => from_json(value),
                    Input::Raw(_) => Err(AppError::new(ErrorCode::BadRequest, "send the arguments as JSON")),
                }
            }
        })*
    };
}

json_args!(
    NoArgs,
    BookletArgs,
    QueryArgs,
    RouteArgs,
    StartArgs,
    FixArgs,
    CheckArgs,
    StopArgs,
    AudioArgs,
    WorkshopArgs,
    FieldArgs,
    IdArgs,
    NoteArgs,
    IdsArgs,
    SaveArgs,
    LangArgs,
    CodeArgs,
);

impl FromInput for RawFile {
    fn from_input(input: Input) -> Result<Self, AppError> {
        match input {
            Input::Raw(file) => Ok(file),
            Input::Json(_) => Err(AppError::new(ErrorCode::BadRequest, "send the file as bytes")),
        }
    }
}

impl<H: Host> App<H> {
    /// Answers the command `name` with `input` as its arguments: the reply as JSON text, or the error.
    pub fn dispatch(&self, name: &str, input: Input) -> Result<String, AppError> {
        macro_rules! table {
            ($($cmd:ident => $method:ident),* $(,)?) => {
                $(if name == <wire::$cmd as Command>::NAME {
                    return self.answer::<wire::$cmd>(input, Self::$method);
                })*
            };
        }
        table!(
            PackCmd => pack,
            Search => search,
            DayStatusCmd => day_status,
            WalkPlan => walk_plan,
            FollowStart => follow_start,
            FollowReset => follow_reset,
            FollowFix => follow_fix,
            Check => check,
            RunSheetCmd => run_sheet,
            Simulate => simulate,
            RecordPosition => record_position,
            Corrections => corrections,
            ExportCorrections => export_corrections,
            StopAudio => stop_audio,
            StopPhoto => stop_photo,
            UserData => user_data,
            Worksheets => worksheets,
            WorksheetNew => worksheet_new,
            WorksheetSet => worksheet_set,
            WorksheetsRemoved => worksheets_removed,
            WorksheetRemove => worksheet_remove,
            WorksheetRestore => worksheet_restore,
            WorksheetsOtherVisits => worksheets_other_visits,
            Notes => notes,
            NoteSet => note_set,
            EraseData => erase_data,
            ReadinessCmd => readiness,
            HandoverCodes => handover_codes,
            HandoverRead => handover_read,
            HandoverText => handover_text,
            HandoverCancel => handover_cancel,
            WorksheetsSave => worksheets_save,
            BankImport => bank_import,
            BankExport => bank_export,
            Backup => backup,
            VisitsCmd => visits,
            VisitCheck => visit_check,
            VisitPending => visit_pending,
            VisitKeep => visit_keep,
            VisitCancel => visit_cancel,
            VisitSwitch => visit_switch,
            VisitRemove => visit_remove,
            BookletCmd => booklet,
        );
        Err(AppError::new(ErrorCode::UnknownCommand, format!("no command \"{name}\"")))
    }

    /// One command: its arguments read, its method run, its reply (of the contract's type) as JSON.
    fn answer<C: Command>(
        &self,
        input: Input,
        method: fn(&Self, C::Args) -> Result<C::Reply, AppError>,
    ) -> Result<String, AppError>
    where
        C::Args: FromInput,
        C::Reply: Serialize,
    {
        let reply = method(self, C::Args::from_input(input)?)?;
        serde_json::to_string(&reply).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
    }
}
