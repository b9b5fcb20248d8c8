//! The web app end to end in the three engines phones run — Chromium (Debian's `chromium` and
//! `chromedriver`), WebKit (WebKitGTK's `MiniBrowser` and `WebKitWebDriver`) and Gecko (Debian's
//! `firefox-esr` and `geckodriver`): the site built by `cargo xtask web` (target/web) served on loopback by a small static server of this binary's own,
//! the interface talking to the command layer in its Worker, the pack opened from the bytes the server
//! sent. Prints `e2e: N passed, M failed` like the desktop run. `--serve DIR --port N` only serves.
//!
//! Usage: parcours-web-e2e --engine chromium|webkit|firefox --site target/web --out target/e2e/web-<engine>
//! --walk green.gpx (`parcours simulate --route green`)
//!
//! Chromium plays the whole scenario (`scenario`). WebKit and Firefox play the one every engine must
//! pass (`every_engine`); what their drivers cannot do (a geolocation override, DevTools) is said by
//! name, and the rest is done.

// Shared with the desktop run, which uses other parts of it.
#[allow(dead_code)]
#[path = "webdriver.rs"]
mod webdriver;

#[path = "audit.rs"]
mod audit;

#[path = "booklet.rs"]
mod booklet;

// Shared with the desktop run, which uses other parts of it.
#[allow(dead_code)]
#[path = "visits.rs"]
mod visits;
// The processes of a run (the desktop run uses other parts of it).
#[allow(dead_code)]
mod procs;
// The hand-over's code shown, photographed and read back in the browser.
mod handover;
// The static server, and the bench of the web app.
mod server;
mod web_bench;

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode};
use std::time::{Duration, Instant};

use handover::{bad_photos_refused, code_photographed, code_shown, read_from_photo};
use serde_json::json;
use server::{Server, serve};
use webdriver::{Result, Session};

const NOW: &str = "2024-10-03T10:30";

/// The three engines phones run, each through its own WebDriver server.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Engine {
    /// Chrome on Android: Debian's `chromium`, headless, through `chromedriver`.
    Chromium,
    /// Safari and every iPhone browser: WebKitGTK's `MiniBrowser` under Xvfb, through `WebKitWebDriver`.
    WebKit,
    /// Firefox: Debian's `firefox-esr`, headless, through `geckodriver`.
    Gecko,
}

const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

impl Engine {
    fn from_name(name: &str) -> Option<Engine> {
        match name {
            "chromium" => Some(Engine::Chromium),
            "webkit" => Some(Engine::WebKit),
            "firefox" => Some(Engine::Gecko),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::WebKit => "webkit",
            Engine::Gecko => "firefox",
        }
    }
}

/// A WebDriver server (in its own process group, with the browsers it starts) and, for WebKit, the
/// Xvfb it draws in; all ended when dropped.
struct Driver {
    child: Child,
    xvfb: Option<Child>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // WebKitWebDriver and geckodriver leave their browser behind if killed alone: end the group.
        let _ = Command::new("kill").args(["-TERM", "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.wait();
        if let Some(x) = &mut self.xvfb {
            let _ = Command::new("kill").args(["-TERM", &x.id().to_string()]).status();
            let _ = x.wait();
        }
    }
}

/// Xvfb on a display it picks (`-displayfd`); the display's name.
fn start_xvfb() -> Result<(Child, String)> {
    let mut xvfb = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    let mut line = String::new();
    if let Some(stdout) = xvfb.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    if line.trim().is_empty() {
        let _ = xvfb.kill();
        return Err("Xvfb did not report its display".into());
    }
    Ok((xvfb, format!(":{}", line.trim())))
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

const NOTE_TEXT: &str = "Demander le planning des ateliers";
const TITLE_TEXT: &str = "Un café numérique chaque mardi";

/// The steps' tally; a failed step leaves a screenshot.
struct Tally<'a> {
    out: &'a Path,
    engine: Engine,
    passed: u32,
    failed: u32,
}

impl Tally<'_> {
    /// Runs one step, timed, and counts it.
    fn step(&mut self, s: &Session, name: &str, f: impl FnOnce() -> Result) {
        let engine = self.engine.name();
        let start = Instant::now();
        let result = f();
        let took = start.elapsed().as_secs_f64();
        match result {
            Ok(()) => {
                println!("test web ({engine}): {name} ... ok ({took:.1} s)");
                self.passed += 1;
            }
            Err(e) => {
                println!("test web ({engine}): {name} ... FAILED ({took:.1} s)\n    {e}");
                let _ = s.screenshot(&self.out.join(format!("FAILED-{}.png", name.replace([' ', '/', ':'], "-"))));
                self.failed += 1;
            }
        }
    }
}

/// The browser of `engine` with the profile `profile` (kept across a restart where the engine allows
/// it), at 360×780; Chromium's DevTools events logged.
fn browser(engine: Engine, driver: &str, profile: &Path) -> Result<Session> {
    let caps = match engine {
        Engine::Chromium => json!({
            "browserName": "chrome",
            "goog:loggingPrefs": {"performance": "ALL"},
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                         "--touch-events=enabled",
                         format!("--user-data-dir={}", profile.display())]
            }
        }),
        // MiniBrowser has no profile option: its data goes where WebKitWebDriver's environment says
        // (XDG_DATA_HOME, set in `start_driver`), and an automation session may keep it in memory only.
        Engine::WebKit => json!({
            "browserName": "MiniBrowser",
            "webkitgtk:browserOptions": {"binary": MINIBROWSER, "args": ["--automation"]}
        }),
        // `-profile`: geckodriver runs Firefox on that folder itself (not a copy), so a restart finds it.
        Engine::Gecko => {
            // Firefox's toolbars keep its window 500 px wide at least: without their minimum widths
            // (the profile's userChrome.css, read with the pref below) the page is a phone's 360 px.
            write_file(
                &profile.join("chrome/userChrome.css"),
                ":root, #navigator-toolbox, toolbar, toolbaritem, #urlbar-container, #nav-bar, hbox, vbox { min-width: 0 !important; }\n",
            )?;
            json!({
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "binary": "/usr/bin/firefox-esr",
                    "args": ["-headless", "-profile", profile.display().to_string()],
                    "prefs": {
                        "toolkit.legacyUserProfileCustomizations.stylesheets": true,
                        // Nothing of Firefox's own goes to the network (there is none in CI).
                        "app.update.enabled": false,
                        "network.captive-portal-service.enabled": false,
                        "network.connectivity-service.enabled": false,
                        "browser.safebrowsing.malware.enabled": false,
                        "browser.safebrowsing.phishing.enabled": false,
                        "datareporting.policy.dataSubmissionEnabled": false,
                        "toolkit.telemetry.enabled": false,
                        "extensions.update.enabled": false
                    }
                }
            })
        }
    };
    let s = Session::start_with(driver, caps)?;
    s.set_size(360, 780)?;
    Ok(s)
}

/// The addresses the page asked for, from the DevTools events logged since the last call.
fn requested(s: &Session) -> Result<Vec<String>> {
    Ok(s.log("performance")?
        .iter()
        .filter_map(|e| serde_json::from_str::<serde_json::Value>(e["message"].as_str()?).ok())
        .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
        .filter_map(|m| m["message"]["params"]["request"]["url"].as_str().map(str::to_owned))
        .collect())
}

/// A first visit opened with the worker's wasm held back by the server: the home screen shows from the
/// visit's summary (its title, its routes), then the wasm is let through.
fn summary_first(s: &Session, server: &Server, home: &str) -> Result {
    server.hold(Some("parcours_web_bg.wasm"));
    let shown = s.navigate(home).and_then(|()| {
        s.wait_text("h1", "Inclusion numérique")?;
        s.wait(".route-choice.route-pink")
    });
    server.hold(None);
    shown?;
    // Once the worker answers, its visit is the summary's: nothing drawn again.
    not_redrawn(s)
}

