//! What schemas 4 and 5 added to a visit (each optional): an access note and a photo per stop, more
//! questions per workshop, the way back after a route's last stop (4); the worksheet form's heading of
//! the colours and the column that names a worksheet (5); and the older files that still open.

use std::path::{Path, PathBuf};

use parcours_core::pack::{Source, StopId, load};
use parcours_core::store::{PackFile, StoreError, build_pack_file, read_source};

/// The second visit's source (`tests/fixtures/ville-test-2025`), as an organiser wrote it.
fn second_source() -> Source {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ville-test-2025");
    let (source, problems) = read_source(&dir);
    assert!(problems.is_empty(), "{problems:?}");
    source
}

fn problems_of(source: &Source) -> Vec<String> {
    match load(source) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

/// A pack file of schema 3, as Parcours built it before schema 4: the second visit, built at 62945a4.
fn schema_3_file(dir: &Path) -> PathBuf {
    let file = dir.join("v3.parcours");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pack-v3.parcours"), &file).unwrap();
    file
}

#[test]
fn a_stop_s_access_and_photo_a_workshop_s_questions_and_the_way_back_go_through_the_pack_file() {
    let source = second_source();
    let pack = load(&source).unwrap();
    let media = source.get("photos/mediatheque.png").unwrap().to_vec();
    let stop = pack.stop(&StopId("mediatheque".into())).unwrap();
    assert!(stop.access.as_ref().unwrap().get("fr").starts_with("Entrée de plain-pied"));
    let photo = stop.photo.as_ref().unwrap();
    assert_eq!((photo.mime.as_str(), photo.width, photo.height), ("image/png", 800, 500));
    assert_eq!(photo.bytes, media.len() as u64);
    assert!(photo.alt.get("fr").starts_with("Dessin de la médiathèque"));
    assert!(pack.stop(&StopId("france-services".into())).unwrap().photo.is_none());
    assert_eq!(pack.workshops[0].more_questions.len(), 1);
    assert_eq!(pack.routes[0].back_to.as_ref().map(|s| s.as_str()), Some("mediatheque"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.parcours");
    build_pack_file(&pack, &file).unwrap();
    let opened = PackFile::open(&file).unwrap();
    assert_eq!(opened.schema_version(), parcours_core::store::SCHEMA_VERSION);
    let mut without_media = pack.clone();
    without_media.media.clear();
    assert_eq!(opened.pack(), &without_media, "the pack file gives back the visit as written");
    assert_eq!(opened.photo("mediatheque").unwrap(), Some(("image/png".to_owned(), media)));
    assert_eq!(opened.photo("france-services").unwrap(), None);
    // Found by search, like every text of a stop.
    let hits = opened.search("ascenseur", Some("fr"), 5).unwrap();
    assert_eq!(hits.first().map(|h| h.id.as_str()), Some("mediatheque"), "{hits:?}");
}

#[test]
fn a_pack_file_of_schema_3_still_opens_and_one_that_mixes_schemas_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let file = schema_3_file(dir.path());
    let opened = PackFile::open(&file).unwrap();
    assert_eq!(opened.schema_version(), 3);
    assert_eq!(opened.pack().pack.id, "ville-test-2025");
    assert_eq!(opened.pack().stops.len(), 3);
    assert!(opened.pack().stops.iter().all(|s| s.access.is_none() && s.photo.is_none()));
    assert!(opened.pack().routes.iter().all(|r| r.back_to.is_none()));
    assert_eq!(opened.photo("mediatheque").unwrap(), None);
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(PackFile::from_bytes("v3.parcours", &bytes).unwrap().schema_version(), 3, "the web app's way too");
    drop(opened);

    // Schema 3 with a table of schema 4 is not a file Parcours wrote.
    let conn = rusqlite::Connection::open(&file).unwrap();
    conn.execute_batch(
        "CREATE TABLE stop_access (stop_id TEXT PRIMARY KEY REFERENCES stops (id), text TEXT NOT NULL) WITHOUT ROWID",
    )
    .unwrap();
    drop(conn);
    let refused = PackFile::open(&file).err().unwrap();
    assert!(matches!(refused, StoreError::NotAPack { .. }), "{refused}");
    assert!(refused.to_string().contains("\"stop_access\" that is not part of a pack"), "{refused}");

    // Schema 4 without one of its tables neither.
    let file = dir.path().join("v4.parcours");
    build_pack_file(&load(&second_source()).unwrap(), &file).unwrap();
    rusqlite::Connection::open(&file).unwrap().execute_batch("DROP TABLE route_back").unwrap();
    let refused = PackFile::open(&file).err().unwrap();
    assert!(refused.to_string().contains("\"route_back\" is missing"), "{refused}");
}

#[test]
fn a_photo_whose_bytes_were_changed_in_the_pack_file_is_refused_when_shown() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.parcours");
    build_pack_file(&load(&second_source()).unwrap(), &file).unwrap();
    let conn = rusqlite::Connection::open(&file).unwrap();
    // A JPEG header where the PNG was, then a PNG of another size.
    conn.execute("UPDATE stop_photo SET data = x'FFD8FFE000104A464946'", []).unwrap();
    drop(conn);
    let opened = PackFile::open(&file).unwrap();
    let refused = opened.photo("mediatheque").err().unwrap();
    assert!(refused.to_string().contains("the photo of stop \"mediatheque\" is not a PNG picture"), "{refused}");
    drop(opened);
    let mut png = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ville-test-2025/photos/mediatheque.png"),
    )
    .unwrap();
    png[16..24].copy_from_slice(&[0, 0, 0, 10, 0, 0, 0, 10]); // IHDR: 10 × 10
    rusqlite::Connection::open(&file).unwrap().execute("UPDATE stop_photo SET data = ?1", [&png]).unwrap();
    let refused = PackFile::open(&file).unwrap().photo("mediatheque").err().unwrap();
    assert!(refused.to_string().contains("is not the size the pack says"), "{refused}");
}

