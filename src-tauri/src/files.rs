//! The shell tested with the mock runtime: worksheets handed from one app to another through PNG screenshots
//! of the codes, files and the bank; the app on a full disk and on a read-only folder.

#[cfg(test)]
mod tests {
    use std::io::Cursor;
    use std::path::Path;

    use serde_json::{Value, json};
    use tauri::ipc::InvokeBody;
    use tauri::test::MockRuntime;

    use crate::Options;
    use crate::tests::{app, at, call, call_with, real_pack};

    type Window = tauri::WebviewWindow<MockRuntime>;

    fn call_raw(window: &Window, cmd: &str, bytes: Vec<u8>, file: Option<&str>) -> Result<Value, Value> {
        let mut headers = tauri::http::HeaderMap::new();
        if let Some(name) = file {
            headers.insert("Parcours-File", name.parse().expect("header"));
        }
        call_with(window, cmd, InvokeBody::Raw(bytes), headers)
    }

    fn device(dir: &Path, name: &str) -> Window {
        app(Options {
            pack: Some(real_pack(dir)),
            now: at("2024-10-03T12:30"),
            data: Some(dir.join(name).join("data")),
            replay: None,
            out: Some(dir.join(name).join("out")),
            open: None,
        })
    }

    /// A screenshot of one code, as a PNG: 4 px a module, white margin.
    fn screenshot(text: &str) -> Vec<u8> {
        let (width, dark) = parcours_core::handover::modules(text).expect("modules");
        let side = (width as u32 + 8) * 4;
        let img = image::GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = ((x / 4) as i64 - 4, (y / 4) as i64 - 4);
            let inside = mx >= 0 && my >= 0 && (mx as usize) < width && (my as usize) < width;
            image::Luma([if inside && dark[my as usize * width + mx as usize] { 0 } else { 255 }])
        });
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).expect("png");
        out.into_inner()
    }

    fn fill(window: &Window, workshop: &str, fields: &[(&str, &str)]) -> String {
        let ws = call(window, "worksheet_new", json!({ "workshop": workshop })).expect("new");
        let id = ws["id"].as_str().expect("id").to_owned();
        for (field, value) in fields {
            call(window, "worksheet_set", json!({"id": id, "field": field, "value": value})).expect("set");
        }
        id
    }

    #[test]
    fn worksheets_go_from_one_phone_to_another_by_qr_pictures_files_and_the_bank() {
        let dir = std::env::temp_dir().join(format!("parcours-app-handover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("tmp");
        // Varied text (deflate would shrink a repeated sentence to nothing): needs several codes.
        let words = ["médiateur", "tablette", "café", "hall", "bailleur", "habitante", "CAF", "mardi", "école", "aide"];
        let mut x = 7u64;
        let long: Vec<&str> = (0..500)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                words[(x >> 33) as usize % words.len()]
            })
            .collect();
        let long = long.join(" ");
        let (a, b) = (device(&dir, "a"), device(&dir, "b"));
        let first = fill(
            &a,
            "aller-vers",
            &[("titre", "Café numérique au pied des immeubles"), ("actions", &long), ("rating", "orange")],
        );
        let second = fill(&a, "cooperation", &[("titre", "Un annuaire partagé des lieux d'aide"), ("rating", "vert")]);

        // QR: two or more codes; B reads screenshots of them, in reverse order.
        let codes = call(&a, "handover_codes", json!({ "ids": [first, second] })).expect("codes");
        let codes = codes.as_array().expect("list").clone();
        assert!(codes.len() >= 2, "{} codes", codes.len());
        assert!(codes.iter().all(|c| c["svg"].as_str().is_some_and(|s| s.contains("<svg"))));
        let mut last = Value::Null;
        for (k, code) in codes.iter().rev().enumerate() {
            last = call_raw(&b, "handover_read", screenshot(code["text"].as_str().expect("text")), None).expect("read");
            assert_eq!(last["have"], k + 1);
            assert_eq!(last["total"], codes.len());
            assert_eq!(last["imported"].is_null(), k + 1 < codes.len());
        }
        assert_eq!(last["imported"]["added"], 2);
        assert_eq!(last["titles"][0], "Café numérique au pied des immeubles");
        let on_a = call(&a, "worksheets", json!({})).expect("a");
        let on_b = call(&b, "worksheets", json!({})).expect("b");
        assert_eq!(on_a, on_b, "B now holds A's worksheets exactly");

        // A picture with no code, or not a picture: a reason, nothing changes.
        let error = call_raw(&b, "handover_read", b"GIF89a nothing".to_vec(), None).expect_err("not a picture");
        assert_eq!(error["code"], "unreadable");
        let error = call(&b, "handover_text", json!({"code": "WIFI:S:cafe;;"})).expect_err("foreign");
        assert_eq!(error["code"], "not_parcours");

        // Files: JSON (for the bank) and Markdown (to read, print) side by side.
        let saved = call(&a, "worksheets_save", json!({ "ids": [first], "lang": "fr" })).expect("save");
        let json_path = saved["json"].as_str().expect("json").to_owned();
        // French typography's narrow no-break spaces ("Couleur : orange") read as spaces.
        let md =
            std::fs::read_to_string(saved["markdown"].as_str().expect("md")).expect("md file").replace('\u{202f}', " ");
        assert!(md.contains("## Café numérique au pied des immeubles"), "{md}");
        assert!(md.contains("- Couleur : orange — "), "{md}");
        let page = std::fs::read_to_string(saved["html"].as_str().expect("html")).expect("html file");
        assert!(page.contains("<h2>Café numérique au pied des immeubles</h2>"), "{page}");
        let its_codes = call(&a, "handover_codes", json!({ "ids": [first] })).expect("codes");
        assert_eq!(
            page.matches("<svg").count(),
            its_codes.as_array().map_or(0, Vec::len),
            "the page carries the codes"
        );
        let data = std::fs::read(&json_path).expect("json file");
        let parsed = parcours_core::userdata::UserData::parse(&data).expect("a user-data file");
        assert_eq!(parsed.worksheets.len(), 1);

        // The organiser's bank on a third device: a good file in, a broken one refused by name.
        let c = device(&dir, "c");
        let report = call_raw(&c, "bank_import", data.clone(), Some("fiches-a.json")).expect("import");
        assert_eq!(report["added"], 1);
        let report = call_raw(&c, "bank_import", data.clone(), Some("fiches-a.json")).expect("again");
        assert_eq!(report["unchanged"], 1);
        let broken = data[..data.len() / 2].to_vec();
        let error = call_raw(&c, "bank_import", broken, Some("fiches%20%C3%A9quipe-b.json")).expect_err("broken");
        assert_eq!(error["code"], "bad_file");
        assert!(error["message"].as_str().is_some_and(|m| m.starts_with("fiches équipe-b.json: line ")), "{error}");
        assert_eq!(call(&c, "worksheets", json!({})).expect("c").as_array().map(Vec::len), Some(1));
        let csv = call(&c, "bank_export", json!({"lang": "fr"})).expect("csv");
        let csv = std::fs::read_to_string(csv.as_str().expect("path")).expect("csv file");
        assert!(csv.starts_with("\u{feff}Atelier,Couleur,Titre"), "{csv}");
        assert!(csv.contains("Café numérique au pied des immeubles"));
        // A file from another visit: kept, counted, out of this visit's bank, shown apart.
        let mut other = parsed.clone();
        other.worksheets[0].id = "0ld-1".into();
        other.worksheets[0].pack = "bayonne-2023".into();
        let report =
            call_raw(&c, "bank_import", other.to_json().into_bytes(), Some("visite-2023.json")).expect("other visit");
        assert_eq!((report["added"].as_u64(), report["other_visit"].as_u64()), (Some(1), Some(1)));
        assert_eq!(call(&c, "worksheets", json!({})).expect("c").as_array().map(Vec::len), Some(1));
        let others = call(&c, "worksheets_other_visits", json!({})).expect("others");
        assert_eq!(others.as_array().map(Vec::len), Some(1));
        assert_eq!(others[0]["pack"], "bayonne-2023");
        assert_eq!(others[0]["title"], "Café numérique au pied des immeubles");
        let ready = call(&c, "readiness", json!({})).expect("ready");
        assert_eq!((ready["worksheets"].as_u64(), ready["other_visit_worksheets"].as_u64()), (Some(1), Some(1)));

        // Backup: the file holds everything, and the ready screen knows when.
        assert!(call(&a, "readiness", json!({})).expect("ready")["last_backup"].is_null());
        let path = call(&a, "backup", json!({})).expect("backup");
        let backup = parcours_core::userdata::UserData::parse(&std::fs::read(path.as_str().expect("p")).expect("file"))
            .expect("parse");
        assert_eq!(backup.worksheets.len(), 2);
        let ready = call(&a, "readiness", json!({})).expect("ready");
        assert!(ready["last_backup"].as_str().is_some_and(|t| t.starts_with("2024-10-03T12:30")), "{ready}");
        assert_eq!(ready["last_backup_path"], path);
        assert!(ready["free_bytes"].as_u64().is_some_and(|b| b > 0), "{ready}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The app on a full disk and on a read-only data folder, for real: in a child process with its own
/// mount namespace (`unshare -m`, root) on a small tmpfs.
#[cfg(test)]
mod limits {
    use std::process::Command;

    use serde_json::json;

    use crate::Options;
    use crate::tests::{app, at, call, real_pack};

    fn in_mount_namespace(name: &str) {
        if std::env::var_os("PARCOURS_SKIP_MOUNT_TESTS").is_some() {
            eprintln!("{name}: skipped (PARCOURS_SKIP_MOUNT_TESTS)");
            return;
        }
        let out = Command::new("unshare")
            .args(["-m", "--propagation", "private"])
            .arg(std::env::current_exe().expect("exe"))
            .args(["--exact", name, "--nocapture", "--include-ignored", "--test-threads", "1"])
            .env("PARCOURS_IN_MOUNT_NS", "1")
            .output()
            .expect("unshare (util-linux) runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && text.contains("1 passed"),
            "{name} in a mount namespace (needs root; PARCOURS_SKIP_MOUNT_TESTS=1 skips):\n{text}"
        );
    }

    fn mount(args: &[&str], dir: &std::path::Path) {
        let status = Command::new("mount").args(args).arg(dir).status().expect("mount");
        assert!(status.success(), "mount {args:?}");
    }

    #[test]
    fn the_app_starts_on_a_full_disk_and_on_a_read_only_folder_and_says_so() {
        in_mount_namespace("files::limits::child");
    }

    #[test]
    #[ignore = "runs inside the mount namespace its parent test makes"]
    fn child() {
        assert!(std::env::var_os("PARCOURS_IN_MOUNT_NS").is_some());
        let dir = std::env::temp_dir().join(format!("parcours-app-limits-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("data")).expect("tmp");
        let pack = real_pack(&dir);
        mount(&["-t", "tmpfs", "-o", "size=384k", "tmpfs"], &dir.join("data"));
        let options = || Options {
            pack: Some(pack.clone()),
            now: at("2024-10-03T12:30"),
            data: Some(dir.join("data")),
            replay: None,
            out: Some(dir.join("data/out")),
            open: None,
        };

        // Full: a worksheet is saved, then the disk fills; the next edit is refused with `disk_full`.
        let window = app(options());
        let id = call(&window, "worksheet_new", json!({"workshop": "aller-vers"})).expect("new")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        call(&window, "worksheet_set", json!({"id": id, "field": "enjeu", "value": "Saved before"})).expect("set");
        let filler = dir.join("data/filler");
        let _ = std::fs::write(&filler, vec![0u8; 1024 * 1024]);
        let long = "Un texte long qui ne tient plus. ".repeat(4000);
        let error = call(&window, "worksheet_set", json!({"id": id, "field": "actions", "value": long}))
            .expect_err("the disk is full");
        assert_eq!(error["code"], "disk_full", "{error}");
        let error = call(&window, "backup", json!({})).expect_err("no room for a backup either");
        assert_eq!(error["code"], "disk_full", "{error}");
        let ready = call(&window, "readiness", json!({})).expect("ready");
        assert!(ready["free_bytes"].as_u64().is_some_and(|b| b < 64 * 1024), "the ready screen sees it: {ready}");
        // Room made: the same edit goes through.
        std::fs::remove_file(&filler).expect("free");
        call(&window, "worksheet_set", json!({"id": id, "field": "actions", "value": long})).expect("now it fits");

        // Read-only: a copy of that data folder on a medium mounted read-only (the first app still
        // holds its own open). The app starts, shows what was saved, says it cannot save, refuses writes.
        let ro = dir.join("ro");
        std::fs::create_dir_all(&ro).expect("ro");
        mount(&["-t", "tmpfs", "-o", "size=4m", "tmpfs"], &ro);
        for name in ["user.sqlite", "user.sqlite-wal", "user.sqlite-shm"] {
            if dir.join("data").join(name).exists() {
                std::fs::copy(dir.join("data").join(name), ro.join(name)).expect("copy");
            }
        }
        mount(&["-o", "remount,ro"], &ro);
        let window = app(Options { data: Some(ro.clone()), ..options() });
        let status = call(&window, "user_data", json!({})).expect("status");
        assert_eq!(status["ok"], true, "{status}");
        assert_eq!(status["read_only"], true, "{status}");
        assert!(status["set_aside"].is_null());
        let list = call(&window, "worksheets", json!({})).expect("list");
        assert_eq!(list[0]["fields"]["enjeu"], "Saved before");
        assert_eq!(list[0]["fields"]["actions"], long);
        let error = call(&window, "worksheet_set", json!({"id": id, "field": "enjeu", "value": "x"})).expect_err("ro");
        assert_eq!(error["code"], "read_only", "{error}");
        let pack = call(&window, "pack", json!({})).expect("the visit itself works");
        assert_eq!(pack["routes"][0]["id"], "green");
        for mounted in [&ro, &dir.join("data")] {
            let _ = Command::new("umount").arg("-l").arg(mounted).status();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
