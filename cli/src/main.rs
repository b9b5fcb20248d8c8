//! `parcours`: the organisers' command-line tool. A thin layer over `parcours-core`: parse arguments,
//! call the core, print. Exit codes: 0 success, 1 the input has problems (each printed as
//! `path:line: message` on stderr), 2 bad command line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod publish;

use clap::{Parser, Subcommand};
use parcours_core::export::trace;
use parcours_core::pack::{self, Pack};
use parcours_core::store::{self, PackFile, UserDb};
use parcours_core::walk::directions;
use parcours_core::walk::simulate::{Excursion, SimOptions, simulate};
use parcours_core::walk::{Course, FollowState, Network, Walkable};

#[derive(Parser)]
#[command(
    name = "parcours",
    version,
    about = "Build, check, read, search and export Parcours visit packs; rehearse a walk; look after user data."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Visit packs: build the app's pack file from a source folder, check, dump.
    #[command(subcommand)]
    Pack(PackCommand),
    /// The organiser's signing key (`pack build --sign`).
    #[command(subcommand)]
    Key(KeyCommand),
    /// Full-text search in a pack file (accents and case ignored: "malegarie" finds "Malégarie").
    Search {
        /// A compiled pack file (.parcours).
        file: PathBuf,
        /// Words to look for; every word must match (as the start of a word).
        query: String,
        /// Only texts in this language (default: all, each result once).
        #[arg(long)]
        lang: Option<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON array instead of lines of text.
        #[arg(long)]
        json: bool,
    },
    /// Export a pack for other tools (calendar, GPS, GIS) and for paper (the booklet).
    #[command(subcommand)]
    Export(ExportCommand),
    /// The web app of this visit, ready for any https host, with its poster (affiche.html, the QR code
    /// to the address) and its paper booklet (livret.html).
    Publish {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// The address the folder will be served at (https://…): the QR codes lead there.
        #[arg(long)]
        url: String,
        /// The folder to write (new, empty, or an earlier publication, which is replaced).
        #[arg(short, long)]
        output: PathBuf,
        /// The built web app (default: web/ beside this program; in a checkout, target/web after
        /// `cargo xtask web`).
        #[arg(long)]
        site: Option<PathBuf>,
        /// Sign the visit built from a source folder with this secret key file (`parcours key new`).
        #[arg(long, value_name = "KEY")]
        sign: Option<PathBuf>,
    },
    /// Map data for a pack: the street layer from an OpenStreetMap export.
    #[command(subcommand)]
    Map(MapCommand),
    /// The web app's folder: `seal` writes its service worker's list of files (used by `cargo xtask web`).
    #[command(hide = true)]
    Site {
        #[arg(value_parser = ["seal"])]
        action: String,
        dir: PathBuf,
    },
    /// Replay a recorded walk (GPX track) through the route-following engine: one JSON object per fix.
    Follow {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// The route's id (e.g. green, pink); may be left out when the visit has one route.
        #[arg(long)]
        route: Option<String>,
        /// The recorded walk: a GPX file whose track points have times (accuracy read from HDOP × 5 m).
        #[arg(long)]
        gpx: PathBuf,
    },
    /// The user database of a phone (worksheets, notes, recorded positions): check, export, import, recover.
    #[command(subcommand)]
    Userdb(UserdbCommand),
    /// The project bank: worksheets from many phones, for the plenary.
    #[command(subcommand)]
    Bank(BankCommand),
    /// A route's way in words, leg by leg, from the street data: what the app says under the next stop.
    Directions {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// The route's id (e.g. green, pink); may be left out when the visit has one route.
        #[arg(long)]
        route: Option<String>,
        /// fr or en (default: the pack's first language).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Write a synthetic walk of a route as a GPX track (to rehearse `follow`, or to demonstrate the app).
    /// The walk starts at the stop named like the event's venue (event.toml `venue`), else at the first
    /// stop with a position, at the route's start time.
    Simulate {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// The route's id (e.g. green, pink); may be left out when the visit has one route.
        #[arg(long)]
        route: Option<String>,
        /// The GPX file to write ("-" for standard output).
        #[arg(short, long)]
        output: PathBuf,
        /// Seed of the position noise (same seed, same walk).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Standard deviation of the position noise, in metres.
        #[arg(long, default_value_t = 5.0)]
        noise: f64,
        /// Wild positions (150–500 m off) mixed in.
        #[arg(long, default_value_t = 0)]
        outliers: usize,
        /// A walk off the route on the way to this stop (id), this many metres away: STOP:METRES.
        #[arg(long)]
        excursion: Option<String>,
        /// Stops (ids) the walker leaves out.
        #[arg(long)]
        skip: Vec<String>,
    },
}