/// Once the worker's visit is in, the page was not drawn again from it: it never showed another visit
/// first (the site's summary when another visit is open).
fn not_redrawn(s: &Session) -> Result {
    wait_for("the visit from the worker", || {
        s.script("return performance.getEntriesByName('parcours-pack-checked').length").is_ok_and(|v| v == 1)
    })?;
    let redrawn = s.script("return performance.getEntriesByName('parcours-pack-redrawn').length")?;
    check(redrawn == 0, || "the page showed another visit first, then was drawn again".into())
}

/// The files of the site sent whole more than once so far, and how many times: what the page downloaded,
/// the service worker should keep without downloading it again (the server says "not modified"). The
/// page and the worker are left out: the tests open them with a fixed clock (`?now=`), another address
/// for the HTTP cache.
fn sent_twice(server: &Server) -> Vec<(String, usize)> {
    let log = server.log.lock().map(|log| log.clone()).unwrap_or_default();
    let mut sent: std::collections::BTreeMap<String, usize> = Default::default();
    for (target, status) in &log {
        let path = target.split('?').next().unwrap_or_default();
        if *status == 200 && !matches!(path, "/" | "/index.html" | "/worker.js") {
            *sent.entry(path.to_owned()).or_default() += 1;
        }
    }
    sent.into_iter().filter(|(_, n)| *n > 1).collect()
}

/// [`sent_twice`] finds nothing.
fn sent_once(server: &Server) -> Result {
    let twice = sent_twice(server);
    check(twice.is_empty(), || format!("sent more than once: {twice:?}"))
}

/// Until the service worker controls the page.
fn controlled(s: &Session) -> Result {
    let on = s.script_async(
        "navigator.serviceWorker.ready.then(() => { let n = 0; const t = setInterval(() => { \
         if (navigator.serviceWorker.controller || ++n > 100) { clearInterval(t); done(!!navigator.serviceWorker.controller); } }, 100); })",
    )?;
    check(on == true, || "no service worker controls the page".into())
}

/// The track points of a GPX file (lat, lon).
fn track(gpx: &str) -> Vec<(f64, f64)> {
    let attr = |tag: &str, name: &str| -> Option<f64> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        tag[start..].split('"').next()?.parse().ok()
    };
    gpx.split("<trkpt").skip(1).filter_map(|t| Some((attr(t, "lat")?, attr(t, "lon")?))).collect()
}

fn my_worksheets_say(s: &Session, text: &str) -> Result {
    tab(s, 4)?;
    s.click_css("ul.menu li:nth-child(1) button")?;
    s.wait_text("h1", "Ateliers")?;
    s.wait_text(".my-worksheets", text).map(|_| ())
}

/// The day's home screen from the pack the worker opened (its clock at 10:30: the walk is on now), the
/// service worker in control with its `parcours-*` cache, and no banner saying nothing is kept.
fn day_kept(s: &Session) -> Result {
    s.wait_text("h1", "Inclusion numérique")?;
    s.wait_text(".now-next", "Visite")?;
    controlled(s)?;
    let caches = s.script_async("caches.keys().then(done)")?;
    check(
        caches.as_array().is_some_and(|k| k.iter().any(|k| k.as_str().is_some_and(|k| k.starts_with("parcours-")))),
        || format!("caches: {caches}"),
    )?;
    // The icon the page names is there (a browser asks for /favicon.ico, and gets a 404, without one).
    let icon = s.script_async(
        "const l = document.querySelector('link[rel=icon]'); l ? fetch(l.href).then((r) => done(r.status), (e) => done(String(e))) : done('no icon')",
    )?;
    check(icon == 200, || format!("the page's icon: {icon}"))?;
    s.frames(10)?;
    check(s.find_all("#temporary-banner")?.is_empty() && s.find_all("#elsewhere-banner")?.is_empty(), || {
        "the page says nothing is kept".into()
    })
}

/// From the map's list, the ESCM's page, and a note typed there until it says Enregistré.
fn note_on_escm(s: &Session) -> Result {
    s.click_css(".stop-item[data-stop='escm']")?;
    s.wait_text("h1", "ESCM")?;
    s.settled()?;
    s.click_css("#stop-notes")?;
    let note = s.wait("#stop-notes")?;
    s.type_text(&note, NOTE_TEXT)?;
    s.script("document.activeElement.blur(); return true")?;
    s.wait_text(".notes .save-status", "✓ Enregistré à 10 h").map(|_| ())
}

/// Initiatives: "malegarie" through the pack's FTS5 index in the worker finds the Cyberbase.
fn search_malegarie(s: &Session) -> Result {
    tab(s, 4)?;
    s.click_css("ul.menu li:nth-child(2) button")?;
    s.wait_text("h1", "Initiatives")?;
    let input = s.wait("#search-input")?;
    s.type_text(&input, "malegarie")?;
    s.click_css("form.search button[type='submit']")?;
    s.wait(".result[data-id='cyberbase-malegarie']").map(|_| ())
}

/// A new worksheet of "Aller vers", its title typed until it says Enregistré.
fn new_worksheet(s: &Session) -> Result {
    tab(s, 4)?;
    s.click_css("ul.menu li:nth-child(1) button")?;
    s.wait_text("h1", "Ateliers")?;
    s.click_css("[data-new-worksheet='aller-vers']")?;
    s.wait_text("h1", "Fiche chantier")?;
    s.click_css("textarea[data-field='titre']")?;
    let field = s.wait("textarea[data-field='titre']")?;
    s.type_text(&field, TITLE_TEXT)?;
    s.wait_text(".save-status", "✓ Enregistré à 10 h").map(|_| ())
}

struct Setup<'a> {
    site: &'a Path,
    origin: String,
    driver: String,
    profile: PathBuf,
    /// The simulated green walk (GPX from `parcours simulate`), if there is one.
    walk: Vec<(f64, f64)>,
}

