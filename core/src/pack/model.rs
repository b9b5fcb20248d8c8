//! The validated visit: what the app, the exports and the compiled pack work with.
//!
//! Serialized with serde, this is also the JSON shape of `parcours pack dump --json` (documented in
//! `assets/packs/README.md`).

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Hm;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A stop's stable id (`college-albert-camus`): user notes point at stops by it across pack versions.
    StopId
);
id_type!(
    /// A route's id (`green`, `pink`).
    RouteId
);
id_type!(
    /// A workshop's stable id.
    WorkshopId
);
id_type!(
    /// An initiative's stable id.
    InitiativeId
);
id_type!(
    /// A timetable item's id.
    ItemId
);

/// A text in every language of the pack, keyed by language code (`fr`, `en`, …).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Localized(pub BTreeMap<String, String>);

impl Localized {
    /// The text in `lang` (for a pseudo-locale: in the language it is made from), else in French, else
    /// in any language, else "".
    pub fn get(&self, lang: &str) -> &str {
        let lang = parcours_i18n::content_language(lang);
        self.0.get(lang).or_else(|| self.0.get("fr")).or_else(|| self.0.values().next()).map_or("", String::as_str)
    }
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Pack {
    pub pack: PackInfo,
    pub event: Event,
    pub timetable: Vec<TimetableItem>,
    pub stops: Vec<Stop>,
    pub routes: Vec<Route>,
    pub workshops: Vec<Workshop>,
    pub worksheet: Worksheet,
    pub initiatives: Vec<Initiative>,
    pub map: Vec<MapLayer>,
    /// The recordings of the source ([`Pack::media_key`] → bytes), between [`crate::pack::load`] and the pack
    /// file's writer; never sent to the interface (an opened pack file reads them on demand).
    #[serde(skip)]
    pub media: BTreeMap<String, Vec<u8>>,
}

impl Pack {
    /// Where a stop's recording in `lang` is kept in [`Pack::media`].
    pub fn media_key(stop: &StopId, lang: &str) -> String {
        format!("{}/{lang}", stop.as_str())
    }

    /// Where a stop's photo is kept in [`Pack::media`] (a language code never holds a `#`).
    pub fn photo_key(stop: &StopId) -> String {
        format!("{}/#photo", stop.as_str())
    }

    pub fn stop(&self, id: &StopId) -> Option<&Stop> {
        self.stops.iter().find(|s| &s.id == id)
    }

    pub fn route(&self, id: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.id.as_str() == id)
    }

    pub fn workshop(&self, id: &WorkshopId) -> Option<&Workshop> {
        self.workshops.iter().find(|w| &w.id == id)
    }

    /// A route's stops by name, in its order: "A → B → C" (the home screen, its first paint).
    pub fn route_order(&self, route: &Route) -> String {
        route.stops.iter().filter_map(|s| self.stop(s)).map(|s| s.name.as_str()).collect::<Vec<_>>().join(" → ")
    }
}

impl Event {
    /// The day in words: "jeudi 3 octobre 2024, de 9 h à 16 h 30".
    pub fn when(&self, lang: &str) -> String {
        use crate::text::{long_date, spoken_time};
        parcours_i18n::Lang::from_tag(lang).words().day_when(
            &long_date(self.date, lang),
            &spoken_time(self.start, lang),
            &spoken_time(self.end, lang),
        )
    }

    /// Where: "venue — neighbourhood, city".
    pub fn place(&self) -> String {
        format!("{} — {}, {}", self.venue, self.neighbourhood, self.city)
    }
}

/// About the pack itself (not the event).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct PackInfo {
    pub id: String,
    pub version: String,
    pub format: u32,
    /// The languages every text is written in; the first is the default.
    pub languages: Vec<String>,
    /// Walking speed used for walking times, in metres per second.
    pub walking_speed_m_s: f64,
    /// The pack promises an easy-read ("facile à lire") text beside each stop, programme item and
    /// workshop: the validator requires them.
    #[serde(default)]
    pub easy_read: bool,
}

impl PackInfo {
    /// Seconds to walk `metres` at the visit's walking speed.
    pub fn walk_s(&self, metres: f64) -> f64 {
        metres / self.walking_speed_m_s
    }
}

