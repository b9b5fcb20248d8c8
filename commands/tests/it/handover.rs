//! Hand-over between two apps with no network: codes read in any order, a second set interrupting the
//! first, pictures with no code, files into the bank (refused by name), the bank's CSV, other visits.

use parcours_core::wire::{
    CodeArgs, CodesArgs, ErrorCode, FieldArgs, IdsArgs, LangArgs, NoArgs, RawFile, SaveArgs, WorkshopArgs,
};

use crate::{device, device_with};

fn fill(app: &parcours_commands::App<crate::TestHost>, workshop: &str, fields: &[(&str, &str)]) -> String {
    let id = app.worksheet_new(WorkshopArgs { workshop: workshop.into() }).unwrap().id;
    for (field, value) in fields {
        app.worksheet_set(FieldArgs { id: id.clone(), field: (*field).into(), value: (*value).into() }).unwrap();
    }
    id
}

/// Varied text (deflate would shrink a repeated sentence to nothing), long enough for several codes.
fn long_text() -> String {
    let words = ["médiateur", "tablette", "café", "hall", "bailleur", "habitante", "CAF", "mardi", "école", "aide"];
    let mut x = 7u64;
    (0..500)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            words[(x >> 33) as usize % words.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn codes_read_in_any_order_bring_the_worksheets_and_another_set_starts_afresh() {
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // Two phones: two device ids (each phone draws its own).
    let b = device_with(db.path(), "2024-10-03T12:30", |h| h.device = "b0b00002");
    let a = device(da.path(), "2024-10-03T12:30");
    let long = long_text();
    let first = fill(&a, "aller-vers", &[("titre", "Café numérique au pied des immeubles"), ("actions", &long)]);
    let second = fill(&a, "cooperation", &[("titre", "Un annuaire partagé"), ("rating", "vert")]);
    let codes = a.handover_codes(IdsArgs { ids: vec![first.clone(), second] }).unwrap();
    assert!(codes.len() >= 2, "{} codes", codes.len());
    assert!(codes.iter().all(|c| c.svg.contains("<svg")));

    // B starts reading a set of one worksheet, then A's two-worksheet set interrupts it.
    let other = a.handover_codes(IdsArgs { ids: vec![first] }).unwrap();
    let partial = b.handover_text(CodeArgs { code: codes[0].text.clone() }).unwrap();
    assert_eq!((partial.have, partial.total, partial.imported.is_none()), (1, codes.len(), true));
    assert!(other.len() > 1, "the long worksheet alone needs several codes");
    let restarted = b.handover_text(CodeArgs { code: other[0].text.clone() }).unwrap();
    assert!(restarted.restarted && restarted.have == 1 && restarted.total == other.len(), "{restarted:?}");
    b.handover_cancel(NoArgs {}).unwrap();
    let mut last = None;
    for code in codes.iter().rev() {
        last = Some(b.handover_text(CodeArgs { code: code.text.clone() }).unwrap());
    }
    let last = last.unwrap();
    assert_eq!(last.imported.as_ref().map(|r| r.added), Some(2), "{last:?}");
    assert_eq!(last.titles[0], "Café numérique au pied des immeubles");
    assert_eq!(a.worksheets(NoArgs {}).unwrap(), b.worksheets(NoArgs {}).unwrap(), "B holds A's worksheets exactly");

    // Not a code of ours, not a picture: a reason, nothing changes.
    let error = b.handover_text(CodeArgs { code: "WIFI:S:cafe;;".into() }).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotParcours);
    let error = b.handover_read(RawFile { name: None, bytes: b"GIF89a nothing".to_vec() }).unwrap_err();
    assert_eq!(error.code, ErrorCode::Unreadable);
}

/// The web app's picture reader gives the codes it found: none is the same "no code" as a photo read
/// here; a whole set brings its worksheets, as typed codes would.
#[test]
fn codes_found_in_a_picture_elsewhere_are_taken_like_codes_read_here() {
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let b = device_with(db.path(), "2024-10-03T12:30", |h| h.device = "b0b00002");
    let a = device(da.path(), "2024-10-03T12:30");
    let id = fill(&a, "cooperation", &[("titre", "Un annuaire partagé")]);
    let codes = a.handover_codes(IdsArgs { ids: vec![id] }).unwrap();
    let error = b.handover_found(CodesArgs { codes: vec![] }).unwrap_err();
    assert_eq!(error.code, ErrorCode::NoCode);
    let got = b.handover_found(CodesArgs { codes: codes.iter().map(|c| c.text.clone()).collect() }).unwrap();
    assert_eq!(got.imported.as_ref().map(|r| r.added), Some(1), "{got:?}");
    assert_eq!(got.titles, ["Un annuaire partagé"]);
}

#[test]
fn files_go_into_the_bank_by_name_and_the_bank_exports_by_device() {
    let (da, dc) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, c) =
        (device(da.path(), "2024-10-03T12:30"), device_with(dc.path(), "2024-10-03T12:45", |h| h.device = "c0c00003"));
    let id = fill(&a, "aller-vers", &[("titre", "Café numérique"), ("rating", "orange")]);
    let saved = a.worksheets_save(SaveArgs { ids: vec![id], lang: "fr".into() }).unwrap();
    assert!(saved.json.ends_with("parcours-fiches-cafe0001-20241003-123000.json"), "{saved:?}");
    let md = std::fs::read_to_string(&saved.markdown).unwrap();
    assert!(md.contains("## Café numérique"), "{md}");
    assert!(std::fs::read_to_string(&saved.html).unwrap().contains("<svg"), "the page to print has the codes");
    assert_eq!(a.host().saved.lock().unwrap().as_slice(), ["application/json", "text/markdown", "text/html"]);

    let bytes = std::fs::read(&saved.json).unwrap();
    let report = c.bank_import(RawFile { name: Some("fiches-a.json".into()), bytes: bytes.clone() }).unwrap();
    assert_eq!((report.added, report.other_visit), (1, 0));
    let broken = RawFile { name: Some("fiches équipe-b.json".into()), bytes: bytes[..bytes.len() / 2].to_vec() };
    let error = c.bank_import(broken).unwrap_err();
    assert_eq!(error.code, ErrorCode::BadFile);
    assert!(error.message.starts_with("fiches équipe-b.json: line "), "{error}");

    // The bank: the worksheet under its device's id (the prefix of its id).
    let csv = std::fs::read_to_string(c.bank_export(LangArgs { lang: "fr".into() }).unwrap()).unwrap();
    assert!(csv.starts_with("\u{feff}Atelier,Couleur,Titre"), "{csv}");
    assert!(csv.contains("Café numérique") && csv.contains("cafe0001"), "{csv}");

    // Another visit's file: kept, counted, shown apart, out of this visit's bank.
    let mut other = parcours_core::userdata::UserData::parse(&bytes).unwrap();
    other.worksheets[0].id = "0ld-1".into();
    other.worksheets[0].pack = "bayonne-2023".into();
    let report = c.bank_import(RawFile { name: None, bytes: other.to_json().into_bytes() }).unwrap();
    assert_eq!((report.added, report.other_visit), (1, 1));
    assert_eq!(c.worksheets(NoArgs {}).unwrap().len(), 1);
    let others = c.worksheets_other_visits(NoArgs {}).unwrap();
    assert_eq!((others.len(), others[0].pack.as_str()), (1, "bayonne-2023"));
}

