//! Worksheets and notes, kept in the user database through the shell.

mod editor;
mod notes;
mod saving;

pub use editor::{MyWorksheets, NewWorksheet, RemovedWorksheets, WorksheetEditor};
pub use notes::NoteBox;