fn scenario(setup: &Setup, server: Server, t: &mut Tally) -> Result {
    let origin = setup.origin.as_str();
    let home = format!("{origin}/?now={NOW}");
    let out = t.out.to_owned();
    let mut seen: Vec<String> = Vec::new();
    let s = browser(Engine::Chromium, &setup.driver, &setup.profile)?;
    t.step(&s, "a first visit: the home screen from the visit's summary, before the worker's wasm", || {
        summary_first(&s, &server, &home)
    });
    t.step(
        &s,
        "a first visit with the network: the day from the pack the worker opened, the service worker keeps the app",
        || {
            // The person says yes to the location (asked for when the map first shows).
            s.permit("geolocation")?;
            day_kept(&s)?;
            controlled(&s)?;
            sent_once(&server)?;
            s.screenshot(&out.join("web-phone-1-home.png"))
        },
    );
    t.step(&s, "the server stopped, a reload opens the whole app from the service worker", || {
        server.stop()?;
        s.navigate(&home)?;
        s.wait_text("h1", "Inclusion numérique")?;
        s.wait_text(".now-next", "Visite")?;
        controlled(&s)
    });
    t.step(&s, "offline: the pink route opens its map with the numbered stops and the attribution", || {
        s.click_css(".route-choice.route-pink")?;
        s.wait_text("h1", "Parcours rose")?;
        s.wait(".leaflet-marker-icon")?;
        let markers = s.find_all(".leaflet-marker-icon")?.len();
        check(markers >= 3, || format!("{markers} stops on the map"))?;
        s.wait_text(".map-attribution", "© OpenStreetMap contributors")?;
        // The walking plan along the streets came from the worker (A* in wasm).
        s.wait_text(".next-card", "Collectif Social Web")?;
        // No position yet: the way in words comes from the plan's leg, from the stop before.
        s.wait_text("#way-from", "Depuis Cyberbase de l'École Charles Malégarie")?;
        s.wait_text("#way-text", "au bout de la rue, tournez à gauche dans l'allée Marcel Breuer")?;
        s.screenshot(&out.join("web-phone-2-map.png"))
    });
    t.step(
        &s,
        "offline: the map by keyboard: Tab reaches a stop, Enter or Space opens it; zoom named in French",
        || audit::map_by_keyboard(&s),
    );
    t.step(&s, "offline: a stop's page, and a note saved on it", || {
        note_on_escm(&s)?;
        s.screenshot(&out.join("web-phone-3-stop.png"))?;
        s.click_css(".back")?;
        s.wait(".stop-item").map(|_| ())
    });
    t.step(&s, "offline: easy-read first, the full text on request; Écouter only with a voice", || {
        s.click_css(".stop-item[data-stop='collectif-social-web']")?;
        s.wait_text("h1", "Collectif Social Web")?;
        s.settled()?;
        audit::easy_read_and_listen(&s, "fr")?;
        s.click_css(".back")?;
        s.wait(".stop-item").map(|_| ())
    });
    t.step(&s, "offline, no fixed clock: the event's time of day from the browser's own time zones", || {
        local_clock(&s, &home)
    });
    t.step(&s, "offline: the programme marks the item of 10:30", || {
        tab(&s, 3)?;
        s.wait_text("li.current", "En ce moment")?;
        check(s.find_all("li.current")?.len() == 1, || "more than one current item".into())
    });
    t.step(&s, "offline: search through the pack's FTS5 index in the worker finds malegarie", || {
        search_malegarie(&s)?;
        s.screenshot(&out.join("web-phone-4-search.png"))
    });
    t.step(&s, "offline: a worksheet is typed until it says Enregistré", || {
        new_worksheet(&s)?;
        s.screenshot(&out.join("web-phone-5-worksheet.png"))?;
        save_round_trips(&s, Engine::Chromium)
    });
    t.step(
        &s,
        "offline: a walk from the browser's geolocation: the first stop reached opens its page, the next stop moves on",
        || {
            check(setup.walk.len() > 10, || format!("the simulated walk has {} points", setup.walk.len()))?;
            // The green route starts at the venue, the Collège Albert Camus, whose position is precise.
            tab(&s, 1)?;
            s.click_css(".route-choice.route-green")?;
            s.wait_text("h1", "Parcours vert")?;
            let mut arrived = false;
            // A position a second or so: one every 5 s goes on (`FixGate`), and arriving takes two.
            for (n, (lat, lon)) in setup.walk.iter().take(12).enumerate() {
                // A new position each time (a still group's fixes wander a little).
                let lat = lat + n as f64 * 1e-6;
                s.cdp("Emulation.setGeolocationOverride", json!({"latitude": lat, "longitude": lon, "accuracy": 8}))?;
                std::thread::sleep(Duration::from_millis(1200));
                if s.script("return document.querySelector('.arrived') !== null")? == true {
                    arrived = true;
                    break;
                }
            }
            check(arrived, || "no arrival after 12 positions at the venue".into())?;
            s.wait_text("h1", "Collège Albert Camus")?;
            s.wait_text(".arrived", "Vous êtes arrivés")?;
            s.screenshot(&out.join("web-phone-6-arrived.png"))?;
            s.click_css(".back")?;
            s.wait_text(".next-card", "Prochaine étape 2")?;
            s.wait_text(".next-card", "ESCM")?;
            // Back to the pink route for what follows.
            tab(&s, 1)?;
            s.click_css(".route-choice.route-pink")?;
            s.wait_text("h1", "Parcours rose").map(|_| ())
        },
    );
    t.step(&s, "offline: positions along a leg write the map and the texts, and keep the card's, the way's and the status lines' elements; one every 5 s goes on", || {
        // On the pink route (the step before chose it), from near the venue: far from its first stop.
        tab(&s, 2)?;
        let dot = "return document.querySelector('path.me')?.getAttribute('d') ?? ''";
        // A position, then `ms` for the map to take it; the dot as drawn then.
        let place = |(lat, lon): (f64, f64), ms: u64| -> Result<serde_json::Value> {
            s.cdp("Emulation.setGeolocationOverride", json!({"latitude": lat, "longitude": lon, "accuracy": 8}))?;
            std::thread::sleep(Duration::from_millis(ms));
            s.script(dot)
        };
        // Over the gate's 5 s (`FixGate`): each goes on.
        let at = |n: usize| place(setup.walk[n], 5200).map(|_| ());
        // Where the group starts walking (it waits at the venue first).
        let off = setup.walk.iter().position(|p| *p != setup.walk[0]).unwrap_or(0);
        at(off)?;
        s.wait("#way-text")?;
        s.wait(".next-card .actions")?;
        let first = s.script(dot)?;
        // Every change to the card's buttons and to the way's parts is counted (a part drawn again
        // would end a reading, "Écouter", and lose the focus of whoever is on it).
        // The status line too: Chromium's position override reports a lost position before each new one,
        // as a phone does under trees; "Votre position est le point bleu." stays (the card is a live region:
        // a line made again, or flipping to "Position inconnue", would be read out at each position).
        s.script(
            "window.parcoursChanged = []; const seen = new MutationObserver((records) => window.parcoursChanged.push(...records.map((r) => r.type + ' ' + r.target.nodeName))); \
             seen.observe(document.querySelector('.next-card .actions'), {subtree: true, childList: true, attributes: true}); \
             seen.observe(document.querySelector('.way-in-words'), {childList: true}); \
             seen.observe(document.querySelector('.geo-status'), {subtree: true, childList: true, characterData: true, attributes: true}); \
             window.parcoursKept = [...document.querySelectorAll('.geo-status, .walk-summary')]; return true",
        )?;
        // Each override reports a lost position first: timers of a second or more are counted (the lost
        // position's wait: one at a time, not one per loss).
        s.script("window.parcoursLong = 0; const st = window.setTimeout; window.setTimeout = function (f, ms, ...a) { if (ms >= 1000) window.parcoursLong++; return st.call(this, f, ms, ...a); }; return true")?;
        for n in [3, 6] {
            at(off + n)?;
        }
        let before = s.script(dot)?;
        at(off + 9)?;
        let last = s.script(dot)?;
        check(last != first && last != before, || "the dot did not move: the positions were not taken".into())?;
        let changed = s.script("return window.parcoursChanged")?;
        check(changed.as_array().is_some_and(Vec::is_empty), || format!("drawn again at each position: {changed}"))?;
        let kept = s.script("return window.parcoursKept.length === 2 && window.parcoursKept.every((e) => e.isConnected)")?;
        check(kept == json!(true), || "the status lines were made again at a position".into())?;
        s.wait_text(".geo-status", "Votre position est le point bleu.")?;
        // Further on the same way, 1.6 px on screen: not drawn (Leaflet would round it to a pixel or two);
        // 4 px: drawn. The scale, from the dot's last move (its path starts at its left edge).
        let centre = |d: &serde_json::Value| -> Option<(f64, f64)> {
            let mut n = d.as_str()?.trim_start_matches('M').split(['a', ',', ' ']).filter_map(|v| v.parse::<f64>().ok());
            let (x, y, r) = (n.next()?, n.next()?, n.next()?);
            Some((x + r, y))
        };
        let ((x0, y0), (x1, y1)) = centre(&before).zip(centre(&last)).ok_or_else(|| format!("dot {before} {last}"))?;
        let moved_px = (x1 - x0).hypot(y1 - y0);
        let ((lat0, lon0), (lat1, lon1)) = (setup.walk[off + 6], setup.walk[off + 9]);
        let further = |px: f64| {
            let k = 1.0 + px / moved_px;
            place((lat0 + (lat1 - lat0) * k, lon0 + (lon1 - lon0) * k), 5200)
        };
        check(further(1.6)? == last, || format!("a move of 1.6 px was drawn ({moved_px:.1} px before)"))?;
        let moved = further(4.0)?;
        check(moved != last, || format!("a move of 4 px was not drawn ({moved_px:.1} px before)"))?;
        // The phone's positions a second apart: one every 5 s goes on. A position 1 s after the last that
        // went on changes nothing, however far (18 m); one 5 s after does.
        let position = |n: usize, ms: u64| place(setup.walk[off + n], ms);
        let gone_on = position(12, 1200)?;
        check(gone_on != moved, || "a position 5 s after the last one did not go on to the map".into())?;
        check(position(15, 4000)? == gone_on, || "a position 1 s after the last one went on to the map".into())?;
        check(position(18, 1200)? != gone_on, || "a position 5 s after the last one did not go on to the map".into())?;
        let long = s.script("return window.parcoursLong")?;
        check(long.as_u64().is_some_and(|n| (1..=4).contains(&n)), || format!("{long} waits of a second or more over 8 losses"))
    });
    t.step(&s, "offline: a position lost is said after 20 s without one, not before; back, it is said", || {
        // Chromium's override with no position: the device has none (under a roof), until one is set.
        s.cdp("Emulation.setGeolocationOverride", json!({}))?;
        std::thread::sleep(Duration::from_secs(10));
        s.wait_text(".geo-status", "Votre position est le point bleu.")?;
        s.wait_text_within(".geo-status", "Position inconnue", Duration::from_secs(15))?;
        let (lat, lon) = setup.walk[setup.walk.len() / 2];
        s.cdp("Emulation.setGeolocationOverride", json!({"latitude": lat, "longitude": lon, "accuracy": 8}))?;
        s.wait_text(".geo-status", "Votre position est le point bleu.").map(|_| ())
    });
    t.step(&s, "offline: the ready screen says this version is kept and where the data is", || {
        let sw = std::fs::read_to_string(setup.site.join("sw.js")).map_err(|e| e.to_string())?;
        let build =
            sw.split("const BUILD = \"").nth(1).and_then(|b| b.split('"').next()).unwrap_or_default().to_owned();
        tab(&s, 4)?;
        s.click_css("#to-ready")?;
        s.wait_text(".readiness", &format!("L'appli est gardée pour marcher sans réseau (version {build})"))?;
        s.wait_text(".readiness", "Fiches : 1")?;
        s.screenshot(&out.join("web-phone-7-ready.png"))?;
        tab(&s, 4)?;
        s.click_css("#to-install")?;
        s.wait_text("h1", "Installer sur l'écran d'accueil")?;
        s.wait_text("main", "Sur l'écran d'accueil")?;
        s.screenshot(&out.join("web-phone-8-install.png"))
    });
    t.step(
        &s,
        "offline: hand-over in the browser: the code shown, photographed, read back from the photo; bad photos refused",
        || {
            code_shown(&s)?;
            let picture = out.join("web-qr-code-on-screen.png");
            code_photographed(&s, &picture)?;
            // The files go out through the browser (a download here: no share sheet on Linux).
            s.click_css("#save-files")?;
            s.wait_text("#saved-json", ".json")?;
            read_from_photo(&s, &picture)?;
            s.screenshot(&out.join("web-phone-8b-received.png"))?;
            bad_photos_refused(&s, &out)
        },
    );
    t.step(&s, "offline: accessibility audit of every screen at 360×780, 1024×768 and 320 px with 200 % text (axe WCAG 2.2 A/AA, keyboard, layout)", || {
        audit::audit(&s, true)
    });
    t.step(&s, "offline: the pseudo-locales en-XA (accented, 40 % longer) and ar-XB (right to left): every screen passes the audit, the layout mirrors", || {
        audit::pseudo_locales(&s, true, &out)
    });
    t.step(&s, "offline: after a reload the worksheet and the note are still there", || {
        s.navigate(&home)?;
        s.wait_text("h1", "Parcours rose")?;
        s.click_css(".stop-item[data-stop='escm']")?;
        s.wait_text("h1", "ESCM")?;
        s.wait("#stop-notes")?;
        let note = s.script("return document.getElementById('stop-notes').value")?;
        check(note == NOTE_TEXT, || format!("the note says {note}"))?;
        my_worksheets_say(&s, TITLE_TEXT)
    });
    t.step(
        &s,
        "offline: another visit opened from a file, then back to this one: each keeps its own worksheets",
        || {
            let file = visits::second_visit(&out.join("visits"))?;
            tab(&s, 4)?;
            s.click_css("#to-visits")?;
            s.wait_text(".visit[data-visit='bayonne-2024'] .visit-current", "Visite ouverte")?;
            visits::hostile_colour_refused(&s, &visits::with_hostile_colour(&file)?)?;
            visits::offer(&s, &file, "Une visite que cet appareil n'a pas encore")?;
            s.click_css("#visit-keep")?;
            s.wait_text("#visit-status", &format!("Cette visite est ouverte : {}", visits::SECOND_TITLE))?;
            s.screenshot(&out.join("web-phone-8-visits.png"))?;
            s.click_css("#visit-go")?;
            s.wait_text("h1", visits::SECOND_TITLE)?;
            not_redrawn(&s)?;
            // Its own map: its one route, its three stops on its own streets.
            s.click_css(".route-choice")?;
            tab(&s, 2)?;
            s.wait(".leaflet-marker-icon")?;
            let stops = s.find_all(".stop-item")?.len();
            check(stops == 3, || format!("{stops} stops listed on the second visit's map"))?;
            s.wait_text(".map-attribution", "Plan d'essai de Parcours")?;
            s.wait_text(".stop-item[data-stop='espace-jeunes']", "Espace jeunes")?;
            visits::second_stop_page(&s)?;
            let findings = audit::axe(&s)?;
            check(findings.is_empty(), || format!("{findings:?}"))?;
            s.screenshot(&out.join("web-phone-8b-second-visit-stop.png"))?;
            tab(&s, 1)?;
            my_worksheets_say(&s, "Pas encore de fiche")?;
            // The choice is kept across a reload (the page opens on its route's map), then Bayonne
            // again, with its worksheet.
            s.navigate(&home)?;
            s.wait_text(".brand", "Parcours · Ville-Test")?;
            // Never Bayonne's summary first: the site's visit is not the one open.
            not_redrawn(&s)?;
            tab(&s, 4)?;
            s.click_css("#to-visits")?;
            s.click_css(".visit[data-visit='bayonne-2024'] .visit-switch")?;
            s.wait_text("h1", "Inclusion numérique dans les quartiers prioritaires")?;
            not_redrawn(&s)?;
            s.click_css(".route-pink")?;
            my_worksheets_say(&s, TITLE_TEXT)
        },
    );
    t.step(&s, "offline: a file carrying Bayonne's id from another key is kept beside it, never in its place", || {
        tab(&s, 4)?;
        s.click_css("#to-visits")?;
        visits::bayonne_stays(&s, &out.join("visits"))?;
        s.click_css(".route-pink")?;
        my_worksheets_say(&s, TITLE_TEXT)
    });
    t.step(&s, "offline: the paper booklet on its screen, printed without the app around it", || {
        tab(&s, 4)?;
        booklet::open(&s)?;
        s.screenshot(&out.join("web-phone-8b-booklet.png"))?;
        booklet::printed(&s, &out.join("livret-web.pdf"))
    });
    t.step(&s, "a second tab is told the data is open in the other one", || {
        let first = s.new_tab()?;
        s.navigate(&home)?;
        s.wait_text("#elsewhere-banner", "déjà ouvert dans un autre onglet")?;
        s.screenshot(&out.join("web-phone-9-second-tab.png"))?;
        s.close_tab()?;
        s.switch_to(&first)
    });
    t.step(&s, "at tablet size, offline", || {
        s.set_size(1024, 768)?;
        tab(&s, 2)?;
        s.wait(".leaflet-marker-icon")?;
        s.screenshot(&out.join("web-tablet-1-map.png"))?;
        s.set_size(360, 780)
    });
    seen.extend(requested(&s)?);
    let _ = s.end();
    let s = browser(Engine::Chromium, &setup.driver, &setup.profile)?;
    t.step(&s, "the browser restarted with the same profile, still offline: the data is still there", || {
        s.navigate(&home)?;
        s.wait_text("h1", "Parcours rose")?;
        my_worksheets_say(&s, TITLE_TEXT)
    });
    // The site's stored files cleared (as a browser short of space would): Chromium gives OPFS back
    // only to a new browser process, as after the phone's next start.
    let server = serve(setup.site.to_owned(), server.port)?;
    s.cdp("Storage.clearDataForOrigin", json!({"origin": origin, "storageTypes": "file_systems"}))?;
    seen.extend(requested(&s)?);
    let _ = s.end();
    let s = browser(Engine::Chromium, &setup.driver, &setup.profile)?;
    t.step(&s, "the site's stored data cleared: the app starts again and says the saved data is gone", || {
        s.navigate(&home)?;
        s.wait_text("#data-gone-banner", "ont été effacées")?;
        s.screenshot(&out.join("web-phone-10-data-gone.png"))?;
        s.click_css("#data-gone-banner button")?;
        my_worksheets_say(&s, "Pas encore de fiche")
    });
    let server = {
        let (site, port) = (setup.site.to_owned(), server.port);
        let next = std::env::temp_dir().join(format!("parcours-web-next-{}", std::process::id()));
        let mut moved = None;
        t.step(&s, "a new version on the server waits in the background and is taken only on the person's tap", || {
            // The same site with another build id in sw.js: what the browser compares to update.
            copy_dir(&site, &next)?;
            let sw = std::fs::read_to_string(next.join("sw.js")).map_err(|e| e.to_string())?;
            let build =
                sw.split("const BUILD = \"").nth(1).and_then(|b| b.split('"').next()).unwrap_or_default().to_owned();
            let sw = sw.replacen(&format!("const BUILD = \"{build}\""), &format!("const BUILD = \"{build}n\""), 1);
            std::fs::write(next.join("sw.js"), sw).map_err(|e| e.to_string())?;
            server.stop()?;
            moved = Some(serve(next.clone(), port)?);
            s.navigate(&home)?;
            let ready = "Une nouvelle version de Parcours est prête";
            if s.wait_text_within("#update-banner", ready, Duration::from_secs(30)).is_err() {
                // Once in a few loaded runs the browser's check on navigation installs nothing; a person
                // opening the app again gets a new check, and so does the page here.
                println!("note: no update after the navigation's check; asking the browser to check again");
                s.script("navigator.serviceWorker.getRegistration().then((r) => r && r.update()); return true")?;
                s.wait_text_within("#update-banner", ready, Duration::from_secs(30))?;
            }
            s.screenshot(&out.join("web-phone-11-update.png"))?;
            // Until the tap, this version goes on.
            tab(&s, 4)?;
            s.click_css("#to-ready")?;
            s.wait_text(".readiness", &format!("(version {build})"))?;
            s.click_css("#update-now")?;
            s.wait_text_within("h1", "Parcours rose", Duration::from_secs(20))?;
            tab(&s, 4)?;
            s.click_css("#to-ready")?;
            s.wait_text(".readiness", &format!("(version {build}n)")).map(|_| ())
        });
        moved.unwrap_or(server)
    };
    t.step(
        &s,
        "a link to a visit on the site (?visite=…) asks, then opens it; a link elsewhere or to another file is refused, and said",
        || {
            // On the site the server now serves (the new version's copy).
            let next = std::env::temp_dir().join(format!("parcours-web-next-{}", std::process::id()));
            let file = visits::second_visit(&out.join("visits-link"))?;
            std::fs::copy(&file, next.join("ville-test-2025.parcours")).map_err(|e| e.to_string())?;
            s.navigate(&format!("{home}&visite=ville-test-2025.parcours"))?;
            // Asked on "Mes visites" before anything is kept.
            s.wait_text("#visit-offer", "Garder cette visite sur l'appareil")?;
            s.wait_text("#visit-offer", visits::SECOND_TITLE)?;
            let query = s.script("return location.search")?;
            check(query.as_str().is_some_and(|q| q.contains("now=") && !q.contains("visite")), || {
                format!("the address after the link: {query}")
            })?;
            s.click_css("#visit-keep")?;
            s.click_css("#visit-go")?;
            s.wait_text("h1", visits::SECOND_TITLE)?;
            s.navigate(&format!("{home}&visite=https://example.org/visite.parcours"))?;
            s.wait_text("#link-failed", "elle doit venir de ce site")?;
            s.wait_text("h1", visits::SECOND_TITLE)?;
            // On the site, but not a visit file: never read as one.
            s.navigate(&format!("{home}&visite=worker.js"))?;
            s.wait_text("#link-failed", "ce n'est pas un fichier de visite")?;
            tab(&s, 4)?;
            s.click_css("#to-visits")?;
            s.click_css(".visit[data-visit='bayonne-2024'] .visit-switch")?;
            s.wait_text("h1", "Inclusion numérique dans les quartiers prioritaires").map(|_| ())
        },
    );
    seen.extend(requested(&s)?);
    t.step(
        &s,
        "erasing my data in the web app, asked twice: the note is gone, and the app does not call it a loss",
        || {
            s.navigate(&home)?;
            s.wait("nav.tabs")?;
            if !s.find_all(".route-choice")?.is_empty() {
                s.click_css(".route-pink")?;
            }
            tab(&s, 2)?;
            s.click_css(".stop-item[data-stop='escm']")?;
            s.wait_text("h1", "ESCM")?;
            s.settled()?;
            s.click_css("#stop-notes")?;
            let note = s.wait("#stop-notes")?;
            s.type_text(&note, "Madame Etcheverry, 12 allée Marcel Breuer")?;
            s.script("document.activeElement.blur(); return true")?;
            s.wait_text(".notes .save-status", "✓ Enregistré")?;
            // The sentence is in the site's stored files (OPFS, in the profile folder): the check
            // below can see it.
            let typed = "12 allée Marcel Breuer";
            let holding =
                wait_for("the note in the site's files", || !site_files_holding(&setup.profile, typed).is_empty());
            check(holding.is_ok(), || "the typed note is in none of the site's files before the erase".into())?;
            tab(&s, 4)?;
            s.click_css("#to-ready")?;
            s.click_css("#erase")?;
            s.wait_text(".erase-ask", "On ne pourra pas les retrouver")?;
            s.click_css("#erase-confirm")?;
            s.wait_text("#erase-done", "Vos données ont été effacées")?;
            let left = site_files_holding(&setup.profile, typed);
            check(left.is_empty(), || format!("the erased note is still in {left:?}"))?;
            s.navigate(&home)?;
            s.wait(".route-choice")?;
            check(s.find_all("#data-gone-banner")?.is_empty(), || {
                "an erase the person asked for is shown as a loss".into()
            })?;
            s.click_css(".route-pink")?;
            tab(&s, 2)?;
            s.click_css(".stop-item[data-stop='escm']")?;
            s.wait("#stop-notes")?;
            let left = s.script("return document.getElementById('stop-notes').value")?;
            check(left == "", || format!("the note is still there: {left}"))
        },
    );
    t.step(&s, "every request of the app stayed on its own origin", || {
        let timing = s.script("return performance.getEntriesByType('resource').map(e => e.name)")?;
        seen.extend(timing.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)));
        check(seen.iter().any(|n| n.contains("worker.js?now=2024-10-03T10:30")), || format!("{seen:?}"))?;
        // Over the network (the browser's own chrome:// pages, a new tab's, are not the app's).
        let network = |n: &&String| ["http:", "https:", "ws:", "wss:"].iter().any(|p| n.starts_with(p));
        let foreign: Vec<&String> = seen.iter().filter(network).filter(|n| !n.starts_with(origin)).collect();
        check(foreign.is_empty(), || format!("requests elsewhere: {foreign:?}"))?;
        server::not_in_site(&seen, origin, setup.site)
    });
    t.step(&s, "a visit published with `parcours publish` is a site of its own that opens with no server", || {
        published(&s, setup.site, &out)
    });
    let _ = s.end();
    let served = server.log.lock().map(|l| l.len()).unwrap_or(0);
    println!("web: {served} requests served after the restart of the server");
    Ok(())
}