impl PackInfo {
    /// Whether this pack's `version` comes after `other`'s: compared part by part between dots (`1.10`
    /// after `1.9`), numbers as numbers, other parts as text; a version with more parts after one that
    /// is its beginning (`1.0.1` after `1.0`).
    pub fn is_newer_than(&self, other: &PackInfo) -> bool {
        use std::cmp::Ordering;
        let parts = |v: &str| v.trim().split('.').map(str::to_owned).collect::<Vec<_>>();
        let (mine, theirs) = (parts(&self.version), parts(&other.version));
        for (a, b) in mine.iter().zip(&theirs) {
            let order = match (a.parse::<u64>(), b.parse::<u64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => a.cmp(b),
            };
            if order != Ordering::Equal {
                return order == Ordering::Greater;
            }
        }
        mine.len() > theirs.len()
    }
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Event {
    pub title: Localized,
    pub subtitle: Localized,
    pub date: NaiveDate,
    /// IANA time zone of every time in the pack (`Europe/Paris`).
    pub timezone: String,
    pub start: Hm,
    pub end: Hm,
    pub city: String,
    pub neighbourhood: String,
    pub venue: String,
    pub address: String,
    pub introduction: Localized,
    pub organisations: Vec<Organisation>,
    pub key_figures: Vec<KeyFigure>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationRole {
    Organiser,
    Partner,
}

impl OrganisationRole {
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationRole::Organiser => "organiser",
            OrganisationRole::Partner => "partner",
        }
    }

    pub fn parse(text: &str) -> Option<OrganisationRole> {
        match text {
            "organiser" => Some(OrganisationRole::Organiser),
            "partner" => Some(OrganisationRole::Partner),
            _ => None,
        }
    }
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub role: OrganisationRole,
    pub name: String,
    pub about: Option<Localized>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

/// A figure quoted in the booklet's introduction, with its source.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct KeyFigure {
    pub value: String,
    pub label: Localized,
    pub source: String,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct TimetableItem {
    pub id: ItemId,
    pub start: Hm,
    /// Only where the programme gives it; otherwise the item lasts until the next one starts.
    pub end: Option<Hm>,
    pub title: Localized,
    pub place: Option<Localized>,
    pub description: Option<Localized>,
    /// The item said in easy-read French (FALC) and simple English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easy_read: Option<Localized>,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Stop {
    pub id: StopId,
    pub name: String,
    pub theme: Localized,
    /// The organisation that receives the group.
    pub host: String,
    pub meeting_place: Localized,
    pub speakers: Vec<Speaker>,
    pub description: Localized,
    /// The description in easy-read French (FALC) and simple English, shown first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easy_read: Option<Localized>,
    /// Recordings of the stop (the host's own voice), at most one per language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audio: Vec<Audio>,
    /// How to get in (steps, a step-free way, a lift…), shown with the meeting place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Localized>,
    /// A photo of the place, kept inside the pack file like the recordings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
    /// "Le saviez-vous ?"
    pub facts: Vec<Localized>,
    /// `None` where no source gives the place: the app lists the stop as "position à confirmer".
    pub position: Option<Position>,
}

/// A recording of a stop in one language, kept inside the pack file.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Audio {
    pub lang: String,
    /// `audio/mpeg` (MP3) or `audio/mp4` (AAC in MP4): what WebKitGTK, Chrome and Safari all play.
    pub mime: String,
    pub bytes: u64,
}

/// The largest photo a pack may carry: a phone's picture saved at 1,200 pixels wide is about 200 KB.
pub const MAX_PHOTO_BYTES: u64 = 1024 * 1024;
/// The widest or tallest photo, in pixels.
pub const MAX_PHOTO_SIDE: u32 = 6000;

/// A stop's photo: what it shows and whose it is; its bytes are read from the pack file when shown.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Photo {
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub mime: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// What the photo shows, for people who cannot see it (the image's text alternative).
    pub alt: Localized,
    /// Who took it, or under which licence it is shown.
    pub credit: String,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Speaker {
    pub name: String,
    pub role: Localized,
    pub organisation: Option<String>,
}

/// How a route's line is drawn on the map.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStyle {
    Solid,
    Dashed,
}

