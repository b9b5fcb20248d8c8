//! Every validation rule, triggered by one small change to the real pack (the fixture), and the exact
//! `file:line: message` it must produce. `UPDATE_EXPECT=1 cargo test` rewrites the expectations: read the
//! diff before committing it.

use expect_test::{Expect, expect};
use parcours_core::pack::{LineStyle, Source, load};

use super::real_source;

/// Replaces the first `from` in `file` by `to`; the fixture must really contain `from`.
fn edit(source: &mut Source, file: &str, from: &str, to: &str) {
    let text = String::from_utf8(source.get(file).unwrap_or_else(|| panic!("no {file}")).to_vec()).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}: the fixture is out of date");
    source.insert(file, text.replacen(from, to, 1));
}

fn check(change: impl FnOnce(&mut Source), expected: Expect) {
    let mut source = real_source();
    change(&mut source);
    let problems = load(&source).expect_err("the changed pack must be refused");
    let text: String = problems.iter().map(|p| format!("{p}\n")).collect();
    expected.assert_eq(&text);
}

#[test]
fn the_real_pack_has_no_problem() {
    assert!(load(&real_source()).is_ok());
}

#[test]
fn broken_toml_syntax() {
    check(
        |s| edit(s, "timetable.toml", "id = \"dejeuner\"", "id = \"dejeuner"),
        expect![[r#"
            timetable.toml:42: invalid basic string, expected `"`
        "#]],
    );
}

#[test]
fn unknown_field_is_a_typo() {
    check(
        |s| edit(s, "stops.toml", "host = \"La Fibre64\"", "hots = \"La Fibre64\""),
        expect![[r#"
            stops.toml:10: unknown field `hots`, expected one of `id`, `name`, `theme`, `host`, `meeting_place`, `facts`, `speaker`, `position`, `easy_read`, `audio`, `access`, `photo`
        "#]],
    );
}

#[test]
fn a_value_of_the_wrong_kind_is_said_plainly() {
    check(
        |s| edit(s, "pack.toml", "languages = [\"fr\", \"en\"]", "languages = \"fr\""),
        expect![[r#"
            pack.toml:5: "fr" should be a list in square brackets, e.g. ["fr", "en"]
        "#]],
    );
}

#[test]
fn missing_file() {
    check(
        |s| drop(s.remove("workshops.toml")),
        expect![[r#"
        workshops.toml:1: file is missing
    "#]],
    );
}

#[test]
fn invalid_utf8() {
    check(
        |s| s.insert("event.toml", b"[event]\n# ok\ntitle = { fr = \"caf\xe9\" }\n".to_vec()),
        expect![[r#"
        event.toml:3: the file is not valid UTF-8 text (save it as UTF-8)
    "#]],
    );
}

#[test]
fn route_names_an_unknown_stop() {
    check(
        |s| edit(s, "routes.toml", "stop = \"escm\"", "stop = \"escn\""),
        expect![[r#"
            routes.toml:23: route "green" names unknown stop "escn" (not in stops.toml)
        "#]],
    );
}

#[test]
fn time_is_not_hh_mm() {
    check(
        |s| edit(s, "timetable.toml", "start = \"09:20\"", "start = \"9h20\""),
        expect![[r#"
            timetable.toml:13: start "9h20" is not a time written HH:MM (e.g. 09:50)
        "#]],
    );
}

#[test]
fn timetable_items_overlap() {
    check(
        |s| edit(s, "timetable.toml", "end = \"11:45\"", "end = \"11:50\""),
        expect![[r#"
            timetable.toml:29: item "retour" starts at 11:45, while the item on line 18 runs until 11:50: the two overlap
        "#]],
    );
}

#[test]
fn timetable_out_of_order() {
    check(
        |s| edit(s, "timetable.toml", "start = \"13:00\"", "start = \"11:50\""),
        expect![[r#"
            timetable.toml:43: item "dejeuner" starts at 11:50, before the item on line 34 (11:55): keep the timetable in time order
        "#]],
    );
}

#[test]
fn item_ends_before_it_starts() {
    check(
        |s| edit(s, "timetable.toml", "end = \"11:45\"", "end = \"09:40\""),
        expect![[r#"
            timetable.toml:21: item "visite" ends (09:40) before it starts (09:50)
        "#]],
    );
}

#[test]
fn latitude_and_longitude_out_of_range() {
    check(
        |s| {
            edit(s, "stops.toml", "lat = 43.5021372", "lat = 143.5021372");
            edit(s, "stops.toml", "lon = -1.452229", "lon = -181.452229");
        },
        expect![[r#"
            stops.toml:116: latitude 143.5021372 is out of range (-90 to 90)
            stops.toml:162: longitude -181.452229 is out of range (-180 to 180)
        "#]],
    );
}

#[test]
fn negative_accuracy_and_unknown_confidence() {
    check(
        |s| {
            edit(s, "stops.toml", "accuracy_m = 200", "accuracy_m = -5");
            edit(s, "stops.toml", "confidence = \"high\"", "confidence = \"sure\"");
        },
        expect![[r#"
            stops.toml:46: confidence "sure" must be "high" or "low"
            stops.toml:118: accuracy_m -5 must be a distance in metres, 0 or more
        "#]],
    );
}

#[test]
fn missing_translation() {
    check(
        |s| edit(s, "stops.toml", ", en = \"Media education for children\"", ""),
        expect![[r#"
            stops.toml:91: theme has no "en" translation
        "#]],
    );
}

#[test]
fn text_in_an_undeclared_language_and_empty_text() {
    check(
        |s| {
            edit(s, "timetable.toml", "en = \"Lunch\"", "en = \"Lunch\", eu = \"Bazkaria\"");
            edit(s, "timetable.toml", "fr = \"Fin de la journée\"", "fr = \"  \"");
        },
        expect![[r#"
            timetable.toml:44: title is written in "eu", which pack.toml does not list
            timetable.toml:71: title is empty in "fr"
        "#]],
    );
}

#[test]
fn missing_empty_and_stray_markdown_texts() {
    check(
        |s| {
            s.remove("texts/stops/escm.en.md");
            s.insert("texts/initiatives/weem-cabine.fr.md", "  \n");
            s.insert("texts/stops/escn.fr.md", "Typo in the id.\n");
        },
        expect![[r#"
            stops.toml:50: stop "escm" description: file texts/stops/escm.en.md is missing
            texts/initiatives/weem-cabine.fr.md:1: initiative "weem-cabine" description is empty
            texts/stops/escn.fr.md:1: this text is not used: its name must be texts/<stops|initiatives>/<id>.<language>.md with a known id and language
        "#]],
    );
}

#[test]
fn duplicate_and_malformed_ids() {
    check(
        |s| {
            edit(s, "initiatives.toml", "id = \"diversitech\"", "id = \"avec-nous-marseille\"");
            edit(s, "timetable.toml", "id = \"fin\"", "id = \"Fin de journée\"");
        },
        expect![[r#"
            initiatives.toml:45: initiative id "avec-nous-marseille" is used twice (first on line 37)
            texts/initiatives/diversitech.en.md:1: this text is not used: its name must be texts/<stops|initiatives>/<id>.<language>.md with a known id and language
            texts/initiatives/diversitech.fr.md:1: this text is not used: its name must be texts/<stops|initiatives>/<id>.<language>.md with a known id and language
            timetable.toml:69: item id "Fin de journée" must use only a-z, 0-9 and - (e.g. "college-albert-camus")
        "#]],
    );
}

#[test]
fn route_visits_a_stop_twice() {
    check(
        |s| edit(s, "routes.toml", "stop = \"escm\"", "stop = \"college-albert-camus\""),
        expect![[r#"
            routes.toml:23: route "green" visits stop "college-albert-camus" twice (first on line 18)
        "#]],
    );
}

#[test]
fn route_times_outside_the_walk_or_backwards() {
    check(
        |s| {
            edit(s, "routes.toml", "arrive = \"10:00\"", "arrive = \"09:40\"");
            edit(s, "routes.toml", "depart = \"10:45\"", "depart = \"10:20\"");
            edit(s, "routes.toml", "depart = \"11:45\"", "depart = \"11:50\"");
        },
        expect![[r#"
            routes.toml:48: route "pink" arrives at "cyberbase-malegarie" at 09:40, before 09:50 (the walk's start or the previous departure)
            routes.toml:54: route "pink" leaves "collectif-social-web" (10:20) before arriving (10:30)
            routes.toml:64: route "pink" leaves "college-albert-camus" at 11:50, after the walk ends (11:45)
        "#]],
    );
}

#[test]
fn initiative_names_an_unknown_workshop() {
    check(
        |s| edit(s, "initiatives.toml", "workshop = \"aller-vers\"", "workshop = \"aller-ver\""),
        expect![[r#"
        initiatives.toml:70: initiative "bus-orleans" names unknown workshop "aller-ver" (not in workshops.toml)
    "#]],
    );
}

#[test]
fn colour_is_not_hex() {
    check(
        |s| edit(s, "routes.toml", "colour = \"#ad1457\"", "colour = \"pink\""),
        expect![[r#"
            routes.toml:40: colour "pink" is not a colour written #rrggbb
        "#]],
    );
}

#[test]
fn a_routes_symbol_and_line_are_checked_and_given_by_order_when_absent() {
    check(
        |s| {
            edit(s, "routes.toml", "symbol = \"◆\"", "symbol = \"rose\"");
            edit(s, "routes.toml", "line = \"dashed\"", "line = \"dotted\"");
        },
        expect![[r#"
            routes.toml:41: symbol must be one or two characters, like "●" or "◆"
            routes.toml:42: line "dotted" must be "solid" or "dashed"
        "#]],
    );
    let mut source = real_source();
    for (from, to) in
        [("symbol = \"●\"\n", ""), ("line = \"solid\"\n", ""), ("symbol = \"◆\"\n", ""), ("line = \"dashed\"\n", "")]
    {
        edit(&mut source, "routes.toml", from, to);
    }
    let pack = load(&source).expect("valid without them");
    let marks: Vec<(&str, LineStyle)> = pack.routes.iter().map(|r| (r.symbol.as_str(), r.line)).collect();
    assert_eq!(marks, [("●", LineStyle::Solid), ("◆", LineStyle::Dashed)]);
}

#[test]
fn unsupported_format_and_bad_pack_settings() {
    check(
        |s| {
            edit(s, "pack.toml", "format = 1", "format = 2");
            edit(s, "pack.toml", "walking_speed_m_s = 1.2", "walking_speed_m_s = 12");
        },
        expect![[r#"
            pack.toml:2: pack format 2 is not supported: this Parcours reads format 1
            pack.toml:6: walking_speed_m_s 12 is not a walking speed (0.3 to 3 m/s)
        "#]],
    );
}

#[test]
fn bad_language_list() {
    check(
        |s| edit(s, "pack.toml", "languages = [\"fr\", \"en\"]", "languages = [\"fr\", \"fr\", \"English\"]"),
        expect![[r#"
        pack.toml:5: language "English" is not a two- or three-letter code such as "fr"
        pack.toml:5: language "fr" is listed twice
    "#]],
    );
}

#[test]
fn unknown_time_zone_and_invalid_date() {
    check(
        |s| {
            edit(s, "event.toml", "timezone = \"Europe/Paris\"", "timezone = \"Europe/Bayonne\"");
            edit(s, "event.toml", "date = \"2024-10-03\"", "date = \"2024-10-32\"");
        },
        expect![[r#"
            event.toml:6: date "2024-10-32" is not a date written YYYY-MM-DD
            event.toml:7: time zone "Europe/Bayonne" is unknown (use an IANA name such as "Europe/Paris")
        "#]],
    );
}

#[test]
fn organisation_roles() {
    check(
        |s| {
            edit(s, "event.toml", "role = \"organiser\"", "role = \"host\"");
            edit(s, "event.toml", "role = \"organiser\"", "role = \"partner\"");
        },
        expect![[r#"
            event.toml:1: no organisation has role = "organiser"
            event.toml:17: role "host" must be "organiser" or "partner"
        "#]],
    );
}

#[test]
fn duplicate_workshop_number() {
    check(
        |s| edit(s, "workshops.toml", "number = 3", "number = 2"),
        expect![[r#"
            workshops.toml:21: workshop number 2 is used twice (first on line 14)
        "#]],
    );
}

#[test]
fn map_layer_file_missing() {
    check(
        |s| edit(s, "map.toml", "file = \"map/streets.geojson\"", "file = \"map/street.geojson\""),
        expect![[r#"
        map.toml:4: map layer: file map/street.geojson is missing
    "#]],
    );
}

#[test]
fn map_layer_is_not_json() {
    check(
        |s| s.insert("map/streets.geojson", "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [,]\n}\n"),
        expect![[r#"
        map/streets.geojson:3: not valid JSON: expected value at line 3 column 16
    "#]],
    );
}

#[test]
fn map_layer_is_not_a_feature_collection() {
    check(
        |s| s.insert("map/streets.geojson", r#"{"type": "Point", "coordinates": [-1.45, 43.5]}"#),
        expect![[r#"
        map/streets.geojson:1: not a GeoJSON FeatureCollection: unknown variant `Point`, expected `FeatureCollection`
    "#]],
    );
}

#[test]
fn map_coordinates_out_of_range() {
    let bad = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[-1.45, 43.5], [200.0, 43.5]]}}
    ]}"#;
    check(
        |s| s.insert("map/streets.geojson", bad),
        expect![[r#"
        map/streets.geojson:1: feature 1 has a position [200, 43.5] outside longitude -180..180 / latitude -90..90
    "#]],
    );
}

#[test]
fn odbl_data_without_its_attribution() {
    check(
        |s| edit(s, "map.toml", "attribution = \"© OpenStreetMap contributors\"", "attribution = \"Streets\""),
        expect![[r#"
        map.toml:8: ODbL map data must be shown with "© OpenStreetMap contributors"
    "#]],
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut source = real_source();
    edit(&mut source, "routes.toml", "stop = \"escm\"", "stop = \"escn\"");
    edit(&mut source, "timetable.toml", "start = \"09:20\"", "start = \"9h20\"");
    edit(&mut source, "stops.toml", "lat = 43.5021372", "lat = 143.5021372");
    source.remove("texts/initiatives/bus-orleans.en.md");
    let problems = load(&source).unwrap_err();
    let files: Vec<&str> = problems.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(files, ["initiatives.toml", "routes.toml", "stops.toml", "timetable.toml"], "{problems:#?}");
}

#[test]
fn easy_read_is_required_when_the_pack_declares_it() {
    check(
        |s| {
            edit(
                s,
                "workshops.toml",
                "easy_read = { fr = \"Comment protéger les jeunes sur internet ?",
                "# easy_read = { fr = \"",
            )
        },
        expect![[r#"
            workshops.toml:4: workshop "education-medias" has no easy_read text, which pack.toml's easy_read = true asks for
        "#]],
    );
}

#[test]
fn easy_read_texts_follow_the_checkable_falc_rules() {
    check(
        |s| {
            edit(
                s,
                "timetable.toml",
                "On se retrouve au collège Albert Camus. On boit un café ensemble.",
                "On se retrouve au collège Albert Camus (le CAC) ; on boit un café, du thé, des jus de fruits, de l'eau, des tisanes, etc.",
            )
        },
        expect![[r#"
            timetable.toml:9: item "accueil"'s easy_read text in "fr": a sentence has 24 words, at most 15: cut "On se retrouve au collège Albert …" in two
            timetable.toml:9: item "accueil"'s easy_read text in "fr": it uses ";": end the sentence and start a new one
            timetable.toml:9: item "accueil"'s easy_read text in "fr": it uses brackets: say it in a sentence of its own
            timetable.toml:9: item "accueil"'s easy_read text in "fr": it uses the abbreviation "etc.": write the words out
        "#]],
    );
}

#[test]
fn recordings_must_exist_be_mp3_or_m4a_and_of_that_format() {
    check(
        |s| {
            let host = "host = \"ESCM – Cyber Base, centre social de Sainte-Croix\"";
            let audio = format!("{host}\naudio = {{ fr = \"audio/escm.fr.mp3\", en = \"audio/escm.en.ogg\" }}");
            edit(s, "stops.toml", host, &audio);
            s.insert("audio/escm.en.ogg", b"OggS\0\x02".to_vec());
            s.insert("audio/escm.fr.mp3", b"<html>not a sound</html>".to_vec());
        },
        expect![[r#"
            stops.toml:55: stop "escm"'s audio audio/escm.en.ogg is not MP3 (.mp3) or AAC in MP4 (.m4a), the formats that play in WebKitGTK, Chrome and Safari
            stops.toml:55: stop "escm"'s audio audio/escm.fr.mp3 is not an MP3 file (no ID3 tag, no MPEG audio frame at its start)
        "#]],
    );
    check(
        |s| {
            let host = "host = \"ESCM – Cyber Base, centre social de Sainte-Croix\"";
            let audio = format!("{host}\naudio = {{ fr = \"audio/escm.fr.mp3\", en = \"audio/escm.en.m4a\" }}");
            edit(s, "stops.toml", host, &audio);
            s.insert("audio/escm.en.m4a", vec![0u8; parcours_core::pack::MAX_AUDIO_BYTES + 1]);
        },
        expect![[r#"
            stops.toml:55: stop "escm"'s audio audio/escm.en.m4a is 8388609 bytes, at most 8388608: record it at 64 to 96 kbit/s
            stops.toml:55: stop "escm"'s audio in "fr": file audio/escm.fr.mp3 is missing
        "#]],
    );
}
