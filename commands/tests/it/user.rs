//! Worksheets and notes (ids, answers once committed, times), the user data's state, and the ready
//! screen's counts.

use parcours_core::wire::{ErrorCode, FieldArgs, IdArgs, NoArgs, NoteArgs, WorkshopArgs};

use crate::{at, device, device_with};

fn new(workshop: &str) -> WorkshopArgs {
    WorkshopArgs { workshop: workshop.into() }
}

fn set(id: &str, field: &str, value: &str) -> FieldArgs {
    FieldArgs { id: id.into(), field: field.into(), value: value.into() }
}

#[test]
fn worksheet_ids_are_the_devices_id_and_a_counter_that_survives_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T12:00");
    let status = app.user_data(NoArgs {}).unwrap();
    assert_eq!(status.device.as_deref(), Some("cafe0001"), "the host's id, given once");
    assert!(!status.temporary, "this host keeps the data");
    let first = app.worksheet_new(new("aller-vers")).unwrap();
    let second = app.worksheet_new(new("cooperation")).unwrap();
    assert_eq!((first.id.as_str(), second.id.as_str()), ("cafe0001-1", "cafe0001-2"));
    assert_eq!(first.created_at, at("2024-10-03T12:00"));
    drop(app);
    // The next run: another host id is not asked for (the database has one), the counter goes on.
    let app = device_with(dir.path(), "2024-10-03T12:10", |h| h.device = "other999");
    assert_eq!(app.user_data(NoArgs {}).unwrap().device.as_deref(), Some("cafe0001"));
    assert_eq!(app.worksheet_new(new("aller-vers")).unwrap().id, "cafe0001-3");
}

#[test]
fn a_field_a_rating_a_removal_and_a_note_each_answer_with_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T12:00");
    let id = app.worksheet_new(new("aller-vers")).unwrap().id;
    app.host().advance(65);
    let ws = app.worksheet_set(set(&id, "enjeu", "Aller vers les habitants")).unwrap();
    assert_eq!(ws.fields["enjeu"], "Aller vers les habitants");
    assert_eq!(ws.updated_at.format("%H:%M:%S").to_string(), "12:01:05");
    assert_eq!(app.worksheet_set(set(&id, "rating", "orange")).unwrap().rating.as_deref(), Some("orange"));
    assert_eq!(app.worksheet_set(set("nope", "enjeu", "x")).unwrap_err().code, ErrorCode::UnknownWorksheet);

    app.worksheet_remove(IdArgs { id: id.clone() }).unwrap();
    assert!(app.worksheets(NoArgs {}).unwrap().is_empty());
    let removed = app.worksheets_removed(NoArgs {}).unwrap();
    assert_eq!(
        (removed[0].worksheet.id.as_str(), removed[0].removed_at),
        (id.as_str(), at("2024-10-03T12:01") + chrono::Duration::seconds(5))
    );
    let ready = app.readiness(NoArgs {}).unwrap();
    assert_eq!((ready.worksheets, ready.removed_worksheets), (0, 1));
    app.worksheet_restore(IdArgs { id: id.clone() }).unwrap();
    assert_eq!(app.worksheets(NoArgs {}).unwrap().len(), 1);
    assert_eq!(app.worksheet_remove(IdArgs { id: "nope".into() }).unwrap_err().code, ErrorCode::UnknownWorksheet);
    assert_eq!(app.worksheet_restore(IdArgs { id: "nope".into() }).unwrap_err().code, ErrorCode::UnknownWorksheet);

    // A note answers with its own time: "Enregistré à 12 h 03" is the commit's, not a screen's clock.
    app.host().advance(120);
    let note = app.note_set(NoteArgs { stop: "escm".into(), text: "Demander les horaires".into() }).unwrap();
    assert_eq!(note.updated_at.format("%H:%M:%S").to_string(), "12:03:05");
    assert_eq!((note.stop.as_str(), note.pack.as_str()), ("escm", "bayonne-2024"));
    app.note_set(NoteArgs { stop: String::new(), text: "Notes du jour".into() }).unwrap();
    let notes = app.notes(NoArgs {}).unwrap();
    assert_eq!(notes.len(), 2);
    assert!(notes.contains(&note), "what note_set answered is what is on disk");
}

