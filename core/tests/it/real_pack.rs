//! Data-driven checks over the real Bayonne pack: the booklet's facts are all there, and the visit
//! survives source → SQLite → model → JSON unchanged.

use parcours_core::pack::{Audio, Confidence, Hm, OrganisationRole};
use parcours_core::store::{PackFile, build_pack_file};

use super::*;

fn ids<'a>(items: impl IntoIterator<Item = &'a parcours_core::pack::StopId>) -> Vec<&'a str> {
    items.into_iter().map(|s| s.as_str()).collect()
}

#[test]
fn routes_visit_the_four_places_in_the_booklet_orders() {
    let pack = real_pack();
    let green = pack.route("green").expect("green route");
    let pink = pack.route("pink").expect("pink route");
    assert_eq!(ids(&green.stops), ["college-albert-camus", "escm", "cyberbase-malegarie", "collectif-social-web"]);
    assert_eq!(ids(&pink.stops), ["cyberbase-malegarie", "collectif-social-web", "escm", "college-albert-camus"]);
    for route in [green, pink] {
        assert_eq!((route.start, route.end), (Hm::new(9, 50).unwrap(), Hm::new(11, 45).unwrap()), "{}", route.id);
        assert_eq!(route.schedule.len(), 4);
    }
    assert_eq!(green.name.get("fr"), "Parcours vert");
    assert_eq!(pink.name.get("fr"), "Parcours rose");
}

#[test]
fn the_two_groups_are_never_at_the_same_place_at_the_same_time() {
    let pack = real_pack();
    let (green, pink) = (pack.route("green").unwrap(), pack.route("pink").unwrap());
    for g in &green.schedule {
        let p = pink.schedule.iter().find(|p| p.stop == g.stop).unwrap();
        assert!(g.depart <= p.arrive || p.depart <= g.arrive, "both routes at {} at once", g.stop);
    }
}

#[test]
fn the_programme_has_the_ten_times_of_the_booklet() {
    let pack = real_pack();
    let times: Vec<String> = pack.timetable.iter().map(|t| t.start.to_string()).collect();
    assert_eq!(times, ["09:00", "09:20", "09:50", "11:45", "11:55", "13:00", "14:15", "15:15", "16:00", "16:30"]);
    let lunch = pack.timetable.iter().find(|t| t.title.get("fr") == "Déjeuner").unwrap();
    assert!(lunch.description.as_ref().unwrap().get("fr").contains("Artotekafé"));
    let walk = pack.timetable.iter().find(|t| t.start == Hm::new(9, 50).unwrap()).unwrap();
    assert_eq!(walk.end, Hm::new(11, 45));
}

#[test]
fn the_event_is_the_bayonne_study_day() {
    let event = real_pack().event;
    assert_eq!(event.date.to_string(), "2024-10-03");
    assert_eq!(event.timezone, "Europe/Paris");
    assert_eq!((event.start.to_string(), event.end.to_string()), ("09:00".into(), "16:30".into()));
    let organisers: Vec<&str> =
        event.organisations.iter().filter(|o| o.role == OrganisationRole::Organiser).map(|o| o.id.as_str()).collect();
    assert_eq!(organisers, ["pqn-a", "hubikoop"]);
    let pqna = &event.organisations[0];
    assert_eq!(pqna.phone.as_deref(), Some("05 56 90 81 00"));
    assert_eq!(pqna.email.as_deref(), Some("contact@pqn-a.fr"));
    let values: Vec<&str> = event.key_figures.iter().map(|f| f.value.as_str()).collect();
    for figure in ["14 millions", "48 %", "850 000", "32 %"] {
        assert!(values.contains(&figure), "{figure} missing from {values:?}");
    }
}

