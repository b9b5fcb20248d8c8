//! `cargo xtask tidy`: the house rules a program can check, run by `cargo xtask test`.
//!
//! - No Rust file grows past [`CEILING`] lines, but the ones in [`EXCEPTIONS`], each with its own ceiling
//!   and the reason; a file that shrinks below the ceiling, or is gone, must be struck from them.
//! - No doc comment sits on nothing: a `///` block followed by a blank line, or by the end of the file,
//!   documents no item (it was left behind when its item moved).
//! - Every message of the message files (`i18n/locales/fr/*.ftl`) is read somewhere in the code: a
//!   sentence nobody shows is a sentence a translator translates for nothing.

use std::path::{Path, PathBuf};

use crate::Result;

/// Lines a Rust file may hold.
const CEILING: usize = 700;

/// Files allowed more, for now: (path, their ceiling, why).
const EXCEPTIONS: &[(&str, usize, &str)] = &[
    ("tests/src/main.rs", 1230, "the desktop app's end-to-end run, its steps in the order a person meets them"),
    ("tests/src/web.rs", 1380, "the web app's end-to-end run in three engines, its steps in order"),
];

/// The folders whose Rust files are read (the generated and fetched ones are not).
const ROOTS: &[&str] =
    &["core", "commands", "cli", "ui", "web", "photo", "src-tauri", "tests", "xtask", "i18n", "fuzz"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !matches!(name.to_str(), Some("target" | "node_modules" | "dist" | "gen" | "corpus" | "artifacts")) {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every problem found, one line each (`file:line: what`).
pub fn problems() -> Vec<String> {
    let mut files = Vec::new();
    for root in ROOTS {
        rust_files(Path::new(root), &mut files);
    }
    files.sort();
    let mut found = Vec::new();
    let mut code = String::new();
    for file in &files {
        let name = file.to_string_lossy().replace('\\', "/");
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let lines: Vec<&str> = text.lines().collect();
        let (ceiling, exception) =
            EXCEPTIONS.iter().find(|(path, _, _)| *path == name).map_or((CEILING, false), |(_, most, _)| (*most, true));
        if lines.len() > ceiling {
            found.push(format!("{name}: {} lines, more than {ceiling}: split it by concept", lines.len()));
        } else if exception && lines.len() <= CEILING {
            found.push(format!("{name}: {} lines now: strike it from the exceptions (tidy.rs)", lines.len()));
        }
        found.extend(dangling_docs(&name, &lines));
        if !name.starts_with("i18n/") {
            code.push_str(&text);
        }
    }
    for (path, _, _) in EXCEPTIONS {
        if !files.iter().any(|f| f.to_string_lossy().replace('\\', "/") == *path) {
            found.push(format!("{path}: no such file: strike it from the exceptions (tidy.rs)"));
        }
    }
    found.extend(unused_messages(&code));
    found
}

/// `///` blocks followed by a blank line or the end of the file.
fn dangling_docs(name: &str, lines: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !line.trim_start().starts_with("///") {
            continue;
        }
        match lines.get(i + 1) {
            Some(next) if next.trim().is_empty() => {
                found.push(format!("{name}:{}: a doc comment on nothing (a blank line follows it)", i + 1))
            }
            None => found.push(format!("{name}:{}: a doc comment on nothing (the file ends)", i + 1)),
            _ => {}
        }
    }
    found
}

/// Messages of the reference language no code reads (`words.id()` or `words.id(…)`); the errors'
/// sentences are read by their code (`error-…`, checked by the interface's own test).
fn unused_messages(code: &str) -> Vec<String> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir("i18n/locales/fr") {
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "ftl")));
    }
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for (i, line) in text.lines().enumerate() {
            let Some((id, _)) = line.split_once(" = ") else { continue };
            if id.starts_with('#') || id.starts_with('-') || id.starts_with("error-") || id.contains(' ') {
                continue;
            }
            let method = format!(".{}(", id.replace('-', "_"));
            if !code.contains(&method) {
                found.push(format!("{}:{}: the message `{id}` is not read anywhere", file.display(), i + 1));
            }
        }
    }
    found
}

/// `cargo xtask tidy`: every problem, then a failure if there is one.
pub fn check() -> Result {
    let found = problems();
    for p in &found {
        eprintln!("tidy: {p}");
    }
    if found.is_empty() { Ok(()) } else { Err(format!("tidy: {} problem(s)", found.len())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_doc_comment_on_nothing_is_found() {
        let lines = ["/// Kept.", "fn kept() {}", "", "/// Left behind.", "", "fn other() {}", "/// Last."];
        let found = dangling_docs("x.rs", &lines);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("x.rs:4:") && found[1].starts_with("x.rs:7:"), "{found:?}");
    }

    #[test]
    fn the_workspace_is_tidy() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::env::set_current_dir(root).unwrap();
        let found = problems();
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}
