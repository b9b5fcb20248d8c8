//! The web app's static server: loopback only, stopped for real (its port closed) to play "no
//! network", and, for the bench, sending files brotli-compressed as a real host does.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::wait_for;
use crate::webdriver::Result;

/// A file's type by its extension: what a static host must say for the app to run (`.wasm` above all).
pub fn mime(path: &Path) -> &'static str {
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
pub fn file_for(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let relative = Path::new(path.trim_start_matches('/'));
    if relative.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = root.join(relative);
    let file = if path.ends_with('/') { file.join("index.html") } else { file };
    file.is_file().then_some(file)
}

/// Answers one request: the file, or 404. With `packed` (files by path, brotli), a browser that takes
/// brotli gets the file so, as from a real host.
fn answer(root: &Path, stream: TcpStream, log: &Mutex<Vec<(String, u16)>>, packed: &Packed, held: &Held) {
    let mut reader = BufReader::new(&stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // The rest of the request's head: whether it takes brotli, and the version it has (`If-None-Match`).
    let mut header = String::new();
    let (mut takes_brotli, mut has) = (false, None);
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        let lower = header.to_ascii_lowercase();
        takes_brotli |= lower.starts_with("accept-encoding:") && lower.contains("br");
        if lower.starts_with("if-none-match:") {
            has = Some(header["if-none-match:".len()..].trim().to_owned());
        }
        header.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    // A file held back ([`Server::hold`]) is answered once released.
    let path = target.split(['?', '#']).next().unwrap_or_default().to_owned();
    while held.lock().is_ok_and(|h| h.as_deref().is_some_and(|held| path.ends_with(held))) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut out = &stream;
    let found = file_for(root, &target).and_then(|f| std::fs::read(&f).ok().map(|b| (f, b)));
    let status = match &found {
        None => 404,
        // The version a browser already has, as a host says it: the file is not sent again.
        Some((_, body)) if has.as_deref() == Some(etag(body).as_str()) => 304,
        Some(_) => 200,
    };
    if let Ok(mut log) = log.lock() {
        log.push((target.clone(), status));
    }
    let _ = match found {
        Some((_, body)) if status == 304 => out.write_all(
            format!("HTTP/1.1 304 Not Modified\r\nETag: {}\r\nConnection: close\r\n\r\n", etag(&body)).as_bytes(),
        ),
        Some((file, body)) => {
            let brotli = packed.get(&file).filter(|_| takes_brotli);
            let (encoding, sent) = match brotli {
                Some(small) => ("Content-Encoding: br\r\nVary: Accept-Encoding\r\n", small.as_slice()),
                None => ("", body.as_slice()),
            };
            out.write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {}\r\n{encoding}Content-Length: {}\r\nCache-Control: no-cache\r\nETag: {}\r\nConnection: close\r\n\r\n",
                    mime(&file),
                    sent.len(),
                    etag(&body)
                )
                .as_bytes(),
            )
            .and_then(|()| out.write_all(sent))
        }
        None => out.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
}

/// A file's version as a host names it (an entity tag): from its bytes.
fn etag(body: &[u8]) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

/// The static server: stopped for real (its port closed), so the browser gets "connection refused" as
/// with no network, and started again on the same port.
pub struct Server {
    pub port: u16,
    /// Each request's target and the status it was answered with.
    pub log: Arc<Mutex<Vec<(String, u16)>>>,
    stop: Arc<AtomicBool>,
    held: Held,
}

/// The end of the path of the file whose requests wait ([`Server::hold`]).
type Held = Arc<Mutex<Option<String>>>;

impl Server {
    /// Answers no request for a path ending in `file` (`Some`) until released (`None`): what the page
    /// does without it shows meanwhile.
    pub fn hold(&self, file: Option<&str>) {
        if let Ok(mut held) = self.held.lock() {
            *held = file.map(str::to_owned);
        }
    }

    /// Closes the port; returns once a connection is refused.
    pub fn stop(&self) -> Result {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        wait_for("the server's stop", || TcpStream::connect(("127.0.0.1", self.port)).is_err())
    }
}

/// Files compressed with brotli, by path.
pub type Packed = HashMap<PathBuf, Vec<u8>>;

/// Every file under `root` compressed as a host serves it (`brotli -q 11`), once.
pub fn pack(root: &Path) -> Result<Packed> {
    fn files(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { files(&path, found) } else { found.push(path) }
        }
    }
    let mut found = Vec::new();
    files(root, &mut found);
    let mut packed = Packed::new();
    for path in found {
        let out =
            Command::new("brotli").args(["-c", "-q", "11"]).arg(&path).output().map_err(|e| format!("brotli: {e}"))?;
        packed.insert(path, out.stdout);
    }
    Ok(packed)
}

/// Serves `root` on 127.0.0.1:`port` (0: any free port) from a thread, uncompressed.
pub fn serve(root: PathBuf, port: u16) -> Result<Server> {
    serve_packed(root, port, Packed::new())
}

/// [`serve`], with the files of `packed` sent compressed to a browser that takes brotli.
pub fn serve_packed(root: PathBuf, port: u16, packed: Packed) -> Result<Server> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on {port}: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let log = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let (packed, held) = (Arc::new(packed), Held::default());
    let (requests, stopped, holding) = (log.clone(), stop.clone(), held.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            let (root, log, packed, held) = (root.clone(), requests.clone(), packed.clone(), holding.clone());
            std::thread::spawn(move || answer(&root, stream, &log, &packed, &held));
        }
    });
    Ok(Server { port, log, stop, held })
}

/// Every script, style, font, picture and wasm the page asked of its origin is a file of the site: none
/// the site leaves out (Leaflet's marker and layer pictures: the map draws its own) was wanted.
pub fn not_in_site(seen: &[String], origin: &str, site: &Path) -> Result {
    let kinds = [".js", ".css", ".woff2", ".png", ".svg", ".wasm"];
    let paths = seen.iter().filter_map(|n| n.strip_prefix(origin)).map(|p| p.split(['?', '#']).next().unwrap_or(p));
    let asked: Vec<&str> = paths.filter(|p| kinds.iter().any(|k| p.ends_with(k))).collect();
    let missing: Vec<&&str> = asked.iter().filter(|p| !site.join(p.trim_start_matches('/')).is_file()).collect();
    if asked.len() > 5 && missing.is_empty() {
        Ok(())
    } else {
        Err(format!("asked for, not in the site: {missing:?} (of {asked:?})"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_asked_for_that_the_site_leaves_out_is_named() {
        let site = std::env::temp_dir().join(format!("parcours-site-{}", std::process::id()));
        std::fs::create_dir_all(&site).unwrap();
        for f in ["a.js", "b.css", "c.wasm", "d.woff2", "e.png", "f.svg"] {
            std::fs::write(site.join(f), b"x").unwrap();
        }
        let origin = "http://127.0.0.1:1";
        let asked = ["a.js?v=1", "b.css", "c.wasm", "d.woff2", "e.png#x", "f.svg", "visite.parcours"];
        let mut seen: Vec<String> = asked.iter().map(|f| format!("{origin}/{f}")).collect();
        seen.push("https://elsewhere.example/g.png".into());
        assert_eq!(super::not_in_site(&seen, origin, &site), Ok(()));
        seen.push(format!("{origin}/leaflet/images/marker-icon.png"));
        let said = super::not_in_site(&seen, origin, &site).unwrap_err();
        assert!(said.contains("/leaflet/images/marker-icon.png"), "{said}");
        assert!(super::not_in_site(&seen[..2], origin, &site).is_err(), "too few asked to tell");
        std::fs::remove_dir_all(&site).unwrap();
    }
}