impl LineStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            LineStyle::Solid => "solid",
            LineStyle::Dashed => "dashed",
        }
    }

    pub fn parse(text: &str) -> Option<LineStyle> {
        match text {
            "solid" => Some(LineStyle::Solid),
            "dashed" => Some(LineStyle::Dashed),
            _ => None,
        }
    }
}

/// The marks given to routes that do not choose one, in their order.
pub const ROUTE_SYMBOLS: [&str; 5] = ["●", "◆", "■", "▲", "★"];

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Low => "low",
        }
    }

    pub fn parse(text: &str) -> Option<Confidence> {
        match text {
            "high" => Some(Confidence::High),
            "low" => Some(Confidence::Low),
            _ => None,
        }
    }
}

/// A place on the map with how well it is known and where it comes from.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Position {
    pub lat: f64,
    pub lon: f64,
    /// Radius, in metres, within which the real place lies.
    pub accuracy_m: f64,
    pub confidence: Confidence,
    pub source: String,
    pub licence: String,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Route {
    pub id: RouteId,
    pub name: Localized,
    /// `#rrggbb`, for the map.
    pub colour: String,
    /// The mark beside the route's name (`●`, `◆`…): colour is never the only sign of a route.
    pub symbol: String,
    /// How its line is drawn on the map, for the same reason.
    pub line: LineStyle,
    /// The walk's time window.
    pub start: Hm,
    pub end: Hm,
    /// Stop ids in visiting order (the JSON shape promised by `pack dump`).
    pub stops: Vec<StopId>,
    /// The planned time at each stop, in the same order as `stops`.
    pub schedule: Vec<PlannedVisit>,
    /// Where the group walks back to after its last stop, to be there at `end` (often the venue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_to: Option<StopId>,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct PlannedVisit {
    pub stop: StopId,
    pub arrive: Hm,
    pub depart: Hm,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Workshop {
    pub id: WorkshopId,
    pub number: u32,
    pub title: Localized,
    pub question: Localized,
    /// The questions after the first one, in their order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_questions: Vec<Localized>,
    pub topics: Option<Localized>,
    /// The question said in easy-read French (FALC) and simple English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easy_read: Option<Localized>,
}

/// The worksheet template ("fiche chantier") of the workshops.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Worksheet {
    pub title: Localized,
    pub instructions: Localized,
    pub objectives: Vec<Localized>,
    pub columns: Vec<WorksheetColumn>,
    pub rating_instructions: Localized,
    pub ratings: Vec<Rating>,
    /// The column whose text names a worksheet in lists (`title_column`), if the form has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_column: Option<String>,
    /// The heading of the colour choice (`rating_title`, e.g. "Faisabilité du chantier clé"), if the form
    /// has one; else the interface's own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_title: Option<Localized>,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct WorksheetColumn {
    pub id: String,
    pub label: Localized,
    pub help: Localized,
}

/// A feasibility colour: its word always goes with it (colour is never the only signal).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Rating {
    pub id: String,
    pub colour: String,
    pub label: Localized,
    pub meaning: Localized,
}

#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Initiative {
    pub id: InitiativeId,
    pub workshop: WorkshopId,
    pub title: Localized,
    pub holder: String,
    pub acts_on: Localized,
    pub territory: String,
    pub description: Localized,
}

/// Vector map data drawn by the app (GeoJSON), with what the licence asks to show.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct MapLayer {
    pub id: String,
    pub kind: String,
    pub attribution: String,
    pub licence: String,
    pub source: String,
    /// The GeoJSON FeatureCollection, as validated.
    pub geojson: serde_json::Value,
}

/// Every line of the `streets` layers with its feature's name (`""`: none), as `[lon, lat]` points
/// (GeoJSON's order): each LineString, and each part of a MultiLineString, of two finite points or more.
/// What walking (the network), the street names on the map and the booklet's map are made of.
pub fn street_lines(layers: &[MapLayer]) -> Vec<(String, Vec<[f64; 2]>)> {
    let mut lines = Vec::new();
    for layer in layers.iter().filter(|l| l.kind == "streets") {
        for feature in layer.features() {
            let name = feature.pointer("/properties/name").and_then(|n| n.as_str()).unwrap_or_default().trim();
            let parts = line_parts(feature).unwrap_or_default();
            lines.extend(parts.into_iter().filter_map(line_of).map(|l| (name.to_owned(), l)));
        }
    }
    lines
}