#[test]
fn stops_carry_speakers_facts_and_honest_positions() {
    let pack = real_pack();
    let stop = |id: &str| pack.stops.iter().find(|s| s.id.as_str() == id).unwrap();
    let college = stop("college-albert-camus");
    assert_eq!(college.speakers[0].name, "Arnaud Léchit");
    assert!(college.facts.iter().any(|f| f.get("fr").contains("12 000 élèves")));
    let p = college.position.as_ref().unwrap();
    assert_eq!((p.lat, p.lon, p.confidence), (43.499360089811226, -1.4534808198389901, Confidence::High));
    let escm = stop("escm");
    assert!(escm.position.is_none(), "no source gives the ESCM's place");
    let names: Vec<&str> = escm.speakers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Yann Amice", "Bruno Pescrilli"]);
    let cyber = stop("cyberbase-malegarie");
    assert_eq!(cyber.position.as_ref().map(|p| (p.accuracy_m, p.confidence)), Some((200.0, Confidence::Low)));
    assert_eq!(cyber.speakers[0].name, "Alexandre Proust");
    let csw = stop("collectif-social-web");
    assert_eq!(csw.speakers[0].name, "Virginie Sabourin");
    assert!(csw.facts[0].get("fr").contains("vingtaine"));
    assert!(csw.position.as_ref().unwrap().accuracy_m >= 300.0);
}

#[test]
fn workshops_worksheet_and_initiatives_are_complete() {
    let pack = real_pack();
    assert_eq!(pack.workshops.len(), 4);
    assert_eq!(pack.workshops.iter().map(|w| w.number).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(pack.worksheet.columns.len(), 7);
    let ratings: Vec<&str> = pack.worksheet.ratings.iter().map(|r| r.label.get("fr")).collect();
    assert_eq!(ratings, ["vert", "orange", "rouge", "blanc"]);
    assert_eq!(pack.initiatives.len(), 16);
    for workshop in &pack.workshops {
        let count = pack.initiatives.iter().filter(|i| i.workshop == workshop.id).count();
        assert_eq!(count, 4, "workshop {}", workshop.id);
    }
    let bus = pack.initiatives.iter().find(|i| i.id.as_str() == "bus-orleans").unwrap();
    assert_eq!(bus.holder, "Association Action Numérique");
    assert_eq!(bus.territory, "Orléans, Loiret (45)");
}

#[test]
fn every_text_exists_in_french_and_english() {
    let json = serde_json::to_value(real_pack()).unwrap();
    // Every localized object (one with an "fr" key) must have a non-empty "en" beside it, and the reverse.
    fn walk(value: &serde_json::Value, path: &str, count: &mut usize) {
        match value {
            serde_json::Value::Object(map) => {
                if map.contains_key("fr") || map.contains_key("en") {
                    *count += 1;
                    for lang in ["fr", "en"] {
                        let text = map.get(lang).and_then(|v| v.as_str()).unwrap_or("");
                        assert!(!text.trim().is_empty(), "{path} has no {lang}");
                    }
                }
                for (k, v) in map {
                    walk(v, &format!("{path}.{k}"), count);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}[{i}]"), count);
                }
            }
            _ => {}
        }
    }
    let mut count = 0;
    walk(&json, "pack", &mut count);
    assert!(count >= 139, "only {count} texts found");
}

#[test]
fn map_data_carries_the_osm_attribution() {
    let pack = real_pack();
    let streets = pack.map.iter().find(|m| m.id == "streets").unwrap();
    assert_eq!(streets.attribution, "© OpenStreetMap contributors");
    assert!(streets.licence.contains("ODbL"));
    assert_eq!(streets.geojson["features"].as_array().unwrap().len(), 255);
}

#[test]
fn round_trip_source_sqlite_model_json() {
    let pack = real_pack();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.parcours");
    build_pack_file(&pack, &file).unwrap();
    let opened = PackFile::open(&file).unwrap();
    assert_eq!(opened.pack(), &pack);
    let a = serde_json::to_value(&pack).unwrap();
    let b = serde_json::to_value(opened.pack()).unwrap();
    assert_eq!(a, b);
    // And the JSON reads back into the same model (the UI receives it this way).
    let back: parcours_core::pack::Pack = serde_json::from_value(b).unwrap();
    assert_eq!(back, pack);
    // Rebuilding over an existing file replaces it and leaves no temporary file behind.
    build_pack_file(&pack, &file).unwrap();
    assert!(!dir.path().join("b.parcours.tmp").exists());
    assert_eq!(PackFile::open(&file).unwrap().pack(), &pack);
}

