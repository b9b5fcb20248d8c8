//! `parcours-web-e2e --bench N`: the web app's figures in Chromium — the repeat visit offline with
//! the CPU slowed, a command's round trip through the worker, the CPU a minute of walking costs, and
//! Lighthouse's mobile audit of a first visit served as a host serves it (brotli). Each figure is also
//! printed as `figure <key> <value>` for `cargo xtask bench`'s table.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::procs;
use crate::server::{Server, pack, serve, serve_packed};
use crate::webdriver::{Result, START_MARKS};
use crate::*;

/// One build of the web app under test: its folder, its server, its address.
struct Build<'a> {
    site: &'a Path,
    server: Server,
    home: String,
    /// How the figures name it: "" for the build under test, "against-" for the other.
    key: &'static str,
}

/// `--bench N [--against DIR]`: the repeat visit with no server and the CPU slowed 4× (navigation to
/// the map's stops drawn, from the page's own clock: the `parcours-map-ready` mark), N times; then, in
/// the browser started again, a minute of walking and 100 `search` calls' round trips through the worker
/// (the messages the interface sends), CPU not slowed; Lighthouse. With `against` (another build's
/// site), both builds in the same browser, their repeat visits taken in turn (the order swapped each
/// run), so that a change is judged against the other build under the same conditions, with the paired
/// difference's median.
pub fn bench(site: &Path, out: &Path, runs: usize, walk: Option<&Path>, against: Option<&Path>) -> Result {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let mut builds = vec![(site, "")];
    builds.extend(against.map(|other| (other, "against-")));
    let builds = builds
        .into_iter()
        .map(|(site, key)| {
            let server = serve(site.to_owned(), 0)?;
            let home = format!("http://127.0.0.1:{}/?now={NOW}", server.port);
            Ok(Build { site, server, home, key })
        })
        .collect::<Result<Vec<_>>>()?;
    let profile = std::env::temp_dir().join(format!("parcours-web-bench-{}", std::process::id()));
    let (driver, address) = start_driver(Engine::Chromium, out, &profile)?;
    let s = browser(Engine::Chromium, &address, &profile)?;
    let result: Result = (|| {
        for build in &builds {
            first_screen(&s, build)?;
            controlled(&s)?;
            s.click_css(".route-choice.route-pink")?;
            s.wait(".leaflet-marker-icon")?;
            build.server.stop()?;
        }
        s.cdp("Emulation.setCPUThrottlingRate", json!({"rate": 4}))?;
        let mut visits: Vec<Vec<Visit>> = builds.iter().map(|_| Vec::new()).collect();
        for run in 0..runs {
            for k in 0..builds.len() {
                let k = if run % 2 == 0 { k } else { builds.len() - 1 - k };
                visits[k].push(repeat_visit(&s, &builds[k].home)?);
            }
        }
        s.cdp("Emulation.setCPUThrottlingRate", json!({"rate": 1}))?;
        for (build, visits) in builds.iter().zip(&visits) {
            report_visits(build, visits);
        }
        if let [ours, theirs] = &visits[..] {
            let mut differences: Vec<f64> = ours.iter().zip(theirs).map(|(a, b)| a.map_ms() - b.map_ms()).collect();
            differences.sort_by(f64::total_cmp);
            let median = differences[differences.len() / 2];
            println!(
                "web app, repeat visit, this build minus {} (paired, run by run): median {median:+.0} ms, from {:+.0} to {:+.0} ms",
                builds[1].site.display(),
                differences[0],
                differences[differences.len() - 1]
            );
            println!("figure repeat-visit-difference-ms {median:.0}");
        }
        Ok(())
    })();
    // The minutes of walking in a browser started again on the same profile (the site from its service
    // worker, the server stopped): what the throttled visits above leave behind (collection, caches let
    // go) is not a walker's, and a minute measured after them counted it (the build measured first idled
    // at 0.46–0.74 s a minute, the second at 0.17–0.29 s).
    let _ = s.end();
    let s = result.and_then(|()| browser(Engine::Chromium, &address, &profile));
    let result: Result = s.as_ref().map_err(Clone::clone).and_then(|s| {
        // The walking minutes first: the search's hundred calls leave work (collection, a worker ended)
        // that a minute measured after it would count.
        if let Some(walk) = walk {
            let walk = track(&std::fs::read_to_string(walk).map_err(|e| format!("{}: {e}", walk.display()))?);
            for build in &builds {
                s.navigate(&build.home)?;
                walking_cpu(s, driver.child.id(), &walk, build.key)?;
            }
        }
        // The search from this build's page (offline: from its service worker).
        s.navigate(&builds[0].home)?;
        s.wait(".leaflet-marker-icon")?;
        let rounds = s.script_async(&format!(
            "const w = new Worker('worker.js?now={NOW}', {{type: 'module'}}); const times = []; let i = 0, t0 = 0; \
             const send = () => {{ t0 = performance.now(); w.postMessage({{id: i, cmd: 'search', args: {{query: 'malegarie', lang: 'fr'}}}}); }}; \
             w.onmessage = (e) => {{ if (e.data.id !== i) return; if (!e.data.ok) {{ done(String(e.data.err?.message)); return; }} \
             times.push(performance.now() - t0); i++; if (i <= 100) send(); else {{ w.terminate(); done(times.slice(1)); }} }}; send();"
        ))?;
        let mut rounds: Vec<f64> =
            rounds.as_array().ok_or_else(|| format!("search: {rounds}"))?.iter().filter_map(|v| v.as_f64()).collect();
        rounds.sort_by(f64::total_cmp);
        check(rounds.len() == 100, || format!("{} round trips", rounds.len()))?;
        println!(
            "web app, search \"malegarie\" round trip page → worker → SQLite → page: median {:.2} ms, max {:.2} ms (100 calls)",
            rounds[50], rounds[99]
        );
        Ok(())
    });
    if let Ok(s) = s {
        let _ = s.end();
    }
    drop(driver);
    let _ = std::fs::remove_dir_all(&profile);
    result?;
    // `PARCOURS_LIGHTHOUSE_RUNS=0`: the rest of the bench only (while working on it).
    let runs = std::env::var("PARCOURS_LIGHTHOUSE_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(3);
    for build in &builds {
        if runs > 0 {
            lighthouse(build, out, runs)?;
        }
    }
    Ok(())
}

/// One repeat visit: when each step of the start happened (ms from the navigation).
struct Visit {
    /// The interface's User Timing marks, in the order of [`START_MARKS`], then when the stops were seen.
    marks: Vec<f64>,
    /// The page's loading, in the order of [`LOADS`] (-1: not found).
    loads: Vec<f64>,
}

impl Visit {
    fn map_ms(&self) -> f64 {
        self.marks[START_MARKS.len() - 1]
    }
}

/// What comes before: the page from the service worker, then the files it names.
const LOADS: [(&str, &str); 9] = [
    ("service worker started", "n.workerStart"),
    ("page received", "n.responseEnd"),
    ("page read", "n.domInteractive"),
    ("Leaflet", "r('leaflet.js')"),
    ("interface's module", "r('parcours_ui.js')"),
    (
        "its snippets",
        "Math.max(...performance.getEntriesByType('resource').filter(e => e.name.includes('/snippets/')).map(e => e.responseEnd))",
    ),
    ("boot.js", "r('boot.js')"),
    ("interface's wasm", "r('parcours_ui_bg.wasm')"),
    ("deferred scripts run", "n.domContentLoadedEventStart"),
];

/// The address opened again (from about:blank) until the map's stops show; its steps read.
fn repeat_visit(s: &Session, home: &str) -> Result<Visit> {
    s.navigate("about:blank")?;
    s.navigate(home)?;
    s.wait(".leaflet-marker-icon")?;
    let marks = s.start_marks()?;
    let mut loads = Vec::new();
    for (_, expr) in LOADS {
        let ms = s.script(&format!(
            "const n = performance.getEntriesByType('navigation')[0]; \
             const r = (f) => performance.getEntriesByType('resource').find(e => e.name.includes('/' + f))?.responseEnd ?? -1; \
             return {expr}"
        ))?;
        loads.push(ms.as_f64().unwrap_or(-1.0));
    }
    Ok(Visit { marks, loads })
}

/// The medians of one build's repeat visits, and its `repeat-visit-ms` figure.
fn report_visits(build: &Build, visits: &[Visit]) {
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let runs = visits.len();
    let mut map: Vec<f64> = visits.iter().map(Visit::map_ms).collect();
    let map_median = median(&mut map);
    println!(
        "web app{}, repeat visit offline, CPU ×4 slower: navigation to the map with its stops: median {map_median:.0} ms, min {:.0}, max {:.0} ({runs} runs; goal ≤ 1000)",
        name(build),
        map[0],
        map[runs - 1],
    );
    println!("figure {}repeat-visit-ms {map_median:.0}", build.key);
    // Each step's median over the visits: its name, and where a visit keeps its time.
    let medians = |names: &[&str], of: fn(&Visit) -> &[f64]| -> String {
        let mut said = Vec::new();
        for (i, what) in names.iter().enumerate() {
            said.push(format!("{what} {:.0} ms", median(&mut visits.iter().map(|v| of(v)[i]).collect())));
        }
        said.join(", ")
    };
    let loads: Vec<&str> = LOADS.iter().map(|(what, _)| *what).collect();
    println!("  the page's loading (medians, from the navigation): {}", medians(&loads, |v| &v.loads));
    let steps: Vec<&str> = START_MARKS.iter().map(|(_, what)| *what).chain(["stops seen by WebDriver"]).collect();
    println!("  the steps (medians, from the navigation): {}", medians(&steps, |v| &v.marks));
}

/// How a line names the build: nothing for the one under test, the folder for the other.
fn name(build: &Build) -> String {
    if build.key.is_empty() { String::new() } else { format!(" ({})", build.site.display()) }
}

/// The wasm a first visit's first screen waits for: the page opened in a new profile with the worker's
/// wasm held back by the server, then the wasm files the page itself fetched by the time the home screen
/// shows (the visit's title and its routes). Not the server's log: the service worker, registered once
/// the screen is drawn, asks for every file to keep it, and may do so before WebDriver sees the screen.
/// Were the worker's needed, the screen would wait for it: it is then released and counted too.
fn first_screen(s: &Session, build: &Build) -> Result {
    const WORKER: &str = "parcours_web_bg.wasm";
    let (server, site) = (&build.server, build.site);
    server.hold(Some(WORKER));
    s.navigate(&build.home)?;
    let shown = s.wait_text("h1", "Inclusion numérique").and_then(|_| s.wait(".route-choice.route-pink"));
    let fetched = s.script("return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)");
    server.hold(None);
    let mut wasm: std::collections::BTreeSet<String> = fetched?
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|path| path.as_str())
        .filter(|path| path.ends_with(".wasm") && !path.ends_with(WORKER))
        .map(|path| path.trim_start_matches('/').to_owned())
        .collect();
    if shown.is_err() {
        s.wait_text("h1", "Inclusion numérique")?;
        wasm.insert(WORKER.to_owned());
    }
    let bytes: u64 = wasm.iter().map(|name| std::fs::metadata(site.join(name)).map_or(0, |m| m.len())).sum();
    let names: Vec<&str> = wasm.iter().map(String::as_str).collect();
    println!(
        "web app{}, first visit: the home screen shows with {} ({bytes} bytes raw){}",
        name(build),
        names.join(" + "),
        if shown.is_err() { "; it waited for the worker's wasm" } else { "; the worker's wasm still held back" }
    );
    println!("figure {}first-screen-wasm-bytes {bytes}", build.key);
    Ok(())
}

