//! What the other commands build: the interface (`ui/dist`), the web app (`target/web`), the release
//! artefacts (`cargo xtask build`).

use super::*;

/// Builds the interface into `ui/dist/`: wasm (size profile) → wasm-bindgen → wasm-opt (npm binaryen;
/// Debian's breaks the module) → static files, Leaflet and fonts copied from node_modules.
pub(crate) fn build_ui() -> Result {
    step("build the interface (ui/dist)");
    let dist = Path::new("ui/dist");
    if dist.exists() {
        std::fs::remove_dir_all(dist).map_err(|e| format!("cannot clear ui/dist: {e}"))?;
    }
    for dir in ["ui/dist/leaflet", "ui/dist/fonts"] {
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
    preload_snippets()?;
    // Not Leaflet's pictures (its default marker and layer switcher): the map draws its own markers and
    // has no layer switcher, and the e2e runs check that nothing asks for a file the site leaves out.
    let fonts = "node_modules/@fontsource/atkinson-hyperlegible/files";
    // Every font the site keeps is one the style names: a file no `@font-face` names is carried for
    // nothing (the latin-ext bold was, until the style named it).
    let style = std::fs::read_to_string("ui/style/app.css").map_err(|e| format!("ui/style/app.css: {e}"))?;
    for entry in std::fs::read_dir(fonts).map_err(|e| format!("{fonts}: {e}"))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with("-normal.woff2") && (name.contains("-400-") || name.contains("-700-")) {
            if !style.contains(&format!("url(\"fonts/{name}\")")) {
                return Err(format!("{fonts}/{name}: copied, but no @font-face of ui/style/app.css names it"));
            }
            std::fs::copy(entry.path(), Path::new("ui/dist/fonts").join(&name))
                .map_err(|e| format!("copy {name}: {e}"))?;
        }
    }
    Ok(())
}

/// The interface's module imports its snippets (wasm-bindgen's `inline_js`, one file each): the page
/// learns of them only once that module is read, then asks for them one round later. Named in
/// `ui/dist/index.html` beside the module (`modulepreload`), they are fetched with it.
fn preload_snippets() -> Result {
    let mut snippets = Vec::new();
    let mut folders = vec![PathBuf::from("ui/dist/snippets")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "js") {
                let address = path.strip_prefix("ui/dist").map_err(|e| e.to_string())?;
                snippets.push(address.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    snippets.sort();
    let module = "<link rel=\"modulepreload\" href=\"parcours_ui.js\">";
    let page = std::fs::read_to_string("ui/dist/index.html").map_err(|e| format!("ui/dist/index.html: {e}"))?;
    if !page.contains(module) {
        return Err(format!("ui/index.html: no {module} to name the interface's snippets after"));
    }
    let links: String = snippets.iter().map(|s| format!("\n  <link rel=\"modulepreload\" href=\"{s}\">")).collect();
    std::fs::write("ui/dist/index.html", page.replacen(module, &format!("{module}{links}"), 1))
        .map_err(|e| format!("ui/dist/index.html: {e}"))
}

/// How a wasm library is built: as shipped (the size profile, then wasm-opt), or quickly for a test run.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Wasm {
    Shipped,
    Debug,
}

/// Builds the wasm library `package` (file `lib`), then wasm-bindgen (for the web) into `out`, and for
/// a shipped build wasm-opt: `<out>/<lib>.js` and `<out>/<lib>_bg.wasm`.
pub(crate) fn wasm_package(package: &str, lib: &str, out: &str, how: Wasm) -> Result {
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
pub(crate) fn wasm_opt(file: &str) -> Result {
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
pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result {
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
pub(crate) fn assemble_web(how: Wasm) -> Result {
    step("build the web app (target/web)");
    let web = Path::new("target/web");
    if web.exists() {
        std::fs::remove_dir_all(web).map_err(|e| format!("cannot clear target/web: {e}"))?;
    }
    copy_tree(Path::new("ui/dist"), web)?;
    std::fs::remove_file(web.join("bare.html")).map_err(|e| format!("target/web/bare.html: {e}"))?;
    wasm_package("parcours-web", "parcours_web", "target/web", how)?;
    // The picture reader, fetched the first time a photo of codes is read (`worker.js` → `photo.js`).
    wasm_package("parcours-photo", "parcours_photo", "target/web", how)?;
    std::fs::create_dir_all("target/web/icons").map_err(|e| format!("target/web/icons: {e}"))?;
    let copies = [
        ("web/worker.js", "target/web/worker.js"),
        ("web/photo.js", "target/web/photo.js"),
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
        // The visit's summary (`parcours site seal`), fetched with the interface: its first screen.
        "  <link rel=\"preload\" href=\"visite.json\" as=\"fetch\" crossorigin>\n",
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
pub(crate) fn write_service_worker(web: &Path) -> Result {
    sh("target/debug/parcours", &["site", "seal", &web.display().to_string()])
}

/// Serves target/web on http://127.0.0.1:8080/ (the same small server as the web app's tests).
pub(crate) fn serve_web() -> Result {
    sh("cargo", &["build", "--quiet", "-p", "parcours-e2e"])?;
    eprintln!("Parcours on http://127.0.0.1:8080/ — stop with Ctrl-C.");
    sh("target/debug/parcours-web-e2e", &["--serve", "target/web", "--port", "8080"])
}

pub(crate) fn pack_output(profile: &str) -> PathBuf {
    PathBuf::from(format!("target/{profile}/bayonne-2024.parcours"))
}

pub(crate) fn build() -> Result<PathBuf> {
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

pub(crate) fn deb_files() -> Vec<PathBuf> {
    std::fs::read_dir("target/release/bundle/deb")
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "deb")).collect()
        })
        .unwrap_or_default()
}
