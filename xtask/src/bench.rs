//! `cargo xtask bench`: the project's figures.

use super::*;

/// Times `runs` runs of a command (the process included: what an organiser waits for).
pub(crate) fn time_runs(runs: usize, program: &str, args: &[&str]) -> Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let out = Command::new(program).args(args).output().map_err(|e| format!("cannot start {program}: {e}"))?;
        times.push(start.elapsed());
        if !out.status.success() {
            return Err(format!("`{program} {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr)));
        }
    }
    times.sort();
    Ok(times)
}

pub(crate) fn report(name: &str, times: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let min = times.first().copied().unwrap_or_default();
    let max = times.last().copied().unwrap_or_default();
    println!(
        "{name:<40} median {:>8.1} ms   min {:>8.1} ms   max {:>8.1} ms   ({} runs)",
        ms(median),
        ms(min),
        ms(max),
        times.len()
    );
}

/// The median (ns per iteration) of the one benchmark under `dir`, and its elements per iteration
/// (criterion's `new/estimates.json` and `new/benchmark.json`).
pub(crate) fn criterion_median_ns(dir: &Path) -> Option<(f64, f64)> {
    let bench = std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()).find(|e| e.path().join("new").is_dir())?;
    let read = |file: &str| -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(bench.path().join("new").join(file)).ok()?).ok()
    };
    let median = read("estimates.json")?["median"]["point_estimate"].as_f64()?;
    let elements = read("benchmark.json")?["throughput"]["Elements"].as_f64()?;
    Some((median, elements))
}

/// The figures of one run of an e2e binary's bench: its `figure <key> <value>` lines, the output echoed.
fn figures(program: &str, args: &[&str]) -> Result<Vec<(String, f64)>> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("cannot start {program}: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut found = Vec::new();
    for line in text.lines() {
        match line.strip_prefix("figure ").and_then(|f| f.split_once(' ')) {
            Some((key, value)) => found.extend(value.parse::<f64>().ok().map(|v| (key.to_owned(), v))),
            None => println!("{line}"),
        }
    }
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err(format!("`{program} {}` failed ({})", args.join(" "), out.status));
    }
    Ok(found)
}

