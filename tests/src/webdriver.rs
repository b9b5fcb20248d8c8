//! A small W3C WebDriver client: just what the scenarios use, over plain HTTP to tauri-driver (the app in
//! WebKitGTK), and for the web app to chromedriver (Chromium), WebKitWebDriver (WebKitGTK's
//! MiniBrowser) or geckodriver (Firefox).

use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub type Result<T = ()> = std::result::Result<T, String>;

/// The steps of the interface's start (User Timing marks it sets), map ready last, and how they are said.
pub const START_MARKS: [(&str, &str); 4] = [
    ("parcours-boot", "boot.js running"),
    ("parcours-ui-started", "interface's wasm started"),
    ("parcours-pack-received", "visit received"),
    ("parcours-map-ready", "map ready"),
];

pub struct Session {
    base: String,
    id: String,
}

#[derive(Clone)]
pub struct Element(String);

fn request(method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let req = ureq::request(method, url).timeout(Duration::from_secs(60));
    let response = match body {
        Some(body) => req.send_json(body),
        None => req.call(),
    };
    let value: Value = match response {
        Ok(r) => r.into_json().map_err(|e| format!("{method} {url}: bad JSON: {e}"))?,
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            return Err(format!("{method} {url}: HTTP {code}: {}", text.chars().take(400).collect::<String>()));
        }
        Err(e) => return Err(format!("{method} {url}: {e}")),
    };
    Ok(value.get("value").cloned().unwrap_or(Value::Null))
}

impl Session {
    /// Starts the app through the driver at `base` (e.g. http://127.0.0.1:4444).
    pub fn start(base: &str, application: &str) -> Result<Session> {
        let caps = json!({"browserName": "wry", "tauri:options": {"application": application}});
        Session::start_with(base, caps)
    }

