//! `cargo xtask fuzz [TARGET|all] [SECONDS] [--keep]`: the fuzz targets of fuzz/ (cargo-fuzz,
//! libFuzzer), built with the workspace's pinned stable toolchain and no sanitizer.
//!
//! Each target starts from the seeds drawn from the real pack (written by the target itself), the
//! corpus kept in git (fuzz/corpus/TARGET) and the inputs that once failed (fuzz/regressions/TARGET);
//! what it finds goes to a scratch corpus (fuzz/target/work/TARGET), which `--keep` merges into the
//! corpus in git (only inputs that add coverage). A failing input is left in fuzz/artifacts/TARGET:
//! copy it to fuzz/regressions/TARGET under a name that says what failed, fix, and name a test after it
//! in core/tests/it/fuzz_replay.rs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{Result, step};

/// The seconds each target runs when none are given: enough for a broken harness to show.
pub const SMOKE_SECONDS: u64 = 15;

/// How the targets are built: `Release` for long runs (more runs a second), `Dev` for the short runs
/// of `cargo xtask test` (built in half the time).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Build {
    Release,
    Dev,
}

impl Build {
    fn flag(self) -> &'static str {
        match self {
            Build::Release => "--release",
            Build::Dev => "--dev",
        }
    }
}

/// What one target's run did.
pub struct Outcome {
    pub target: String,
    pub runs: u64,
    pub seconds: u64,
    pub corpus: usize,
    pub failure: Option<String>,
}

/// The command line's way in.
pub fn command(args: &[String]) -> Result {
    let seconds = args.iter().find_map(|a| a.parse::<u64>().ok()).unwrap_or(SMOKE_SECONDS);
    let keep = args.iter().any(|a| a == "--keep");
    let only = args.iter().find(|a| !a.starts_with("--") && a.parse::<u64>().is_err() && *a != "all");
    let targets = match only {
        Some(t) if targets()?.contains(t) => vec![t.clone()],
        Some(t) => return Err(format!("no fuzz target {t}: {}", targets()?.join(", "))),
        None => targets()?,
    };
    step(&format!("fuzz: build the targets ({})", targets.join(", ")));
    build(Build::Release, false)?;
    let mut failed = Vec::new();
    for target in &targets {
        step(&format!("fuzz: {target}, {seconds} s"));
        let outcome = run(target, seconds, Build::Release, false)?;
        report(&outcome);
        if outcome.failure.is_some() {
            failed.push(target.clone());
        } else if keep {
            merge(target)?;
        }
    }
    if failed.is_empty() { Ok(()) } else { Err(format!("fuzz targets failed: {}", failed.join(", "))) }
}

/// The targets cargo-fuzz knows (the binaries of fuzz/Cargo.toml).
pub fn targets() -> Result<Vec<String>> {
    let listed = Command::new("cargo")
        .args(["fuzz", "list"])
        .current_dir("fuzz")
        .output()
        .map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    if !listed.status.success() {
        return Err(format!("`cargo fuzz list` failed: {}", String::from_utf8_lossy(&listed.stderr)));
    }
    Ok(String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect())
}

/// Builds every target. `niced`: at the lowest priority, one job (beside the other tests).
pub fn build(how: Build, niced: bool) -> Result {
    let mut cmd = fuzz_command(&["fuzz", "build", "--sanitizer", "none", how.flag()], niced);
    let log_path = PathBuf::from("fuzz/target/logs/build.log");
    if niced {
        // Beside the other tests: one job, and its output in a log rather than between theirs.
        std::fs::create_dir_all("fuzz/target/logs").map_err(|e| format!("fuzz/target/logs: {e}"))?;
        let log = std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        cmd.env("CARGO_BUILD_JOBS", "1").stdout(Stdio::from(log)).stderr(Stdio::from(err));
    }
    let status = cmd.status().map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    if status.success() {
        return Ok(());
    }
    let log = if niced { std::fs::read_to_string(&log_path).unwrap_or_default() } else { String::new() };
    Err(format!("`cargo fuzz build` failed ({status})\n{log}"))
}