/// The bytes of `path`, 0 if it is not there.
fn file_bytes(path: &str) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// `against`: another build's web app (a folder like target/web), measured in turn with this one.
pub(crate) fn bench(against: Option<&String>) -> Result {
    let pack = build()?;
    let pack = pack.to_string_lossy();
    step("bench (release build, wall time per process run)");
    let tmp = "target/release/bench.parcours";
    report(
        "pack build (validate + write SQLite)",
        &time_runs(20, "target/release/parcours", &["pack", "build", PACK_SOURCE, "-o", tmp])?,
    );
    report(
        "pack check DIR (read + validate)",
        &time_runs(20, "target/release/parcours", &["pack", "check", PACK_SOURCE])?,
    );
    report(
        "pack check FILE (open + integrity + load)",
        &time_runs(20, "target/release/parcours", &["pack", "check", &pack])?,
    );
    report("search \"malegarie\"", &time_runs(20, "target/release/parcours", &["search", &pack, "malegarie"])?);
    let size = std::fs::metadata(&*pack).map_err(|e| e.to_string())?.len();
    let map_bytes = std::fs::metadata(format!("{PACK_SOURCE}/map/streets.geojson")).map(|m| m.len()).unwrap_or(0);
    println!(
        "{:<40} {size} bytes ({:.0} KiB), of which street GeoJSON source {map_bytes} bytes",
        "pack file size",
        size as f64 / 1024.0
    );
    let _ = std::fs::remove_file(tmp);

    let wasm = "ui/dist/parcours_ui_bg.wasm";
    let raw = std::fs::metadata(wasm).map_err(|e| format!("{wasm}: {e}"))?.len();
    let brotli = Command::new("brotli")
        .args(["-c", "-q", "11", wasm])
        .output()
        .map_err(|e| format!("brotli: {e}"))?
        .stdout
        .len();
    let gzip = Command::new("gzip").args(["-9", "-c", wasm]).output().map_err(|e| format!("gzip: {e}"))?.stdout.len();
    println!(
        "{:<40} {raw} bytes raw ({:.0} KiB), {brotli} brotli -q 11 ({:.0} KiB), {gzip} gzip -9",
        "UI wasm",
        raw as f64 / 1024.0,
        brotli as f64 / 1024.0
    );
    let dist: u64 = dir_size(Path::new("ui/dist"));
    println!(
        "{:<40} {dist} bytes ({:.0} KiB): wasm, JS glue, Leaflet, fonts, CSS",
        "UI folder (ui/dist)",
        dist as f64 / 1024.0
    );
    let (first_visit, mut found) = web_transfer(against)?;
    for deb in deb_files() {
        let size = std::fs::metadata(&deb).map(|m| m.len()).unwrap_or(0);
        println!("{:<40} {size} bytes ({:.1} MiB) {}", ".deb", size as f64 / 1048576.0, deb.display());
    }
    step("bench: walking engine (criterion, release profile)");
    sh("cargo", &["bench", "--quiet", "-p", "parcours-core", "--bench", "walk", "--", "--noplot"])?;
    sh("cargo", &["bench", "--quiet", "-p", "parcours-core", "--bench", "handover", "--", "--noplot"])?;
    step("bench: the largest visit the bounds allow (open, walk, peak memory)");
    sh("cargo", &["bench", "--quiet", "-p", "parcours-core", "--bench", "worst"])?;
    for (name, dir) in [
        ("step function, per position fix", "target/criterion/follow"),
        ("walking route (A*), per query", "target/criterion/route"),
    ] {
        if let Some((ns, per)) = criterion_median_ns(Path::new(dir)) {
            println!(
                "{name:<40} {:.2} µs (criterion median {:.0} µs for {per} elements)",
                ns / per / 1000.0,
                ns / 1000.0
            );
        }
    }
    step("bench: release app, start to interactive map, memory; a bare Tauri window (tauri-driver, Xvfb)");
    sh("cargo", &["build", "--quiet", "-p", "parcours-e2e"])?;
    sh("cargo", &["build", "--quiet", "--release", "-p", "parcours-app", "--example", "bare"])?;
    found.extend(figures(
        "target/debug/parcours-e2e",
        &[
            "--bench",
            // Pairs (the app, then a bare window): the ratio of one pair moves by ±0.3 on this machine.
            "11",
            "--app",
            "target/release/parcours-app",
            "--bare",
            "target/release/examples/bare",
            "--out",
            "target/e2e/bench",
        ],
    )?);
    let figure = |key: &str| found.iter().find(|(k, _)| k == key).map(|(_, v)| *v);
    let (ui_wasm, worker_wasm, photo_wasm) = (
        file_bytes("target/web/parcours_ui_bg.wasm"),
        file_bytes("target/web/parcours_web_bg.wasm"),
        file_bytes("target/web/parcours_photo_bg.wasm"),
    );
    // Each goal: what, its value now (`None`: not measured), at most or at least, the goal, its unit.
    let rows = [
        ("Lighthouse mobile performance, first visit", figure("lighthouse-performance"), "≥", 95.0, ""),
        ("Largest Contentful Paint (Lighthouse mobile)", figure("lighthouse-lcp-s"), "≤", 2.5, " s"),
        ("first visit, brotli, everything needed offline", Some(first_visit as f64 / 1e6), "≤", 1.0, " MB"),
        (
            "wasm needed for the first screen (raw)",
            figure("first-screen-wasm-bytes").map(|bytes| bytes / 1e6),
            "≤",
            1.6,
            " MB",
        ),
        (
            "repeat visit offline, CPU ×4, to interactive map",
            figure("repeat-visit-ms").map(|ms| ms / 1000.0),
            "≤",
            1.0,
            " s",
        ),
        ("CPU per minute of walking (browser, all processes)", figure("walk-cpu-s"), "≤", 0.4, " s"),
        ("desktop start ÷ bare Tauri window", figure("desktop-start-ratio"), "≤", 1.5, "×"),
    ];
    step("bench: the goals (this machine, medians)");
    println!("| measure | now | goal | |\n|---|---|---|---|");
    for (what, now, sign, goal, unit) in rows {
        let met = now.is_some_and(|v| if sign == "≤" { v <= goal } else { v >= goal });
        let now = now.map_or("not measured".to_owned(), |v| format!("{v:.2}{unit}"));
        println!("| {what} | {now} | {sign} {goal}{unit} | {} |", if met { "met" } else { "not yet" });
    }
    if let Some(idle) = figure("idle-cpu-s") {
        println!("(the same minute with the map on screen and no position: {idle:.2} s of CPU)");
    }
    if let Some(dir) = against {
        println!("the other build ({dir}), measured in turn with this one:");
        for (what, key, unit) in [
            ("Lighthouse mobile performance", "lighthouse-performance", ""),
            ("Largest Contentful Paint", "lighthouse-lcp-s", " s"),
            ("wasm needed for the first screen", "first-screen-wasm-bytes", " bytes"),
            ("repeat visit to interactive map", "repeat-visit-ms", " ms"),
            ("CPU per minute of walking", "walk-cpu-s", " s"),
        ] {
            let theirs =
                figure(&format!("against-{key}")).map_or("not measured".to_owned(), |v| format!("{v:.2}{unit}"));
            println!("  {what}: {theirs}");
        }
        if let Some(ms) = figure("repeat-visit-difference-ms") {
            println!("  repeat visit, this build minus the other, run by run: median {ms:+.0} ms");
        }
    }
    // Size budgets, one per module: growth fails the bench the day it happens.
    let budgets = [
        ("interface wasm (raw)", ui_wasm, UI_WASM_BUDGET),
        ("worker wasm (raw)", worker_wasm, WORKER_WASM_BUDGET),
        ("picture reader wasm (raw, on demand)", photo_wasm, PHOTO_WASM_BUDGET),
    ];
    let mut over = Vec::new();
    for (what, bytes, budget) in budgets {
        println!("{what:<40} {bytes} bytes, budget {budget}{}", if bytes > budget { ": OVER" } else { "" });
        if bytes > budget {
            over.push(format!("{what}: {bytes} bytes, over its budget of {budget}"));
        }
    }
    if over.is_empty() { Ok(()) } else { Err(over.join("; ")) }
}

