//! `cargo xtask fuzz [TARGET…|all] [SECONDS] [--keep]`: the fuzz targets of fuzz/ (cargo-fuzz,
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

/// How the targets are built: `Release` (more runs a second), or `Dev` with `--dev` (built in half
/// the time; far slower runs: the image decoders then take seconds on some pictures).
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

    /// A target's binary, relative to fuzz/ (run as it was built: `cargo fuzz run` would build it
    /// again from the working tree before every run).
    fn binary(self, target: &str) -> String {
        let profile = if self == Build::Release { "release" } else { "debug" };
        format!("target/x86_64-unknown-linux-gnu/{profile}/{target}")
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
    let how = if args.iter().any(|a| a == "--dev") { Build::Dev } else { Build::Release };
    let known = targets()?;
    let named: Vec<String> =
        args.iter().filter(|a| !a.starts_with("--") && a.parse::<u64>().is_err() && *a != "all").cloned().collect();
    if let Some(t) = named.iter().find(|t| !known.contains(t)) {
        return Err(format!("no fuzz target {t}: {}", known.join(", ")));
    }
    let targets = if named.is_empty() { known } else { named };
    step(&format!("fuzz: build the targets ({})", targets.join(", ")));
    build(how)?;
    let mut failed = Vec::new();
    for target in &targets {
        step(&format!("fuzz: {target}, {seconds} s"));
        let outcome = run(target, seconds, how)?;
        report(&outcome);
        if outcome.failure.is_some() {
            failed.push(target.clone());
        } else if keep {
            merge(target, how)?;
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

/// Builds every target.
pub fn build(how: Build) -> Result {
    let status = target_command("cargo", &["fuzz", "build", "--sanitizer", "none", how.flag()])
        .status()
        .map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("`cargo fuzz build` failed ({status})")) }
}

/// `program` in fuzz/.
fn target_command(program: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir("fuzz");
    cmd
}

/// Runs `target` for `seconds` from a fresh scratch corpus; its whole log goes to
/// fuzz/target/logs/TARGET.log.
pub fn run(target: &str, seconds: u64, how: Build) -> Result<Outcome> {
    let work = PathBuf::from(format!("fuzz/target/work/{target}"));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    std::fs::create_dir_all("fuzz/target/logs").map_err(|e| format!("fuzz/target/logs: {e}"))?;
    let log_path = PathBuf::from(format!("fuzz/target/logs/{target}.log"));
    let log = std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let err = log.try_clone().map_err(|e| e.to_string())?;
    let work_arg = format!("target/work/{target}");
    let artifacts = format!("artifacts/{target}/");
    std::fs::create_dir_all(Path::new("fuzz").join(&artifacts)).map_err(|e| format!("{artifacts}: {e}"))?;
    let prefix = format!("-artifact_prefix={artifacts}");
    let mut args = vec![prefix.as_str(), &work_arg];
    let kept: Vec<String> = ["corpus", "regressions"]
        .iter()
        .map(|kind| format!("{kind}/{target}"))
        .filter(|dir| Path::new("fuzz").join(dir).is_dir())
        .collect();
    args.extend(kept.iter().map(String::as_str));
    let time = format!("-max_total_time={seconds}");
    // A hang is an input taking over 10 s; memory over 2 GB is a failure too.
    args.extend([time.as_str(), "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1"]);
    let status = target_command(&how.binary(target), &args)
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
        // "Done 2377530 runs in 601 second(s)"
        seconds: text
            .lines()
            .find_map(|l| l.strip_prefix("Done ")?.split(" runs in ").nth(1)?.split(' ').next()?.parse().ok())
            .unwrap_or(seconds)
            .max(1),
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

/// The largest input kept in git: the big ones are the seeds' mutations, and the seeds are drawn
/// afresh each run; what the fuzzer finds beyond them is mostly small.
const MAX_KEPT_BYTES: u64 = 2048;
/// The most inputs kept in git per target.
const MAX_KEPT_INPUTS: usize = 256;

/// Adds to fuzz/corpus/TARGET the scratch corpus's inputs (up to [`MAX_KEPT_BYTES`]) that reach code it
/// does not, as few as cover it (libFuzzer's set-cover merge), then keeps the [`MAX_KEPT_INPUTS`]
/// smallest. The whole corpus of a run stays in fuzz/target/work/TARGET.
fn merge(target: &str, how: Build) -> Result {
    let corpus = format!("corpus/{target}");
    let fuzz = Path::new("fuzz");
    std::fs::create_dir_all(fuzz.join(&corpus)).map_err(|e| format!("{corpus}: {e}"))?;
    let count = |dir: &Path| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    let before = count(&fuzz.join(&corpus));
    let small = fuzz.join("target/small").join(target);
    let _ = std::fs::remove_dir_all(&small);
    std::fs::create_dir_all(&small).map_err(|e| format!("{}: {e}", small.display()))?;
    for entry in std::fs::read_dir(fuzz.join("target/work").join(target)).into_iter().flatten().flatten() {
        if entry.metadata().is_ok_and(|m| m.len() <= MAX_KEPT_BYTES) {
            std::fs::copy(entry.path(), small.join(entry.file_name())).map_err(|e| e.to_string())?;
        }
    }
    let small_arg = format!("target/small/{target}");
    let status = target_command(&how.binary(target), &["-set_cover_merge=1", &corpus, &small_arg])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot start {target}: {e}"))?;
    if !status.success() {
        return Err(format!("merging {target}'s corpus failed ({status})"));
    }
    // At most MAX_KEPT_INPUTS, the smallest (the replay in every test run stays within seconds).
    let mut kept: Vec<(u64, PathBuf)> = std::fs::read_dir(fuzz.join(&corpus))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.metadata().ok()?.len(), e.path())))
        .collect();
    kept.sort();
    for (_, path) in kept.iter().skip(MAX_KEPT_INPUTS) {
        std::fs::remove_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let after = count(&fuzz.join(&corpus));
    let bytes: u64 = std::fs::read_dir(fuzz.join(&corpus))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    eprintln!("fuzz {target}: {} inputs added to fuzz/{corpus} ({after} in all, {bytes} bytes)", after - before);
    Ok(())
}