fn fuzz_command(args: &[&str], niced: bool) -> Command {
    let mut cmd = if niced {
        let mut c = Command::new("nice");
        c.args(["-n", "15", "cargo"]);
        c
    } else {
        Command::new("cargo")
    };
    cmd.args(args).current_dir("fuzz");
    cmd
}

/// Runs `target` for `seconds` from a fresh scratch corpus; its whole log goes to
/// fuzz/target/logs/TARGET.log.
pub fn run(target: &str, seconds: u64, how: Build, niced: bool) -> Result<Outcome> {
    let work = PathBuf::from(format!("fuzz/target/work/{target}"));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    std::fs::create_dir_all("fuzz/target/logs").map_err(|e| format!("fuzz/target/logs: {e}"))?;
    let log_path = PathBuf::from(format!("fuzz/target/logs/{target}.log"));
    let log = std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let err = log.try_clone().map_err(|e| e.to_string())?;
    let work_arg = format!("target/work/{target}");
    let mut args = vec!["fuzz", "run", "--sanitizer", "none", how.flag(), target, &work_arg];
    let kept: Vec<String> = ["corpus", "regressions"]
        .iter()
        .map(|kind| format!("{kind}/{target}"))
        .filter(|dir| Path::new("fuzz").join(dir).is_dir())
        .collect();
    args.extend(kept.iter().map(String::as_str));
    let time = format!("-max_total_time={seconds}");
    // A hang is an input taking over 10 s; memory over 2 GB is a failure too.
    args.extend(["--", &time, "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1"]);
    let status = fuzz_command(&args, niced)
        .env("PARCOURS_FUZZ_SEEDS", Path::new("..").join(&work))
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(err))
        .status()
        .map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let stat = |name: &str| {
        text.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(0)
    };
    let corpus = std::fs::read_dir(&work).map(|d| d.count()).unwrap_or(0);
    let failure = (!status.success()).then(|| {
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        format!("{tail}\n(the whole log: {})", log_path.display())
    });
    Ok(Outcome {
        target: target.to_owned(),
        runs: stat("stat::number_of_executed_units:"),
        seconds: stat("stat::elapsed_seconds:").max(1),
        corpus,
        failure,
    })
}

pub fn report(o: &Outcome) {
    match &o.failure {
        None => eprintln!(
            "fuzz {}: {} runs in {} s ({} a second), {} inputs in its corpus, no failure",
            o.target,
            o.runs,
            o.seconds,
            o.runs / o.seconds,
            o.corpus
        ),
        Some(log) => eprintln!("fuzz {}: FAILED after {} runs\n{log}", o.target, o.runs),
    }
}

/// Adds to fuzz/corpus/TARGET the scratch corpus's inputs that reach code it does not.
fn merge(target: &str) -> Result {
    let corpus = format!("corpus/{target}");
    std::fs::create_dir_all(Path::new("fuzz").join(&corpus)).map_err(|e| format!("{corpus}: {e}"))?;
    let before = std::fs::read_dir(Path::new("fuzz").join(&corpus)).map(|d| d.count()).unwrap_or(0);
    let work = format!("target/work/{target}");
    let status = fuzz_command(
        &["fuzz", "run", "--sanitizer", "none", "--release", target, &corpus, &work, "--", "-merge=1"],
        false,
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .status()
    .map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    if !status.success() {
        return Err(format!("merging {target}'s corpus failed ({status})"));
    }
    let after = std::fs::read_dir(Path::new("fuzz").join(&corpus)).map(|d| d.count()).unwrap_or(0);
    eprintln!("fuzz {target}: {} inputs added to fuzz/{corpus} ({after} in all)", after - before);
    Ok(())
}

/// `cargo xtask test`'s short run of every target, started beside the other tests (it waits mostly on
/// one core at the lowest priority): built for development, each target for [`SMOKE_SECONDS`].
pub fn smoke() -> Result<Vec<Outcome>> {
    build(Build::Dev, true)?;
    let mut outcomes = Vec::new();
    for target in targets()? {
        outcomes.push(run(&target, SMOKE_SECONDS, Build::Dev, true)?);
    }
    Ok(outcomes)
}