/// The scenario every engine passes: the first visit, the server stopped, the address opened again and
/// the page reloaded as a person does, the map, a stop and its note, search, a worksheet, the code
/// shown, the ready screen's word on storage, the install steps of this browser, the data still there
/// after the page is opened again and after the browser restarts, the accessibility audit at 360×780,
/// and no request elsewhere. What the engine's driver cannot do is said by name.
/// A worker started without `?now=` answers `day_status` with the wall-clock time of the visit's time
/// zone (Europe/Paris) from the browser's `Intl` (the worker carries no time zone database): the same
/// minute as chrono-tz's database gives, whatever the browser's own zone (UTC here).
fn local_clock(s: &Session, home: &str) -> Result {
    s.navigate(home)?;
    s.wait("h1")?;
    let paris = || chrono::Utc::now().with_timezone(&chrono_tz::Europe::Paris).format("%Y-%m-%d %H:%M").to_string();
    let before = paris();
    let reply = s.script_async(
        "const w = new Worker('worker.js', {type: 'module'}); \
         w.onmessage = (e) => { if (e.data.id !== 1) return; w.terminate(); done(e.data.ok ?? JSON.stringify(e.data.err)); }; \
         w.postMessage({id: 1, cmd: 'day_status', args: {}});",
    )?;
    let after = paris();
    let day: serde_json::Value =
        serde_json::from_str(reply.as_str().unwrap_or_default()).map_err(|e| format!("{reply}: {e}"))?;
    let shown = format!("{} {}", day["date"].as_str().unwrap_or_default(), day["time"].as_str().unwrap_or_default());
    check(before <= shown && shown <= after, || format!("the worker says {shown}, Europe/Paris is {before}–{after}"))
}

