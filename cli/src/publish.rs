//! `parcours publish`: the web app of one visit, ready for any https host: the web shell's files (built
//! by `cargo xtask web`) with this visit as the one it opens, its service worker listing every file,
//! the poster (`affiche.html`) and the paper booklet (`livret.html`) with the QR code to the address.

use std::path::{Path, PathBuf};

use clap::Args;
use parcours_core::export::booklet;
use parcours_core::pack::Pack;
use parcours_core::store::{self, PackFile};

use crate::shared::*;

/// The service worker's template: `seal` fills in its list of files and its build id.
const SW_TEMPLATE: &str = include_str!("../../web/sw.js");

/// The visit the web app opens (`web/src/lib.rs`, `PACK`).
pub const PACK_NAME: &str = "visite.parcours";

/// Files of a publication that the app does not need offline (printed, or read once): not cached.
const NOT_CACHED: [&str; 2] = ["affiche.html", "livret.html"];

/// The files that make a folder the built web app.
const SITE_FILES: [&str; 7] = [
    "index.html",
    "worker.js",
    "parcours_ui_bg.wasm",
    "parcours_web_bg.wasm",
    "photo.js",
    "parcours_photo_bg.wasm",
    "manifest.webmanifest",
];

fn is_site(dir: &Path) -> bool {
    SITE_FILES.iter().all(|f| dir.join(f).is_file())
}

/// The built web app: `given`, else `web/` beside this program (as a release ships it). Never a folder
/// found from the current one: what is published is what the organiser named, or what came with Parcours.
pub fn find_site(given: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = given {
        return if is_site(dir) {
            Ok(dir.to_owned())
        } else {
            Err(format!("{}: not the Parcours web app (it needs {})", dir.display(), SITE_FILES.join(", ")))
        };
    }
    let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join("web")));
    beside.filter(|d| is_site(d)).ok_or_else(|| {
        "no web app beside this program: give --site FOLDER (in a checkout, target/web after `cargo xtask web`)"
            .to_owned()
    })
}

/// The visit as the web app's worker gives it to the interface (its `pack` reply), beside the visit's
/// file: the interface paints its first screen from it before the worker and SQLite are ready.
pub const SUMMARY_NAME: &str = "visite.json";

/// Writes `dir/visite.json` ([`SUMMARY_NAME`], from the visit's file as the worker opens it, with the
/// same checks) and `dir/sw.js`: every file of `dir` with its content hash, and a build id that changes
/// whenever any file does (the phones then take the new version in the background).
pub fn seal(dir: &Path) -> Result<(), String> {
    use sha2::{Digest, Sha256};
    let summary = dir.join(SUMMARY_NAME);
    match dir.join(PACK_NAME) {
        pack if pack.is_file() => {
            let file = PackFile::open(&pack).map_err(|e| e.to_string())?;
            let json = serde_json::to_vec(file.pack()).map_err(|e| format!("{}: {e}", summary.display()))?;
            std::fs::write(&summary, json).map_err(|e| format!("{}: {e}", summary.display()))?;
            first_paint(dir, file.pack())?;
        }
        _ if summary.exists() => std::fs::remove_file(&summary).map_err(|e| format!("{}: {e}", summary.display()))?,
        _ => {}
    }
    let found = files_under(dir)?;
    let mut list = Vec::new();
    let mut build = Sha256::new();
    for name in found {
        let path = dir.join(&name);
        if name == "sw.js" || name == MANIFEST || NOT_CACHED.contains(&name.as_str()) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let hash: String = Sha256::digest(&bytes).iter().take(8).map(|b| format!("{b:02x}")).collect();
        build.update(format!("{name} {hash}\n"));
        // The page is cached as the site's root, which is what a phone opens.
        let key = if name == "index.html" { "./".to_owned() } else { name };
        list.push(serde_json::json!([key, hash]));
    }
    let build: String = build.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    let sw = SW_TEMPLATE.replace("@BUILD@", &build).replace("@FILES@", &serde_json::Value::from(list).to_string());
    std::fs::write(dir.join("sw.js"), sw).map_err(|e| format!("{}: {e}", dir.join("sw.js").display()))
}

/// The list of what a publication wrote, kept in it: each file's path and SHA-256. A folder is replaced
/// only when everything in it is on that list, unchanged.
pub const MANIFEST: &str = ".parcours-publication";