#[test]
fn what_is_wrong_with_a_photo_a_question_or_the_way_back_is_said_with_its_line() {
    let edit = |path: &str, from: &str, to: &str| {
        let mut source = second_source();
        let text = String::from_utf8(source.get(path).unwrap().to_vec()).unwrap();
        assert!(text.contains(from), "{from}");
        source.insert(path, text.replace(from, to));
        problems_of(&source)
    };
    let png = second_source().get("photos/mediatheque.png").unwrap().to_vec();

    let said = edit("stops.toml", "photos/mediatheque.png", "photos/mediatheque.jpg");
    assert_eq!(said, ["stops.toml:11: stop \"mediatheque\"'s photo: file photos/mediatheque.jpg is missing"]);
    let mut source = second_source();
    source.insert("photos/mediatheque.jpg", png.clone());
    let text = String::from_utf8(source.get("stops.toml").unwrap().to_vec()).unwrap();
    source.insert("stops.toml", text.replace("photos/mediatheque.png", "photos/mediatheque.jpg"));
    assert_eq!(
        problems_of(&source),
        [
            "stops.toml:11: stop \"mediatheque\"'s photo photos/mediatheque.jpg is not a JPEG picture (its first bytes are not a JPEG file's)"
        ]
    );
    let mut source = second_source();
    source.insert("photos/mediatheque.png", vec![0u8; 1024 * 1024 + 1]);
    let said = problems_of(&source);
    assert!(
        said.len() == 1 && said[0].contains("is 1048577 bytes, at most 1048576: save it 1,200 pixels wide"),
        "{said:?}"
    );
    let mut source = second_source();
    source.insert("photos/mediatheque.png", png[..40].to_vec());
    let said = problems_of(&source);
    assert!(said.len() == 1 && said[0].starts_with("stops.toml:11: ") && said[0].contains("is cut short"), "{said:?}");

    let said = edit("stops.toml", "photos/mediatheque.png\", alt = { fr = ", "photos/mediatheque.png\", alt = { en = ");
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said[0].contains("photo alt (what it shows) has no \"fr\" translation"), "{said:?}");
    let said = edit("stops.toml", "access = { fr = \"Trois", "access = { de = \"Trois");
    assert!(said.iter().any(|p| p.contains("access is written in \"de\", which pack.toml does not list")), "{said:?}");

    let said = edit("routes.toml", "back_to = \"mediatheque\"", "back_to = \"mairie\"");
    assert_eq!(said, ["routes.toml:12: route \"vert\"'s back_to names unknown stop \"mairie\" (not in stops.toml)"]);
    let said = edit("routes.toml", "back_to = \"mediatheque\"", "back_to = \"espace-jeunes\"");
    assert_eq!(said, ["routes.toml:12: route \"vert\" already ends at \"espace-jeunes\": remove back_to"]);
    let said = edit("workshops.toml", "{ fr = \"Qui peut", "{ en = \"Qui peut");
    assert!(said.iter().any(|p| p.contains("more_questions has no \"fr\" translation")), "{said:?}");
}