fn every_engine(engine: Engine, setup: &Setup, server: Server, t: &mut Tally) -> Result {
    let home = format!("{}/?now={NOW}", setup.origin);
    let out = t.out.to_owned();
    let shot = |s: &Session, name: &str| s.screenshot(&out.join(format!("web-{}-{name}.png", engine.name())));
    let mut s = browser(engine, &setup.driver, &setup.profile)?;
    t.step(&s, "a first visit: the home screen from the visit's summary, before the worker's wasm", || {
        summary_first(&s, &server, &home)
    });
    t.step(&s, "a first visit with the network: the service worker keeps the app, and the data is kept", || {
        day_kept(&s)?;
        controlled(&s)?;
        if engine == Engine::WebKit {
            // WebKitGTK's automation session keeps no HTTP cache its service worker shares (seen: every
            // file twice, the interface's wasm three times, its preload not reused): said, not checked.
            println!("note (webkit): a first visit downloads again: {:?}", sent_twice(&server));
        } else {
            sent_once(&server)?;
        }
        let viewport = s.script("return [innerWidth, innerHeight]")?;
        println!("note ({}): the page's viewport in a window asked for at 360×780: {viewport}", engine.name());
        shot(&s, "1-home")
    });
    t.step(&s, "the server stopped: the address opened again, then the page reloaded as a person does", || {
        server.stop()?;
        s.navigate(&home)?;
        s.wait_text("h1", "Inclusion numérique")?;
        controlled(&s)?;
        // A person's reload (F5, pull to refresh): `location.reload()` in the page.
        s.script("window.parcoursBeforeReload = true; location.reload(); return true")?;
        wait_for("the reload", || {
            s.script("return window.parcoursBeforeReload === undefined").is_ok_and(|v| v == true)
        })?;
        s.wait_text("h1", "Inclusion numérique")?;
        s.wait_text(".now-next", "Visite")?;
        controlled(&s)
    });
    // WebDriver's own Refresh, for the record: not a person's reload. Firefox's Marionette reloads with
    // `LOAD_FLAGS_BYPASS_CACHE` (`navigate.refresh` in chrome://remote/content/marionette/navigate.sys.mjs
    // of Firefox 153 ESR), a forced reload (Ctrl+Shift+R), which the service worker never sees: with the
    // server stopped it lands on Firefox's "Unable to connect". A person's reload (F5, pull to refresh)
    // is `location.reload()`, answered offline above.
    let refreshed = s.refresh().and_then(|()| {
        s.frames(5)?;
        let shown = s.script("return [!!navigator.serviceWorker?.controller, (document.querySelector('h1') || {}).textContent || document.title]")?;
        Ok(shown.to_string())
    });
    println!(
        "note ({}): WebDriver's Refresh with the server stopped gives [controlled, heading] = {refreshed:?}",
        engine.name()
    );
    t.step(&s, "offline, no fixed clock: the event's time of day from the browser's own time zones", || {
        local_clock(&s, &home)
    });
    t.step(&s, "offline: the pink route's map with its numbered stops, its streets and the attribution", || {
        s.navigate(&home)?;
        s.click_css(".route-choice.route-pink")?;
        s.wait_text("h1", "Parcours rose")?;
        s.wait(".leaflet-marker-icon")?;
        // Each placed stop by its number in this route's order (the one with no known position is listed
        // under the map instead).
        let numbers = s.script(
            "return [...document.querySelectorAll('.stop-pin[data-n]')].map((m) => m.dataset.n + ':' + m.textContent.trim())",
        )?;
        let numbers: Vec<&str> = numbers.as_array().into_iter().flatten().filter_map(|n| n.as_str()).collect();
        let numbered = numbers.iter().all(|n| n.split_once(':').is_some_and(|(a, b)| a == b && ("1"..="4").contains(&a)));
        check(numbered && numbers.len() >= 3, || format!("the stops' numbers: {numbers:?}"))?;
        // The streets: drawn on the map's canvas from the pack (vector data, no tiles).
        let streets = s.script("return document.querySelectorAll('.leaflet-overlay-pane canvas, .leaflet-overlay-pane path').length")?;
        check(streets.as_u64().is_some_and(|n| n > 0), || "no street layer on the map".into())?;
        s.wait_text(".map-attribution", "© OpenStreetMap contributors")?;
        s.wait_text(".next-card", "Collectif Social Web")?;
        shot(&s, "2-map")
    });
    t.step(&s, "offline: a stop's page, and a note saved on it", || {
        note_on_escm(&s)?;
        shot(&s, "3-stop")
    });
    t.step(&s, "offline: search through the pack's index in the worker finds malegarie", || search_malegarie(&s));
    t.step(&s, "offline: a worksheet is typed until it says Enregistré", || {
        new_worksheet(&s)?;
        shot(&s, "4-worksheet")?;
        save_round_trips(&s, engine)
    });
    t.step(
        &s,
        "offline: the worksheet's hand-over code is shown, photographed, read back from the photo; bad photos refused",
        || {
            code_shown(&s)?;
            shot(&s, "5-code")?;
            let picture = out.join(format!("web-{}-qr-code-on-screen.png", engine.name()));
            code_photographed(&s, &picture)?;
            read_from_photo(&s, &picture)?;
            bad_photos_refused(&s, &out)
        },
    );
    println!(
        "note ({}): the walk from the browser's geolocation is played in Chromium only: {}",
        engine.name(),
        match engine {
            Engine::WebKit => "WebKitWebDriver has no geolocation override",
            _ =>
                "geckodriver has no geolocation override (Firefox's test provider takes one fixed position, from its preferences at start)",
        }
    );
    t.step(&s, "offline: the ready screen says where the data is kept and what the browser promised", || {
        tab(&s, 4)?;
        s.click_css("#to-ready")?;
        s.wait_text(".readiness", "L'appli est gardée pour marcher sans réseau")?;
        s.wait_text(".readiness", "Fiches : 1")?;
        // What this engine has, asked of the page itself: OPFS sync access handles need
        // `navigator.storage.getDirectory`; WebKitGTK has no `navigator.storage` at all.
        let opfs = s.script("return !!(navigator.storage && navigator.storage.getDirectory)")? == true;
        let kept = if opfs { "l'espace privé du navigateur (OPFS)" } else { "la base du navigateur (IndexedDB)" };
        s.wait_text(".readiness", kept)?;
        let promised = s.script_async(
            "navigator.storage && navigator.storage.persisted ? navigator.storage.persisted().then(done, () => done(null)) : done(null)",
        )?;
        let said = match promised.as_bool() {
            Some(true) => "a promis de garder vos données",
            Some(false) => "effacer vos données s'il manque de place",
            None => "ne dit pas s'il gardera vos données",
        };
        s.wait_text(".readiness", said)?;
        let promise = !promised.is_null();
        println!("note ({}): storage {}; storage.persisted {}", engine.name(), if opfs { "OPFS" } else { "IndexedDB" }, if promise { "present" } else { "missing" });
        shot(&s, "6-ready")
    });
    t.step(&s, "offline: the install page gives this browser's steps first", || {
        tab(&s, 4)?;
        s.click_css("#to-install")?;
        s.wait_text("h1", "Installer sur l'écran d'accueil")?;
        let first = s.script("return document.querySelector('.install-way')?.dataset.way")?;
        let expected = if engine == Engine::Gecko { "firefox" } else { "safari" };
        check(first == expected, || format!("the first steps shown are {first}, not {expected}'s"))?;
        s.wait_text("main h2", "Dans ce navigateur")?;
        shot(&s, "7-install")
    });
    t.step(&s, "offline: the page opened again: the note and the worksheet are still there", || {
        s.navigate("about:blank")?;
        s.navigate(&home)?;
        s.wait_text("h1", "Parcours rose")?;
        s.click_css(".stop-item[data-stop='escm']")?;
        s.wait_text("h1", "ESCM")?;
        wait_for("the note", || {
            s.script("return document.getElementById('stop-notes')?.value").is_ok_and(|v| v == NOTE_TEXT)
        })?;
        my_worksheets_say(&s, TITLE_TEXT)
    });
    t.step(
        &s,
        "offline: accessibility audit of every screen at 360×780 (axe WCAG 2.2 A/AA, keyboard, layout)",
        || audit::audit_at(&s, true, &[(360, 780, 100)]),
    );
    // The pseudo-locales' tour runs in Chromium and in the desktop app (WebKitGTK, MiniBrowser's
    // engine); here it cost 36 s of CI for the same findings.
    t.step(&s, "a second tab is told the data is open in the other one (one tab holds it)", || {
        let first = s.new_tab()?;
        s.navigate(&home)?;
        s.wait_text_within("#elsewhere-banner", "déjà ouvert dans un autre onglet", Duration::from_secs(15))?;
        // WebKitWebDriver's new tab is a window of its own, never painted under Xvfb: its screenshot
        // never comes (seen: the driver times out), so it is taken in Firefox only.
        if engine == Engine::Gecko {
            shot(&s, "8-second-tab")?;
        }
        s.close_tab()?;
        s.switch_to(&first)
    });
    if s.script("return !(navigator.storage && navigator.storage.getDirectory)")? == true {
        t.step(
            &s,
            "IndexedDB: a damaged image is kept aside and the app starts afresh; erasing my data removes it too",
            || damaged_then_erased(&s, &setup.origin, &home, &out),
        );
    }
    t.step(&s, "every request of the app stayed on its own origin", || {
        let timing = s.script("return performance.getEntriesByType('resource').map(e => e.name)")?;
        let seen: Vec<String> =
            timing.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect();
        let network = |n: &&String| ["http:", "https:", "ws:", "wss:"].iter().any(|p| n.starts_with(p));
        let foreign: Vec<&String> = seen.iter().filter(network).filter(|n| !n.starts_with(&setup.origin)).collect();
        check(!seen.is_empty() && foreign.is_empty(), || {
            format!("requests elsewhere: {foreign:?} (of {})", seen.len())
        })?;
        server::not_in_site(&seen, &setup.origin, setup.site)
    });
    let _ = s.end();
    if engine == Engine::WebKit {
        // MiniBrowser in automation mode keeps a session's data in memory (an ephemeral data manager,
        // whatever XDG_DATA_HOME says): a new session starts with nothing, so a restart proves nothing.
        let mut written = Vec::new();
        collect_files(&setup.profile, &mut written);
        let machine = ["mesa_shader_cache", "dconf", "gstreamer", "gtk-3.0"];
        let site = written.iter().filter(|p| !machine.iter().any(|m| p.to_string_lossy().contains(m))).count();
        println!(
            "note (webkit): no restart on the same profile: WebKitWebDriver gives MiniBrowser no profile, and in automation mode it keeps a site's data in memory: of {} files written under its XDG folders, {site} are the site's (the rest: GPU shader cache, dconf, GStreamer, the toolbar's GTK style)",
            written.len()
        );
        return Ok(());
    }
    s = browser(engine, &setup.driver, &setup.profile)?;
    t.step(&s, "the browser restarted on the same profile, still offline: the app and the data are there", || {
        s.navigate(&home)?;
        s.wait_text("h1", "Parcours rose")?;
        my_worksheets_say(&s, TITLE_TEXT)?;
        shot(&s, "9-restarted")
    });
    let _ = s.end();
    Ok(())
}