    /// A session with these capabilities (`alwaysMatch`).
    pub fn start_with(base: &str, capabilities: Value) -> Result<Session> {
        let caps = json!({"capabilities": {"alwaysMatch": capabilities}});
        let value = request("POST", &format!("{base}/session"), Some(caps))?;
        let id = value["sessionId"].as_str().ok_or_else(|| format!("no session id in {value}"))?.to_owned();
        Ok(Session { base: base.to_owned(), id })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.id)
    }

    /// Opens `url` in the session's window.
    pub fn navigate(&self, url: &str) -> Result {
        request("POST", &self.url("/url"), Some(json!({"url": url}))).map(|_| ())
    }

    /// WebDriver's Refresh (the driver's reload, which may differ from a person's: see web.rs).
    pub fn refresh(&self) -> Result {
        request("POST", &self.url("/refresh"), Some(json!({}))).map(|_| ())
    }

    pub fn end(&self) -> Result {
        request("DELETE", &self.url(""), None).map(|_| ())
    }

    pub fn set_size(&self, width: u32, height: u32) -> Result {
        request("POST", &self.url("/window/rect"), Some(json!({"width": width, "height": height}))).map(|_| ())
    }

    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let query = || request("POST", &self.url("/elements"), Some(json!({"using": "css selector", "value": css})));
        // While a page reloads, WebKitWebDriver may answer "stale element" for a search of the old
        // document: asked again, for up to 2 s, it answers on the new one.
        let mut value = query();
        for _ in 0..80 {
            match &value {
                Err(e) if e.contains("stale element") => {
                    std::thread::sleep(Duration::from_millis(25));
                    value = query();
                }
                _ => break,
            }
        }
        let value = value?;
        Ok(value
            .as_array()
            .map(|a| a.iter().filter_map(|e| e[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))).collect())
            .unwrap_or_default())
    }

    /// Waits up to 10 s for at least one element matching `css`.
    pub fn wait(&self, css: &str) -> Result<Element> {
        let start = Instant::now();
        loop {
            if let Some(e) = self.find_all(css)?.into_iter().next() {
                return Ok(e);
            }
            if start.elapsed() > Duration::from_secs(10) {
                let page = self
                    .script("const m = document.getElementById('main'); return m ? m.innerText.slice(0, 400) : ''")
                    .unwrap_or_default();
                return Err(format!("no element matches `{css}` after 10 s; the page shows {page}"));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits up to 10 s until `css`'s first element's text contains `text` (ignoring case: WebDriver
    /// returns text as rendered, after CSS `text-transform`).
    pub fn wait_text(&self, css: &str, text: &str) -> Result<String> {
        self.wait_text_within(css, text, Duration::from_secs(10))
    }

    /// [`Session::wait_text`] with another limit than 10 s.
    pub fn wait_text_within(&self, css: &str, text: &str, limit: Duration) -> Result<String> {
        let start = Instant::now();
        loop {
            if let Some(e) = self.find_all(css)?.into_iter().next() {
                // The element may be replaced between finding and reading it (a live card): look again.
                let found = match self.text(&e) {
                    Ok(found) => found,
                    Err(error) if error.contains("stale element") && start.elapsed() <= limit => {
                        std::thread::sleep(Duration::from_millis(25));
                        continue;
                    }
                    Err(error) => return Err(error),
                };
                // Non-breaking spaces (in times: "10 h 25") read as spaces.
                let found = found.replace(['\u{a0}', '\u{202f}'], " ");
                if found.to_lowercase().contains(&text.to_lowercase()) {
                    return Ok(found);
                }
                if start.elapsed() > limit {
                    return Err(format!("`{css}` says {found:?}, not {text:?}"));
                }
            } else if start.elapsed() > limit {
                return Err(format!("no element matches `{css}`"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until a newly opened page has settled: the app moves focus to its heading once laid out.
    pub fn settled(&self) -> Result {
        let start = Instant::now();
        while self.script("return document.activeElement && document.activeElement.id")? != json!("page-heading") {
            if start.elapsed() > Duration::from_secs(10) {
                return Err("the page never moved focus to its heading".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    pub fn click(&self, e: &Element) -> Result {
        request("POST", &self.url(&format!("/element/{}/click", e.0)), Some(json!({}))).map(|_| ())
    }

    /// Clicks the first element matching `css`, as a user would: scrolled to the middle of its scroll
    /// area first, and again until the page has laid it out (up to 10 s).
    pub fn click_css(&self, css: &str) -> Result {
        let start = Instant::now();
        loop {
            // What the page asked to do at its next frame (after a change of screen) is done first.
            self.frames(2)?;
            let e = self.wait(css)?;
            let _ = request(
                "POST",
                &self.url("/execute/sync"),
                Some(
                    json!({"script": "arguments[0].scrollIntoView({block: 'center'});", "args": [{ELEMENT_KEY: e.0}]}),
                ),
            );
            match self.click(&e) {
                Ok(()) => return Ok(()),
                Err(error) if start.elapsed() > Duration::from_secs(10) => return Err(error),
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        }
    }

    /// Presses and releases `key` on the focused element (W3C actions: "\u{e004}" Tab, "\u{e007}" Enter,
    /// " " Space), as a keyboard would.
    pub fn press(&self, key: &str) -> Result {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        request("POST", &self.url("/actions"), Some(actions)).map(|_| ())
    }

    /// Presses Tab until the focused element matches `css` (at most `limit` times); false if it never does.
    pub fn tab_to(&self, css: &str, limit: usize) -> Result<bool> {
        let focused = format!("return document.activeElement !== null && document.activeElement.matches({css:?})");
        for _ in 0..limit {
            self.press("\u{e004}")?;
            if self.script(&focused)? == true {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub fn text(&self, e: &Element) -> Result<String> {
        Ok(request("GET", &self.url(&format!("/element/{}/text", e.0)), None)?.as_str().unwrap_or_default().to_owned())
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Result<Option<String>> {
        Ok(request("GET", &self.url(&format!("/element/{}/attribute/{name}", e.0)), None)?.as_str().map(str::to_owned))
    }

    pub fn type_text(&self, e: &Element, text: &str) -> Result {
        request("POST", &self.url(&format!("/element/{}/value", e.0)), Some(json!({"text": text}))).map(|_| ())
    }

    /// When each of the interface's start marks ([`START_MARKS`]) was set, in ms from the page's
    /// navigation, in their order, then the page's time now: read by one script, so that "now" is the
    /// moment the caller saw what it waited for, give or take one round trip.
    pub fn start_marks(&self) -> Result<Vec<f64>> {
        let names: Vec<&str> = START_MARKS.iter().map(|(mark, _)| *mark).collect();
        let read = self.script(&format!(
            "return {names:?}.map(m => performance.getEntriesByName(m)[0]?.startTime ?? null).concat([performance.now()])"
        ))?;
        let read = read.as_array().ok_or("the start marks are not a list")?;
        let mut marks = Vec::new();
        for (i, ms) in read.iter().enumerate() {
            let what = names.get(i).copied().unwrap_or("now");
            marks.push(ms.as_f64().ok_or_else(|| format!("no {what} mark"))?);
        }
        Ok(marks)
    }

    pub fn script(&self, script: &str) -> Result<Value> {
        request("POST", &self.url("/execute/sync"), Some(json!({"script": script, "args": []})))
    }

    /// Runs `script`, which ends by calling `done(value)` (its last argument); the value.
    pub fn script_async(&self, script: &str) -> Result<Value> {
        let script = format!("const done = arguments[arguments.length - 1]; {script}");
        request("POST", &self.url("/execute/async"), Some(json!({"script": script, "args": []})))
    }

    /// Sets a permission of the page's origin (W3C Permissions, e.g. "geolocation").
    pub fn permit(&self, name: &str) -> Result {
        let body = json!({"descriptor": {"name": name}, "state": "granted"});
        request("POST", &self.url("/permissions"), Some(body)).map(|_| ())
    }

    /// A DevTools protocol command (Chromium through chromedriver only).
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        request("POST", &self.url("/goog/cdp/execute"), Some(json!({"cmd": cmd, "params": params})))
    }

    /// The log entries of `kind` since the last call (chromedriver's "performance": DevTools events).
    pub fn log(&self, kind: &str) -> Result<Vec<Value>> {
        request("POST", &self.url("/se/log"), Some(json!({"type": kind})))
            .map(|v| v.as_array().cloned().unwrap_or_default())
    }

    /// Opens a new tab and switches to it; the handle of the one it was in.
    pub fn new_tab(&self) -> Result<String> {
        let old = request("GET", &self.url("/window"), None)?.as_str().unwrap_or_default().to_owned();
        let new = request("POST", &self.url("/window/new"), Some(json!({"type": "tab"})))?;
        self.switch_to(new["handle"].as_str().unwrap_or_default())?;
        Ok(old)
    }

    pub fn switch_to(&self, handle: &str) -> Result {
        request("POST", &self.url("/window"), Some(json!({"handle": handle}))).map(|_| ())
    }

    /// Closes the current tab (then switch to another).
    pub fn close_tab(&self) -> Result {
        request("DELETE", &self.url("/window"), None).map(|_| ())
    }

    /// Waits until the page has drawn `n` frames, then `extra_ms` more.
    fn frames_then(&self, n: u32, extra_ms: u32) -> Result {
        let script = format!(
            "const done = arguments[0]; let n = {n}; const next = () => n-- > 0 ? requestAnimationFrame(next) : setTimeout(done, {extra_ms}); next();"
        );
        request("POST", &self.url("/execute/async"), Some(json!({"script": script, "args": []}))).map(|_| ())
    }

    pub fn frames(&self, n: u32) -> Result {
        self.frames_then(n, 0)
    }

    /// The page printed to PDF as its print rules lay it out (WebDriver's Print Page: what the
    /// browser's print window makes of it), written to `path`.
    pub fn print_pdf(&self, path: &std::path::Path) -> Result {
        let data = request("POST", &self.url("/print"), Some(json!({"background": true})))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or_default())
            .map_err(|e| format!("print: {e}"))?;
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn screenshot(&self, path: &std::path::Path) -> Result {
        // WebKit paints a little after the DOM changes: give it two frames and a moment.
        let _ = self.frames_then(2, 300);
        let data = request("GET", &self.url("/screenshot"), None)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or_default())
            .map_err(|e| format!("screenshot: {e}"))?;
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}
