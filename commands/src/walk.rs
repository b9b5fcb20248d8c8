//! The walk: the visit's content, one walk followed at a time (real or simulated), its progress kept in
//! the user database, the guide's check-in and check-out, the run sheet, the simulation, positions
//! recorded on site.

use chrono::{NaiveDateTime, Timelike};
use parcours_core::pack::{Hm, Pack};
use parcours_core::schedule::DayStatus;
use parcours_core::store::SearchHit;
use parcours_core::walk::guide::RunSheet;
use parcours_core::walk::simulate::{Excursion, SimOptions};
use parcours_core::walk::{Correction, Course, Fix, FollowState, FollowView, Network, RoutePath, Step};
use parcours_core::wire::{
    AppError, AudioArgs, AudioClip, BookletArgs, CheckArgs, ErrorCode, FixArgs, NoArgs, OutFile, Picture, QueryArgs,
    RouteArgs, StartArgs, StopArgs,
};

use crate::{App, Content, Host, lock, unknown_stop};

/// A position recorded as a stop's place must be at most this old.
pub const RECENT_POSITION_S: i64 = 120;

/// The walk being followed: one route at a time.
pub(crate) struct Session {
    route: String,
    state: FollowState,
    simulated: bool,
    last_step: Option<Step>,
}

/// Which walk a call wants: any kind (the one in progress), or a real or a simulated one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    Real,
    Simulated,
}

impl Kind {
    fn of(simulated: bool) -> Kind {
        if simulated { Kind::Simulated } else { Kind::Real }
    }
}

impl<H: Host> App<H> {
    /// The whole visit.
    pub fn pack(&self, _: NoArgs) -> Result<Pack, AppError> {
        Ok(Pack::clone(&self.content()?.pack))
    }

    /// The paper booklet (the core's `booklet::fragment`), with the web app's QR code when `url` is a
    /// web address (an address that is not is left out, not refused: the booklet prints without it).
    pub fn booklet(&self, args: BookletArgs) -> Result<String, AppError> {
        use parcours_core::export::booklet;
        let content = self.content()?;
        let url = args.url.as_deref().and_then(booklet::web_address);
        Ok(booklet::fragment(&content.pack, &args.lang, url))
    }

    /// A stop's recording as a `data:` URL, read from the pack file only when asked for.
    pub fn stop_audio(&self, args: AudioArgs) -> Result<AudioClip, AppError> {
        use base64::Engine;
        let content = self.content()?;
        let file = lock(&content.file)?;
        let Some((mime, bytes)) = file.audio(&args.stop, &args.lang)? else {
            return Err(unknown_stop(&args.stop, &format!("with a recording in \"{}\"", args.lang)));
        };
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        Ok(AudioClip { data_url: format!("data:{mime};base64,{data}"), mime })
    }

    /// A stop's photo as a `data:` URL, read from the pack file (and checked) only when asked for.
    pub fn stop_photo(&self, args: StopArgs) -> Result<Picture, AppError> {
        use base64::Engine;
        let content = self.content()?;
        let file = lock(&content.file)?;
        let Some((mime, bytes)) = file.photo(&args.stop)? else {
            return Err(unknown_stop(&args.stop, "with a photo"));
        };
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        Ok(Picture { data_url: format!("data:{mime};base64,{data}"), mime })
    }

    pub fn search(&self, args: QueryArgs) -> Result<Vec<SearchHit>, AppError> {
        let content = self.content()?;
        let file = lock(&content.file)?;
        Ok(file.search(&args.query, args.lang.as_deref(), 40)?)
    }

    pub fn day_status(&self, _: NoArgs) -> Result<DayStatus, AppError> {
        Ok(parcours_core::schedule::day_status(&self.content()?.pack, self.now()?))
    }

    pub fn walk_plan(&self, args: RouteArgs) -> Result<RoutePath, AppError> {
        let content = self.content()?;
        let (network, course) = content.course(&args.route)?;
        Ok(parcours_core::walk::route_path(&content.pack, network, &course.route))
    }

    /// The walk on `route`. Without `restart`, the walk in progress goes on, simulated or not; with it,
    /// a new one starts (a simulation if `simulated`).
    pub fn follow_start(&self, args: StartArgs) -> Result<FollowView, AppError> {
        let kind = if args.restart { Kind::of(args.simulated) } else { Kind::Any };
        self.on_session(&args.route, args.restart, kind, |session, _, _| self.view_of(session))
    }

