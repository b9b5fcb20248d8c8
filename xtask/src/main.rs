//! `cargo xtask <command>`: the project's one entry point (see README.md).
//!
//! - `setup`  idempotent machine setup: Debian packages (as root), the wasm32 target, pinned tools.
//! - `run`    setup, then the main job: build the Bayonne pack and print its summary.
//! - `test`   setup, then every check and test: rustfmt, clippy, the command layer for wasm32, all tests.
//! - `build`  release artefacts: the `parcours` CLI and the compiled Bayonne pack.
//! - `bench`  the project's figures, then the goals' table (Lighthouse, sizes and their budgets, the CPU of a
//!   minute of walking, the repeat visit, the desktop start); see bench.rs.
//! - `ui`     setup, then build the interface into ui/dist (the other commands do it when they need it).
//! - `web`    setup, then build the web app into target/web (`--serve`: and serve it on 127.0.0.1:8080).
//! - `fuzz`   setup, then run the fuzz targets (`fuzz [TARGET|all] [SECONDS] [--keep]`; see fuzz.rs).
//! - `audit`  setup, then check the locked dependencies against the RustSec advisories (see audit.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

mod artefacts;
mod audit;
mod bench;
mod fuzz;
mod setup;
mod test;
mod tidy;

use artefacts::*;
use bench::bench;
use setup::setup;
use test::test;

const PACK_SOURCE: &str = "assets/packs/bayonne-2024";

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    if let Err(error) = std::env::set_current_dir(&root) {
        eprintln!("xtask: cannot enter {}: {error}", root.display());
        return ExitCode::FAILURE;
    }
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(),
        Some("ui") => setup().and_then(|()| build_ui()),
        Some("run") => setup().and_then(|()| run()),
        Some("test") => setup().and_then(|()| test()),
        Some("build") => setup().and_then(|()| build().map(|_| ())),
        Some("bench") => {
            setup().and_then(|()| bench(args.iter().position(|a| a == "--against").and_then(|i| args.get(i + 1))))
        }
        Some("fuzz") => setup().and_then(|()| fuzz::command(&args[1..])),
        Some("audit") => setup().and_then(|()| audit::check().map(|_| ())),
        Some("tidy") => tidy::check(),
        Some("web") => setup()
            .and_then(|()| {
                build_ui()?;
                // `--debug`: the worker as a debug build (quick to make; larger and slower).
                assemble_web(if args.iter().any(|a| a == "--debug") { Wasm::Debug } else { Wasm::Shipped })
            })
            .and_then(|()| if args.iter().any(|a| a == "--serve") { serve_web() } else { Ok(()) }),
        _ => {
            eprintln!(
                "usage: cargo xtask <setup|run|test|build|bench [--against SITE]|ui|web [--debug] [--serve]|fuzz [TARGET|all] [SECONDS] [--keep]|audit|tidy>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

fn project_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), Path::to_path_buf)
}

/// Prints a step's title with the time since xtask started (where a CI run's minutes go).
fn step(what: &str) {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let elapsed = START.get_or_init(Instant::now).elapsed().as_secs();
    eprintln!("\n==> [{:02}:{:02}] {what}", elapsed / 60, elapsed % 60);
}

/// Runs a command, inheriting stdio; fails with the command line when it fails.
fn sh(program: &str, args: &[&str]) -> Result {
    let status = Command::new(program).args(args).status().map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("`{program} {}` failed ({status})", args.join(" "))) }
}

fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("cannot start {program}: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn run() -> Result {
    step("run: build the Bayonne pack and show it");
    sh("cargo", &["build", "--quiet", "-p", "parcours-cli"])?;
    std::fs::create_dir_all("target/debug").map_err(|e| e.to_string())?;
    let out = pack_output("debug");
    let out = out.to_string_lossy();
    sh("target/debug/parcours", &["pack", "build", PACK_SOURCE, "-o", &out])?;
    build_ui()?;
    step("run: build and launch the app");
    sh("cargo", &["build", "--quiet", "-p", "parcours-app"])?;
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    if has_display {
        return sh("target/debug/parcours-app", &[]);
    }
    // A machine without a screen (a server, CI): the app runs in a virtual display.
    eprintln!("No display here: Parcours runs inside a virtual display (xvfb-run). Stop it with Ctrl-C.");
    sh("xvfb-run", &["-a", "-s", "-screen 0 1024x900x24", "target/debug/parcours-app"])
}