impl MapLayer {
    /// A `streets` layer of these GeoJSON features, for tests.
    #[cfg(test)]
    pub(crate) fn streets_of(features: serde_json::Value) -> MapLayer {
        MapLayer {
            id: "streets".into(),
            kind: "streets".into(),
            attribution: String::new(),
            licence: String::new(),
            source: String::new(),
            geojson: serde_json::json!({"type": "FeatureCollection", "features": features}),
        }
    }

    /// The layer's features (none if it has no `features` array).
    fn features(&self) -> &[serde_json::Value] {
        self.geojson.get("features").and_then(|f| f.as_array()).map_or(&[], Vec::as_slice)
    }

    /// The whole layer as lines of `[lat, lon]` points (the map's order), when every feature is a
    /// LineString or a MultiLineString: what a map draws as one shape. `None` when a feature is
    /// anything else (a point, an area), which only GeoJSON drawing shows as it is.
    pub fn lines_only(&self) -> Option<Vec<Vec<[f64; 2]>>> {
        let mut lines = Vec::new();
        for feature in self.features() {
            for part in line_parts(feature)? {
                lines.extend(line_of(part).map(|l| l.into_iter().map(|[lon, lat]| [lat, lon]).collect()));
            }
        }
        Some(lines)
    }
}

/// A feature's lines, as GeoJSON coordinates: its LineString, or each part of its MultiLineString;
/// `None` when its geometry is of another type (or missing).
fn line_parts(feature: &serde_json::Value) -> Option<Vec<&serde_json::Value>> {
    let geometry = feature.get("geometry")?;
    let coords = geometry.get("coordinates");
    match geometry.get("type").and_then(|t| t.as_str()) {
        Some("LineString") => Some(coords.into_iter().collect()),
        Some("MultiLineString") => Some(coords.and_then(|c| c.as_array()).into_iter().flatten().collect()),
        _ => None,
    }
}

/// A GeoJSON line's `[lon, lat]` points that are finite, if two or more.
fn line_of(value: &serde_json::Value) -> Option<Vec<[f64; 2]>> {
    let line: Vec<[f64; 2]> = value
        .as_array()?
        .iter()
        .filter_map(|p| {
            let p = p.as_array()?;
            let (lon, lat) = (p.first()?.as_f64()?, p.get(1)?.as_f64()?);
            (lon.is_finite() && lat.is_finite()).then_some([lon, lat])
        })
        .collect();
    (line.len() >= 2).then_some(line)
}

#[cfg(test)]
mod tests {
    use super::PackInfo;

    #[test]
    fn versions_in_order() {
        let v = |version: &str| PackInfo {
            id: "x".into(),
            version: version.into(),
            format: 1,
            languages: vec!["fr".into()],
            walking_speed_m_s: 1.2,
            easy_read: false,
        };
        for (newer, older) in [("1.10", "1.9"), ("2", "1.9.9"), ("1.0.1", "1.0"), ("2024-10b", "2024-10a")] {
            assert!(v(newer).is_newer_than(&v(older)), "{newer} after {older}");
            assert!(!v(older).is_newer_than(&v(newer)), "{older} not after {newer}");
        }
        assert!(!v("1.0").is_newer_than(&v("1.0")));
    }

    #[test]
    fn a_layer_of_lines_is_one_shape_and_any_other_is_not() {
        let layer = super::MapLayer::streets_of;
        let line = serde_json::json!({"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[-1.46, 43.50], [-1.45, 43.51]]}});
        let multi = serde_json::json!({"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString", "coordinates": [[[-1.0, 43.0], [-1.1, 43.1]], [[-1.2, 43.2]]]}});
        let point = serde_json::json!({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-1.0, 43.0]}});
        // [lat, lon], each line of two points or more (the one-point part is left out).
        assert_eq!(
            layer(serde_json::json!([line, multi])).lines_only(),
            Some(vec![vec![[43.50, -1.46], [43.51, -1.45]], vec![[43.0, -1.0], [43.1, -1.1]]])
        );
        assert_eq!(layer(serde_json::json!([line, point])).lines_only(), None);
        assert_eq!(layer(serde_json::json!([])).lines_only(), Some(vec![]));
    }
}
