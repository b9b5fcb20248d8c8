//! The web app end to end in headless Chromium (Debian's `chromium` and `chromedriver`): the site built
//! by `cargo xtask web` (target/web) served on loopback by a small static server of this binary's own,
//! the interface talking to the command layer in its Worker, the pack opened from the bytes the server
//! sent. Prints `e2e: N passed, M failed` like the desktop run. `--serve DIR --port N` only serves.
//!
//! Usage: parcours-web-e2e --site target/web --out target/e2e/web

// Shared with the desktop run, which uses other parts of it.
#[allow(dead_code)]
#[path = "webdriver.rs"]
mod webdriver;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, ExitCode};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use webdriver::{Result, Session};

const NOW: &str = "2024-10-03T10:30";

/// A file's type by its extension: what a static host must say for the app to run (`.wasm` above all).
fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The file `target` names under `root`, never outside it (no `..`).
fn file_for(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let relative = Path::new(path.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = root.join(relative);
    let file = if path.ends_with('/') { file.join("index.html") } else { file };
    file.is_file().then_some(file)
}

fn answer(root: &Path, stream: TcpStream, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // The rest of the request's head, read and ignored.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    if let Ok(mut log) = log.lock() {
        log.push(target.clone());
    }
    let mut out = &stream;
    let _ = match file_for(root, &target).and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((file, body)) => out
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n",
                    mime(&file),
                    body.len()
                )
                .as_bytes(),
            )
            .and_then(|()| out.write_all(&body)),
        None => out.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
}

