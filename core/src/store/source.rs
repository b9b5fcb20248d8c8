use std::path::Path;

use crate::pack::{Problem, Source};

/// Files bigger than this are refused rather than read whole (a pack source is a few hundred KB).
pub const MAX_SOURCE_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads every regular file under `dir` (hidden files and folders skipped) into a [`Source`].
///
/// Unreadable files become problems; the folder itself missing is one problem.
pub fn read_source(dir: &Path) -> (Source, Vec<Problem>) {
    let mut source = Source::new();
    let mut problems = Vec::new();
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {
            let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_owned());
            walk(&root, dir, "", &mut source, &mut problems, 0)
        }
        Ok(_) => problems.push(Problem::new(".", 1, "not a folder: give the pack's source folder")),
        Err(error) => problems.push(Problem::new(".", 1, format!("cannot read the pack folder: {error}"))),
    }
    (source, problems)
}

fn walk(root: &Path, dir: &Path, prefix: &str, source: &mut Source, problems: &mut Vec<Problem>, depth: u32) {
    let shown = if prefix.is_empty() { ".".to_owned() } else { prefix.trim_end_matches('/').to_owned() };
    if depth > 8 {
        problems.push(Problem::new(shown, 1, "folders nested too deep"));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(Problem::new(shown, 1, format!("cannot read folder: {error}")));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            problems.push(Problem::new(
                shown.clone(),
                1,
                format!("a file name is not valid UTF-8: {:?}", entry.file_name()),
            ));
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let path = entry.path();
        // A link is followed only where it stays inside the pack folder (a shared text in another of
        // its folders): a pack from someone else must not read the rest of the disk.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(root) => {}
                Ok(_) => {
                    problems.push(Problem::new(rel, 1, "this link leads out of the pack folder: copy the file in"));
                    continue;
                }
                Err(error) => {
                    problems.push(Problem::new(rel, 1, format!("this link leads nowhere: {error}")));
                    continue;
                }
            }
        }
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(root, &path, &format!("{rel}/"), source, problems, depth + 1),
            Ok(meta) if meta.len() > MAX_SOURCE_FILE_BYTES => {
                problems.push(Problem::new(
                    rel,
                    1,
                    format!("file is too big ({} bytes, at most {MAX_SOURCE_FILE_BYTES})", meta.len()),
                ));
            }
            Ok(meta) if meta.is_file() => match std::fs::read(&path) {
                Ok(bytes) => source.insert(rel, bytes),
                Err(error) => problems.push(Problem::new(rel, 1, format!("cannot read file: {error}"))),
            },
            Ok(_) => {}
            Err(error) => problems.push(Problem::new(rel, 1, format!("cannot read file: {error}"))),
        }
    }
}
