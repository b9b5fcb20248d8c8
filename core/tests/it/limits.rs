//! The user database on a full disk and on a read-only medium, for real: each case runs in a child
//! process in its own mount namespace (`unshare -m`, root) on a small tmpfs, which is unmounted with it.
//! Nothing saved before is lost; the errors say what is wrong (`disk_full`, `read_only`); a sound file
//! is never set aside.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use chrono::NaiveDateTime;
use parcours_core::store::UserDb;
use parcours_core::worksheet::WorksheetDoc;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").unwrap()
}

fn sheet(n: usize, text: &str) -> WorksheetDoc {
    WorksheetDoc {
        id: format!("full-{n}"),
        pack: "bayonne-2024".into(),
        workshop: "aller-vers".into(),
        fields: BTreeMap::from([("enjeu".to_string(), text.to_owned())]),
        rating: None,
        created_at: at("2024-10-03T12:00:00"),
        updated_at: at("2024-10-03T12:00:00"),
    }
}

/// Runs the test `name` again in a child process with its own mount namespace, and checks it passed.
fn in_mount_namespace(name: &str) {
    if std::env::var_os("PARCOURS_SKIP_MOUNT_TESTS").is_some() {
        eprintln!("{name}: skipped (PARCOURS_SKIP_MOUNT_TESTS)");
        return;
    }
    let out = Command::new("unshare")
        .args(["-m", "--propagation", "private"])
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", name, "--nocapture", "--include-ignored", "--test-threads", "1"])
        .env("PARCOURS_IN_MOUNT_NS", "1")
        .output()
        .expect("unshare (util-linux) runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && text.contains("1 passed"),
        "{name} in a mount namespace (needs root; set PARCOURS_SKIP_MOUNT_TESTS=1 to skip):\n{text}"
    );
}

/// A tmpfs on a fresh folder (only in the child's namespace), unmounted and removed when dropped.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0.path()).status();
    }
}

/// A tmpfs of `kib` KiB.
fn small_disk(kib: u32) -> SmallDisk {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success(), "mount tmpfs");
    SmallDisk(dir)
}

#[test]
fn a_full_disk_refuses_writes_clearly_and_loses_nothing_saved() {
    in_mount_namespace("limits::full_disk_child");
}

