//! What the browser or the webview gives, each where it has it: storage on the device, the system's
//! voice, chosen files, and the web app's own (service worker, lasting storage, wake lock, share sheet).
//! It knows no screen, no state and no command.

pub mod browser;
pub mod files;
pub mod speech;
pub mod storage;
