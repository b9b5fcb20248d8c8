//! `parcours bank merge`: the project bank from files and photos of the app's codes.

use std::path::Path;

use super::userdb::{fixture, user_data};
use super::*;

#[test]
fn the_project_bank_groups_worksheets_by_workshop_and_colour() {
    let tmp = tempfile::tempdir().unwrap();
    // A second group's file: the fixture with other ids, and one worksheet of group A edited later.
    let mut b = user_data(&fixture("group-a-worksheets.json"));
    b["device"] = "5eed0002".into();
    b["worksheets"][0]["id"] = "5eed0002-1".into();
    b["worksheets"][0]["rating"] = "rouge".into();
    b["worksheets"][0]["workshop"] = "education-medias".into();
    b["worksheets"][1]["fields"]["titre"] = "Un annuaire partagé, version finale".into();
    b["worksheets"][1]["title"] = "Un annuaire partagé, version finale".into();
    b["worksheets"][1]["updated_at"] = "2024-10-03T13:30:00".into();
    let b_path = tmp.path().join("group-b.json");
    std::fs::write(&b_path, serde_json::to_string(&b).unwrap()).unwrap();
    let csv = tmp.path().join("bank.csv");
    let out = parcours(&[
        "bank",
        "merge",
        fixture("group-a-worksheets.json").to_str().unwrap(),
        b_path.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
        "--pack",
        source_dir().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for spreadsheets");
    // Records end with CRLF outside quotes (a cell may hold line breaks).
    let mut lines: Vec<String> = vec![String::new()];
    let mut quoted = false;
    for c in csv.trim_start_matches('\u{feff}').chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                lines.push(String::new());
                continue;
            }
            _ => {}
        }
        lines.last_mut().unwrap().push(c);
    }
    lines.retain(|l| !l.trim().is_empty());
    assert!(lines[0].starts_with("Atelier,Couleur,Titre,Enjeu,Titre du chantier clé,"), "{}", lines[0]);
    assert_eq!(lines.len(), 4, "three worksheets (the edited one once): {csv}");
    // Grouped by workshop number: 1 (éducation aux médias), then 3 (aller vers), then 4 (coopération).
    assert!(lines[1].starts_with("1 — ") && lines[1].contains(",rouge,"), "{}", lines[1]);
    assert!(lines[2].contains(",orange,") && lines[2].contains("\"Pilote : le centre social"), "{}", lines[2]);
    assert!(lines[2].contains("\"\"les habitants relais\"\""), "quotes doubled: {}", lines[2]);
    assert!(
        lines[3].contains("version finale") && lines[3].contains("group-b.json"),
        "the newer copy wins: {}",
        lines[3]
    );
}

/// A screenshot of the app's codes, as a PNG (4 px a module, white margins, side by side).
pub fn codes_png(codes: &[String], path: &Path) {
    let drawn: Vec<(usize, Vec<bool>)> = codes.iter().map(|c| parcours_core::handover::modules(c).unwrap()).collect();
    let side = drawn.iter().map(|(w, _)| *w as u32 + 8).max().unwrap() * 4;
    let img = image::GrayImage::from_fn(side * drawn.len() as u32, side, |x, y| {
        let (width, dark) = &drawn[(x / side) as usize];
        let (mx, my) = (((x % side) / 4) as i64 - 4, (y / 4) as i64 - 4);
        let inside = mx >= 0 && my >= 0 && (mx as usize) < *width && (my as usize) < *width;
        image::Luma([if inside && dark[my as usize * width + mx as usize] { 0 } else { 255 }])
    });
    img.save(path).unwrap();
}

#[test]
fn a_worksheet_removed_on_its_phone_is_left_out_of_the_bank() {
    let tmp = tempfile::tempdir().unwrap();
    // A backup of group A's phone after one worksheet was removed; the older file still has it.
    let mut later = user_data(&fixture("group-a-worksheets.json"));
    later["worksheets"][1]["removed_at"] = "2024-10-03T13:10:00".into();
    let later_path = tmp.path().join("sauvegarde.json");
    std::fs::write(&later_path, serde_json::to_string(&later).unwrap()).unwrap();
    let csv = tmp.path().join("bank.csv");
    let out = parcours(&[
        "bank",
        "merge",
        fixture("group-a-worksheets.json").to_str().unwrap(),
        later_path.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1 removed worksheets left out"), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert!(csv.contains("5eed0001-1"), "{csv}");
    assert!(!csv.contains("5eed0001-2"), "{csv}");
}

#[test]
fn the_bank_reads_photos_of_the_apps_codes_and_prints_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let data =
        parcours_core::userdata::UserData::parse(&std::fs::read(fixture("group-a-worksheets.json")).unwrap()).unwrap();
    let docs: Vec<_> = data.worksheets.iter().map(|w| w.to_doc()).collect();
    let codes = parcours_core::handover::encode(&docs, Some("5eed0001")).unwrap();
    assert!(codes.len() >= 2, "the fixture needs {} codes", codes.len());
    // The last code alone on one photo, all the others on another.
    let (first, last) = (tmp.path().join("codes-1.png"), tmp.path().join("codes-2.png"));
    codes_png(&codes[..codes.len() - 1], &first);
    codes_png(&codes[codes.len() - 1..], &last);
    let (csv, page) = (tmp.path().join("bank.csv"), tmp.path().join("bank.html"));
    let out = parcours(&[
        "bank",
        "merge",
        last.to_str().unwrap(),
        first.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
        "--html",
        page.to_str().unwrap(),
        "--pack",
        source_dir().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(&csv).unwrap();
    let page = std::fs::read_to_string(&page).unwrap();
    for w in &data.worksheets {
        assert!(csv.contains(&w.title), "{} in the CSV", w.title);
        assert!(page.contains(&format!("<h2>{}</h2>", w.title)), "{} on the page", w.title);
    }
    assert!(csv.contains(",photos\r\n"), "the source is named: {csv}");
    // A set with a code missing: exit 1, naming what is missing.
    let out = parcours(&["bank", "merge", first.to_str().unwrap(), "-o", "-"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("codes missing"), "{}", text(&out.stderr));
    // A photo with no code at all.
    let blank = tmp.path().join("blank.png");
    image::GrayImage::from_pixel(64, 64, image::Luma([255])).save(&blank).unwrap();
    let out = parcours(&["bank", "merge", blank.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("blank.png: no Parcours code"), "{}", text(&out.stderr));
}
