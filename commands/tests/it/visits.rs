//! "Mes visites": another visit opened from its file, kept, remembered, switched back and forth; each
//! visit with its own worksheets; a new version says what changed; a hostile file changes nothing.

use parcours_commands::{App, Content, Settings, open_users};
use parcours_core::wire::{IdArgs, NoArgs, RawFile, WorkshopArgs};

use crate::{TestHost, device, real_pack};

/// The Bayonne pack made into another visit: id `seconde-2025`, its own title, `drop` stops fewer.
fn second_visit(dir: &std::path::Path, drop: usize) -> Vec<u8> {
    let mut pack = parcours_core::store::PackFile::open(real_pack()).unwrap().into_pack();
    pack.pack.id = "seconde-2025".into();
    pack.event.title = parcours_core::pack::Localized(
        [("fr", "Seconde visite"), ("en", "Second visit")].map(|(l, t)| (l.to_owned(), t.to_owned())).into(),
    );
    for _ in 0..drop {
        let gone = pack.stops.pop().unwrap().id;
        for route in &mut pack.routes {
            route.stops.retain(|s| *s != gone);
            route.schedule.retain(|v| v.stop != gone);
        }
    }
    let file = dir.join(format!("seconde-{drop}.parcours"));
    parcours_core::store::build_pack_file(&pack, &file).unwrap();
    std::fs::read(file).unwrap()
}

fn raw(name: &str, bytes: Vec<u8>) -> RawFile {
    RawFile { name: Some(name.into()), bytes }
}

fn ids(app: &App<TestHost>) -> Vec<(String, bool)> {
    app.visits(NoArgs {}).unwrap().into_iter().map(|v| (v.id, v.current)).collect()
}

#[test]
fn another_visit_opens_is_remembered_and_each_keeps_its_worksheets() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T10:30");
    assert_eq!(ids(&app), [("bayonne-2024".to_owned(), true)]);
    let mine = app.worksheet_new(WorkshopArgs { workshop: "aller-vers".into() }).unwrap();

    let opened = app.visit_open(raw("seconde.parcours", second_visit(dir.path(), 0))).unwrap();
    assert_eq!((opened.visit.id.as_str(), opened.visit.current, opened.replaced), ("seconde-2025", true, false));
    assert_eq!(app.pack(NoArgs {}).unwrap().event.title.get("fr"), "Seconde visite");
    assert!(app.worksheets(NoArgs {}).unwrap().is_empty(), "the other visit's worksheets are its own");
    assert_eq!(ids(&app), [("bayonne-2024".to_owned(), false), ("seconde-2025".to_owned(), true)]);

    // The app started again: the visit chosen is open.
    drop(app);
    let again = device(dir.path(), "2024-10-03T10:35");
    assert_eq!(again.pack(NoArgs {}).unwrap().pack.id, "seconde-2025");
    // Back to Bayonne: its worksheet is there.
    let back = again.visit_switch(IdArgs { id: "bayonne-2024".into() }).unwrap();
    assert!(back.bundled && back.current);
    let here = again.worksheets(NoArgs {}).unwrap();
    assert_eq!(here.iter().map(|w| w.id.as_str()).collect::<Vec<_>>(), [mine.id.as_str()]);

    // A new version of the second visit (a stop fewer): it says so, and replaces the old one.
    let newer = again.visit_open(raw("seconde-v2.parcours", second_visit(dir.path(), 1))).unwrap();
    assert!(newer.replaced);
    assert_eq!((newer.added.len(), newer.removed.len()), (0, 1), "{newer:?}");
    assert_eq!(again.visits(NoArgs {}).unwrap().len(), 2);

    // The open one cannot be removed; another one can, and the app's own never.
    assert!(again.visit_remove(IdArgs { id: "seconde-2025".into() }).is_err());
    again.visit_switch(IdArgs { id: "bayonne-2024".into() }).unwrap();
    again.visit_remove(IdArgs { id: "seconde-2025".into() }).unwrap();
    assert_eq!(ids(&again), [("bayonne-2024".to_owned(), true)]);
    assert!(again.visit_switch(IdArgs { id: "seconde-2025".into() }).is_err());
}

#[test]
fn a_hostile_or_broken_visit_file_is_refused_by_name_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T10:30");
    let mut broken = second_visit(dir.path(), 0);
    broken.truncate(broken.len() / 2);
    for bytes in [broken, b"not a pack".to_vec(), Vec::new()] {
        let error = app.visit_open(raw("visite-reçue.parcours", bytes)).unwrap_err();
        assert!(error.message.contains("visite-reçue.parcours"), "{error}");
    }
    assert_eq!(ids(&app), [("bayonne-2024".to_owned(), true)]);
    assert_eq!(app.pack(NoArgs {}).unwrap().pack.id, "bayonne-2024");
    // Without a user database (it could not be opened): nothing can be kept, and that is said.
    let host = TestHost::at(chrono::Utc::now(), dir.path().join("out"));
    let bare = App::new(host, Settings::default(), Content::open(real_pack()), open_users(None));
    assert!(bare.visit_open(raw("seconde.parcours", second_visit(dir.path(), 0))).is_err());
    assert_eq!(bare.pack(NoArgs {}).unwrap().pack.id, "bayonne-2024");
}

#[test]
fn the_booklet_is_the_open_visits_with_a_qr_code_only_for_a_web_address() {
    use parcours_core::wire::BookletArgs;
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T10:30");
    let args = |lang: &str, url: Option<&str>| BookletArgs { lang: lang.into(), url: url.map(str::to_owned) };
    let fr = app.booklet(args("fr", Some("https://parcours.example.org/bayonne/"))).unwrap();
    assert!(fr.starts_with("<article class=\"booklet\" lang=\"fr\">"), "{}", &fr[..80]);
    assert_eq!(fr.matches("<section class=\"stop\"").count(), 4);
    assert!(fr.contains("Le saviez-vous ?") && fr.contains("<svg") && fr.contains("parcours.example.org/bayonne/"));
    // An address that is not a web one (the desktop app's own page, a typo) is left out, not refused.
    let local = app.booklet(args("en", Some("tauri://localhost/"))).unwrap();
    assert!(local.contains("Did you know?") && !local.contains("tauri://") && !local.contains("on-phone"));
    // The booklet follows the visit open.
    app.visit_open(raw("seconde.parcours", second_visit(dir.path(), 1))).unwrap();
    let other = app.booklet(args("fr", None)).unwrap();
    assert!(other.contains("Seconde visite"));
    assert_eq!(other.matches("<section class=\"stop\"").count(), 3);
}
