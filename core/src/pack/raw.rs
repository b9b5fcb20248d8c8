//! The pack source files as written by the organiser, one struct per file, with spans for line numbers.
//! Nothing here is checked beyond TOML syntax and field names: see `load.rs`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Spanned<T>;
/// A text in several languages: `{ fr = "…", en = "…" }`.
pub type Loc = S<BTreeMap<String, String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackToml {
    pub format: S<i64>,
    pub id: S<String>,
    pub version: S<String>,
    pub languages: S<Vec<String>>,
    pub walking_speed_m_s: Option<S<f64>>,
    pub easy_read: Option<S<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventToml {
    pub event: RawEvent,
    #[serde(default, rename = "organisation")]
    pub organisations: Vec<S<RawOrganisation>>,
    #[serde(default, rename = "figure")]
    pub figures: Vec<S<RawFigure>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub title: Loc,
    pub subtitle: Loc,
    pub date: S<String>,
    pub timezone: S<String>,
    pub start: S<String>,
    pub end: S<String>,
    pub city: S<String>,
    pub neighbourhood: S<String>,
    pub venue: S<String>,
    pub address: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    pub id: S<String>,
    pub role: S<String>,
    pub name: S<String>,
    pub about: Option<Loc>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub value: S<String>,
    pub label: Loc,
    pub source: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimetableToml {
    #[serde(default, rename = "item")]
    pub items: Vec<S<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub id: S<String>,
    pub start: S<String>,
    pub end: Option<S<String>>,
    pub title: Loc,
    pub place: Option<Loc>,
    pub description: Option<Loc>,
    pub easy_read: Option<Loc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopsToml {
    #[serde(default, rename = "stop")]
    pub stops: Vec<S<RawStop>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStop {
    pub id: S<String>,
    pub name: S<String>,
    pub theme: Loc,
    pub host: S<String>,
    pub meeting_place: Loc,
    #[serde(default)]
    pub facts: Vec<Loc>,
    #[serde(default, rename = "speaker")]
    pub speakers: Vec<S<RawSpeaker>>,
    pub position: Option<S<RawPosition>>,
    pub easy_read: Option<Loc>,
    /// A recording per language: `{ fr = "audio/<id>.fr.mp3" }`, paths inside the pack folder.
    pub audio: Option<Loc>,
    /// How to get in: steps, a step-free way, a lift, where to sit (plain words, every language).
    pub access: Option<Loc>,
    pub photo: Option<S<RawPhoto>>,
}

/// A stop's photo: `photo = { file = "photos/<id>.jpg", alt = { fr = "…" }, credit = "…" }`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhoto {
    pub file: S<String>,
    /// What the photo shows, for people who cannot see it.
    pub alt: Loc,
    pub credit: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpeaker {
    pub name: S<String>,
    pub role: Loc,
    pub organisation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPosition {
    pub lat: S<f64>,
    pub lon: S<f64>,
    pub accuracy_m: S<f64>,
    pub confidence: S<String>,
    pub source: S<String>,
    pub licence: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutesToml {
    #[serde(default, rename = "route")]
    pub routes: Vec<S<RawRoute>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub id: S<String>,
    pub name: Loc,
    pub colour: S<String>,
    #[serde(default)]
    pub symbol: Option<S<String>>,
    #[serde(default)]
    pub line: Option<S<String>>,
    pub start: S<String>,
    pub end: S<String>,
    /// The stop the group walks back to after the last one, to be there at `end` (often the venue).
    pub back_to: Option<S<String>>,
    #[serde(default, rename = "stop")]
    pub stops: Vec<S<RawRouteStop>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRouteStop {
    pub stop: S<String>,
    pub arrive: S<String>,
    pub depart: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkshopsToml {
    #[serde(default, rename = "workshop")]
    pub workshops: Vec<S<RawWorkshop>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkshop {
    pub id: S<String>,
    pub number: S<i64>,
    pub title: Loc,
    pub question: Loc,
    /// Questions asked after the first one, in their order.
    #[serde(default)]
    pub more_questions: Vec<Loc>,
    pub topics: Option<Loc>,
    pub easy_read: Option<Loc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorksheetToml {
    pub title: Loc,
    pub instructions: Loc,
    #[serde(default)]
    pub objectives: Vec<Loc>,
    pub rating_instructions: Loc,
    pub rating_title: Option<Loc>,
    pub title_column: Option<S<String>>,
    #[serde(default, rename = "column")]
    pub columns: Vec<S<RawColumn>>,
    #[serde(default, rename = "rating")]
    pub ratings: Vec<S<RawRating>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumn {
    pub id: S<String>,
    pub label: Loc,
    pub help: Loc,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRating {
    pub id: S<String>,
    pub colour: S<String>,
    pub label: Loc,
    pub meaning: Loc,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitiativesToml {
    #[serde(default, rename = "initiative")]
    pub initiatives: Vec<S<RawInitiative>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInitiative {
    pub id: S<String>,
    pub workshop: S<String>,
    pub title: Loc,
    pub holder: S<String>,
    pub acts_on: Loc,
    pub territory: S<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapToml {
    #[serde(default, rename = "layer")]
    pub layers: Vec<S<RawLayer>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayer {
    pub id: S<String>,
    pub kind: S<String>,
    pub file: S<String>,
    pub attribution: S<String>,
    pub licence: S<String>,
    pub source: S<String>,
}
