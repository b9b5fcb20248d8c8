//! "Mes visites": another visit opened from its file, kept, remembered, switched back and forth; each
//! visit with its own worksheets; a new version says what changed; a hostile file changes nothing.

use parcours_commands::{App, Content, Settings, open_users};
use parcours_core::store::sign::SigningKey;
use parcours_core::wire::{IdArgs, NoArgs, NotTrusted, Placement, RawFile, VisitOpened, WorkshopArgs};

use crate::{TestHost, device, real_pack};

/// The Bayonne pack made into another visit: id `seconde-2025`, its own title, `drop` stops fewer.
fn second_visit(dir: &std::path::Path, drop: usize) -> Vec<u8> {
    visit_file(dir, "seconde-2025", "1.0", drop, None)
}

/// The Bayonne pack as visit `id`, version `version`, `drop` stops fewer, signed with the key made
/// from `seed` if given.
fn visit_file(dir: &std::path::Path, id: &str, version: &str, drop: usize, seed: Option<u8>) -> Vec<u8> {
    let mut pack = parcours_core::store::PackFile::open(real_pack()).unwrap().into_pack();
    pack.pack.id = id.into();
    pack.pack.version = version.into();
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
    let file = dir.join(format!("{id}-{version}-{drop}-{seed:?}.parcours"));
    let key = seed.map(|s| SigningKey::from_seed([s; 32]));
    parcours_core::store::build_signed_pack_file(&pack, &file, key.as_ref()).unwrap();
    std::fs::read(file).unwrap()
}

/// Checked, then kept (the person's "Garder").
fn open(app: &App<TestHost>, file: RawFile) -> Result<VisitOpened, parcours_core::wire::AppError> {
    app.visit_check(file)?;
    app.visit_keep(NoArgs {})
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

    let offer = app.visit_check(raw("seconde.parcours", second_visit(dir.path(), 0))).unwrap();
    assert_eq!(offer.placement, Placement::New);
    // Nothing is kept before the person says so.
    assert_eq!(ids(&app), [("bayonne-2024".to_owned(), true)]);
    assert_eq!(app.visit_pending(NoArgs {}).unwrap(), Some(offer));
    let opened = app.visit_keep(NoArgs {}).unwrap();
    assert!(app.visit_pending(NoArgs {}).unwrap().is_none());
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

    // Another file of the second visit (a stop fewer), unsigned like the one here: kept beside it.
    let newer =
        open(&again, raw("seconde-v2.parcours", visit_file(dir.path(), "seconde-2025", "1.0", 1, None))).unwrap();
    // Unsigned, like the one here: kept beside it, never in its place.
    assert!(!newer.replaced && newer.visit.beside && newer.visit.id == "seconde-2025-autre-1", "{newer:?}");
    assert_eq!(again.visits(NoArgs {}).unwrap().len(), 3);

    // The open one cannot be removed; another one can, and the app's own never.
    assert!(again.visit_remove(IdArgs { id: "seconde-2025-autre-1".into() }).is_err());
    again.visit_switch(IdArgs { id: "bayonne-2024".into() }).unwrap();
    again.visit_remove(IdArgs { id: "seconde-2025-autre-1".into() }).unwrap();
    assert_eq!(again.visits(NoArgs {}).unwrap().len(), 2);
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
        let error = app.visit_check(raw("visite-reçue.parcours", bytes)).unwrap_err();
        assert!(error.message.contains("visite-reçue.parcours"), "{error}");
    }
    assert_eq!(ids(&app), [("bayonne-2024".to_owned(), true)]);
    assert_eq!(app.pack(NoArgs {}).unwrap().pack.id, "bayonne-2024");
    // Without a user database (it could not be opened): nothing can be kept, and that is said.
    let host = TestHost::at(chrono::Utc::now(), dir.path().join("out"));
    let bare = App::new(host, Settings::default(), Content::open(real_pack()), open_users(None));
    assert!(open(&bare, raw("seconde.parcours", second_visit(dir.path(), 0))).is_err());
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
    assert!(
        fr.contains("Le saviez-vous\u{202f}?") && fr.contains("<svg") && fr.contains("parcours.example.org/bayonne/")
    );
    // An address that is not a web one (the desktop app's own page, a typo) is left out, not refused.
    let local = app.booklet(args("en", Some("tauri://localhost/"))).unwrap();
    assert!(local.contains("Did you know?") && !local.contains("tauri://") && !local.contains("on-phone"));
    // The booklet follows the visit open.
    open(&app, raw("seconde.parcours", second_visit(dir.path(), 1))).unwrap();
    let other = app.booklet(args("fr", None)).unwrap();
    assert!(other.contains("Seconde visite"));
    assert_eq!(other.matches("<section class=\"stop\"").count(), 3);
}