/// The interface's wasm as shipped (raw): today's size, so that any growth shows; lowered as it shrinks.
/// 1,391,218 bytes at 8f873f6; 1,393,657 with the streets as one shape; 1,403,964 with the map card's
/// and the way's memos (a position no longer draws them again, which ended a reading and took the
/// focus away: +10.3 KB), so raised by 10,000; 1,414,024 with a photo of codes decoded by the browser
/// (the check of its header before, and the pixels drawn: +6.9 KB here, −382 KB in the picture reader),
/// so raised by 5,000.
const UI_WASM_BUDGET: u64 = 1_415_000;
/// The worker's wasm as shipped (raw): the command layer and SQLite. 3,118,481 bytes at 1cfae89;
/// 1,871,920 without the IANA time zone database (the browser's serves) and the picture reader;
/// 1,794,478 with SQLite's unused built-ins left out (`.cargo/config.toml`).
const WORKER_WASM_BUDGET: u64 = 1_800_000;
/// The picture reader's wasm (`parcours-photo`: the QR reader, fetched the first time a photo of codes
/// is read): 462,099 bytes when it was split out, with the image decoders and rqrr (its Galois field's
/// 64 KB multiplication tables); 79,664 with the browser decoding and quircs reading the pixels.
const PHOTO_WASM_BUDGET: u64 = 85_000;

/// The web app's first visit: the service worker fetches every file of the site once; each is counted
/// as a server would send it (brotli -q 11), largest first (the goal: 1.0 MB in all, in the table of
/// goals). Then the repeat visit and a command's round trip in Chromium.
/// The shipped web app is in target/web already: [`build`] made it.
pub(crate) fn web_transfer(against: Option<&String>) -> Result<(u64, Vec<(String, f64)>)> {
    step("bench: the web app's first visit (every file the service worker keeps, brotli -q 11)");
    fn files(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { files(&path, found) } else { found.push(path) }
        }
    }
    let mut found = Vec::new();
    files(Path::new("target/web"), &mut found);
    let mut sizes = Vec::new();
    for path in found {
        let raw = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let brotli = Command::new("brotli")
            .args(["-c", "-q", "11"])
            .arg(&path)
            .output()
            .map_err(|e| format!("brotli: {e}"))?
            .stdout
            .len() as u64;
        sizes.push((brotli, raw, path.strip_prefix("target/web").unwrap_or(&path).display().to_string()));
    }
    sizes.sort_by(|a, b| b.cmp(a));
    for (brotli, raw, name) in &sizes {
        println!("  {name:<44} {brotli:>9} brotli {raw:>9} raw");
    }
    let (total, raw): (u64, u64) = sizes.iter().fold((0, 0), |(t, r), (b, w, _)| (t + b, r + w));
    println!(
        "{:<40} {total} bytes brotli ({:.2} MB; goal ≤ 1.0 MB), {raw} raw, {} files",
        "web app, first visit",
        total as f64 / 1e6,
        sizes.len()
    );
    step(
        "bench: the web app in headless Chromium (repeat visit offline, CPU ×4; minutes of walking, three times; search; Lighthouse)",
    );
    sh("cargo", &["build", "--quiet", "-p", "parcours-e2e"])?;
    // Lighthouse, pinned in bench/package.json: installed here only, CI never needs it.
    if !Path::new("bench/node_modules/.bin/lighthouse").is_file() {
        sh("npm", &["ci", "--prefix", "bench", "--no-audit", "--no-fund"])?;
    }
    // The walk: the pink route from the venue at the pack's walking pace, a position a second as a phone
    // gives them (before 2026-12-07 the bench played a position every 5 s of the walk each second: a
    // walker five times as fast).
    let walk = ["simulate", "target/web/visite.parcours", "--route", "pink", "--noise", "0", "--every", "1"];
    sh("target/release/parcours", &[&walk[..], &["-o", "target/e2e/pink.gpx"]].concat())?;
    // 15 runs: a start with the CPU slowed 4× on two shared cores varies by ± 300 ms.
    let mut args =
        vec!["--bench", "15", "--site", "target/web", "--out", "target/e2e/web-bench", "--walk", "target/e2e/pink.gpx"];
    args.extend(against.map(|dir| ["--against", dir.as_str()]).into_iter().flatten());
    let found = figures("target/debug/parcours-web-e2e", &args)?;
    Ok((total, found))
}

pub(crate) fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
