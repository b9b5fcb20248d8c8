//! `parcours pack` (build, check, new, dump), `parcours key new` and `parcours search`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use parcours_core::store::{self, PackFile};

use crate::shared::*;

#[derive(Subcommand)]
pub enum PackCommand {
    /// Validate a source folder and compile it into one pack file (SQLite).
    Build {
        /// The pack's source folder (e.g. assets/packs/bayonne-2024).
        dir: PathBuf,
        /// The pack file to write; replaced only once the new one is complete.
        #[arg(short, long)]
        output: PathBuf,
        /// The organiser's secret key file (`parcours key new`): the pack is signed, so that devices
        /// that keep it take a new version of it only from this key.
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
    },
    /// Check a source folder or a pack file; prints a summary, or every problem as path:line: message.
    Check {
        /// A source folder or a compiled pack file.
        path: PathBuf,
    },
    /// Start a new visit: writes a complete, valid source folder (one stop, one route, a programme, a
    /// workshop, the worksheet form), commented in French, to edit and check.
    New {
        /// The folder to write (new, or empty).
        dir: PathBuf,
        /// The visit's title, as printed on the programme.
        #[arg(long)]
        title: String,
        /// The day of the visit, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// The city.
        #[arg(long)]
        city: String,
        /// The visit's id (a-z, 0-9, -); by default made of the city and the year.
        #[arg(long)]
        id: Option<String>,
    },
    /// Print the whole visit (source folder or pack file).
    Dump {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// The whole visit as one JSON document (shape: assets/packs/README.md). Without it: a summary.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Make an organiser's signing key: its secret file (keep it, never share it) and its public key.
    New {
        /// The secret key file to write (never overwritten).
        #[arg(short, long)]
        output: PathBuf,
    },
}

/// The arguments of `parcours search` (its help is on its line in `main.rs`).
#[derive(Args)]
pub struct SearchArgs {
    /// A compiled pack file (.parcours).
    pub file: PathBuf,
    /// Words to look for; every word must match (as the start of a word).
    pub query: String,
    /// Only texts in this language (default: all, each result once).
    #[arg(long)]
    pub lang: Option<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// One JSON array instead of lines of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(command: PackCommand) -> Outcome {
    match command {
        PackCommand::Build { dir, output, sign } => {
            let key = sign.as_deref().map(read_key).transpose()?;
            let (pack, source) = load_source_with(&dir)?;
            warn(&dir, &pack, Some(&source));
            store::build_signed_pack_file(&pack, &output, key.as_ref())?;
            let size = std::fs::metadata(&output).map(|m| m.len()).unwrap_or(0);
            let signed = key.map_or_else(String::new, |k| {
                format!("signed by key {}\n", parcours_core::store::sign::fingerprint(&k.public_hex()))
            });
            out(&format!("built {} ({size} bytes)\n{signed}{}", output.display(), summary(&pack)))
        }
        PackCommand::Check { path } => {
            if path.is_dir() {
                let (pack, source) = load_source_with(&path)?;
                warn(&path, &pack, Some(&source));
                return out(&format!("ok: {}\n{}", path.display(), summary(&pack)));
            }
            // A pack file: opened as the app opens one from someone else, with the work it took.
            let file = PackFile::open(&path)?;
            warn(&path, file.pack(), None);
            let signed = file.signer().map_or_else(
                || "not signed\n".to_owned(),
                |key| {
                    format!("signed by key {} (its signature checked)\n", parcours_core::store::sign::fingerprint(key))
                },
            );
            let work = format!(
                "{signed}opened with {} of SQLite's steps (a pack may take {})\n",
                file.open_steps(),
                parcours_core::store::MAX_OPEN_STEPS
            );
            out(&format!("ok: {}\n{}{work}", path.display(), summary(file.pack())))
        }
        PackCommand::New { dir, title, date, city, id } => new_pack(&dir, &title, &date, &city, id),
        PackCommand::Dump { path, json } => {
            let pack = load_any(&path)?;
            if json { out(&(serde_json::to_string_pretty(&pack)? + "\n")) } else { out(&summary(&pack)) }
        }
    }
}

pub fn key(command: KeyCommand) -> Outcome {
    let KeyCommand::New { output } = command;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| Failure::Problems(vec![format!("no random numbers: {e}")]))?;
    let key = parcours_core::store::sign::SigningKey::from_seed(seed);
    write_secret(&output, &key.to_file())?;
    out(&format!(
        "wrote {} (secret: keep it safe, with a copy; never share it)\npublic key {}\nfingerprint {}\n",
        output.display(),
        key.public_hex(),
        parcours_core::store::sign::fingerprint(&key.public_hex())
    ))
}