/// `parcours publish` of the second visit from this site, served on a port (an origin) of its own: it
/// opens on that visit (its title in the page's title, before and after the interface starts), the
/// service worker keeps it, and with that server stopped it opens again. The poster is there with the
/// address in its QR code.
fn published(s: &Session, site: &Path, out: &Path) -> Result {
    let folder = std::env::temp_dir().join(format!("parcours-published-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let server = serve(folder.clone(), 0)?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    let file = visits::second_visit(&out.join("visits-published"))?;
    let cli = std::env::current_exe().map_err(|e| e.to_string())?.with_file_name("parcours");
    let done = Command::new(&cli)
        .arg("publish")
        .arg(&file)
        .args(["--url", &url, "-o"])
        .arg(&folder)
        .arg("--site")
        .arg(site)
        .output()
        .map_err(|e| format!("{}: {e}", cli.display()))?;
    check(done.status.success(), || format!("publish: {}", String::from_utf8_lossy(&done.stderr)))?;
    let poster = std::fs::read_to_string(folder.join("affiche.html")).map_err(|e| e.to_string())?;
    check(poster.contains(visits::SECOND_TITLE) && poster.contains(&url) && poster.contains("<svg"), || {
        "the poster lacks the title, the address or its code".into()
    })?;
    let result = (|| {
        s.navigate(&format!("{url}?now={NOW}"))?;
        s.wait_text("h1", visits::SECOND_TITLE)?;
        controlled(s)?;
        server.stop()?;
        s.navigate(&format!("{url}?now={NOW}"))?;
        s.wait_text("h1", visits::SECOND_TITLE)?;
        let title = s.script("return document.title")?;
        check(title.as_str().is_some_and(|t| t.contains("Parcours")), || format!("the page's title: {title}"))?;
        s.screenshot(&out.join("web-phone-10-published.png"))
    })();
    let _ = std::fs::remove_dir_all(&folder);
    result
}

/// The files of the sites' storage in Chromium's profile `profile` (OPFS, local storage, IndexedDB,
/// the service worker's caches) whose bytes hold `text`.
fn site_files_holding(profile: &Path, text: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, text: &[u8], found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, text, found);
            } else if std::fs::read(&path).is_ok_and(|bytes| bytes.windows(text.len()).any(|w| w == text)) {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for dir in ["File System", "Local Storage", "IndexedDB", "Service Worker"] {
        walk(&profile.join("Default").join(dir), text.as_bytes(), &mut found);
    }
    found
}

/// The time a save takes, as the interface waits for it: the ESCM's note set 30 times through the
/// page's own worker (which holds the data), each answered once committed where the data is kept
/// (OPFS, or IndexedDB after its transaction); then set back to what was typed. Printed, not judged.
fn save_round_trips(s: &Session, engine: Engine) -> Result {
    let times = s.script_async(&format!(
        "const w = window.parcoursWorker; const times = []; let i = 0, t0 = 0;
         const send = () => {{ t0 = performance.now();
           w.postMessage({{id: 900000 + i, cmd: 'note_set', args: {{stop: 'escm', text: i < 30 ? 'mesure ' + i : {NOTE_TEXT:?}}}}}); }};
         const on = (e) => {{ if (e.data.id !== 900000 + i) return;
           if (e.data.err) {{ w.removeEventListener('message', on); done(String(e.data.err.message)); return; }}
           times.push(performance.now() - t0); i++;
           if (i <= 30) send(); else {{ w.removeEventListener('message', on); done(times.slice(0, 30)); }} }};
         w.addEventListener('message', on); send();"
    ))?;
    let mut times: Vec<f64> =
        times.as_array().ok_or_else(|| format!("saves: {times}"))?.iter().filter_map(|v| v.as_f64()).collect();
    check(times.len() == 30, || format!("{} saves answered", times.len()))?;
    times.sort_by(f64::total_cmp);
    println!(
        "note ({}): a note saved through the worker, 30 times: median {:.1} ms, max {:.1} ms",
        engine.name(),
        times[15],
        times[29]
    );
    Ok(())
}

/// What the site's IndexedDB `parcours` holds: each key, its length, and whether its bytes hold `text`.
fn indexed_files(s: &Session, text: &str) -> Result<Vec<(String, u64, bool)>> {
    let found = s.script_async(&format!(
        "const needle = new TextEncoder().encode({text:?});
         const holds = (b) => {{ outer: for (let i = 0; i + needle.length <= b.length; i++) {{
           for (let j = 0; j < needle.length; j++) if (b[i + j] !== needle[j]) continue outer; return true; }} return false; }};
         const r = indexedDB.open('parcours');
         r.onerror = () => done('cannot open: ' + r.error);
         r.onsuccess = () => {{ const st = r.result.transaction('files').objectStore('files');
           const k = st.getAllKeys(), v = st.getAll();
           v.onsuccess = () => {{ const out = k.result.map((key, i) => [String(key), v.result[i].length, holds(new Uint8Array(v.result[i]))]); r.result.close(); done(out); }}; }};"
    ))?;
    let rows = found.as_array().ok_or_else(|| format!("IndexedDB: {found}"))?;
    Ok(rows.iter().filter_map(|r| Some((r[0].as_str()?.to_owned(), r[1].as_u64()?, r[2].as_bool()?))).collect())
}

/// In IndexedDB mode: the image replaced by noise behind the app's back (from a page of the site that
/// is not the app: its icon, from the service worker); the app opened again sets it aside, kept
/// whole, says so and starts afresh; "Effacer mes données" then removes the copy with the rest, and no
/// value holds the note typed before.
fn damaged_then_erased(s: &Session, origin: &str, home: &str, out: &Path) -> Result {
    let before = indexed_files(s, NOTE_TEXT)?;
    check(before.iter().any(|(k, _, holds)| k == "user.sqlite" && *holds), || {
        format!("the note is not in IndexedDB's user.sqlite: {before:?}")
    })?;
    s.navigate(&format!("{origin}/icons/icon-256.png"))?;
    let put = s.script_async(
        "const r = indexedDB.open('parcours'); r.onsuccess = () => { const tx = r.result.transaction('files', 'readwrite');
         tx.objectStore('files').put(new Uint8Array(8192).fill(0x42), 'user.sqlite');
         tx.oncomplete = () => { r.result.close(); done(true); }; tx.onerror = () => done(String(tx.error)); };",
    )?;
    check(put == true, || format!("the noise was not written: {put}"))?;
    s.navigate(home)?;
    s.wait("nav.tabs")?;
    tab(s, 1)?;
    s.wait_text("#set-aside-banner", "n'ont pas pu être lues")?;
    s.wait_text("#set-aside-banner", "user.sqlite.damaged-1 (IndexedDB)")?;
    check(s.find_all("#data-gone-banner")?.is_empty(), || "a damaged database set aside is also called erased".into())?;
    s.screenshot(&out.join("web-webkit-9-set-aside.png"))?;
    let kept = indexed_files(s, NOTE_TEXT)?;
    check(kept.iter().any(|(k, len, _)| k == "user.sqlite.damaged-1" && *len == 8192), || {
        format!("the damaged image is not kept as it was: {kept:?}")
    })?;
    tab(s, 4)?;
    s.click_css("#to-ready")?;
    s.click_css("#erase")?;
    s.click_css("#erase-confirm")?;
    s.wait_text("#erase-done", "Vos données ont été effacées")?;
    let after = indexed_files(s, NOTE_TEXT)?;
    check(after.iter().all(|(k, _, holds)| k == "user.sqlite" && !holds), || {
        format!("after the erase IndexedDB holds {after:?}")
    })
}

