//! The paper booklet: made from the pack, printed by a real Chromium to PDF, read back with pdftotext.

use std::path::Path;
use std::process::Command;

use super::{parcours, source_dir, text};

/// Prints `html` to `pdf` with Debian's Chromium, headless, as a person's "Print → Save as PDF" does.
pub(super) fn print_to_pdf(html: &Path, pdf: &Path, profile: &Path) {
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--print-to-pdf={}", pdf.display()),
            &format!("file://{}", html.display()),
        ])
        .output()
        .expect("chromium (installed by `cargo xtask setup`)");
    assert!(out.status.success() && pdf.exists(), "chromium: {}", text(&out.stderr));
}

/// Each page's text, whitespace (non-breaking spaces too) made single spaces.
pub(super) fn pages(pdf: &Path) -> Vec<String> {
    let info = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils, `cargo xtask setup`)");
    let count: usize = text(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    (1..=count)
        .map(|n| {
            let out = Command::new("pdftotext")
                .args(["-f", &n.to_string(), "-l", &n.to_string(), pdf.to_str().unwrap(), "-"])
                .output()
                .expect("pdftotext");
            squeeze(&text(&out.stdout))
        })
        .collect()
}

fn squeeze(text: &str) -> String {
    text.replace("**", "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first or last `n` words of a pack text (its Markdown marks left out).
fn words(text: &str, n: usize, last: bool) -> String {
    let all: Vec<&str> = text.split_whitespace().filter(|w| *w != "-").collect();
    let picked = if last { &all[all.len().saturating_sub(n)..] } else { &all[..n.min(all.len())] };
    squeeze(&picked.join(" "))
}

#[test]
fn the_booklet_prints_every_stop_time_speaker_initiative_and_column_no_stop_cut_across_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let source = source_dir();
    let dump: serde_json::Value =
        serde_json::from_slice(&parcours(&["pack", "dump", "--json", source.to_str().unwrap()]).stdout).unwrap();
    for (lang, paper) in [("fr", "a5"), ("en", "a4")] {
        let html = tmp.path().join(format!("livret-{lang}.html"));
        let out = parcours(&[
            "export",
            "booklet",
            source.to_str().unwrap(),
            "-o",
            html.to_str().unwrap(),
            "--lang",
            lang,
            "--paper",
            paper,
            "--url",
            "https://parcours.example.org/bayonne/",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        // Nothing to fetch: no address the browser would load (the QR code is drawn, the styles inline).
        let page = std::fs::read_to_string(&html).unwrap();
        for fetch in [" src=", " href=", "url(", "@import", "<link", "<script"] {
            assert!(!page.contains(fetch), "{lang}: the booklet would fetch something: {fetch}");
        }
        let pdf = tmp.path().join(format!("livret-{lang}.pdf"));
        print_to_pdf(&html, &pdf, &tmp.path().join(format!("profile-{lang}")));
        let pages = pages(&pdf);
        let all = pages.join(" ");
        eprintln!("booklet {lang} {paper}: {} pages", pages.len());
        assert!(pages.len() >= 6, "{lang}: {} pages", pages.len());
        let t = |v: &serde_json::Value| squeeze(v.get(lang).or_else(|| v.get("fr")).and_then(|s| s.as_str()).unwrap());
        let mut expected: Vec<String> = vec![t(&dump["event"]["title"])];
        let time = |hm: &str| {
            let (h, m) = hm.split_once(':').unwrap();
            let h: u32 = h.parse().unwrap();
            match (lang, m) {
                ("fr", "00") => format!("{h} h"),
                ("fr", m) => format!("{h} h {m}"),
                (_, m) => format!("{h}:{m}"),
            }
        };
        for item in dump["timetable"].as_array().unwrap() {
            expected.push(t(&item["title"]));
            expected.push(time(item["start"].as_str().unwrap()));
        }
        let stop_name = |id: &serde_json::Value| {
            let stops = dump["stops"].as_array().unwrap();
            squeeze(stops.iter().find(|s| s["id"] == *id).unwrap()["name"].as_str().unwrap())
        };
        for route in dump["routes"].as_array().unwrap() {
            expected.push(t(&route["name"]));
            if let Some(back) = route.get("back_to") {
                // The way back after the last stop, and the time the walk ends there.
                let back_to = if lang == "fr" { "Retour à" } else { "Back to" };
                expected.push(format!("{} {back_to} {}", time(route["end"].as_str().unwrap()), stop_name(back)));
            }
            for visit in route["schedule"].as_array().unwrap() {
                expected.push(format!(
                    "{} – {}",
                    time(visit["arrive"].as_str().unwrap()),
                    time(visit["depart"].as_str().unwrap())
                ));
            }
        }
        let stops = dump["stops"].as_array().unwrap();
        for stop in stops {
            expected.push(squeeze(stop["name"].as_str().unwrap()));
            for speaker in stop["speakers"].as_array().unwrap() {
                expected.push(squeeze(speaker["name"].as_str().unwrap()));
            }
        }
        for i in dump["initiatives"].as_array().unwrap() {
            expected.push(t(&i["title"]));
        }
        for c in dump["worksheet"]["columns"].as_array().unwrap() {
            expected.push(t(&c["label"]));
        }
        for w in dump["workshops"].as_array().unwrap() {
            expected.push(t(&w["question"]));
            expected.extend(w.get("more_questions").into_iter().flat_map(|q| q.as_array().unwrap()).map(t));
        }
        expected.push("© OpenStreetMap contributors".to_owned());
        let missing: Vec<&String> = expected.iter().filter(|e| !all.contains(e.as_str())).collect();
        assert!(missing.is_empty(), "{lang}: not in the printed booklet: {missing:?}");
        // Each stop whole on one page: its name, its description's first words and its last
        // "le saviez-vous"'s last words (or its description's) are on the same page.
        for stop in stops {
            let name = squeeze(stop["name"].as_str().unwrap());
            let description = t(&stop["description"]);
            let facts = stop["facts"].as_array().unwrap();
            let end = facts.last().map_or_else(|| words(&description, 5, true), |f| words(&t(f), 5, true));
            let start = words(&description, 5, false);
            let on: Vec<usize> = (0..pages.len())
                .filter(|&n| pages[n].contains(&start) && pages[n].contains(&end) && pages[n].contains(&name))
                .collect();
            assert_eq!(on.len(), 1, "{lang}: {name} is not whole on one page ({start:?} … {end:?})");
        }
    }
}

#[test]
fn the_booklet_refuses_a_language_the_visit_lacks_and_a_bad_address() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("v");
    let d = dir.to_str().unwrap();
    let new = parcours(&["pack", "new", d, "--title", "Visite", "--date", "2025-05-15", "--city", "Pau"]);
    assert!(new.status.success(), "{}", text(&new.stderr));
    let en = parcours(&["export", "booklet", d, "-o", "-", "--lang", "en"]);
    assert_eq!(en.status.code(), Some(1));
    assert!(text(&en.stderr).contains("written in fr only"), "{}", text(&en.stderr));
    let url = parcours(&["export", "booklet", d, "-o", "-", "--url", "parcours.example.org"]);
    assert_eq!(url.status.code(), Some(1));
    assert!(text(&url.stderr).contains("full https address"), "{}", text(&url.stderr));
    // French by default, one route, no streets: the map is the stops alone, and it still prints.
    let fr = parcours(&["export", "booklet", d, "-o", "-"]);
    assert!(fr.status.success(), "{}", text(&fr.stderr));
    let page = text(&fr.stdout);
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"fr\">") && page.contains("Programme"), "{page}");
}

#[test]
fn the_booklet_tells_a_stop_s_access_a_workshop_s_other_questions_and_the_way_back() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ville-test-2025");
    let out = parcours(&["export", "booklet", dir.to_str().unwrap(), "-o", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // French typography: narrow no-break spaces before ":" (read as spaces here).
    let page = text(&out.stdout).replace('\u{202f}', " ");
    for said in [
        "Accès : Entrée de plain-pied par la rue de",
        "Accès : Trois marches à",
        "Qui peut prendre le relais après",
        "Retour à Médiathèque du Vieux-Bourg",
        "Depuis Espace jeunes",
    ] {
        assert!(page.contains(said), "no {said:?} in the booklet");
    }
    // No photo on paper, and nothing to fetch.
    assert!(!page.contains("<img") && !page.contains("src="));
}