#[test]
fn pack_check_warns_of_a_way_back_planned_shorter_than_it_takes() {
    use parcours_core::walk::advice::warnings;
    let mut source = second_source();
    let text = String::from_utf8(source.get("routes.toml").unwrap().to_vec()).unwrap();
    source.insert("routes.toml", text.replace("end = \"11:40\"", "end = \"11:27\""));
    let pack = load(&source).unwrap();
    let said: Vec<String> = warnings(&pack, Some(&source)).iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].starts_with("routes.toml:12: "), "{said:?}");
    assert!(
        said[0].contains(
            "2 min planned from \"espace-jeunes\" (leaves 11:25) back to \"mediatheque\" (the walk ends 11:27)"
        ),
        "{said:?}"
    );
    assert_eq!(warnings(&load(&second_source()).unwrap(), Some(&second_source())), Vec::new());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Any bytes under any of the photo names: refused with a reason or read as a picture of a sane size,
    /// never a panic; and the fixture's PNG, cut anywhere, is refused.
    #[test]
    fn a_photo_s_bytes_are_read_without_trusting_them(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512),
        name in proptest::sample::select(vec!["p.jpg", "p.jpeg", "p.png", "p.webp", "p.gif"]),
        cut in 0usize..3770,
        head in proptest::sample::select(vec![
            &b""[..],
            b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR",
            b"\xff\xd8\xff",
            b"\xff\xd8\xff\xe0\0\x10JFIF\0",
            b"RIFF\x40\0\0\0WEBPVP8 ",
            b"RIFF\x40\0\0\0WEBPVP8X",
            b"RIFF\x40\0\0\0WEBPVP8L",
        ]),
    ) {
        let bytes = [head, &bytes].concat();
        if let Ok((_, w, h)) = parcours_core::pack::photo_info(name, &bytes) {
            proptest::prop_assert!((1..=parcours_core::pack::MAX_PHOTO_SIDE).contains(&w));
            proptest::prop_assert!((1..=parcours_core::pack::MAX_PHOTO_SIDE).contains(&h));
        }
        let png = std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ville-test-2025/photos/mediatheque.png")).unwrap();
        proptest::prop_assert!(parcours_core::pack::photo_info("p.png", &png[..cut.min(png.len() - 1)]).is_err());
        proptest::prop_assert_eq!(parcours_core::pack::photo_info("p.png", &png), Ok(("image/png", 800, 500)));
    }
}

/// Schema 5: the worksheet form's heading of the colours and the column that names a worksheet go
/// through the pack file; a file of schema 4 (the second visit, built at f053dd5) still opens, its form
/// named by its column `titre`; a file of schema 5 without the table is refused.
#[test]
fn the_form_s_own_words_go_through_the_pack_file_and_a_file_of_schema_4_still_opens() {
    let (_dir, file) = crate::built();
    let opened = PackFile::open(&file).unwrap();
    assert_eq!(opened.schema_version(), 5);
    let form = &opened.pack().worksheet;
    assert_eq!(form.title_column.as_deref(), Some("titre"));
    assert_eq!(form.rating_title.as_ref().map(|t| t.get("fr")), Some("Faisabilité du chantier clé"));
    assert_eq!(form, &crate::real_pack().worksheet);
    drop(opened);

    let dir = tempfile::tempdir().unwrap();
    let v4 = dir.path().join("v4.parcours");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pack-v4.parcours"), &v4).unwrap();
    let opened = PackFile::open(&v4).unwrap();
    assert_eq!(opened.schema_version(), 4);
    assert_eq!(opened.pack().worksheet.title_column.as_deref(), Some("titre"));
    assert_eq!(opened.pack().worksheet.rating_title, None);
    assert_eq!(opened.pack().stops.len(), 3);

    rusqlite::Connection::open(&file).unwrap().execute_batch("DROP TABLE worksheet_form").unwrap();
    let refused = PackFile::open(&file).err().unwrap();
    assert!(refused.to_string().contains("\"worksheet_form\" is missing"), "{refused}");
}

#[test]
fn a_title_column_that_is_no_column_is_a_problem_of_the_source() {
    let mut source = second_source();
    let text = String::from_utf8(source.get("worksheet.toml").unwrap().to_vec()).unwrap();
    source.insert("worksheet.toml", format!("title_column = \"nom\"\n{text}"));
    let problems = problems_of(&source);
    assert!(
        problems.iter().any(|p| p.starts_with("worksheet.toml:1:") && p.contains("title_column \"nom\"")),
        "{problems:?}"
    );
}

#[test]
fn a_worksheet_is_named_by_its_form_s_title_column_or_without_a_form_by_its_first_short_field() {
    use std::collections::BTreeMap;
    let mut form = crate::real_pack().worksheet;
    let sheet = parcours_core::worksheet::WorksheetDoc {
        id: "dev1-1".into(),
        pack: "bayonne-2024".into(),
        workshop: "aller-vers".into(),
        fields: BTreeMap::from([
            ("actions".to_owned(), "x".repeat(200)),
            ("enjeu".to_owned(), "Aller vers les habitants\nqui ne viennent pas".to_owned()),
            ("titre".to_owned(), "Café numérique".to_owned()),
        ]),
        rating: None,
        created_at: chrono::NaiveDateTime::default(),
        updated_at: chrono::NaiveDateTime::default(),
    };
    assert_eq!(sheet.title(&form), "Café numérique");
    // No title column: the first filled column in the form's order, its first line.
    form.title_column = None;
    assert_eq!(sheet.title(&form), "Aller vers les habitants");
    // No form: the field named as titles usually are, else the first filled one.
    assert_eq!(sheet.title_in(None), "Café numérique");
    let mut untitled = sheet.clone();
    untitled.fields.remove("titre");
    assert_eq!(untitled.title_in(None), "x".repeat(200));
}