/// Writes `text` to `path`, its folders made first.
fn write_file(path: &Path, text: &str) -> Result {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Every file under `dir`, folders walked.
fn collect_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// Copies the folder `from` to `to` (made afresh).
fn copy_dir(from: &Path, to: &Path) -> Result {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The WebDriver server of `engine` on a free port (WebKit's with an Xvfb and its data in `data`); its
/// address.
fn start_driver(engine: Engine, out: &Path, data: &Path) -> Result<(Driver, String)> {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let log = std::fs::File::create(out.join(format!("{}-driver.log", engine.name()))).map_err(|e| e.to_string())?;
    let err = log.try_clone().map_err(|e| e.to_string())?;
    let (mut command, xvfb) = match engine {
        Engine::Chromium => {
            let mut c = Command::new("/usr/bin/chromedriver");
            c.arg(format!("--port={port}"));
            (c, None)
        }
        Engine::WebKit => {
            // MiniBrowser's toolbar keeps its window wider than a phone (447 px): GTK's own style sheet
            // (in the XDG folder the driver's browser reads) shrinks the toolbar's widgets, never the page.
            write_file(
                &data.join("config/gtk-3.0/gtk.css"),
                "* { min-width: 0; padding: 0; margin: 0; border-width: 0; font-size: 1px; }\n",
            )?;
            let (xvfb, display) = start_xvfb()?;
            let mut c = Command::new("/usr/bin/WebKitWebDriver");
            c.arg(format!("--port={port}"))
                .env("DISPLAY", display)
                .env("XDG_DATA_HOME", data.join("data"))
                .env("XDG_CACHE_HOME", data.join("cache"))
                .env("XDG_CONFIG_HOME", data.join("config"));
            (c, Some(xvfb))
        }
        Engine::Gecko => {
            let mut c = Command::new("geckodriver");
            c.args(["--port", &port.to_string()]);
            (c, None)
        }
    };
    use std::os::unix::process::CommandExt;
    let child = command
        .stdout(log)
        .stderr(err)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start the {} driver: {e}", engine.name()))?;
    let driver = Driver { child, xvfb };
    wait_for("the WebDriver server", || TcpStream::connect(("127.0.0.1", port)).is_ok())?;
    Ok((driver, format!("http://127.0.0.1:{port}")))
}

fn run(engine: Engine, site: &Path, out: &Path, walk: Option<&Path>) -> Result<(u32, u32)> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    // A failure's screenshot from an earlier run would say this one failed too.
    for entry in std::fs::read_dir(out).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with("FAILED-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    check(site.join("sw.js").is_file(), || format!("{}: no web app here (cargo xtask web)", site.display()))?;
    let server = serve(site.to_owned(), 0)?;
    let origin = format!("http://127.0.0.1:{}", server.port);
    let profile = std::env::temp_dir().join(format!("parcours-web-e2e-{}-{}", engine.name(), std::process::id()));
    let (driver, address) = start_driver(engine, out, &profile)?;
    let walk = match walk {
        Some(path) => track(&std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?),
        None => Vec::new(),
    };
    let setup = Setup { site, origin, driver: address, profile, walk };
    let mut tally = Tally { out, engine, passed: 0, failed: 0 };
    let start = Instant::now();
    let result = match engine {
        Engine::Chromium => scenario(&setup, server, &mut tally),
        Engine::WebKit | Engine::Gecko => every_engine(engine, &setup, server, &mut tally),
    };
    println!("web ({}): {:.0} s in all", engine.name(), start.elapsed().as_secs_f64());
    drop(driver);
    let _ = std::fs::remove_dir_all(&setup.profile);
    let _ = std::fs::remove_dir_all(std::env::temp_dir().join(format!("parcours-web-next-{}", std::process::id())));
    result.map(|()| (tally.passed, tally.failed))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    if let Some(dir) = value("--serve") {
        let port = value("--port").and_then(|p| p.parse().ok()).unwrap_or(8080);
        return match serve(PathBuf::from(dir), port) {
            Ok(server) => {
                println!("serving on http://127.0.0.1:{}/", server.port);
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
    let walk = value("--walk").map(PathBuf::from);
    let Some(engine) = Engine::from_name(&value("--engine").unwrap_or_else(|| "chromium".into())) else {
        eprintln!("parcours-web-e2e: --engine is chromium, webkit or firefox");
        return ExitCode::from(2);
    };
    if let Some(runs) = value("--bench").and_then(|n| n.parse::<usize>().ok()) {
        let against = value("--against").map(PathBuf::from);
        return match web_bench::bench(&site, &out, runs.max(1), walk.as_deref(), against.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("parcours-web-e2e: bench: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match run(engine, &site, &out, walk.as_deref()) {
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
