//! Recorded walks (GPX tracks) in and out of the route-following engine.
//!
//! GPX has no horizontal accuracy field; the usual convention is used: accuracy ≈ 5 m × HDOP. A fix
//! written with accuracy `a` gets `hdop = a / 5`, and a point read with `hdop` gets `accuracy = 5 × hdop`.

#[cfg(feature = "tz")]
use chrono::TimeZone;
use chrono::{DateTime, NaiveDateTime, Utc};

use crate::walk::Fix;

/// Metres of horizontal error per unit of HDOP (a common user-equivalent range error for phones).
pub const METRES_PER_HDOP: f64 = 5.0;

/// One point of a recorded trace: the fix (local time) and the instant as recorded (UTC).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct TracePoint {
    pub fix: Fix,
    pub utc: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TraceError {
    #[error("not a GPX file: {0}")]
    Gpx(String),
    #[error("track point {0} has no time: a walk is replayed in time order")]
    NoTime(usize),
    #[error("track point {0} has a time that cannot be read: {1}")]
    BadTime(usize, String),
    #[error("the file has no track point")]
    Empty,
    #[error("time zone \"{0}\" is unknown")]
    UnknownTimezone(String),
    #[error("the file is {0} bytes, at most {MAX_GPX_BYTES}: a walk of a day is a few MB")]
    TooBig(usize),
    #[error("the file has more than {MAX_GPX_POINTS} track points: a day's walk has fewer")]
    TooManyPoints,
}

/// The biggest GPX trace read.
pub const MAX_GPX_BYTES: usize = 32 * 1024 * 1024;
/// The most track points read (a fix a second for 24 hours is 86,400).
pub const MAX_GPX_POINTS: usize = 200_000;

/// Every track point of `text`, in file order, with times converted to the event's time zone (IANA
/// database of chrono-tz).
#[cfg(feature = "tz")]
pub fn read_gpx(text: &[u8], timezone: &str) -> Result<Vec<TracePoint>, TraceError> {
    read_gpx_in(text, timezone, |utc| crate::schedule::local_time(utc, timezone))
}

/// [`read_gpx`] with the time zone's rules given by the caller (`local`: an instant as wall-clock time
/// in `timezone`, `None` if the zone is unknown there), e.g. the browser's own database.
pub fn read_gpx_in(
    text: &[u8],
    timezone: &str,
    local: impl Fn(DateTime<Utc>) -> Option<NaiveDateTime>,
) -> Result<Vec<TracePoint>, TraceError> {
    let unknown = || TraceError::UnknownTimezone(timezone.to_string());
    local(DateTime::UNIX_EPOCH).ok_or_else(unknown)?;
    if text.len() > MAX_GPX_BYTES {
        return Err(TraceError::TooBig(text.len()));
    }
    let doc = gpx::read(text).map_err(|e| TraceError::Gpx(e.to_string()))?;
    if doc.tracks.iter().flat_map(|t| &t.segments).map(|s| s.points.len()).sum::<usize>() > MAX_GPX_POINTS {
        return Err(TraceError::TooManyPoints);
    }
    let mut points = Vec::new();
    let all = doc.tracks.iter().flat_map(|t| t.segments.iter()).flat_map(|s| s.points.iter());
    for (i, wpt) in all.enumerate() {
        let n = i + 1;
        let time = wpt.time.as_ref().ok_or(TraceError::NoTime(n))?;
        let text = time.format().map_err(|e| TraceError::BadTime(n, e.to_string()))?;
        let utc = DateTime::parse_from_rfc3339(&text)
            .map_err(|e| TraceError::BadTime(n, format!("{text}: {e}")))?
            .with_timezone(&Utc);
        let p = wpt.point();
        points.push(TracePoint {
            fix: Fix {
                time: local(utc).ok_or_else(unknown)?,
                lat: p.y(),
                lon: p.x(),
                accuracy_m: wpt.hdop.map(|h| h * METRES_PER_HDOP),
            },
            utc,
        });
    }
    if points.is_empty() {
        return Err(TraceError::Empty);
    }
    Ok(points)
}

/// A GPX 1.1 track of `fixes` (local times in `timezone`).
#[cfg(feature = "tz")]
pub fn write_gpx(fixes: &[Fix], timezone: &str, name: &str) -> Result<String, TraceError> {
    let tz: chrono_tz::Tz = timezone.parse().map_err(|_| TraceError::UnknownTimezone(timezone.to_string()))?;
    let mut segment = gpx::TrackSegment::new();
    for fix in fixes {
        let mut wpt = gpx::Waypoint::new(geo_types::Point::new(fix.lon, fix.lat));
        wpt.time = Some(to_gpx_time(fix.time, tz)?);
        wpt.hdop = fix.accuracy_m.map(|a| a / METRES_PER_HDOP);
        segment.points.push(wpt);
    }
    let mut track = gpx::Track::new();
    track.name = Some(name.to_string());
    track.segments.push(segment);
    let doc = gpx::Gpx {
        version: gpx::GpxVersion::Gpx11,
        creator: Some("Parcours".to_owned()),
        tracks: vec![track],
        ..gpx::Gpx::default()
    };
    let mut out = Vec::new();
    gpx::write(&doc, &mut out).map_err(|e| TraceError::Gpx(e.to_string()))?;
    String::from_utf8(out).map_err(|e| TraceError::Gpx(e.to_string()))
}

#[cfg(feature = "tz")]
fn to_gpx_time(local: NaiveDateTime, tz: chrono_tz::Tz) -> Result<gpx::Time, TraceError> {
    let utc = tz
        .from_local_datetime(&local)
        .earliest()
        .ok_or_else(|| TraceError::BadTime(0, format!("{local} does not exist in {tz}")))?
        .with_timezone(&Utc);
    let nanos = i128::from(utc.timestamp()) * 1_000_000_000 + i128::from(utc.timestamp_subsec_nanos());
    let odt =
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|e| TraceError::BadTime(0, e.to_string()))?;
    Ok(gpx::Time::from(odt))
}
