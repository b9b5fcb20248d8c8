//! `parcours export`: ics, gpx, booklet, geojson.

use std::path::PathBuf;

use clap::Subcommand;

use crate::shared::*;

#[derive(Subcommand)]
pub enum ExportCommand {
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

pub fn run(command: ExportCommand) -> Outcome {
    match command {
        ExportCommand::Ics { path, output, lang } => {
            let pack = load_any(&path)?;
            let ics = parcours_core::export::ics(&pack, &lang, chrono::Utc::now())?;
            match output {
                Some(output) => write_file(&output, &ics),
                None => out(&ics),
            }
        }
        ExportCommand::Gpx { path, route, output, lang } => {
            let pack = load_any(&path)?;
            let route = route_id(&pack, route.as_deref())?;
            write_file(&output, &parcours_core::export::gpx(&pack, &route, &lang)?)
        }
        ExportCommand::Booklet { path, output, lang, url, paper } => {
            let pack = load_any(&path)?;
            let lang = visit_lang(&pack, lang.as_deref())?;
            let paper = parcours_core::export::booklet::Paper::parse(&paper)
                .ok_or_else(|| Failure::Problems(vec![format!("--paper {paper}: a4 or a5")]))?;
            let url = url.as_deref().map(web_address).transpose()?;
            write_file(&output, &parcours_core::export::booklet::document(&pack, &lang, url, paper))
        }
        ExportCommand::Geojson { path, output, lang } => {
            let pack = load_any(&path)?;
            write_file(&output, &(parcours_core::export::geojson(&pack, &lang) + "\n"))
        }
    }
}