#[test]
fn crafted_codes_with_my_ids_never_replace_my_worksheet_and_far_future_dates_are_refused() {
    use parcours_core::handover;
    let dir = tempfile::tempdir().unwrap();
    let me = device(dir.path(), "2024-10-03T12:30");
    let id = fill(&me, "aller-vers", &[("titre", "Mon idée"), ("actions", "Ce que j'ai écrit")]);
    let mine = me.worksheets(NoArgs {}).unwrap();
    let device_id = parcours_core::worksheet::device_of(&id).unwrap().to_owned();
    // Someone who saw my codes writes codes with my id and my device: a newer copy, another text.
    let mut forged = mine[0].clone();
    forged.fields.insert("actions".into(), "Texte remplacé par quelqu'un d'autre".into());
    forged.updated_at += chrono::Duration::hours(1);
    let read_all = |docs: &[parcours_core::worksheet::WorksheetDoc]| {
        let mut last = None;
        for code in handover::encode(docs, Some(&device_id)).unwrap() {
            last = Some(me.handover_text(CodeArgs { code }).unwrap());
        }
        last.unwrap().imported.unwrap()
    };
    let report = read_all(std::slice::from_ref(&forged));
    assert_eq!((report.copies, report.added), (1, 1), "{report:?}");
    let now = me.worksheets(NoArgs {}).unwrap();
    let original = now.iter().find(|w| w.id == id).unwrap();
    assert_eq!(original.fields["actions"], "Ce que j'ai écrit", "my worksheet was replaced");
    let copy = now.iter().find(|w| w.id == format!("{id}-copie1")).expect("the received copy is kept");
    assert_eq!(copy.fields["actions"], "Texte remplacé par quelqu'un d'autre");
    assert!(!copy.is_from(Some(&device_id)), "the copy is not counted as mine");
    // The same codes again: nothing new; my own codes read back: nothing either.
    assert_eq!(read_all(std::slice::from_ref(&forged)).unchanged, 1);
    assert_eq!(read_all(&mine).unchanged, 1);
    // My own words under my id, dated later and moved to another visit (codes carry no removal, a
    // file can): left as they are here, neither moved nor dated anew.
    let mut moved = mine[0].clone();
    moved.updated_at += chrono::Duration::hours(2);
    moved.pack = "autre-visite".into();
    assert_eq!(read_all(std::slice::from_ref(&moved)).unchanged, 1);
    let here = me.worksheets(NoArgs {}).unwrap();
    assert_eq!(here.iter().find(|w| w.id == id), Some(&mine[0]), "my worksheet was changed");
    // Dated in 2099: left out, and said.
    let mut future = forged.clone();
    future.id = "someone-7".into();
    future.updated_at = chrono::NaiveDate::from_ymd_opt(2099, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    let report = read_all(&[future]);
    assert_eq!((report.refused, report.added), (1, 0), "{report:?}");
    assert_eq!(me.worksheets(NoArgs {}).unwrap().len(), 2);
}
