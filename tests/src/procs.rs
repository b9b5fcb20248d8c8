//! The processes of a run, read from /proc: a process and everything under it (the app and its WebKit
//! processes; a WebDriver server and its browser), with what they hold (memory) and what they spent
//! (CPU). For the benches of both runs.

use std::collections::HashMap;
use std::path::Path;

/// Every live process and its parent (from `/proc/<pid>/stat`).
fn parents() -> HashMap<u32, u32> {
    let mut parent = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // After the command's name in brackets: state, then ppid.
        let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok());
        if let Some(ppid) = ppid {
            parent.insert(pid, ppid);
        }
    }
    parent
}

/// `roots` and every process under them, now.
fn tree(roots: Vec<u32>) -> Vec<u32> {
    let parent = parents();
    let mut tree = roots;
    let mut i = 0;
    while i < tree.len() {
        let at = tree[i];
        tree.extend(parent.iter().filter(|(_, p)| **p == at).map(|(c, _)| *c));
        i += 1;
    }
    tree
}

/// A number of `/proc/<pid>/<file>`'s line starting with `name` (`VmRSS:`, `Pss:`), in KiB.
fn kib(pid: u32, file: &str, name: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|t| t.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// The memory of the app `app` (every process running that file) and of everything under it (its
/// WebKit children), in KiB: (RSS of the app process alone, PSS of the whole tree). PSS shares each
/// shared page (the WebKit library, mapped by every process) among its users, so the tree's sum is honest;
/// a sum of RSS would count those pages once per process.
pub fn tree_memory_kib(app: &Path) -> (u64, u64) {
    let app = app.display().to_string();
    let is_app =
        |pid: &u32| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p.display().to_string() == app);
    let roots: Vec<u32> = parents().into_keys().filter(is_app).collect();
    let app_rss = roots.iter().map(|pid| kib(*pid, "status", "VmRSS:")).sum();
    (app_rss, tree(roots).iter().map(|pid| kib(*pid, "smaps_rollup", "Pss:")).sum())
}

/// The CPU time of `pid` (user and system, with its ended children's), in USER_HZ ticks.
fn ticks(pid: u32) -> u64 {
    stat_ticks(&format!("/proc/{pid}/stat"))
}

/// The CPU time in a `stat` file of /proc (a process's, or a thread's under `task/`).
fn stat_ticks(path: &str) -> u64 {
    let Ok(stat) = std::fs::read_to_string(path) else { return 0 };
    // After the command's name in brackets: … utime, stime, cutime, cstime (12th to 15th).
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().map(|f| f.parse().unwrap_or(0)).collect())
        .unwrap_or_default();
    fields.iter().skip(11).take(4).sum::<u64>()
}

/// Every process under `driver` (the browser a WebDriver server started, the server itself left out:
/// its work is the test's, not the browser's).
fn under(driver: u32) -> Vec<u32> {
    tree(parents().into_iter().filter(|(_, p)| *p == driver).map(|(c, _)| c).collect())
}

/// CPU time (user and system, seconds) of every process under `driver` ([`under`]), now, with what
/// their children that ended used (a renderer closed between two readings must not lower the sum).
pub fn browser_cpu_s(driver: u32) -> f64 {
    // Linux counts CPU time in USER_HZ ticks: 100 a second.
    under(driver).into_iter().map(ticks).sum::<u64>() as f64 / 100.0
}

/// [`browser_cpu_s`] by kind of process: its program's name, and Chromium's `--type=` (renderer,
/// gpu-process, utility…) where it says one (Chromium rewrites its children's command lines, spaces
/// for separators); seconds per kind.
pub fn browser_cpu_by_kind(driver: u32) -> std::collections::BTreeMap<String, f64> {
    let mut kinds = std::collections::BTreeMap::new();
    for pid in under(driver) {
        let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned();
        let command = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let kind = command
            .split(|b| *b == 0 || *b == b' ')
            .find_map(|arg| arg.strip_prefix(b"--type="))
            .map(|t| format!("{name} {}", String::from_utf8_lossy(t)))
            .unwrap_or(name);
        // The page's process by thread (its main thread, compositor, raster, workers…).
        if kind.ends_with("renderer") {
            for task in std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
                let path = task.path();
                let thread = std::fs::read_to_string(path.join("comm")).unwrap_or_default().trim().to_owned();
                let spent = stat_ticks(&path.join("stat").display().to_string()) as f64 / 100.0;
                *kinds.entry(format!("{kind}/{thread}")).or_insert(0.0) += spent;
            }
        }
        *kinds.entry(kind).or_insert(0.0) += ticks(pid) as f64 / 100.0;
    }
    kinds
}
