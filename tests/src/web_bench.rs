//! `parcours-web-e2e --bench N`: the web app's figures in Chromium — the repeat visit offline with
//! the CPU slowed, a command's round trip through the worker, the CPU a minute of walking costs, and
//! Lighthouse's mobile audit of a first visit served as a host serves it (brotli). Each figure is also
//! printed as `figure <key> <value>` for `cargo xtask bench`'s table.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::procs;
use crate::server::{pack, serve, serve_packed};
use crate::webdriver::Result;
use crate::*;

/// `--bench N`: the repeat visit with no server and the CPU slowed 4× (navigation to the map's stops
/// drawn, from the page's own clock: the `parcours-map-ready` mark), N times; then 100 `search` calls'
/// round trips through the worker (the messages the interface sends), CPU not slowed.
pub fn bench(site: &Path, out: &Path, runs: usize, walk: Option<&Path>) -> Result {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let server = serve(site.to_owned(), 0)?;
    let home = format!("http://127.0.0.1:{}/?now={NOW}", server.port);
    let profile = std::env::temp_dir().join(format!("parcours-web-bench-{}", std::process::id()));
    let (driver, address) = start_driver(Engine::Chromium, out, &profile)?;
    let s = browser(Engine::Chromium, &address, &profile)?;
    let result: Result = (|| {
        s.navigate(&home)?;
        s.wait_text("h1", "Inclusion numérique")?;
        controlled(&s)?;
        s.click_css(".route-choice.route-pink")?;
        s.wait(".leaflet-marker-icon")?;
        server.stop()?;
        s.cdp("Emulation.setCPUThrottlingRate", json!({"rate": 4}))?;
        // The steps of a start (User Timing marks the interface sets), map ready last.
        let marks = ["parcours-boot", "parcours-ui-started", "parcours-pack-received", "parcours-map-ready"];
        let mut times: Vec<Vec<f64>> = vec![Vec::new(); marks.len()];
        for _ in 0..runs {
            s.navigate("about:blank")?;
            s.navigate(&home)?;
            s.wait(".leaflet-marker-icon")?;
            for (mark, times) in marks.iter().zip(times.iter_mut()) {
                let ms = s.script(&format!("return performance.getEntriesByName('{mark}')[0]?.startTime ?? null"))?;
                times.push(ms.as_f64().ok_or_else(|| format!("no {mark} mark"))?);
            }
        }
        s.cdp("Emulation.setCPUThrottlingRate", json!({"rate": 1}))?;
        for times in times.iter_mut() {
            times.sort_by(f64::total_cmp);
        }
        let map = &times[marks.len() - 1];
        println!(
            "web app, repeat visit offline, CPU ×4 slower: navigation to the map with its stops: median {:.0} ms, min {:.0}, max {:.0} ({runs} runs; target ≤ 1500)",
            map[runs / 2],
            map[0],
            map[runs - 1],
        );
        println!("figure repeat-visit-ms {:.0}", map[runs / 2]);
        let steps = ["boot.js running", "interface's wasm started", "visit received from the worker"];
        let steps: Vec<String> =
            steps.iter().zip(&times).map(|(step, times)| format!("{step} {:.0} ms", times[runs / 2])).collect();
        println!("  the steps (medians, from the navigation): {}", steps.join(", "));
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
        if let Some(walk) = walk {
            let walk = track(&std::fs::read_to_string(walk).map_err(|e| format!("{}: {e}", walk.display()))?);
            walking_cpu(&s, driver.child.id(), &walk)?;
        }
        Ok(())
    })();
    let _ = s.end();
    drop(driver);
    let _ = std::fs::remove_dir_all(&profile);
    result?;
    // `PARCOURS_LIGHTHOUSE_RUNS=0`: the rest of the bench only (while working on it).
    let runs = std::env::var("PARCOURS_LIGHTHOUSE_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(3);
    if runs == 0 { Ok(()) } else { lighthouse(site, out, runs) }
}

/// Lighthouse (npm, pinned in bench/package.json) on a first visit, its default mobile audit (a
/// mid-range phone: simulated slow 4G, CPU ×4), `runs` times, each in a fresh profile of Debian's
/// Chromium; the site served brotli-compressed as a host would. Medians.
fn lighthouse(site: &Path, out: &Path, runs: usize) -> Result {
    let tool = Path::new("bench/node_modules/.bin/lighthouse");
    if !tool.is_file() {
        println!("Lighthouse: not installed ({}: `cargo xtask bench` installs it)", tool.display());
        return Ok(());
    }
    let server = serve_packed(site.to_owned(), 0, pack(site)?)?;
    let url = format!("http://127.0.0.1:{}/", server.port);
    let mut found: Vec<serde_json::Value> = Vec::new();
    for run in 0..runs {
        let report = out.join(format!("lighthouse-{run}.json"));
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
        "Lighthouse 12 mobile, first visit (medians of {runs}): performance {performance:.0} (goal ≥ 95), accessibility {:.0}, best practices {:.0}; First Contentful Paint {:.2} s, Largest Contentful Paint {:.2} s (goal ≤ 2.5 s), interactive {:.2} s, total blocking time {:.0} ms, {:.0} KiB transferred",
        median(&score("accessibility")),
        median(&score("best-practices")),
        median(&audit("first-contentful-paint")) / 1000.0,
        lcp / 1000.0,
        median(&audit("interactive")) / 1000.0,
        median(&audit("total-blocking-time")),
        median(&audit("total-byte-weight")) / 1024.0,
    );
    println!("figure lighthouse-performance {performance:.0}");
    println!("figure lighthouse-lcp-s {:.2}", lcp / 1000.0);
    Ok(())
}

/// The CPU a minute costs with the pink route's map on screen, every process of the browser counted
/// (from /proc: the WebDriver server's whole tree): a minute with no position, then a minute of
/// walking, one position a second along `walk`.
fn walking_cpu(s: &Session, root: u32, walk: &[(f64, f64)]) -> Result {
    check(walk.len() >= 60, || format!("the walk has {} positions, a minute needs 60", walk.len()))?;
    s.permit("geolocation")?;
    tab(s, 1)?;
    s.click_css(".route-choice.route-pink")?;
    tab(s, 2)?;
    s.wait(".leaflet-marker-icon")?;
    // Settled first: what the page does once, at showing the map, is not a minute's cost.
    std::thread::sleep(Duration::from_secs(5));
    let minute = |each: &mut dyn FnMut(usize) -> Result| -> Result<f64> {
        let (start, before) = (Instant::now(), procs::tree_cpu_s(root));
        for second in 0..60 {
            each(second)?;
            let next = Duration::from_secs(second as u64 + 1);
            std::thread::sleep(next.saturating_sub(start.elapsed()));
        }
        Ok((procs::tree_cpu_s(root) - before) * 60.0 / start.elapsed().as_secs_f64())
    };
    let idle = minute(&mut |_| Ok(()))?;
    let walking = minute(&mut |second| {
        let (lat, lon) = walk[second];
        s.cdp("Emulation.setGeolocationOverride", json!({"latitude": lat, "longitude": lon, "accuracy": 8})).map(|_| ())
    })?;
    check(s.find_all(".leaflet-marker-icon")?.len() > 1, || "the map is no longer on screen".into())?;
    println!(
        "web app, CPU per minute, the pink route's map on screen (every browser process): walking, a position a second {walking:.2} s; no position {idle:.2} s (goal walking ≤ 0.4 s)"
    );
    println!("figure walk-cpu-s {walking:.2}");
    println!("figure idle-cpu-s {idle:.2}");
    Ok(())
}