/// Lighthouse (npm, pinned in bench/package.json) on a first visit, its default mobile audit (a
/// mid-range phone: simulated slow 4G, CPU ×4), `runs` times, each in a fresh profile of Debian's
/// Chromium; the site served brotli-compressed as a host would. Medians.
fn lighthouse(build: &Build, out: &Path, runs: usize) -> Result {
    let site = build.site;
    let tool = Path::new("bench/node_modules/.bin/lighthouse");
    if !tool.is_file() {
        println!("Lighthouse: not installed ({}: `cargo xtask bench` installs it)", tool.display());
        return Ok(());
    }
    let server = serve_packed(site.to_owned(), 0, pack(site)?)?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    let mut found: Vec<serde_json::Value> = Vec::new();
    for run in 0..runs {
        let report = out.join(format!("lighthouse-{}{run}.json", build.key));
        let status = std::process::Command::new(tool)
            .arg(&url)
            .args([
                "--output=json",
                "--quiet",
                "--only-categories=performance,accessibility,best-practices",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ])
            .arg(format!("--output-path={}", report.display()))
            .env("CHROME_PATH", "/usr/bin/chromium")
            .status()
            .map_err(|e| format!("cannot start Lighthouse: {e}"))?;
        check(status.success(), || format!("Lighthouse failed ({status})"))?;
        let text = std::fs::read_to_string(&report).map_err(|e| format!("{}: {e}", report.display()))?;
        found.push(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", report.display()))?);
    }
    let _ = server.stop();
    let median = |f: &dyn Fn(&serde_json::Value) -> Option<f64>| -> f64 {
        let mut values: Vec<f64> = found.iter().filter_map(f).collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let score = |category: &'static str| {
        move |r: &serde_json::Value| r["categories"][category]["score"].as_f64().map(|s| s * 100.0)
    };
    let audit = |id: &'static str| move |r: &serde_json::Value| r["audits"][id]["numericValue"].as_f64();
    let performance = median(&score("performance"));
    let lcp = median(&audit("largest-contentful-paint"));
    println!(
        "Lighthouse 12 mobile{}, first visit (medians of {runs}): performance {performance:.0} (goal ≥ 95), accessibility {:.0}, best practices {:.0}; First Contentful Paint {:.2} s, Largest Contentful Paint {:.2} s (goal ≤ 2.5 s), interactive {:.2} s, total blocking time {:.0} ms, {:.0} KiB transferred",
        name(build),
        median(&score("accessibility")),
        median(&score("best-practices")),
        median(&audit("first-contentful-paint")) / 1000.0,
        lcp / 1000.0,
        median(&audit("interactive")) / 1000.0,
        median(&audit("total-blocking-time")),
        median(&audit("total-byte-weight")) / 1024.0,
    );
    println!("figure {}lighthouse-performance {performance:.0}", build.key);
    println!("figure {}lighthouse-lcp-s {:.2}", build.key, lcp / 1000.0);
    Ok(())
}

/// The functions that took the most samples of a DevTools CPU profile (self time), with their share.
fn print_profile(profile: &serde_json::Value) {
    let nodes = profile["nodes"].as_array().cloned().unwrap_or_default();
    let mut by_name: std::collections::HashMap<String, u64> = Default::default();
    let mut total = 0;
    for node in &nodes {
        let hits = node["hitCount"].as_u64().unwrap_or(0);
        let frame = &node["callFrame"];
        let name = frame["functionName"].as_str().filter(|n| !n.is_empty()).unwrap_or("(anonymous)");
        let url = frame["url"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default();
        *by_name.entry(format!("{name} {url}")).or_default() += hits;
        total += hits;
    }
    let mut top: Vec<_> = by_name.into_iter().collect();
    top.sort_by_key(|entry| std::cmp::Reverse(entry.1));
    println!("  the page's main thread while walking, {total} samples; the most sampled:");
    for (name, hits) in top.into_iter().take(15) {
        println!("    {:5.1} %  {name}", hits as f64 * 100.0 / total.max(1) as f64);
    }
}

/// How many times the two minutes are measured: the figures are their medians (a minute with no position
/// went from 0.14 s to 0.35 s from one to the next, on the same build).
const WALK_ROUNDS: usize = 3;

/// The CPU a minute costs with the pink route's map on screen, every process of the browser counted
/// (from /proc: every process under the WebDriver server): a minute with no position, then a minute of
/// walking, one position a second along `walk` (the next minute of it each round), [`WALK_ROUNDS`] times.
fn walking_cpu(s: &Session, driver: u32, walk: &[(f64, f64)], key: &str) -> Result {
    let needed = 60 * WALK_ROUNDS;
    check(walk.len() >= needed, || format!("the walk has {} positions, {needed} are needed", walk.len()))?;
    s.permit("geolocation")?;
    tab(s, 1)?;
    s.click_css(".route-choice.route-pink")?;
    tab(s, 2)?;
    s.wait(".leaflet-marker-icon")?;
    // Settled first: what the page does once, at showing the map, is not a minute's cost.
    std::thread::sleep(Duration::from_secs(5));
    s.cdp("Performance.enable", json!({}))?;
    // The page's main thread as DevTools counts it (task, script, style and layout time; style and layout
    // counts), per name.
    let metrics = || -> Result<std::collections::BTreeMap<String, f64>> {
        let all = s.cdp("Performance.getMetrics", json!({}))?;
        Ok(all["metrics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| Some((m["name"].as_str()?.to_owned(), m["value"].as_f64()?)))
            .collect())
    };
    // The minute's CPU in all, and by kind of process (what each kind spent, printed); the main thread's.
    let minute = |what: &str, each: &mut dyn FnMut(usize) -> Result| -> Result<f64> {
        let page = metrics()?;
        let (start, before, kinds) = (Instant::now(), procs::browser_cpu_s(driver), procs::browser_cpu_by_kind(driver));
        for second in 0..60 {
            each(second)?;
            let next = Duration::from_secs(second as u64 + 1);
            std::thread::sleep(next.saturating_sub(start.elapsed()));
        }
        let per_minute = 60.0 / start.elapsed().as_secs_f64();
        let spent: Vec<String> = procs::browser_cpu_by_kind(driver)
            .into_iter()
            .map(|(kind, s)| (s - kinds.get(&kind).copied().unwrap_or(0.0), kind))
            .filter(|(s, _)| *s > 0.0)
            .map(|(s, kind)| format!("{kind} {:.2}", s * per_minute))
            .collect();
        println!("  CPU per minute by process, {what}: {}", spent.join(", "));
        let page_after = metrics()?;
        let grew = |name: &str| (page_after.get(name).unwrap_or(&0.0) - page.get(name).unwrap_or(&0.0)) * per_minute;
        println!(
            "  the page's main thread per minute, {what}: tasks {:.2} s, script {:.2} s, style {:.2} s ({:.0} times), layout {:.2} s ({:.0} times)",
            grew("TaskDuration"),
            grew("ScriptDuration"),
            grew("RecalcStyleDuration"),
            grew("RecalcStyleCount"),
            grew("LayoutDuration"),
            grew("LayoutCount")
        );
        Ok((procs::browser_cpu_s(driver) - before) * per_minute)
    };
    // `PARCOURS_PROFILE_WALK=1`: the page's main thread sampled during the first walking minute
    // (DevTools' profiler), its 15 costliest functions printed (where to look; that minute's CPU then
    // includes it).
    let profile = std::env::var_os("PARCOURS_PROFILE_WALK").is_some();
    let (mut idle, mut walking) = (Vec::new(), Vec::new());
    for round in 0..WALK_ROUNDS {
        idle.push(minute("no position", &mut |_| Ok(()))?);
        if profile && round == 0 {
            s.cdp("Profiler.enable", json!({}))?;
            s.cdp("Profiler.setSamplingInterval", json!({"interval": 500}))?;
            s.cdp("Profiler.start", json!({}))?;
        }
        walking.push(minute("walking", &mut |second| {
            let (lat, lon) = walk[60 * round + second];
            s.cdp("Emulation.setGeolocationOverride", json!({"latitude": lat, "longitude": lon, "accuracy": 8}))
                .map(|_| ())
        })?);
        if profile && round == 0 {
            print_profile(&s.cdp("Profiler.stop", json!({}))?["profile"]);
        }
    }
    check(s.find_all(".leaflet-marker-icon")?.len() > 1, || "the map is no longer on screen".into())?;
    let spread = |minutes: &mut Vec<f64>| {
        minutes.sort_by(f64::total_cmp);
        (minutes[minutes.len() / 2], minutes[0], minutes[minutes.len() - 1])
    };
    let ((walking, walk_min, walk_max), (idle, idle_min, idle_max)) = (spread(&mut walking), spread(&mut idle));
    println!(
        "web app{}, CPU per minute, the pink route's map on screen (every browser process), medians of {WALK_ROUNDS}: walking, a position a second {walking:.2} s ({walk_min:.2}–{walk_max:.2}); no position {idle:.2} s ({idle_min:.2}–{idle_max:.2}) (goal walking ≤ 0.4 s)",
        if key.is_empty() { "" } else { " (the other build)" }
    );
    println!("figure {key}walk-cpu-s {walking:.2}");
    println!("figure {key}idle-cpu-s {idle:.2}");
    Ok(())
}