#[test]
fn search_ignores_accents_and_case() {
    let (_dir, file) = built();
    let opened = PackFile::open(&file).unwrap();
    let hits = opened.search("malegarie", None, 10).unwrap();
    assert_eq!(hits.first().map(|h| (h.kind.as_str(), h.id.as_str())), Some(("stop", "cyberbase-malegarie")));
    assert!(hits[0].snippet.contains("[Malégarie]"), "{}", hits[0].snippet);
    let hits = opened.search("ORLEANS bus", Some("fr"), 10).unwrap();
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["bus-orleans"]);
    assert!(hits.iter().all(|h| h.lang == "fr"));
    // Prefixes match; words absent give nothing; FTS syntax in user input is harmless.
    assert!(!opened.search("triport", None, 10).unwrap().is_empty());
    assert!(opened.search("zyxwvut", None, 10).unwrap().is_empty());
    for odd in ["\"", "NEAR(", "a OR", "*", "-", "()", "   ", "é'\"*:^"] {
        assert!(opened.search(odd, None, 10).is_ok(), "{odd}");
    }
    // Inside a word, as a fallback: "harcelement" is only part of "cyberharcèlement".
    let hits = opened.search("harcelement", Some("fr"), 10).unwrap();
    assert!(hits.iter().any(|h| h.id == "college-albert-camus"), "{hits:?}");
    let camus = hits.iter().find(|h| h.id == "college-albert-camus").unwrap();
    assert!(camus.snippet.contains("[cyberharcèlement],"), "{}", camus.snippet);
    // Workshops are indexed too.
    assert!(opened.search("cyberharcelement", None, 10).unwrap().iter().any(|h| h.kind == "workshop"));
}

#[test]
fn the_day_status_follows_the_programme() {
    use parcours_core::schedule::{Phase, day_status};
    let pack = real_pack();
    let at = |date: &str, time: &str| {
        chrono::NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M").unwrap()
    };
    let status = |time: &str| day_status(&pack, at("2024-10-03", time));
    let ids = |s: parcours_core::schedule::DayStatus| (s.phase, s.current.map(|i| i.0), s.next.map(|i| i.0));
    assert_eq!(ids(status("08:30")), (Phase::Before, None, Some("accueil".into())));
    assert_eq!(ids(status("09:00")), (Phase::During, Some("accueil".into()), Some("mot-accueil".into())));
    assert_eq!(ids(status("10:30")), (Phase::During, Some("visite".into()), Some("retour".into())));
    // The walk has its own end (11:45), which is when the next item starts.
    assert_eq!(ids(status("11:45")), (Phase::During, Some("retour".into()), Some("ateliers".into())));
    assert_eq!(ids(status("13:59")), (Phase::During, Some("dejeuner".into()), Some("restitution".into())));
    assert_eq!(ids(status("16:10")), (Phase::During, Some("cloture".into()), Some("fin".into())));
    // "Fin de la journée" at 16:30 is a moment, not an item that runs.
    assert_eq!(ids(status("16:30")), (Phase::After, None, None));
    assert_eq!(ids(day_status(&pack, at("2026-11-25", "10:30"))), (Phase::OtherDay, None, None));
    assert_eq!(status("10:30").time.to_string(), "10:30");
}

