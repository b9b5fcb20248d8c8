//! How the interface reaches the command layer: one typed [`calls`] API over two ways, Tauri's IPC
//! ([`tauri`]) in the app and the command layer's Worker ([`worker`]) in a browser. It knows no screen
//! and no word: failures come back as an [`IpcError`] with a code.

mod calls;
mod reply;
mod tauri;
mod worker;

pub use calls::*;
pub use reply::IpcError;
pub use tauri::in_tauri;
