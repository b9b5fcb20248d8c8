//! `parcours publish`: a folder ready for an https host, with this visit, its poster and its booklet.
//! (The real web app from it, served and then stopped, in Chromium: the web end-to-end run.)

use std::path::Path;

use super::{build, parcours, text};

/// A web app's folder as `cargo xtask web` makes it, small: the files `publish` looks for.
fn site(dir: &Path) {
    std::fs::create_dir_all(dir.join("icons")).unwrap();
    let index = "<!doctype html>\n<html lang=\"fr\">\n<head>\n<title>Parcours — Inclusion numérique · Bayonne</title>\n</head>\n<body>\n<main id=\"boot\" class=\"page\">\n<h1>Parcours</h1>\n<p>Inclusion numérique dans les quartiers prioritaires · Bayonne</p>\n<p role=\"status\">Chargement…</p>\n</main>\n</body>\n</html>\n";
    std::fs::write(dir.join("index.html"), index).unwrap();
    for name in [
        "worker.js",
        "parcours_ui_bg.wasm",
        "parcours_web_bg.wasm",
        "photo.js",
        "parcours_photo_bg.wasm",
        "icons/icon-256.png",
        "sw.js",
    ] {
        std::fs::write(dir.join(name), format!("the bytes of {name}")).unwrap();
    }
    std::fs::write(
        dir.join("manifest.webmanifest"),
        r#"{"name": "Parcours — Bayonne", "lang": "fr", "start_url": "./"}"#,
    )
    .unwrap();
    std::fs::write(dir.join("visite.parcours"), "the app's own visit").unwrap();
}

/// The service worker's list: (file, hash) pairs.
fn cached(dir: &Path) -> Vec<String> {
    let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap();
    let list = sw.split("const FILES = ").nth(1).unwrap().split(";\n").next().unwrap();
    let files: Vec<(String, String)> = serde_json::from_str(list).unwrap();
    files.into_iter().map(|(name, _)| name).collect()
}

