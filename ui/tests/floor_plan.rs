//! The interface's floor plan (see `src/lib.rs`): every module sits on a floor, imports only from its
//! own floor or below, and no modules import each other in a circle. Read from the source, on the host.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The floors, from the bottom up, by a module's first name under `crate`.
const FLOORS: &[(&str, u8)] = &[
    ("i18n", 0),
    ("platform", 1),
    ("transport", 2),
    ("words", 3),
    ("widgets", 3),
    ("state", 4),
    ("parts", 5),
    ("screens", 6),
    ("app", 7),
];

/// `src/a/b.rs` → `a::b`; `src/a/mod.rs` → `a`; `src/lib.rs` → `` (the crate root).
fn module_of(relative: &Path) -> String {
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_owned());
    }
    parts.join("::")
}

fn sources(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.insert(module_of(path.strip_prefix(root).unwrap()), text);
        }
    }
}

fn parent(module: &str) -> String {
    module.rsplit_once("::").map_or(String::new(), |(p, _)| p.to_owned())
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() { b.to_owned() } else { format!("{a}::{b}") }
}

/// The modules `module`'s code names: `crate::a::b…`, `super::a…`, `self::a…` and its own children
/// by their bare name, each resolved to the longest path that is a module.
fn imports(module: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    // A `#[cfg(test)] mod tests` at the end is a module of its own (its `super` is this one): not read.
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let children: BTreeSet<&str> = modules
        .iter()
        .filter(|m| parent(m) == module && !m.is_empty() && m.as_str() != module)
        .map(|m| m.rsplit("::").next().unwrap())
        .collect();
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        if !starts_word || !(bytes[i].is_ascii_alphabetic() || bytes[i] == b'_') {
            i += 1;
            continue;
        }
        // A path: words joined by `::`.
        let mut end = i;
        let mut words = Vec::new();
        loop {
            let start = end;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            words.push(&code[start..end]);
            if code[end..].starts_with("::")
                && code[end + 2..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            {
                end += 2;
            } else {
                break;
            }
        }
        i = end.max(i + 1);
        if words.len() < 2 && !(words.len() == 1 && code[end..].starts_with("::")) {
            continue;
        }
        let (mut base, rest): (String, &[&str]) = match words[0] {
            "crate" => (String::new(), &words[1..]),
            "super" => {
                let mut base = parent(module);
                let mut rest = &words[1..];
                while rest.first() == Some(&"super") {
                    base = parent(&base);
                    rest = &rest[1..];
                }
                (base, rest)
            }
            "self" => (module.to_owned(), &words[1..]),
            first if children.contains(first) => (module.to_owned(), &words[..]),
            _ => continue,
        };
        let mut resolved = None;
        for word in rest {
            let next = join(&base, word);
            if modules.contains(&next) {
                resolved = Some(next.clone());
                base = next;
            } else {
                break;
            }
        }
        let target = resolved.unwrap_or(base);
        if target != module {
            found.insert(target);
        }
    }
    found
}

fn floor(module: &str) -> Option<u8> {
    if module.is_empty() {
        return Some(u8::MAX);
    }
    let first = module.split("::").next().unwrap();
    FLOORS.iter().find(|(name, _)| *name == first).map(|(_, f)| *f)
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    sources(&root, &root, &mut files);
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    files.iter().map(|(m, text)| (m.clone(), imports(m, text, &modules))).collect()
}

fn name(module: &str) -> &str {
    if module.is_empty() { "crate" } else { module }
}

#[test]
fn every_module_is_on_a_floor_and_imports_only_from_its_floor_or_below() {
    let graph = graph();
    assert!(graph.len() > 20, "the modules are read: {:?}", graph.keys());
    assert!(graph["screens::map"].contains("transport"), "imports are read: {:?}", graph["screens::map"]);
    let mut wrong = Vec::new();
    for (module, targets) in &graph {
        let Some(own) = floor(module) else {
            wrong.push(format!("{module} is on no floor: add it to FLOORS and to the plan in src/lib.rs"));
            continue;
        };
        for target in targets {
            match floor(target) {
                Some(f) if f <= own => {}
                _ => wrong.push(format!("{} (floor {own}) imports {} from above", name(module), name(target))),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let graph = graph();
    // Depth-first, with the path walked so far: a module met again on its own path closes a circle.
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        circles: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|p| *p == m) {
            let mut circle: Vec<&str> = path[at..].iter().map(|m| name(m)).collect();
            circle.push(name(m));
            circles.push(circle.join(" → "));
            return;
        }
        if !done.insert(m) {
            return;
        }
        path.push(m);
        for next in graph.get(m).into_iter().flatten() {
            visit(next, graph, path, done, circles);
        }
        path.pop();
    }
    let (mut done, mut circles) = (BTreeSet::new(), Vec::new());
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(circles.is_empty(), "{}", circles.join("\n"));
}

#[test]
fn the_reader_finds_a_circle_and_an_import_from_above() {
    let modules: BTreeSet<String> =
        ["", "transport", "transport::worker", "screens", "screens::map"].iter().map(|m| (*m).to_owned()).collect();
    let worker = imports("transport::worker", "use super::IpcError;\nuse crate::screens::map::X;", &modules);
    assert_eq!(worker, BTreeSet::from(["transport".to_owned(), "screens::map".to_owned()]));
    let transport = imports("transport", "mod worker;\npub use worker::call;\n// crate::screens\n", &modules);
    assert_eq!(transport, BTreeSet::from(["transport::worker".to_owned()]));
    assert!(floor("screens::map") > floor("transport::worker"));
}