/// Serves `root` on 127.0.0.1:`port` (0: any free port) from a thread; the port and the requests' log.
fn serve(root: PathBuf, port: u16) -> Result<(u16, Arc<Mutex<Vec<String>>>)> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on {port}: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let log = Arc::new(Mutex::new(Vec::new()));
    let requests = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (root, log) = (root.clone(), requests.clone());
            std::thread::spawn(move || answer(&root, stream, &log));
        }
    });
    Ok((port, log))
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(what: &str, ok: impl Fn() -> bool) -> Result {
    let start = Instant::now();
    while !ok() {
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!("{what} did not start"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

fn check(cond: bool, message: impl FnOnce() -> String) -> Result {
    if cond { Ok(()) } else { Err(message()) }
}

fn tab(s: &Session, n: usize) -> Result {
    s.click_css(&format!("nav.tabs button:nth-child({n})"))?;
    s.settled()
}

fn scenario(s: &Session, origin: &str, out: &Path, passed: &mut u32, failed: &mut u32) {
    let mut step = |name: &str, f: &dyn Fn() -> Result| match f() {
        Ok(()) => {
            println!("test web: {name} ... ok");
            *passed += 1;
        }
        Err(e) => {
            println!("test web: {name} ... FAILED\n    {e}");
            let _ = s.screenshot(&out.join(format!("FAILED-{}.png", name.replace(' ', "-"))));
            *failed += 1;
        }
    };
    step("the home screen shows the day, from the pack the worker opened", &|| {
        s.set_size(360, 780)?;
        s.navigate(&format!("{origin}/?now={NOW}"))?;
        s.wait_text("h1", "Inclusion numérique")?;
        // The worker's clock starts at 10:30: the walk is on now.
        s.wait_text(".now-next", "Visite")?;
        // Nothing is kept in the browser yet: the home screen says so, in words.
        s.wait_text("#temporary-banner", "rien n'est encore gardé")?;
        s.screenshot(&out.join("web-phone-1-home.png"))
    });
    step("the pink route opens its map with the numbered stops and the attribution", &|| {
        s.click_css(".route-choice.route-pink")?;
        s.wait_text("h1", "Parcours rose")?;
        s.wait(".leaflet-marker-icon")?;
        let markers = s.find_all(".leaflet-marker-icon")?.len();
        check(markers >= 3, || format!("{markers} stops on the map"))?;
        s.wait_text(".map-attribution", "© OpenStreetMap contributors")?;
        // The walking plan along the streets came from the worker (A* in wasm).
        s.wait_text(".next-card", "Collectif Social Web")?;
        s.screenshot(&out.join("web-phone-2-map.png"))
    });
    step("search through the pack's FTS5 index in the worker finds malegarie", &|| {
        tab(s, 4)?;
        s.click_css("ul.menu li:nth-child(2) button")?;
        s.wait_text("h1", "Initiatives")?;
        let input = s.wait("#search-input")?;
        s.type_text(&input, "malegarie")?;
        s.click_css("form.search button[type='submit']")?;
        s.wait(".result[data-id='cyberbase-malegarie']")?;
        s.screenshot(&out.join("web-phone-3-search.png"))
    });
    step("a worksheet is typed until it says Enregistré", &|| {
        tab(s, 4)?;
        s.click_css("ul.menu li:nth-child(1) button")?;
        s.wait_text("h1", "Ateliers")?;
        s.click_css("[data-new-worksheet='aller-vers']")?;
        s.wait_text("h1", "Fiche chantier")?;
        s.click_css("textarea[data-field='enjeu']")?;
        let field = s.wait("textarea[data-field='enjeu']")?;
        s.type_text(&field, "Aller vers les habitants")?;
        s.wait_text(".save-status", "✓ Enregistré à 10 h")?;
        s.screenshot(&out.join("web-phone-4-worksheet.png"))
    });
    step("every request of the page stayed on the app's own origin", &|| {
        let names = s.script("return performance.getEntriesByType('resource').map(e => e.name)")?;
        let names: Vec<String> =
            names.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect();
        check(names.iter().any(|n| n.ends_with("worker.js?now=2024-10-03T10:30")), || format!("{names:?}"))?;
        let foreign: Vec<&String> = names.iter().filter(|n| !n.starts_with(origin)).collect();
        check(foreign.is_empty(), || format!("requests elsewhere: {foreign:?}"))
    });
}

fn run(site: &Path, out: &Path) -> Result<(u32, u32)> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    check(site.join("worker.js").is_file(), || format!("{}: no web app here (cargo xtask web)", site.display()))?;
    let (port, log) = serve(site.to_owned(), 0)?;
    let origin = format!("http://127.0.0.1:{port}");
    let driver_port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let driver = Driver(
        Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(std::fs::File::create(out.join("chromedriver.log")).map_err(|e| e.to_string())?)
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?,
    );
    wait_for("chromedriver", || TcpStream::connect(("127.0.0.1", driver_port)).is_ok())?;
    let profile = std::env::temp_dir().join(format!("parcours-web-e2e-{}", std::process::id()));
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                     format!("--user-data-dir={}", profile.display())]
        }
    });
    let session = Session::start_with(&format!("http://127.0.0.1:{driver_port}"), caps)?;
    let (mut passed, mut failed) = (0, 0);
    scenario(&session, &origin, out, &mut passed, &mut failed);
    let _ = session.end();
    drop(driver);
    let _ = std::fs::remove_dir_all(&profile);
    let served = log.lock().map(|l| l.len()).unwrap_or(0);
    println!("web: {served} requests served from {}", site.display());
    Ok((passed, failed))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    if let Some(dir) = value("--serve") {
        let port = value("--port").and_then(|p| p.parse().ok()).unwrap_or(8080);
        return match serve(PathBuf::from(dir), port) {
            Ok((port, _)) => {
                println!("serving on http://127.0.0.1:{port}/");
                loop {
                    std::thread::park();
                }
            }
            Err(e) => {
                eprintln!("parcours-web-e2e: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let site = PathBuf::from(value("--site").unwrap_or_else(|| "target/web".into()));
    let out = PathBuf::from(value("--out").unwrap_or_else(|| "target/e2e/web".into()));
    match run(&site, &out) {
        Ok((passed, failed)) => {
            println!("e2e: {passed} passed, {failed} failed");
            if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(e) => {
            println!("e2e: 0 passed, 1 failed\n    {e}");
            ExitCode::FAILURE
        }
    }
}