#[test]
fn the_ready_screen_counts_the_data_and_shows_the_hosts_free_space_and_the_last_backup() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T12:30");
    let ready = app.readiness(NoArgs {}).unwrap();
    assert_eq!(ready.pack_id, "bayonne-2024");
    assert!(ready.pack_problem.is_none() && ready.user_ok, "{ready:?}");
    assert!(ready.pack_bytes > 10_000 && ready.user_bytes > 0, "{ready:?}");
    assert!(ready.streets > 10 && ready.routable_points > 10, "{ready:?}");
    assert!(ready.attribution.contains("OpenStreetMap"), "{}", ready.attribution);
    assert_eq!(ready.free_bytes, Some(123_456_789));
    assert!(ready.last_backup.is_none());

    app.worksheet_new(new("aller-vers")).unwrap();
    app.note_set(NoteArgs { stop: String::new(), text: "x".into() }).unwrap();
    let path = app.backup(NoArgs {}).unwrap();
    assert!(path.ends_with("parcours-sauvegarde-20241003-123000.json"), "{path}");
    let data = parcours_core::userdata::UserData::parse(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!((data.worksheets.len(), data.notes.len()), (1, 1));
    let ready = app.readiness(NoArgs {}).unwrap();
    assert_eq!((ready.worksheets, ready.notes), (1, 1));
    assert_eq!(ready.last_backup, Some(at("2024-10-03T12:30")));
    assert_eq!(ready.last_backup_path.as_deref(), Some(path.as_str()));
    assert_eq!(app.host().saved.lock().unwrap().as_slice(), ["application/json"]);
}

#[test]
fn without_a_user_database_the_visit_still_answers_and_writes_say_why() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the data folder should be: the database cannot be made.
    std::fs::write(dir.path().join("data"), b"a file, not a folder").unwrap();
    let app = device(dir.path(), "2024-10-03T12:30");
    let status = app.user_data(NoArgs {}).unwrap();
    assert!(!status.ok && status.error.is_some(), "{status:?}");
    assert!(app.pack(NoArgs {}).is_ok());
    let error = app.worksheet_new(new("aller-vers")).unwrap_err();
    assert!(matches!(error.code, ErrorCode::Io | ErrorCode::CannotOpen), "{error:?}");
    let ready = app.readiness(NoArgs {}).unwrap();
    assert!(!ready.user_ok && ready.user_problem.is_some(), "{ready:?}");
}

#[test]
fn erasing_my_data_leaves_nothing_and_the_app_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let app = device(dir.path(), "2024-10-03T12:30");
    let id = app.worksheet_new(WorkshopArgs { workshop: "aller-vers".into() }).unwrap().id;
    app.worksheet_set(FieldArgs { id, field: "titre".into(), value: "Un café numérique".into() }).unwrap();
    app.note_set(NoteArgs { stop: "escm".into(), text: "Demander les horaires".into() }).unwrap();
    let reply = app.dispatch("erase_data", parcours_commands::Input::Json(serde_json::json!({}))).unwrap();
    let status: parcours_core::status::UserDataStatus = serde_json::from_str(&reply).unwrap();
    assert!(status.ok && status.device.is_some(), "{status:?}");
    assert!(app.worksheets(NoArgs {}).unwrap().is_empty());
    assert!(app.notes(NoArgs {}).unwrap().is_empty());
    // And it goes on: a new worksheet, a new note.
    app.worksheet_new(WorkshopArgs { workshop: "cooperation".into() }).unwrap();
    assert_eq!(app.worksheets(NoArgs {}).unwrap().len(), 1);
}
