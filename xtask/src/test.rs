//! `cargo xtask test`: every check and test, in the order CI runs them, with the totals CI reads.

use super::*;

/// The property tests' seed in `cargo xtask test` (see [`test`]).
pub(crate) const PROPTEST_SEED: u64 = 20241003;

pub(crate) fn test() -> Result {
    // The app embeds ui/dist at compile time: build it before anything compiles src-tauri.
    build_ui()?;
    step("test: rustfmt");
    sh("cargo", &["fmt", "--all", "--check"])?;
    step("test: tidy (file sizes, doc comments on nothing, messages nobody reads)");
    let tidied: (u64, u64) = match tidy::check() {
        Ok(()) => (1, 0),
        Err(e) => {
            eprintln!("{e}");
            (0, 1)
        }
    };
    step("test: clippy");
    sh("cargo", &["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"])?;
    // One test: the check finds a planted advisory (the real database, when there is one, too).
    let audited: (u64, u64) = match audit::check() {
        Ok(_) => (1, 0),
        Err(e) => {
            eprintln!("audit: {e}");
            (0, 1)
        }
    };
    // The command layer also runs in the browser: the web app (its worker: the command layer with its
    // default features for wasm32, SQLite's C through Debian's clang) is built now, as a debug build
    // (one wasm compile of SQLite, not two), for its end-to-end run below. This also fetches what the
    // dependency test reads. `cargo xtask web` makes the optimised site.
    assemble_web(Wasm::Debug)?;
    // Property tests draw their cases from this seed, so a run can be repeated exactly (a red CI run is
    // the same run on the next try). `PROPTEST_RNG_SEED=<n> cargo xtask test` explores other cases.
    let seed = std::env::var("PROPTEST_RNG_SEED").unwrap_or_else(|_| PROPTEST_SEED.to_string());
    step(&format!("test: every test of the workspace (property tests: PROPTEST_RNG_SEED={seed})"));
    let (mut passed, mut failed) = (audited.0 + tidied.0, audited.1 + tidied.1);
    let (p, f) = counted_in(
        ".",
        &[("PROPTEST_RNG_SEED", &seed)],
        "cargo",
        // Libraries, binaries and test files; not the examples (a bare Tauri window for the bench) nor
        // the benchmarks (`cargo xtask bench`): clippy checks those, building them here would cost a link
        // of Tauri and of criterion for no test.
        &["test", "--workspace", "--exclude", "xtask", "--lib", "--bins", "--tests"],
    )?;
    (passed, failed) = (passed + p, failed + f);
    step("test: the interface's component tests in headless Chromium (wasm-bindgen-test)");
    let (p, f) = counted_in(
        "ui",
        &[("CHROMEDRIVER", "/usr/bin/chromedriver"), ("WASM_BINDGEN_TEST_TIMEOUT", "120")],
        "cargo",
        &["test", "-p", "parcours-ui", "--target", "wasm32-unknown-unknown"],
    )?;
    (passed, failed) = (passed + p, failed + f);
    // Built now, run last: the desktop run below needs no network, the web runs need their server.
    sh("cargo", &["build", "--quiet", "-p", "parcours-app", "-p", "parcours-e2e"])?;
    // The walk the browser's geolocation replays: the green route from the venue, simulated.
    std::fs::create_dir_all("target/e2e").map_err(|e| format!("target/e2e: {e}"))?;
    let pack = "target/web/visite.parcours";
    sh("target/debug/parcours", &["simulate", pack, "--route", "green", "--noise", "0", "-o", "target/e2e/green.gpx"])?;
    // The three engines phones run: Chromium (Android), WebKit (every iPhone browser), Gecko (Firefox).
    for (engine, what) in [
        ("chromium", "headless Chromium"),
        ("webkit", "WebKitGTK's MiniBrowser under Xvfb"),
        ("firefox", "headless Firefox ESR"),
    ] {
        step(&format!("test: the web app end to end in {what} (the command layer in its Worker, SQLite in wasm)"));
        let out = format!("target/e2e/web-{engine}");
        let (p, f) = counted(
            "target/debug/parcours-web-e2e",
            &["--engine", engine, "--site", "target/web", "--out", &out, "--walk", "target/e2e/green.gpx"],
        )?;
        (passed, failed) = (passed + p, failed + f);
    }
    // One run of the desktop app, with no network at all (`unshare -n`): nothing in it may need one.
    // `-m`: its own mounts, for the full disk and the read-only data folder at the end.
    step(
        "test: end to end, the real app in WebKitGTK under Xvfb, with no network at all (unshare -n), then a full disk and a read-only data folder (-m)",
    );
    let (p, f) = counted(
        "unshare",
        &[
            "-n",
            "-m",
            "sh",
            "-c",
            "ip link set lo up && exec target/debug/parcours-e2e --expect-offline --storage-limits --app target/debug/parcours-app --out target/e2e/offline",
        ],
    )?;
    (passed, failed) = (passed + p, failed + f);
    eprintln!("screenshots: target/e2e/offline, target/e2e/web-chromium, -webkit, -firefox");
    // The last line CI reads: the totals over every test binary and the end-to-end runs.
    println!("\ntests: {passed} passed, {failed} failed");
    if failed > 0 || passed == 0 { Err(format!("{failed} failed, {passed} passed")) } else { Ok(()) }
}

/// Runs a test command, echoing its output, and adds up its result lines: cargo's
/// "test result: ok. N passed; M failed; …" and the end-to-end runner's "e2e: N passed, M failed".
pub(crate) fn counted(program: &str, args: &[&str]) -> Result<(u64, u64)> {
    counted_in(".", &[], program, args)
}

/// [`counted`], run in folder `dir` with extra environment variables.
pub(crate) fn counted_in(dir: &str, env: &[(&str, &str)], program: &str, args: &[&str]) -> Result<(u64, u64)> {
    use std::io::BufRead;
    let mut child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let (mut passed, mut failed) = (0, 0);
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.map_err(|e| e.to_string())?;
            println!("{line}");
            if let Some(rest) = line.strip_prefix("test result: ").or_else(|| line.strip_prefix("e2e: ")) {
                passed += count(rest, " passed");
                failed += count(rest, " failed");
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() && failed == 0 {
        return Err(format!("`{program} {}` failed ({status})", args.join(" ")));
    }
    Ok((passed, failed))
}

/// In "ok. 52 passed; 0 failed; …" or "8 passed, 0 failed", the number before `what`.
pub(crate) fn count(summary: &str, what: &str) -> u64 {
    summary
        .split([';', ','])
        .find_map(|part| part.trim().strip_suffix(what.trim()).map(str::trim))
        .and_then(|n| n.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
