//! The transport when the interface runs as a web app (no Tauri): the command layer in a dedicated
//! module Worker (`worker.js`, the `parcours-web` crate). Each call is a message `{id, cmd, args}` (or
//! `{id, cmd, bytes, name}` for a file); the answer comes back with the same `id`. A file the worker
//! made for the person (`{file: {name, mime, bytes}}`) is shared or downloaded by the page
//! ([`browser::hand_out`]).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use parcours_core::wire::ErrorCode;
use parcours_core::wire::envelope;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::reply::{IpcError, error_from};
use crate::platform::browser;

type Pending = Rc<RefCell<HashMap<u32, (js_sys::Function, js_sys::Function)>>>;

struct Link {
    worker: web_sys::Worker,
    pending: Pending,
    next: Cell<u32>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

thread_local! {
    static LINK: RefCell<Option<Rc<Link>>> = const { RefCell::new(None) };
}

fn get(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

fn ipc_error(message: impl std::fmt::Debug) -> IpcError {
    IpcError::new(ErrorCode::Ipc, format!("{message:?}"))
}

fn open() -> Result<Rc<Link>, IpcError> {
    // `early.js` started it while the page and this wasm loaded; else (a page without it) it starts now.
    let started = web_sys::window().map(|w| get(&w, "parcoursWorker")).unwrap_or(JsValue::UNDEFINED);
    let worker = match started.dyn_into::<web_sys::Worker>() {
        Ok(worker) => worker,
        Err(_) => {
            let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
            let options = web_sys::WorkerOptions::new();
            options.set_type(web_sys::WorkerType::Module);
            let worker =
                web_sys::Worker::new_with_options(&format!("worker.js{search}"), &options).map_err(ipc_error)?;
            // Where `early.js` ends it when the page is left.
            if let Some(window) = web_sys::window() {
                let _ = js_sys::Reflect::set(&window, &JsValue::from_str("parcoursWorker"), &worker);
            }
            worker
        }
    };
    let pending: Pending = Rc::default();
    let answers = pending.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        let file = get(&data, envelope::FILE);
        if !file.is_undefined() {
            let text = |key| get(&file, key).as_string().unwrap_or_default();
            browser::hand_out(&text(envelope::NAME), &text(envelope::MIME), &get(&file, envelope::BYTES));
            return;
        }
        let Some(id) = get(&data, envelope::ID).as_f64() else { return };
        let Some((resolve, reject)) = answers.borrow_mut().remove(&(id as u32)) else { return };
        let ok = get(&data, envelope::OK);
        let _ = if ok.is_undefined() {
            reject.call1(&JsValue::NULL, &get(&data, envelope::ERR))
        } else {
            resolve.call1(&JsValue::NULL, &ok)
        };
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Ok(Rc::new(Link { worker, pending, next: Cell::new(0), _on_message: on_message }))
}

fn link() -> Result<Rc<Link>, IpcError> {
    LINK.with(|slot| {
        if let Some(link) = slot.borrow().as_ref() {
            return Ok(link.clone());
        }
        let link = open()?;
        *slot.borrow_mut() = Some(link.clone());
        Ok(link)
    })
}

/// Calls `cmd` in the worker with `args` (JSON-compatible), and `bytes` (a typed array: a file, with
/// its name, or a picture's pixels), if any; the reply as JSON text, or the worker's `{code, message}`.
pub async fn call(cmd: &str, args: JsValue, bytes: Option<(JsValue, Option<&str>)>) -> Result<String, IpcError> {
    let link = link()?;
    let id = link.next.get();
    link.next.set(id.wrapping_add(1));
    let pending = link.pending.clone();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        pending.borrow_mut().insert(id, (resolve, reject));
    });
    let message = js_sys::Object::new();
    set(&message, envelope::ID, &JsValue::from(id));
    set(&message, envelope::CMD, &JsValue::from_str(cmd));
    if !args.is_undefined() {
        set(&message, envelope::ARGS, &args);
    }
    if let Some((bytes, name)) = bytes {
        set(&message, envelope::BYTES, &bytes);
        if let Some(name) = name {
            set(&message, envelope::NAME, &JsValue::from_str(name));
        }
    }
    if let Err(e) = link.worker.post_message(&message) {
        link.pending.borrow_mut().remove(&id);
        return Err(ipc_error(e));
    }
    match JsFuture::from(promise).await {
        Ok(text) => {
            text.as_string().ok_or_else(|| IpcError::new(ErrorCode::BadReply, "the worker's reply is not text"))
        }
        Err(error) => Err(error_from(&error)),
    }
}