#[derive(Subcommand)]
enum PackCommand {
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
enum UserdbCommand {
    /// Integrity, schema version and counts; exit 1 with a clear message when the file is damaged.
    Check {
        /// The user database (user.sqlite, from the app's data folder).
        db: PathBuf,
    },
    /// All user data as one JSON file (format: docs/user-data.md).
    Export {
        db: PathBuf,
        /// The JSON file to write ("-" for standard output).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Adds worksheets, notes and positions from user-data files (a newer copy wins); creates the database
    /// if needed. Nothing is written unless every file is valid.
    Import {
        db: PathBuf,
        /// User-data JSON files (exported by the app or by `userdb export`).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Everything still readable from a damaged database, as user-data JSON; what is lost goes to stderr.
    Recover {
        /// The damaged file (never written to).
        db: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum BankCommand {
    /// Merge worksheets from user-data files (and photos of the app's QR codes) into one CSV, grouped by
    /// workshop and colour.
    Merge {
        /// User-data JSON files (one per phone or group), or photos/screenshots (.png, .jpg) of the codes
        /// the app shows under "Transmettre" (every code of a set must be in one of the photos).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The CSV file to write ("-" for standard output).
        #[arg(short, long)]
        output: PathBuf,
        /// Also write every worksheet as one page to print (HTML).
        #[arg(long)]
        html: Option<PathBuf>,
        /// The visit (source folder or pack file), for column labels, workshop names and colours.
        #[arg(long)]
        pack: Option<PathBuf>,
        /// Language of the labels.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Make an organiser's signing key: its secret file (keep it, never share it) and its public key.
    New {
        /// The secret key file to write (never overwritten).
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum MapCommand {
    /// The street layer (map/streets.geojson) from an export of the area from OpenStreetMap: OSM XML
    /// (openstreetmap.org → Export) or GeoJSON (overpass-turbo → Export). Keeps the ways people walk
    /// on, cut to the box, their vertices joined where streets meet.
    Import {
        /// The export (.osm or .geojson).
        file: PathBuf,
        /// The area: west,south,east,north in degrees (e.g. -1.4623,43.4937,-1.4437,43.5071).
        #[arg(long, allow_hyphen_values = true)]
        bbox: String,
        /// The GeoJSON file to write (e.g. ma-visite/map/streets.geojson).
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The timetable as iCalendar (one event per item, times in the event's time zone).
    Ics {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// Write here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Language of the texts.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// A route's stops and path as GPX 1.1.
    Gpx {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// The route's id (e.g. green, pink); may be left out when the visit has one route.
        #[arg(long)]
        route: Option<String>,
        /// The GPX file to write ("-" for standard output).
        #[arg(short, long)]
        output: PathBuf,
        /// Language of the texts.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// The paper booklet: one HTML page to print (A4 or A5) or save as PDF from a browser.
    Booklet {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// The HTML file to write ("-" for standard output).
        #[arg(short, long)]
        output: PathBuf,
        /// Language of the texts: one of the visit's languages (default: its first).
        #[arg(long)]
        lang: Option<String>,
        /// The web app's address (https://…): the booklet then carries its QR code.
        #[arg(long)]
        url: Option<String>,
        /// The paper: a4 or a5.
        #[arg(long, default_value = "a4")]
        paper: String,
    },
    /// Stops and routes as GeoJSON (RFC 7946).
    Geojson {
        /// A source folder or a compiled pack file.
        path: PathBuf,
        /// The GeoJSON file to write ("-" for standard output).
        #[arg(short, long)]
        output: PathBuf,
        /// Language of the texts.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
}

/// What went wrong, already worded for the terminal.
enum Failure {
    /// Problems in the input: exit 1.
    Problems(Vec<String>),
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(error: E) -> Failure {
        Failure::Problems(vec![error.to_string()])
    }
}

type Outcome = Result<(), Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Problems(lines)) => {
            let mut stderr = std::io::stderr().lock();
            for line in lines {
                let _ = writeln!(stderr, "{line}");
            }
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Outcome {
    match command {
        Command::Pack(PackCommand::Build { dir, output, sign }) => {
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
        Command::Key(KeyCommand::New { output }) => {
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
        Command::Pack(PackCommand::Check { path }) => {
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
        Command::Pack(PackCommand::New { dir, title, date, city, id }) => new_pack(&dir, &title, &date, &city, id),
        Command::Pack(PackCommand::Dump { path, json }) => {
            let pack = load_any(&path)?;
            if json { out(&(serde_json::to_string_pretty(&pack)? + "\n")) } else { out(&summary(&pack)) }
        }
        Command::Search { file, query, lang, limit, json } => {
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
        Command::Export(ExportCommand::Ics { path, output, lang }) => {
            let pack = load_any(&path)?;
            let ics = parcours_core::export::ics(&pack, &lang, chrono::Utc::now())?;
            match output {
                Some(output) => write_file(&output, &ics),
                None => out(&ics),
            }
        }
        Command::Export(ExportCommand::Gpx { path, route, output, lang }) => {
            let pack = load_any(&path)?;
            let route = route_id(&pack, route.as_deref())?;
            write_file(&output, &parcours_core::export::gpx(&pack, &route, &lang)?)
        }
        Command::Export(ExportCommand::Booklet { path, output, lang, url, paper }) => {
            let pack = load_any(&path)?;
            let lang = visit_lang(&pack, lang.as_deref())?;
            let paper = parcours_core::export::booklet::Paper::parse(&paper)
                .ok_or_else(|| Failure::Problems(vec![format!("--paper {paper}: a4 or a5")]))?;
            let url = url.as_deref().map(web_address).transpose()?;
            write_file(&output, &parcours_core::export::booklet::document(&pack, &lang, url, paper))
        }
        Command::Publish { path, url, output, site, sign } => {
            let url = web_address(&url)?.to_owned();
            let site = publish::find_site(site.as_deref()).map_err(|e| Failure::Problems(vec![e]))?;
            let key = sign.as_deref().map(read_key).transpose()?;
            let (pack, write_pack): (Pack, publish::WritePack) = if path.is_dir() {
                let (pack, source) = load_source_with(&path)?;
                warn(&path, &pack, Some(&source));
                let copy = pack.clone();
                let build =
                    move |to: &Path| store::build_signed_pack_file(&copy, to, key.as_ref()).map_err(|e| e.to_string());
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
            let lines =
                publish::publish(&pack, write_pack, &url, &output, &site).map_err(|e| Failure::Problems(vec![e]))?;
            out(&format!("{}\n", lines.join("\n")))
        }
        Command::Map(MapCommand::Import { file, bbox, output }) => {
            use parcours_core::mapdata;
            let problem = |e: mapdata::ImportError| Failure::Problems(vec![e.to_string()]);
            let bbox = mapdata::Bbox::parse(&bbox).map_err(problem)?;
            let bytes = read_bounded(&file, mapdata::MAX_BYTES)?;
            let name = file.display().to_string();
            let made = mapdata::import(&name, &bytes, &bbox).map_err(problem)?;
            // The folder `map/` of a new visit is made here.
            if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| Failure::Problems(vec![format!("{}: {e}", dir.display())]))?;
            }
            write_file(&output, &made.geojson)?;
            let mut report = format!(
                "wrote {}: {} lines, {} points, from {} ways ({} not walked on, left out); {} points joined\n",
                output.display(),
                made.lines,
                made.vertices,
                made.ways,
                made.not_walkable,
                made.joined
            );
            if made.pieces > 1 {
                report.push_str(&format!(
                    "the streets make {} pieces that do not meet; the largest holds {} of {} crossings and bends (the way is found on it only)\n",
                    made.pieces, made.kept_nodes, made.nodes
                ));
            }
            report.push_str(&format!(
                "in map.toml:\n[[layer]]\nid = \"streets\"\nkind = \"streets\"\nfile = \"map/{}\"\nattribution = \"© OpenStreetMap contributors\"\nlicence = \"ODbL 1.0\"\nsource = \"OpenStreetMap ({}), cut to {},{},{},{}\"\n",
                output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                bbox.west,
                bbox.south,
                bbox.east,
                bbox.north
            ));
            out(&report)
        }
        Command::Site { dir, .. } => publish::seal(&dir).map_err(|e| Failure::Problems(vec![e])),
        Command::Follow { path, route, gpx } => follow(&path, route.as_deref(), &gpx),
        Command::Userdb(UserdbCommand::Check { db }) => {
            let db = open_existing_userdb(&db)?;
            let data = db.export(None, None)?;
            let removed = data.worksheets.iter().filter(|w| w.removed_at.is_some()).count();
            out(&format!(
                "{}: ok — schema {}, {} worksheets ({} removed), {} notes, {} recorded positions\n",
                db.path().display(),
                store::USER_SCHEMA_VERSION,
                data.worksheets.len(),
                removed,
                data.notes.len(),
                data.corrections.len()
            ))
        }
        Command::Userdb(UserdbCommand::Export { db, output }) => {
            let db = open_existing_userdb(&db)?;
            write_file(&output, &db.export(None, None)?.to_json())
        }
        Command::Userdb(UserdbCommand::Import { db, files }) => {
            // Every file is read and checked before anything is written.
            let mut all = Vec::new();
            for file in &files {
                all.push(read_user_data(file)?);
            }
            let mut db = UserDb::open(&db)?;
            let mut merged = parcours_core::userdata::UserData::new(None, None);
            for data in all {
                merged.worksheets.extend(data.worksheets);
                merged.notes.extend(data.notes);
                merged.corrections.extend(data.corrections);
            }
            let report = db.import(&merged)?;
            out(&format!(
                "{}: {} added, {} updated, {} already there\n",
                db.path().display(),
                report.added,
                report.updated,
                report.unchanged
            ))
        }
        Command::Userdb(UserdbCommand::Recover { db, output }) => {
            if !db.is_file() {
                return Err(Failure::Problems(vec![format!("{}: no such file", db.display())]));
            }
            let (data, lost) = UserDb::recover(&db);
            write_file(&output, &data.to_json())?;
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(
                stderr,
                "{}: recovered {} worksheets, {} notes, {} recorded positions; {} could not be read",
                db.display(),
                data.worksheets.len(),
                data.notes.len(),
                data.corrections.len(),
                lost.len()
            );
            for line in lost {
                let _ = writeln!(stderr, "  lost: {line}");
            }
            Ok(())
        }
        Command::Bank(BankCommand::Merge { files, output, html, pack, lang }) => {
            let pack = pack.as_deref().map(load_any).transpose()?;
            let is_photo = |f: &PathBuf| {
                f.extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .is_some_and(|e| matches!(e.as_str(), "png" | "jpg" | "jpeg"))
            };
            let (photos, data_files): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(is_photo);
            let mut sources: Vec<(String, Vec<parcours_core::userdata::ExportedWorksheet>)> = Vec::new();
            for file in &data_files {
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                sources.push((name, read_user_data(file)?.worksheets));
            }
            if !photos.is_empty() {
                sources.push(("photos".into(), read_code_photos(&photos, pack.as_ref())?));
            }
            let mut rows = parcours_core::userdata::newest_copies(
                sources
                    .into_iter()
                    .flat_map(|(name, worksheets)| worksheets.into_iter().map(move |w| (name.clone(), w))),
            );
            // A worksheet removed on its phone is not part of the bank.
            let before = rows.len();
            rows.retain(|(_, w)| w.removed_at.is_none());
            if rows.len() < before {
                eprintln!("{} removed worksheets left out (removed on their phone)", before - rows.len());
            }
            if let Some(page) = html {
                let docs: Vec<_> = rows.iter().map(|(_, w)| w.to_doc()).collect();
                write_file(
                    &page,
                    &parcours_core::export::worksheets::worksheets_html(&docs, pack.as_ref(), &lang, &[]),
                )?;
            }
            write_file(&output, &parcours_core::userdata::bank_csv(&rows, pack.as_ref(), &lang))
        }
        Command::Directions { path, route, lang } => {
            let pack = load_any(&path)?;
            let (net, course) = course(&pack, route.as_deref())?;
            let lang = lang.unwrap_or_else(|| pack.pack.languages.first().cloned().unwrap_or_else(|| "fr".into()));
            let name =
                |id: &str| pack.stops.iter().find(|s| s.id.as_str() == id).map_or(id.to_owned(), |s| s.name.clone());
            let mut text = format!("{}\n", course.route.name.get(&lang));
            for (n, leg) in directions::route_directions(&pack, &net, &course.route).iter().enumerate() {
                let (from, to) = (name(&leg.from), name(&leg.to));
                let far = directions::spoken_metres(leg.directions.length_m, &lang);
                let w = parcours_i18n::Lang::from_tag(&lang).words();
                let number = if leg.back { w.way_leg_back().to_owned() } else { w.way_leg_number(&(n + 1)) };
                text.push_str(&format!(
                    "{number} {from} → {to} ({far})\n   {}\n",
                    directions::say(&leg.directions, &lang)
                ));
            }
            out(&text)
        }
        Command::Simulate { path, route, output, seed, noise, outliers, excursion, skip } => {
            let pack = load_any(&path)?;
            let (net, course) = course(&pack, route.as_deref())?;
            let mut opts = SimOptions::planned(&pack, &course.route);
            opts.seed = seed;
            opts.noise_m = noise;
            opts.outliers = outliers;
            for id in skip {
                opts.skip.push(stop_index(&course, &id)?);
            }
            if let Some(text) = excursion {
                let (stop, metres) = text
                    .split_once(':')
                    .and_then(|(s, m)| Some((s, m.parse::<f64>().ok().filter(|m| m.is_finite() && *m > 0.0)?)))
                    .ok_or_else(|| Failure::Problems(vec![format!("--excursion {text}: expected STOP:METRES")]))?;
                opts.excursion = Some(Excursion { to: stop_index(&course, stop)?, metres });
            }
            let trace = simulate(&course, &net, &opts);
            let name = format!("{} — {}", course.route.name.get("fr"), "simulation");
            write_file(&output, &trace::write_gpx(&trace.fixes, &pack.event.timezone, &name)?)
        }
        Command::Export(ExportCommand::Geojson { path, output, lang }) => {
            let pack = load_any(&path)?;
            write_file(&output, &(parcours_core::export::geojson(&pack, &lang) + "\n"))
        }
    }
}

/// A user database that must exist (check/export never create one).
/// A user database to inspect, opened for reading only: a support tool never changes the evidence
/// (no migration, no switch to WAL, nothing written; an older file is reported as such).
fn open_existing_userdb(path: &Path) -> Result<UserDb, Failure> {
    if !path.is_file() {
        return Err(Failure::Problems(vec![format!("{}: no such file", path.display())]));
    }
    Ok(UserDb::open_read_only(path)?)
}

/// The worksheets in photos of the app's QR codes: codes of several sets may be mixed across photos;
/// each set must be complete.
fn read_code_photos(
    photos: &[PathBuf],
    pack: Option<&Pack>,
) -> Result<Vec<parcours_core::userdata::ExportedWorksheet>, Failure> {
    use parcours_core::handover::{Assembler, HandoverError};
    let problem =
        |photo: &Path, e: &dyn std::fmt::Display| Failure::Problems(vec![format!("{}: {e}", photo.display())]);
    let mut sets: Vec<Assembler> = Vec::new();
    for photo in photos {
        let bytes = std::fs::read(photo).map_err(|e| problem(photo, &e))?;
        let codes = parcours_core::handover::read_image(&bytes).map_err(|e| problem(photo, &e))?;
        if codes.is_empty() {
            return Err(problem(photo, &"no Parcours code found in this picture"));
        }
        for code in codes {
            let mut placed = false;
            for set in &mut sets {
                match set.add(&code) {
                    Ok(_) => {
                        placed = true;
                        break;
                    }
                    Err(HandoverError::OtherSet { .. }) => {}
                    Err(e) => return Err(problem(photo, &e)),
                }
            }
            if !placed {
                let mut set = Assembler::new();
                set.add(&code).map_err(|e| problem(photo, &e))?;
                sets.push(set);
            }
        }
    }
    let mut out = Vec::new();
    for set in sets {
        let handover = set.finish().map_err(|e| Failure::Problems(vec![format!("photos: {e}")]))?;
        out.extend(handover.worksheets.iter().map(|w| parcours_core::userdata::ExportedWorksheet::new(w, pack)));
    }
    Ok(out)
}

fn read_user_data(path: &Path) -> Result<parcours_core::userdata::UserData, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::Problems(vec![format!("{}: {e}", path.display())]))?;
    parcours_core::userdata::UserData::parse(&bytes)
        .map_err(|e| Failure::Problems(vec![format!("{}: {e}", path.display())]))
}

/// The route asked for, or the only one; several and none asked: say which there are.
fn route_id(pack: &Pack, route: Option<&str>) -> Result<String, Failure> {
    match (route, pack.routes.as_slice()) {
        (Some(id), _) => Ok(id.to_owned()),
        (None, [only]) => Ok(only.id.as_str().to_owned()),
        (None, routes) => Err(Failure::Problems(vec![format!(
            "--route: this visit has {} routes; say which: {}",
            routes.len(),
            routes.iter().map(|r| format!("--route {}", r.id.as_str())).collect::<Vec<_>>().join(", ")
        )])),
    }
}

/// The visit's street network and the route asked for (or its only one), ready for following.
fn course(pack: &Pack, route: Option<&str>) -> Result<(Network, Course), Failure> {
    let route = &route_id(pack, route)?;
    let Walkable { network, mut courses } = Walkable::of(pack).ok_or_else(|| {
        Failure::Problems(vec!["this pack has no street data (a map layer of kind \"streets\")".into()])
    })?;
    let Some(at) = courses.iter().position(|c| c.route.id.as_str() == route) else {
        let known: Vec<&str> = pack.routes.iter().map(|r| r.id.as_str()).collect();
        return Err(Failure::Problems(vec![format!(
            "no route \"{route}\" in this pack (routes: {})",
            known.join(", ")
        )]));
    };
    Ok((network, courses.swap_remove(at)))
}

fn stop_index(course: &Course, id: &str) -> Result<usize, Failure> {
    course.index_of(id).ok_or_else(|| {
        let known: Vec<&str> = course.stops.iter().map(|s| s.id.as_str()).collect();
        Failure::Problems(vec![format!("no stop \"{id}\" on this route (stops: {})", known.join(", "))])
    })
}

/// `parcours follow`: one JSON line per track point, written as it is computed.
fn follow(path: &Path, route: Option<&str>, gpx: &Path) -> Outcome {
    let pack = load_any(path)?;
    let (net, course) = course(&pack, route)?;
    let bytes = std::fs::read(gpx).map_err(|e| Failure::Problems(vec![format!("{}: {e}", gpx.display())]))?;
    let points = trace::read_gpx(&bytes, &pack.event.timezone)
        .map_err(|e| Failure::Problems(vec![format!("{}: {e}", gpx.display())]))?;
    let mut state = FollowState::new(&course);
    let mut text = String::new();
    for point in points {
        let step = state.step(&course, &net, &point.fix);
        let id = |s: &Option<parcours_core::pack::StopId>| s.as_ref().map(|s| s.as_str().to_string());
        let line = serde_json::json!({
            "time": point.utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "local_time": step.time.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "used": step.used,
            "at_stop": id(&step.at_stop),
            "next_stop": id(&step.next_stop),
            "distance_m": step.distance_m.map(|d| (d * 10.0).round() / 10.0),
            "straight_m": step.straight_m.map(|d| (d * 10.0).round() / 10.0),
            "walk_s": step.walk_s.map(f64::round),
            "along_m": (step.along_m * 10.0).round() / 10.0,
            "off_route": step.off_route,
            "arrived": id(&step.arrived),
            "departed": id(&step.departed),
            "skipped": step.skipped.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        });
        text.push_str(&line.to_string());
        text.push('\n');
        if text.len() > 64 * 1024 {
            out(&text)?;
            text.clear();
        }
    }
    out(&text)
}

/// Reads and validates a source folder; problems are shown with the folder's path in front.
fn load_source(dir: &Path) -> Result<Pack, Failure> {
    load_source_with(dir).map(|(pack, _)| pack)
}

/// The pack of source folder `dir`, and the source itself (for the warnings' lines).
fn load_source_with(dir: &Path) -> Result<(Pack, pack::Source), Failure> {
    let (source, mut problems) = store::read_source(dir);
    let result = pack::load(&source);
    if let Err(more) = &result {
        problems.extend(more.iter().cloned());
    }
    if problems.is_empty()
        && let Ok(pack) = result
    {
        return Ok((pack, source));
    }
    problems.sort();
    problems.dedup();
    let prefix = |file: &str| {
        if file == "." { dir.display().to_string() } else { dir.join(file).display().to_string() }
    };
    Err(Failure::Problems(problems.iter().map(|p| format!("{}:{}: {}", prefix(&p.file), p.line, p.message)).collect()))
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

/// What will fail on the day in a valid pack, on stderr as `path:line: warning: …` (the pack is not
/// refused); the count, if any.
fn warn(dir: &Path, pack: &Pack, source: Option<&pack::Source>) {
    let warnings = parcours_core::walk::advice::warnings(pack, source);
    for w in &warnings {
        let place = if source.is_some() { dir.join(&w.file).display().to_string() } else { dir.display().to_string() };
        eprintln!("{place}:{}: warning: {}", w.line, w.message);
    }
    if !warnings.is_empty() {
        eprintln!("{} warning(s): the pack is valid, but these will show on the day", warnings.len());
    }
}

/// A source folder or a compiled pack file.
/// `wanted` if the visit is written in it, else its first language.
fn visit_lang(pack: &Pack, wanted: Option<&str>) -> Result<String, Failure> {
    let languages = &pack.pack.languages;
    match wanted {
        None => Ok(languages.first().cloned().unwrap_or_else(|| "fr".to_owned())),
        Some(lang) if languages.iter().any(|l| l == lang) => Ok(lang.to_owned()),
        Some(lang) => Err(Failure::Problems(vec![format!(
            "--lang {lang}: this visit is written in {} only",
            languages.join(", ")
        )])),
    }
}

/// A web address people can open (`booklet::web_address`), or what to give instead.
fn web_address(url: &str) -> Result<&str, Failure> {
    parcours_core::export::booklet::web_address(url).ok_or_else(|| {
        Failure::Problems(vec![format!(
            "--url {url}: give the full https address, e.g. https://example.org/visite/ (http only for localhost)"
        )])
    })
}

/// An organiser's secret key file.
fn read_key(path: &Path) -> Result<parcours_core::store::sign::SigningKey, Failure> {
    let bytes = read_bounded(path, 4096)?;
    let text = String::from_utf8_lossy(&bytes);
    parcours_core::store::sign::SigningKey::from_file(&text)
        .map_err(|reason| Failure::Problems(vec![format!("{}: {reason}", path.display())]))
}

/// Writes a secret file: new only (an existing key is never replaced), readable by its owner only.
fn write_secret(path: &Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let failed = |e: std::io::Error| Failure::Problems(vec![format!("{}: {e}", path.display())]);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(failed)?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(failed)
}

/// The bytes of `path`, refused past `limit` without reading more (the file is someone else's).
fn read_bounded(path: &Path, limit: usize) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let failed = |e: std::io::Error| Failure::Problems(vec![format!("{}: {e}", path.display())]);
    let file = std::fs::File::open(path).map_err(failed)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(failed)?;
    if bytes.len() > limit {
        return Err(Failure::Problems(vec![format!("{}: larger than {} MiB", path.display(), limit / 1024 / 1024)]));
    }
    Ok(bytes)
}

fn load_any(path: &Path) -> Result<Pack, Failure> {
    if path.is_dir() { load_source(path) } else { Ok(PackFile::open(path)?.into_pack()) }
}

fn summary(pack: &Pack) -> String {
    let lang = pack.pack.languages.first().map_or("fr", String::as_str);
    let routes: Vec<String> = pack
        .routes
        .iter()
        .map(|r| {
            format!(
                "  {} ({}): {}",
                r.name.get(lang),
                r.id,
                r.stops.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" → ")
            )
        })
        .collect();
    let unplaced: Vec<&str> = pack.stops.iter().filter(|s| s.position.is_none()).map(|s| s.id.as_str()).collect();
    let features: usize = pack.map.iter().map(|m| m.geojson["features"].as_array().map_or(0, Vec::len)).sum();
    let mut extras = String::new();
    for lang in &pack.pack.languages {
        if let Some(s) = parcours_core::pack::easy::stats(pack, lang) {
            extras.push_str(&format!(
                "easy-read ({lang}): {} texts, {} sentences, words per sentence: median {}, longest {}\n",
                s.texts, s.sentences, s.median_words, s.max_words
            ));
        }
    }
    let recordings: usize = pack.stops.iter().map(|s| s.audio.len()).sum();
    if recordings > 0 {
        let bytes: u64 = pack.stops.iter().flat_map(|s| &s.audio).map(|a| a.bytes).sum();
        extras.push_str(&format!("{recordings} recordings ({bytes} bytes)\n"));
    }
    format!(
        "{} {} — {} — {} {}\n{} timetable items ({} – {}), {} stops{}, {} routes, {} workshops, {} initiatives, {} map features\n{}\n{extras}",
        pack.pack.id,
        pack.pack.version,
        pack.event.title.get(lang),
        pack.event.date.format("%Y-%m-%d"),
        pack.event.city,
        pack.timetable.len(),
        pack.event.start,
        pack.event.end,
        pack.stops.len(),
        if unplaced.is_empty() { String::new() } else { format!(" (position to confirm: {})", unplaced.join(", ")) },
        pack.routes.len(),
        pack.workshops.len(),
        pack.initiatives.len(),
        features,
        routes.join("\n"),
    )
}

/// Writes to standard output; a closed pipe (`| head`) is not an error worth a panic.
fn out(text: &str) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn write_file(path: &Path, text: &str) -> Outcome {
    if path == Path::new("-") {
        return out(text);
    }
    std::fs::write(path, text).map_err(|e| Failure::Problems(vec![format!("{}: {e}", path.display())]))
}
