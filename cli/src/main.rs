//! `parcours`: the organisers' command-line tool. A thin layer over `parcours-core`: parse arguments,
//! call the core, print. Exit codes: 0 success, 1 the input has problems (each printed as
//! `path:line: message` on stderr), 2 bad command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod bank;
mod export;
mod map;
mod pack;
mod publish;
mod shared;
mod userdb;
mod walk;

use clap::{Parser, Subcommand};
use shared::{Failure, Outcome};

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
    Pack(pack::PackCommand),
    /// The organiser's signing key (`pack build --sign`).
    #[command(subcommand)]
    Key(pack::KeyCommand),
    /// Full-text search in a pack file (accents and case ignored: "malegarie" finds "Malégarie").
    Search(pack::SearchArgs),
    /// Export a pack for other tools (calendar, GPS, GIS) and for paper (the booklet).
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// The web app of this visit, ready for any https host, with its poster (affiche.html, the QR code
    /// to the address) and its paper booklet (livret.html).
    Publish(publish::PublishArgs),
    /// Map data for a pack: the street layer from an OpenStreetMap export.
    #[command(subcommand)]
    Map(map::MapCommand),
    /// The web app's folder: `seal` writes its service worker's list of files (used by `cargo xtask web`).
    #[command(hide = true)]
    Site {
        #[arg(value_parser = ["seal"])]
        action: String,
        dir: PathBuf,
    },
    /// Replay a recorded walk (GPX track) through the route-following engine: one JSON object per fix.
    Follow(walk::FollowArgs),
    /// The user database of a phone (worksheets, notes, recorded positions): check, export, import, recover.
    #[command(subcommand)]
    Userdb(userdb::UserdbCommand),
    /// The project bank: worksheets from many phones, for the plenary.
    #[command(subcommand)]
    Bank(bank::BankCommand),
    /// A route's way in words, leg by leg, from the street data: what the app says under the next stop.
    Directions(walk::DirectionsArgs),
    /// Write a synthetic walk of a route as a GPX track (to rehearse `follow`, or to demonstrate the app).
    /// The walk starts at the stop named like the event's venue (event.toml `venue`), else at the first
    /// stop with a position, at the route's start time.
    Simulate(walk::SimulateArgs),
}

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

/// Each subcommand to its module.
fn run(command: Command) -> Outcome {
    match command {
        Command::Pack(command) => pack::run(command),
        Command::Key(command) => pack::key(command),
        Command::Search(args) => pack::search(args),
        Command::Export(command) => export::run(command),
        Command::Publish(args) => publish::run(args),
        Command::Map(command) => map::run(command),
        Command::Site { dir, .. } => publish::seal(&dir).map_err(|e| Failure::Problems(vec![e])),
        Command::Follow(args) => walk::follow(args),
        Command::Userdb(command) => userdb::run(command),
        Command::Bank(command) => bank::run(command),
        Command::Directions(args) => walk::directions(args),
        Command::Simulate(args) => walk::simulate_walk(args),
    }
}