#[test]
#[ignore = "runs inside the mount namespace its parent test makes"]
fn full_disk_child() {
    assert!(std::env::var_os("PARCOURS_IN_MOUNT_NS").is_some());
    let disk = small_disk(320);
    let path = disk.path().join("user.sqlite");
    // Something to delete later, to make room again.
    std::fs::write(disk.path().join("photo.jpg"), vec![7u8; 96 * 1024]).unwrap();
    let mut db = UserDb::open(&path).unwrap();
    let text = "Un stand mobile au pied des immeubles, avec deux médiateurs. ".repeat(40);
    let mut saved = Vec::new();
    let mut refused = None;
    for n in 0..10_000 {
        match db.save_worksheet(&sheet(n, &format!("{n} {text}"))) {
            Ok(()) => saved.push(n),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let refused = refused.expect("the disk fills up");
    assert_eq!(refused.code(), "disk_full", "{refused}");
    assert!(saved.len() >= 5, "{} saved before the disk was full", saved.len());
    eprintln!("{} worksheets saved, then: {refused}", saved.len());
    // A note cannot be saved either, and says why.
    let note = db.set_note("bayonne-2024", "escm", &text, at("2024-10-03T12:05:00"));
    if let Err(e) = &note {
        assert_eq!(e.code(), "disk_full", "{e}");
    }
    drop(db);

    // Starting again on the full disk: the file is sound, not set aside; everything saved is there.
    let (mut db, aside) = UserDb::open_or_set_aside(&path).unwrap();
    assert!(aside.is_none());
    assert!(db.quick_check().is_ok());
    let ids: Vec<String> = db.worksheets("bayonne-2024").unwrap().into_iter().map(|w| w.id).collect();
    for n in &saved {
        assert!(ids.contains(&format!("full-{n}")), "worksheet {n} was acknowledged and is missing");
    }
    // Room made: writing works again.
    std::fs::remove_file(disk.path().join("photo.jpg")).unwrap();
    db.save_worksheet(&sheet(99_999, "après")).unwrap();
    assert!(db.worksheet("full-99999").unwrap().is_some());
    assert!(db.quick_check().is_ok());
}

#[test]
fn a_read_only_medium_shows_what_was_saved_and_refuses_writes() {
    in_mount_namespace("limits::read_only_child");
}

#[test]
#[ignore = "runs inside the mount namespace its parent test makes"]
fn read_only_child() {
    assert!(std::env::var_os("PARCOURS_IN_MOUNT_NS").is_some());
    let disk = small_disk(4096);
    let path = disk.path().join("user.sqlite");
    {
        let mut db = UserDb::open(&path).unwrap();
        db.save_worksheet(&sheet(1, "Aller vers les habitants")).unwrap();
        db.set_note("bayonne-2024", "escm", "Demander les horaires", at("2024-10-03T12:05:00")).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let status = Command::new("mount").args(["-o", "remount,ro"]).arg(disk.path()).status().unwrap();
    assert!(status.success(), "remount read-only");

    let (mut db, aside) = UserDb::open_or_set_aside(&path).unwrap();
    assert!(aside.is_none(), "a sound file on a read-only medium is not set aside");
    assert!(db.is_read_only());
    assert_eq!(db.worksheet("full-1").unwrap().unwrap().fields["enjeu"], "Aller vers les habitants");
    assert_eq!(db.notes("bayonne-2024").unwrap()[0].text, "Demander les horaires");
    let e = db.save_worksheet(&sheet(2, "x")).unwrap_err();
    assert_eq!(e.code(), "read_only", "{e}");
    let e = db.set_note("bayonne-2024", "", "x", at("2024-10-03T12:06:00")).unwrap_err();
    assert_eq!(e.code(), "read_only", "{e}");
    drop(db);
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is untouched");
    let names: Vec<String> = std::fs::read_dir(disk.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["user.sqlite"], "nothing created, nothing moved");

    // The same after a crash: the last writes still in the -wal file (with its -shm) are read too.
    let status = Command::new("mount").args(["-o", "remount,rw"]).arg(disk.path()).status().unwrap();
    assert!(status.success());
    let wal_path = disk.path().join("wal.sqlite");
    let mut writer = UserDb::open(&wal_path).unwrap();
    writer.save_worksheet(&sheet(3, "dans le journal")).unwrap();
    let copy = disk.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let from = disk.path().join(format!("wal.sqlite{suffix}"));
        assert!(from.exists() || suffix.is_empty(), "{} exists while the writer is open", from.display());
        std::fs::copy(&from, copy.join(format!("user.sqlite{suffix}"))).unwrap();
    }
    drop(writer);
    let status = Command::new("mount").args(["-o", "remount,ro"]).arg(disk.path()).status().unwrap();
    assert!(status.success());
    let (db, _) = UserDb::open_or_set_aside(&copy.join("user.sqlite")).unwrap();
    assert!(db.is_read_only());
    assert!(db.worksheet("full-3").unwrap().is_some(), "the write in the -wal file is read");
}

#[test]
fn the_read_only_fallback_never_hides_damage() {
    // Not a mount: a damaged file in a writable folder is still set aside, not opened read-only.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user.sqlite");
    std::fs::write(&path, b"garbage, not SQLite".repeat(100)).unwrap();
    let (db, aside) = UserDb::open_or_set_aside(&path).unwrap();
    assert!(!db.is_read_only());
    assert!(aside.is_some());
    assert!(Path::new(&aside.unwrap().moved_to).exists());
}