proptest::proptest! {
    /// At any minute of any day, the status is consistent with the timetable: the current item has
    /// started and not ended, the next one is the first still to start.
    #[test]
    fn the_day_status_is_consistent_at_every_minute(minute in 0u32..1440, day_offset in -2i64..3) {
        use parcours_core::schedule::{Phase, day_status};
        let pack = real_pack();
        let date = pack.event.date + chrono::Duration::days(day_offset);
        let now = date.and_hms_opt(minute / 60, minute % 60, 0).unwrap();
        let status = day_status(&pack, now);
        let t = Hm::new((minute / 60) as u16, (minute % 60) as u16).unwrap();
        if day_offset != 0 {
            proptest::prop_assert_eq!(status.phase, Phase::OtherDay);
            proptest::prop_assert!(status.current.is_none() && status.next.is_none());
        } else {
            let item = |id: &Option<parcours_core::pack::ItemId>| id.as_ref().and_then(|id| pack.timetable.iter().position(|i| &i.id == id));
            if let Some(i) = item(&status.current) {
                proptest::prop_assert!(pack.timetable[i].start <= t);
                let end = pack.timetable[i].end.or(pack.timetable.get(i + 1).map(|n| n.start)).unwrap_or(pack.event.end);
                proptest::prop_assert!(t < end);
            }
            match item(&status.next) {
                Some(n) => {
                    proptest::prop_assert!(pack.timetable[n].start > t);
                    proptest::prop_assert!(pack.timetable[..n].iter().all(|i| i.start <= t));
                }
                None => proptest::prop_assert!(pack.timetable.iter().all(|i| i.start <= t)),
            }
            let expected = if t < pack.timetable[0].start { Phase::Before } else if t >= pack.event.end { Phase::After } else { Phase::During };
            proptest::prop_assert_eq!(status.phase, expected);
        }
    }
}

#[test]
fn easy_read_texts_sit_beside_the_texts_they_simplify_and_keep_the_falc_rules() {
    let pack = real_pack();
    assert!(pack.pack.easy_read);
    assert!(pack.stops.iter().all(|s| s.easy_read.is_some()));
    assert!(pack.timetable.iter().all(|i| i.easy_read.is_some()));
    assert!(pack.workshops.iter().all(|w| w.easy_read.is_some()));
    let json = serde_json::to_value(&pack).unwrap();
    let camus = &json["stops"][0];
    assert!(camus["description"]["fr"].as_str().unwrap().contains("La Fibre64"));
    assert!(camus["easy_read"]["fr"].as_str().unwrap().starts_with("Nous sommes au collège Albert Camus."));
    for lang in ["fr", "en"] {
        let stats = parcours_core::pack::easy::stats(&pack, lang).unwrap();
        assert_eq!(stats.texts, 18, "{lang}");
        assert!(stats.max_words <= parcours_core::pack::easy::MAX_WORDS, "{lang}: {stats:?}");
        for text in parcours_core::pack::easy::texts(&pack, lang) {
            assert!(parcours_core::pack::easy::problems(text).is_empty(), "{lang}: {text}");
        }
    }
}

#[test]
fn a_recording_goes_into_the_pack_file_and_comes_back_byte_for_byte() {
    let mut source = real_source();
    let mp3 = std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/recording.mp3")).unwrap();
    let stops = String::from_utf8(source.get("stops.toml").unwrap().to_vec()).unwrap();
    let host = "host = \"La Fibre64\"\n";
    source.insert("stops.toml", stops.replacen(host, &format!("{host}audio = {{ fr = \"audio/camus.fr.mp3\" }}\n"), 1));
    source.insert("audio/camus.fr.mp3", mp3.clone());
    let pack = parcours_core::pack::load(&source).unwrap();
    let camus = &pack.stops[0];
    assert_eq!(camus.audio, [Audio { lang: "fr".into(), mime: "audio/mpeg".into(), bytes: mp3.len() as u64 }]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.parcours");
    build_pack_file(&pack, &file).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    for opened in [PackFile::open(&file).unwrap(), PackFile::from_bytes("r.parcours", &bytes).unwrap()] {
        // The model lists the recording (never its bytes: the interface receives the model).
        assert_eq!(opened.pack().stops[0].audio, camus.audio);
        assert!(opened.pack().media.is_empty());
        assert!(!serde_json::to_string(opened.pack()).unwrap().contains("ID3"));
        assert_eq!(opened.audio("college-albert-camus", "fr").unwrap(), Some(("audio/mpeg".to_owned(), mp3.clone())));
        assert_eq!(opened.audio("college-albert-camus", "en").unwrap(), None);
        assert_eq!(opened.audio("escm", "fr").unwrap(), None);
    }
}