    /// Forgets the progress of the walk on `route` (the guide's "start again"), in memory and on disk.
    pub fn follow_reset(&self, args: RouteArgs) -> Result<FollowView, AppError> {
        let pack = self.content()?.pack.pack.id.clone();
        self.with_users(|db| db.delete_walk(&pack, &args.route))?;
        self.on_session(&args.route, true, Kind::Real, |session, _, _| self.view_of(session))
    }

    /// One position: the engine's step, then what the screens show. A fix with a time comes from the
    /// simulation; the device's fixes take the clock's time. A real walk is saved at every arrival,
    /// departure or skipped stop.
    pub fn follow_fix(&self, args: FixArgs) -> Result<FollowView, AppError> {
        let fix = args.fix;
        if let Some(problem) = fix.problem() {
            return Err(AppError::new(ErrorCode::BadRequest, problem));
        }
        let kind = Kind::of(fix.time.is_some());
        self.on_session(&args.route, false, kind, |session, network, course| {
            let time = match fix.time {
                Some(t) => t,
                None => self.now()?,
            };
            let fix = Fix { time, lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m };
            let step = session.state.step(course, network, &fix);
            let changed = step.arrived.is_some() || step.departed.is_some() || !step.skipped.is_empty();
            session.last_step = Some(step);
            if changed && let Err(e) = self.save(session, time) {
                crate::report("the walk's progress was not saved: ", &e);
            }
            self.view_of(session)
        })
    }

    /// The guide's "we are here" (at `stop`) or, without a stop, "we leave"; answers once on disk.
    pub fn check(&self, args: CheckArgs) -> Result<FollowView, AppError> {
        self.on_session(&args.route, false, Kind::Any, |session, network, course| {
            let now = self.walk_now(session)?;
            match &args.stop {
                Some(id) => {
                    let index = course.index_of(id).ok_or_else(|| unknown_stop(id, "on this route"))?;
                    session.state.check_in(course, index, now);
                }
                None => {
                    session.state.check_out(course, network, now);
                }
            }
            session.last_step = None;
            self.save(session, now)?;
            self.view_of(session)
        })
    }

    pub fn run_sheet(&self, args: RouteArgs) -> Result<RunSheet, AppError> {
        self.on_session(&args.route, false, Kind::Any, |session, _, course| {
            let now = self.walk_now(session)?;
            Ok(parcours_core::walk::guide::run_sheet(&self.content()?.pack, &course.route, &session.state.stops, now))
        })
    }

    /// The walk the simulation switch replays: the host's recorded walk if it has one, else a synthetic
    /// walk of `route` — as planned, with σ = 5 m noise, three wild fixes and one excursion of 120 m on
    /// the way to the first stop that has a position.
    pub fn simulate(&self, args: RouteArgs) -> Result<Vec<Fix>, AppError> {
        let content = self.content()?;
        let (network, course) = content.course(&args.route)?;
        if let Some((name, bytes)) = self.host.replay() {
            let bad = |message: String| AppError::new(ErrorCode::BadReplay, format!("{name}: {message}"));
            let bytes = bytes.map_err(|e| bad(e.to_string()))?;
            let zone = &content.pack.event.timezone;
            let points = parcours_core::export::trace::read_gpx_in(&bytes, zone, |utc| self.host.local_time(utc, zone))
                .map_err(|e| bad(e.to_string()))?;
            return Ok(points.into_iter().map(|p| p.fix).collect());
        }
        let mut opts = SimOptions::planned(&content.pack, &course.route);
        opts.outliers = 3;
        opts.excursion =
            course.stops.iter().position(|s| s.position.is_some()).map(|to| Excursion { to, metres: 120.0 });
        Ok(parcours_core::walk::simulate::simulate(course, network, &opts).fixes)
    }

    /// "Record this stop's position here": the last position of the current walk, if it is real and at
    /// most [`RECENT_POSITION_S`] old.
    pub fn record_position(&self, args: StopArgs) -> Result<Vec<Correction>, AppError> {
        let content = self.content()?;
        let stop = args.stop;
        if content.pack.stop(&parcours_core::pack::StopId(stop.clone())).is_none() {
            return Err(unknown_stop(&stop, "in this visit"));
        }
        let fix = {
            let slot = lock(&self.following)?;
            let session = slot.as_ref().ok_or_else(no_position)?;
            if session.simulated {
                return Err(AppError::new(ErrorCode::Simulated, "a simulated position is not recorded"));
            }
            session.state.last.ok_or_else(no_position)?
        };
        if (self.now()? - fix.time).num_seconds() > RECENT_POSITION_S {
            return Err(no_position());
        }
        let correction =
            Correction { id: 0, stop, lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m, recorded_at: fix.time };
        let pack = &content.pack.pack.id;
        self.with_users(|db| {
            db.add_correction(pack, &correction)?;
            db.corrections(pack)
        })
    }