/// Every file under `dir` (links refused: a folder from someone else must not publish what it points
/// to), as paths relative to it with `/`, sorted.
fn files_under(dir: &Path) -> Result<Vec<String>, String> {
    fn walk(root: &Path, dir: &Path, found: &mut Vec<String>) -> Result<(), String> {
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let kind = std::fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?.file_type();
            if kind.is_symlink() {
                return Err(format!("{}: a link; links are not published (copy the file itself)", path.display()));
            } else if kind.is_dir() {
                walk(root, &path, found)?;
            } else {
                let name = path.strip_prefix(root).map_err(|e| e.to_string())?;
                found.push(name.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found)?;
    found.sort();
    Ok(found)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The files of `out` that are not an earlier publication's, unchanged: none when it is one.
fn strangers(out: &Path) -> Result<Vec<String>, String> {
    let listed: std::collections::BTreeMap<String, String> = std::fs::read(out.join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|v| serde_json::from_value(v["files"].clone()).ok())
        .unwrap_or_default();
    let unchanged = |name: &String| {
        listed.get(name).is_some_and(|hash| std::fs::read(out.join(name)).is_ok_and(|b| &sha256_hex(&b) == hash))
    };
    Ok(files_under(out)?.into_iter().filter(|name| name != MANIFEST && !unchanged(name)).collect())
}

/// Writes the manifest of `dir`: every file in it, with its hash.
fn write_manifest(dir: &Path) -> Result<(), String> {
    let mut files = serde_json::Map::new();
    for name in files_under(dir)? {
        let bytes = std::fs::read(dir.join(&name)).map_err(|e| format!("{}: {e}", dir.join(&name).display()))?;
        files.insert(name, sha256_hex(&bytes).into());
    }
    let manifest = serde_json::json!({ "written_by": "parcours publish", "files": files });
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(MANIFEST), text).map_err(|e| format!("{}: {e}", dir.join(MANIFEST).display()))
}

/// Copies `from` into `to`, leaving out the service worker, any visit file and any manifest (they are
/// this publication's own).
fn copy_site(from: &Path, to: &Path) -> Result<(), String> {
    for name in files_under(from)? {
        let file_name = name.rsplit('/').next().unwrap_or_default();
        if file_name == "sw.js" || file_name.ends_with(".parcours") || name == MANIFEST {
            continue;
        }
        let target = to.join(&name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::copy(from.join(&name), &target).map_err(|e| format!("{}: {e}", from.join(&name).display()))?;
    }
    Ok(())
}

/// The page's first screen, drawn before any script runs ([`booklet::first_screen`], in the visit's
/// first language): someone on a slow network reads the visit at once. Between the boot `<main>` and
/// its loading line.
fn first_paint(dir: &Path, pack: &Pack) -> Result<(), String> {
    const OPEN: &str = "<main id=\"boot\" class=\"page\">";
    const LOADING: &str = "<p role=\"status\">";
    let lang = pack.pack.languages.first().map_or("fr", String::as_str);
    let path = dir.join("index.html");
    let mut index = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let start = index.find(OPEN).map(|at| at + OPEN.len());
    let end = start.and_then(|start| Some(start + index[start..].find(LOADING)?));
    let (Some(start), Some(end)) = (start, end) else {
        return Err(format!("{}: not the index.html this parcours knows (no boot screen)", path.display()));
    };
    index.replace_range(start..end, &format!("\n    {}\n    ", booklet::first_screen(pack, lang)));
    std::fs::write(&path, index).map_err(|e| format!("{}: {e}", path.display()))
}

/// The page's title and the manifest's name: this visit's, not the app's own (the first screen is
/// [`first_paint`]'s, at [`seal`]).
fn name_the_site(dir: &Path, pack: &Pack, lang: &str) -> Result<(), String> {
    let name = format!("Parcours — {} · {}", pack.event.title.get(lang), pack.event.city);
    let index_path = dir.join("index.html");
    let mut index = std::fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let unknown = || format!("{}: not the index.html this parcours knows (no <title>)", index_path.display());
    let replace_between = |text: &mut String, open: &str, close: &str, with: &str| -> Result<(), String> {
        let start = text.find(open).ok_or_else(unknown)? + open.len();
        let end = start + text[start..].find(close).ok_or_else(unknown)?;
        text.replace_range(start..end, &booklet::escape(with));
        Ok(())
    };
    replace_between(&mut index, "<title>", "</title>", &name)?;
    std::fs::write(&index_path, index).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let manifest_path = dir.join("manifest.webmanifest");
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let mut manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    manifest["name"] = name.into();
    manifest["lang"] = lang.into();
    std::fs::write(&manifest_path, serde_json::to_string_pretty(&manifest).unwrap_or(text))
        .map_err(|e| format!("{}: {e}", manifest_path.display()))
}

/// Writes the visit's file at the path it is given (built from a source folder, or a file copied).
pub type WritePack = Box<dyn FnOnce(&Path) -> Result<(), String>>;

/// Writes the publication of `pack` into `out`: made whole in a folder beside it, then put in place.
/// `out` may be new, empty, or an earlier publication whose every file is still the one written
/// ([`MANIFEST`]); a folder holding anything else is refused, naming what; never the current folder
/// nor one above it. `write_pack` writes the visit's file where it is given. What was written, a line
/// per file.
pub fn publish(pack: &Pack, write_pack: WritePack, url: &str, out: &Path, site: &Path) -> Result<Vec<String>, String> {
    let lang = pack.pack.languages.first().map_or("fr", String::as_str);
    let (out_abs, site_abs) =
        (std::path::absolute(out).unwrap_or(out.to_owned()), std::fs::canonicalize(site).unwrap_or(site.to_owned()));
    if out_abs.starts_with(&site_abs) || std::fs::canonicalize(out).is_ok_and(|o| o == site_abs) {
        return Err(format!("{}: inside the web app it is made from ({})", out.display(), site.display()));
    }
    let here =
        std::env::current_dir().and_then(std::fs::canonicalize).map_err(|e| format!("the current folder: {e}"))?;
    if here.starts_with(std::fs::canonicalize(out).unwrap_or_else(|_| out_abs.clone())) {
        return Err(format!(
            "{}: the current folder or one above it; give a folder of its own, e.g. -o en-ligne",
            out.display()
        ));
    }
    if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!("{}: a link; give the folder itself", out.display()));
    }
    let in_use = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if in_use {
        let strangers = strangers(out)?;
        if !strangers.is_empty() {
            let shown: Vec<&str> = strangers.iter().take(5).map(String::as_str).collect();
            let more = if strangers.len() > 5 { format!(" and {} more", strangers.len() - 5) } else { String::new() };
            return Err(format!(
                "{}: not empty, and holds what no earlier `parcours publish` wrote ({}{more}): give a new or empty folder",
                out.display(),
                shown.join(", ")
            ));
        }
    }
    let parent = out_abs.parent().map_or(PathBuf::from("."), Path::to_owned);
    let staging = parent.join(format!(
        ".{}.publishing-{}",
        out_abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&staging);
    let made = (|| {
        std::fs::create_dir_all(&staging).map_err(|e| format!("{}: {e}", staging.display()))?;
        copy_site(site, &staging)?;
        write_pack(&staging.join(PACK_NAME))?;
        name_the_site(&staging, pack, lang)?;
        let write = |name: &str, text: String| {
            std::fs::write(staging.join(name), text).map_err(|e| format!("{}: {e}", staging.join(name).display()))
        };
        write("affiche.html", booklet::poster(pack, lang, url))?;
        write("livret.html", booklet::document(pack, lang, Some(url), booklet::Paper::A4))?;
        seal(&staging)?;
        write_manifest(&staging)
    })();
    if let Err(e) = made {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if in_use {
        std::fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    } else if out.exists() {
        std::fs::remove_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    std::fs::rename(&staging, out).map_err(|e| format!("{}: {e}", out.display()))?;
    let size = |name: &str| std::fs::metadata(out.join(name)).map(|m| m.len()).unwrap_or(0);
    Ok(vec![
        format!("published {} into {} for {url}", pack.pack.id, out.display()),
        format!("  from the web app in {}", site.display()),
        format!("  {PACK_NAME}: the visit ({} bytes)", size(PACK_NAME)),
        format!("  affiche.html: the poster with the QR code to print (A4) ({} bytes)", size("affiche.html")),
        format!("  livret.html: the paper booklet (A4) ({} bytes)", size("livret.html")),
        format!("  {MANIFEST}: the list of what was written (a later publish replaces only that)"),
        "  put the whole folder on any https host, at exactly that address".to_owned(),
    ])
}

/// The arguments of `parcours publish` (its help is on its line in `main.rs`).
#[derive(Args)]
pub struct PublishArgs {
    /// A source folder or a compiled pack file.
    pub path: PathBuf,
    /// The address the folder will be served at (https://…): the QR codes lead there.
    #[arg(long)]
    pub url: String,
    /// The folder to write (new, empty, or an earlier publication, which is replaced).
    #[arg(short, long)]
    pub output: PathBuf,
    /// The built web app (default: web/ beside this program; in a checkout, target/web after
    /// `cargo xtask web`).
    #[arg(long)]
    pub site: Option<PathBuf>,
    /// Sign the visit built from a source folder with this secret key file (`parcours key new`).
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
}

/// `parcours publish`.
pub fn run(args: PublishArgs) -> Outcome {
    let PublishArgs { path, url, output, site, sign } = args;
    let url = web_address(&url)?.to_owned();
    let site = find_site(site.as_deref()).map_err(|e| Failure::Problems(vec![e]))?;
    let key = sign.as_deref().map(read_key).transpose()?;
    let (pack, write_pack): (Pack, WritePack) = if path.is_dir() {
        let (pack, source) = load_source_with(&path)?;
        warn(&path, &pack, Some(&source));
        let copy = pack.clone();
        let build = move |to: &Path| store::build_signed_pack_file(&copy, to, key.as_ref()).map_err(|e| e.to_string());
        (pack, Box::new(build))
    } else if sign.is_some() {
        return Err(Failure::Problems(vec![format!(
            "{}: --sign signs a visit built from its source folder; sign the file when it is built (pack build --sign)",
            path.display()
        )]));
    } else {
        // The file as it is (its recordings too), once checked as the app will check it.
        let pack = PackFile::open(&path)?.into_pack();
        let from = path.clone();
        (
            pack,
            Box::new(move |to: &Path| {
                std::fs::copy(&from, to).map(|_| ()).map_err(|e| format!("{}: {e}", from.display()))
            }),
        )
    };
    let lines = publish(&pack, write_pack, &url, &output, &site).map_err(|e| Failure::Problems(vec![e]))?;
    out(&format!("{}\n", lines.join("\n")))
}