#[test]
fn a_visit_is_replaced_only_by_a_newer_version_signed_by_its_key_and_anything_else_is_kept_beside() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T10:30");
    let file = |version: &str, drop: usize, seed: Option<u8>| {
        raw("ville.parcours", visit_file(dir.path(), "ville-2025", version, drop, seed))
    };
    // First kept: signed by key 1, which this device now trusts for "ville-2025".
    let first = open(&app, file("1.0", 0, Some(1))).unwrap();
    assert!(first.visit.signed_by.as_ref().is_some_and(|f| f.len() == 19), "{first:?}");
    app.worksheet_new(WorkshopArgs { workshop: "aller-vers".into() }).unwrap();
    // The same file again: nothing to keep, it is the one here.
    assert_eq!(app.visit_check(file("1.0", 0, Some(1))).unwrap().placement, Placement::Same);
    app.visit_cancel(NoArgs {}).unwrap();
    assert!(app.visit_keep(NoArgs {}).is_err(), "nothing waits once cancelled");
    // A newer version from the same key: it takes the place, the worksheet stays.
    let offer = app.visit_check(file("1.1", 1, Some(1))).unwrap();
    assert!(matches!(&offer.placement, Placement::Update { replaces } if replaces.version == "1.0"), "{offer:?}");
    assert_eq!(offer.removed.len(), 1);
    let update = app.visit_keep(NoArgs {}).unwrap();
    assert!(update.replaced && update.visit.id == "ville-2025");
    assert_eq!(app.worksheets(NoArgs {}).unwrap().len(), 1);
    // Another key, no signature, an older version: each kept beside, under an id of its own.
    let cases = [
        (file("2.0", 0, Some(2)), NotTrusted::OtherKey, "ville-2025-autre-1"),
        (file("3.0", 0, None), NotTrusted::Unsigned, "ville-2025-autre-2"),
        (file("1.0", 2, Some(1)), NotTrusted::NotNewer, "ville-2025-autre-3"),
    ];
    for (given, reason, kept_as) in cases {
        let offer = app.visit_check(given).unwrap();
        assert!(
            matches!(&offer.placement, Placement::Beside { of, why } if of.id == "ville-2025" && *why == reason),
            "{offer:?}"
        );
        let opened = app.visit_keep(NoArgs {}).unwrap();
        assert!(!opened.replaced && opened.visit.beside && opened.visit.id == kept_as, "{opened:?}");
        // Its own worksheets: none of the trusted visit's.
        assert!(app.worksheets(NoArgs {}).unwrap().is_empty());
    }
    let listed: Vec<String> = app.visits(NoArgs {}).unwrap().into_iter().map(|v| v.id).collect();
    assert_eq!(
        listed,
        ["bayonne-2024", "ville-2025", "ville-2025-autre-1", "ville-2025-autre-2", "ville-2025-autre-3"]
    );
    // The trusted one is still the one from key 1, version 1.1, with its worksheet.
    let trusted = app.visit_switch(IdArgs { id: "ville-2025".into() }).unwrap();
    assert_eq!((trusted.version.as_str(), trusted.beside), ("1.1", false));
    assert_eq!(app.worksheets(NoArgs {}).unwrap().len(), 1);
    // Listed from their files (not open): each copy kept beside says so, with its signer or none.
    let listed = app.visits(NoArgs {}).unwrap();
    let marks: Vec<(bool, bool)> = listed.iter().map(|v| (v.beside, v.signed_by.is_some())).collect();
    assert_eq!(marks, [(false, false), (false, true), (true, true), (true, false), (true, true)]);
}

#[test]
fn a_file_with_the_app_s_own_visit_s_id_never_takes_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T10:30");
    let mine = app.worksheet_new(WorkshopArgs { workshop: "aller-vers".into() }).unwrap();
    for (n, seed) in [None, Some(9)].into_iter().enumerate() {
        let offer =
            app.visit_check(raw("bayonne.parcours", visit_file(dir.path(), "bayonne-2024", "9.0", 0, seed))).unwrap();
        assert!(
            matches!(&offer.placement, Placement::Beside { of, why: NotTrusted::HereUnsigned } if of.id == "bayonne-2024" && of.bundled),
            "{offer:?}"
        );
        let opened = app.visit_keep(NoArgs {}).unwrap();
        assert_eq!(opened.visit.id, format!("bayonne-2024-autre-{}", n + 1));
        assert!(app.worksheets(NoArgs {}).unwrap().is_empty());
    }
    // The app's own is listed first, as it was, and opens with its worksheet.
    let list = app.visits(NoArgs {}).unwrap();
    assert!(list[0].id == "bayonne-2024" && list[0].bundled && !list[0].beside);
    app.visit_switch(IdArgs { id: "bayonne-2024".into() }).unwrap();
    assert_eq!(
        app.pack(NoArgs {}).unwrap().event.title.get("fr"),
        "Inclusion numérique dans les quartiers prioritaires"
    );
    assert_eq!(app.worksheets(NoArgs {}).unwrap()[0].id, mine.id);
}