pub fn search(args: SearchArgs) -> Outcome {
    let SearchArgs { file, query, lang, limit, json } = args;
    let pack = PackFile::open(&file)?;
    let hits = pack.search(&query, lang.as_deref(), limit)?;
    if json {
        return out(&(serde_json::to_string_pretty(&hits)? + "\n"));
    }
    let mut text = String::new();
    for hit in &hits {
        text.push_str(&format!("{} {} [{}] {}\n    {}\n", hit.kind, hit.id, hit.lang, hit.title, hit.snippet));
    }
    if hits.is_empty() {
        text.push_str(&format!("nothing found for \"{query}\"\n"));
    }
    out(&text)
}

/// The files of a new visit (cli/template/), with `{id}`, `{date}`, `{titre}` and `{ville}` to fill.
const TEMPLATE: &[(&str, &str)] = &[
    ("pack.toml", include_str!("../template/pack.toml")),
    ("event.toml", include_str!("../template/event.toml")),
    ("timetable.toml", include_str!("../template/timetable.toml")),
    ("stops.toml", include_str!("../template/stops.toml")),
    ("routes.toml", include_str!("../template/routes.toml")),
    ("workshops.toml", include_str!("../template/workshops.toml")),
    ("worksheet.toml", include_str!("../template/worksheet.toml")),
    ("initiatives.toml", include_str!("../template/initiatives.toml")),
    ("map.toml", include_str!("../template/map.toml")),
    ("texts/event.fr.md", include_str!("../template/texts/event.fr.md")),
    ("texts/stops/premier-lieu.fr.md", include_str!("../template/texts/stops/premier-lieu.fr.md")),
];

/// `pack new`: the template filled in, into a new or empty folder, then checked as `pack check` does.
fn new_pack(dir: &Path, title: &str, date: &str, city: &str, id: Option<String>) -> Outcome {
    let bad = |message: String| Err(Failure::Problems(vec![message]));
    let Ok(day) = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
        return bad(format!("--date {date}: write the day as YYYY-MM-DD (e.g. 2025-05-15)"));
    };
    if title.trim().is_empty() || city.trim().is_empty() {
        return bad("--title and --city: write them (they are shown on the app's first screen)".into());
    }
    let id = id.unwrap_or_else(|| slug::slugify(format!("{city} {}", chrono::Datelike::year(&day))));
    if !parcours_core::pack::bounds::is_slug(&id) {
        return bad(format!("--id {id}: an id is made of a-z, 0-9 and - only (e.g. pau-2025)"));
    }
    if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        return bad(format!("{}: the folder is not empty; choose a new one (nothing was written)", dir.display()));
    }
    // TOML strings: JSON's escapes are TOML's.
    let quoted = |s: &str| serde_json::to_string(s.trim()).unwrap_or_default();
    for (name, text) in TEMPLATE {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::Problems(vec![format!("{}: {e}", parent.display())]))?;
        }
        let text = text
            .replace("{id}", &id)
            .replace("{date}", date)
            .replace("{titre}", &quoted(title))
            .replace("{ville}", &quoted(city));
        std::fs::write(&path, text).map_err(|e| Failure::Problems(vec![format!("{}: {e}", path.display())]))?;
    }
    let (pack, source) = load_source_with(dir)?;
    warn(dir, &pack, Some(&source));
    out(&format!(
        "written: {} (id {id})\n{}\nnext: edit its files, then parcours pack check {}\n",
        dir.display(),
        summary(&pack),
        dir.display()
    ))
}
