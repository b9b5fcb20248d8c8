//! `parcours-e2e --bench N`: the desktop app's start, timed against a bare Tauri window, and its memory.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::webdriver::{self, Result, Session};
use crate::{DRIVER, procs, start_services};

/// `--bench N`: N starts of the app with a route already chosen, timed from the WebDriver request that
/// launches it to the numbered stops drawn on the map; then the memory of the app and its WebKit processes;
/// with `--bare`, after each, the same launch of a bare Tauri window to its static page, and the ratio.
pub fn bench(app: &Path, bare: Option<&Path>, out: &Path, runs: usize) -> Result {
    let services = start_services(out, &[])?;
    let first = Session::start(DRIVER, &app.to_string_lossy())?;
    first.click_css(".route-green")?;
    first.wait(".stop-pin")?;
    first.end()?;
    let mut times = Vec::new();
    let mut rss = Vec::new();
    // In the page, from its navigation: each start mark, then the moment the stops were seen.
    let mut steps: Vec<Vec<f64>> = Vec::new();
    // The webview's own start, the same way: launch to its one line of text. Each app run is followed by
    // a bare one, so that both meet the same phase of a shared machine; the ratio is the median of each
    // pair's.
    let mut bare_times = Vec::new();
    let mut bare_seen = Vec::new();
    let mut ratios = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let session = Session::start(DRIVER, &app.to_string_lossy())?;
        session.wait(".stop-pin")?;
        let took = start.elapsed();
        times.push(took);
        steps.push(session.start_marks()?);
        std::thread::sleep(Duration::from_secs(1));
        rss.push(procs::tree_memory_kib(app));
        session.end()?;
        let Some(bare) = bare else { continue };
        let start = Instant::now();
        let session = Session::start(DRIVER, &bare.to_string_lossy())?;
        session.wait("#bare")?;
        let bare_took = start.elapsed();
        bare_times.push(bare_took);
        ratios.push(took.as_secs_f64() / bare_took.as_secs_f64());
        bare_seen.extend(session.script("return performance.now()")?.as_f64());
        session.end()?;
    }
    drop(services);
    times.sort();
    bare_times.sort();
    ratios.sort_by(f64::total_cmp);
    let mut app_rss: Vec<u64> = rss.iter().map(|m| m.0).collect();
    let mut tree_pss: Vec<u64> = rss.iter().map(|m| m.1).collect();
    app_rss.sort_unstable();
    tree_pss.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "start to interactive map (WebDriver launch included): median {:.0} ms, min {:.0} ms, max {:.0} ms ({runs} runs)",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1])
    );
    if let (Some(bare), Some(ratio)) = (bare_times.get(runs / 2), ratios.get(runs / 2)) {
        println!(
            "a bare Tauri window to its static page: median {:.0} ms; the app's start is {ratio:.2}× the webview's own \
             (goal ≤ 1.5×; median of {runs} app runs each over the bare run after it: {:.2}–{:.2})",
            ms(*bare),
            ratios[0],
            ratios[runs - 1]
        );
        println!("figure desktop-start-ratio {ratio:.2}");
    }
    let median = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let said: Vec<String> = webdriver::START_MARKS
        .iter()
        .map(|(_, what)| *what)
        .chain(["stops seen by WebDriver"])
        .enumerate()
        .map(|(i, what)| format!("{what} {:.0} ms", median(steps.iter().filter_map(|s| s.get(i).copied()).collect())))
        .collect();
    println!("  the app's page (medians, from its navigation): {}", said.join(", "));
    if !bare_seen.is_empty() {
        println!(
            "  the bare page (median, from its navigation): its line seen by WebDriver {:.0} ms",
            median(bare_seen)
        );
    }
    let mib = |k: u64| k as f64 / 1024.0;
    println!(
        "memory, app process RSS: median {:.0} MiB, max {:.0} MiB",
        mib(app_rss[runs / 2]),
        mib(app_rss[runs - 1])
    );
    println!(
        "memory, app + WebKit processes PSS: median {:.0} MiB, max {:.0} MiB",
        mib(tree_pss[runs / 2]),
        mib(tree_pss[runs - 1])
    );
    Ok(())
}