#[test]
fn publish_writes_the_site_of_this_visit_with_its_poster_and_booklet_and_replaces_only_a_publication() {
    let tmp = tempfile::tempdir().unwrap();
    let web = tmp.path().join("web");
    site(&web);
    let pack = build(tmp.path());
    let out = tmp.path().join("en-ligne");
    let url = "https://parcours.example.org/bayonne/";
    let publish = |what: &Path, out: &Path, url: &str| {
        parcours(&[
            "publish",
            what.to_str().unwrap(),
            "--url",
            url,
            "-o",
            out.to_str().unwrap(),
            "--site",
            web.to_str().unwrap(),
        ])
    };
    let done = publish(&pack, &out, url);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(text(&done.stdout).contains("published bayonne-2024"), "{}", text(&done.stdout));
    // The visit is the file given, byte for byte (its recordings too); the app's own is not there.
    assert_eq!(std::fs::read(out.join("visite.parcours")).unwrap(), std::fs::read(&pack).unwrap());
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("<title>Parcours — Inclusion numérique dans les quartiers prioritaires · Bayonne</title>"),
        "{index}"
    );
    // The first screen, before any script: the visit's name, day, place and routes, then the loading line.
    let boot = &index[index.find("<main id=\"boot\"").unwrap()..];
    for wanted in [
        "<h1>Inclusion numérique dans les quartiers prioritaires</h1>",
        "<p class=\"when\">jeudi 3 octobre 2024",
        "Espace socio-culturel",
        "<p class=\"route-preview route-green\">",
        "<p class=\"route-preview route-pink\">",
        "<span class=\"route-order\">Cyberbase de l",
        "<p role=\"status\">Chargement…</p>",
    ] {
        assert!(boot.contains(wanted), "the first screen lacks {wanted}: {boot}");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.webmanifest")).unwrap()).unwrap();
    assert_eq!(manifest["name"], "Parcours — Inclusion numérique dans les quartiers prioritaires · Bayonne");
    // The poster: the title, the date, the address, its QR code; the booklet with the same code.
    let poster = std::fs::read_to_string(out.join("affiche.html")).unwrap();
    for wanted in
        ["Inclusion numérique", "jeudi 3 octobre 2024", url, "<svg", "size: A4", "Ajouter à l'écran d'accueil"]
    {
        assert!(poster.contains(wanted), "the poster lacks {wanted}");
    }
    // Printed, the poster is one page, with the address in letters under its code.
    let pdf = tmp.path().join("affiche.pdf");
    super::booklet::print_to_pdf(&out.join("affiche.html"), &pdf, &tmp.path().join("profile"));
    let pages = super::booklet::pages(&pdf);
    assert_eq!(pages.len(), 1, "{pages:?}");
    assert!(pages[0].contains(url) && pages[0].contains("La visite sur votre téléphone"), "{}", pages[0]);
    let livret = std::fs::read_to_string(out.join("livret.html")).unwrap();
    assert!(livret.contains(url) && livret.contains("Collectif Social Web"));
    // The service worker keeps every file of the app (the page as ./), not the poster nor the booklet.
    let files = cached(&out);
    for wanted in [
        "./",
        "worker.js",
        "parcours_ui_bg.wasm",
        "parcours_web_bg.wasm",
        "parcours_photo_bg.wasm",
        "visite.parcours",
        "icons/icon-256.png",
    ] {
        assert!(files.iter().any(|f| f == wanted), "{wanted} is not kept offline: {files:?}");
    }
    assert!(!files.iter().any(|f| f == "affiche.html" || f == "livret.html" || f == "sw.js"), "{files:?}");
    // The visit's summary, kept too: the visit as the worker gives it (the pack file's model, as the
    // `pack` reply's JSON text: the interface reads both with the same reader).
    assert!(files.iter().any(|f| f == "visite.json"), "{files:?}");
    let opened = parcours_core::store::PackFile::open(&out.join("visite.parcours")).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("visite.json")).unwrap(),
        serde_json::to_string(opened.pack()).unwrap()
    );

    // Published again from the source folder, another address: replaced whole. The same visit builds
    // the same bytes, so the phones have nothing new to fetch; another visit is a new version.
    let before = std::fs::read_to_string(out.join("sw.js")).unwrap();
    let again = publish(&super::source_dir(), &out, "https://autre.example.org/");
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(std::fs::read_to_string(out.join("affiche.html")).unwrap().contains("https://autre.example.org/"));
    assert_eq!(std::fs::read_to_string(out.join("sw.js")).unwrap(), before);
    let other = tmp.path().join("pau");
    let new =
        parcours(&["pack", "new", other.to_str().unwrap(), "--title", "Pau", "--date", "2025-05-15", "--city", "Pau"]);
    assert!(new.status.success(), "{}", text(&new.stderr));
    let third = publish(&other, &out, url);
    assert!(third.status.success(), "{}", text(&third.stderr));
    assert_ne!(std::fs::read_to_string(out.join("sw.js")).unwrap(), before);
    assert!(std::fs::read_to_string(out.join("index.html")).unwrap().contains("<h1>Pau</h1>"));
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("visite.json")).unwrap()).unwrap();
    assert_eq!(summary["event"]["city"], "Pau");
    assert!(out.join(".parcours-publication").is_file());

    // Something added beside the site (a host's CNAME), or a file of it changed by hand: the folder is no
    // longer only what publish wrote, and is left as it is, the strangers named.
    std::fs::write(out.join("CNAME"), "parcours.example.org").unwrap();
    let added = publish(&pack, &out, url);
    assert_eq!(added.status.code(), Some(1));
    assert!(text(&added.stderr).contains("(CNAME)"), "{}", text(&added.stderr));
    std::fs::remove_file(out.join("CNAME")).unwrap();
    std::fs::write(out.join("livret.html"), "changé à la main").unwrap();
    let changed = publish(&pack, &out, url);
    assert!(text(&changed.stderr).contains("(livret.html)"), "{}", text(&changed.stderr));
    assert_eq!(std::fs::read_to_string(out.join("livret.html")).unwrap(), "changé à la main");

    // Refused, with the reason, and nothing written: a folder in use, the site itself, a bad address,
    // a folder that is not the web app.
    let mine = tmp.path().join("mes-documents");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("lettre.txt"), "à garder").unwrap();
    let refused = [
        (publish(&pack, &mine, url), "not empty"),
        (publish(&pack, &web.join("sub"), url), "inside the web app"),
        (publish(&pack, &tmp.path().join("x"), "parcours.example.org"), "full https address"),
        (publish(&pack, &tmp.path().join("x"), "http://parcours.example.org/"), "full https address"),
        (publish(&pack, Path::new("."), url), "the current folder or one above it"),
        (publish(&pack, Path::new(".."), url), "the current folder or one above it"),
        (
            parcours(&[
                "publish",
                pack.to_str().unwrap(),
                "--url",
                url,
                "-o",
                "y",
                "--site",
                tmp.path().to_str().unwrap(),
            ]),
            "not the Parcours web app",
        ),
    ];
    for (out, reason) in refused {
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains(reason), "{reason}: {}", text(&out.stderr));
    }
    assert!(text(&publish(&pack, &mine, url).stderr).contains("(lettre.txt)"));
    assert_eq!(std::fs::read_to_string(mine.join("lettre.txt")).unwrap(), "à garder");
    // A web app folder holding a link (to anything on the organiser's computer) is not published.
    let linked = tmp.path().join("web-lie");
    site(&linked);
    std::os::unix::fs::symlink("/etc/hostname", linked.join("extra.js")).unwrap();
    let refused = parcours(&[
        "publish",
        pack.to_str().unwrap(),
        "--url",
        url,
        "-o",
        tmp.path().join("z").to_str().unwrap(),
        "--site",
        linked.to_str().unwrap(),
    ]);
    assert!(text(&refused.stderr).contains("extra.js: a link"), "{}", text(&refused.stderr));
    assert!(!tmp.path().join("z").exists());
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);
    assert!(!web.join("sub").exists() && !tmp.path().join("x").exists());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("publishing"))
        .collect();
    assert!(leftovers.is_empty());
}