    pub fn corrections(&self, _: NoArgs) -> Result<Vec<Correction>, AppError> {
        let pack = &self.content()?.pack.pack.id;
        self.with_users(|db| db.corrections(pack))
    }

    /// The recorded positions as GeoJSON for the organiser, saved by the host; where it went.
    pub fn export_corrections(&self, _: NoArgs) -> Result<String, AppError> {
        let content = self.content()?;
        let list = self.with_users(|db| db.corrections(&content.pack.pack.id))?;
        let text = parcours_core::export::corrections_geojson(&content.pack, &list) + "\n";
        let name = format!("parcours-positions-{}-{}.geojson", content.pack.pack.id, self.now()?.format("%Y%m%d-%H%M"));
        self.host.save_file(&OutFile { name, mime: "application/geo+json", bytes: text.into_bytes() })
    }

    /// Runs `f` on the walk of `route` of the `kind` asked, with the route prepared for following. The
    /// walk in memory is kept if it follows that route and is of that kind; otherwise (or with
    /// `restart`) a new one starts: a real one from the progress saved in the user database, if any (an
    /// app killed mid-walk picks up where it was), else afresh.
    fn on_session<T>(
        &self,
        route: &str,
        restart: bool,
        kind: Kind,
        f: impl FnOnce(&mut Session, &Network, &Course) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let content = self.content()?;
        let (network, course) = content.course(route)?;
        let mut slot = lock(&self.following)?;
        let keep = !restart
            && slot
                .as_ref()
                .is_some_and(|s| s.route == route && (kind == Kind::Any || s.simulated == (kind == Kind::Simulated)));
        let session = match slot.as_mut() {
            Some(session) if keep => session,
            _ => slot.insert(self.new_session(&content, course, kind == Kind::Simulated)),
        };
        f(session, network, course)
    }

    fn new_session(&self, content: &Content, course: &Course, simulated: bool) -> Session {
        let route = course.route.id.to_string();
        // A walk is kept to be resumed on the day; from the day after the event on, it is dropped.
        let over = self.now().is_ok_and(|now| now.date() > content.pack.event.date);
        if over && !simulated {
            let _ = self.with_users(|db| db.delete_walk(&content.pack.pack.id, &route));
        }
        let saved = if simulated || over {
            None
        } else {
            self.with_users(|db| db.load_walk(&content.pack.pack.id, &route))
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_str::<FollowState>(&json).ok())
                .filter(|state| state.fits(course))
        };
        Session { route, state: saved.unwrap_or_else(|| FollowState::new(course)), simulated, last_step: None }
    }

    /// Keeps the progress of a real walk (not a simulation) in the user database; returns once committed.
    fn save(&self, session: &Session, now: NaiveDateTime) -> Result<(), AppError> {
        if session.simulated {
            return Ok(());
        }
        // The progress only: no trail of positions is kept on the device.
        let json = serde_json::to_string(&session.state.to_resume())
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        let pack = &self.content()?.pack.pack.id;
        self.with_users(|db| db.save_walk(pack, &session.route, &json, now))
    }

    /// The walk's time: a simulated walk has its own clock (its last fix); otherwise now.
    fn walk_now(&self, session: &Session) -> Result<NaiveDateTime, AppError> {
        match (session.simulated, session.state.last) {
            (true, Some(fix)) => Ok(fix.time),
            _ => self.now(),
        }
    }

    fn view_of(&self, session: &Session) -> Result<FollowView, AppError> {
        let content = self.content()?;
        let (network, course) = content.course(&session.route)?;
        let now = self.walk_now(session)?;
        let last = session.state.last;
        let (path_to_next, way_to_next) = session.state.to_next(course, network).unzip();
        Ok(FollowView {
            route: session.route.clone(),
            now: Hm::new(now.hour() as u16, now.minute() as u16),
            position: last.map(|f| [f.lat, f.lon]),
            accuracy_m: last.and_then(|f| f.accuracy_m),
            step: session.last_step.clone(),
            stops: session.state.stops.clone(),
            path_to_next,
            way_to_next,
            going_back: session.state.going_back(course),
            simulated: session.simulated,
        })
    }
}

fn no_position() -> AppError {
    AppError::new(ErrorCode::NoPosition, "no recent position to record")
}
