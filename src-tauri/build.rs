//! Builds the Bayonne pack from `assets/` (the same builder as `parcours pack build`) so the app ships it
//! as a resource, writes the main window's capability from the wire contract's list of commands, then
//! runs Tauri's build step with those commands declared as permissions.

use std::path::Path;

fn main() {
    let source = Path::new("../assets/packs/bayonne-2024");
    println!("cargo:rerun-if-changed={}", source.display());
    let (files, mut problems) = parcours_core::store::read_source(source);
    let pack = parcours_core::pack::load(&files).map_err(|more| problems.extend(more));
    match pack {
        Ok(pack) if problems.is_empty() => {
            std::fs::create_dir_all("gen/packs").expect("create src-tauri/gen/packs");
            parcours_core::store::build_pack_file(&pack, Path::new("gen/packs/bayonne-2024.parcours"))
                .expect("write the compiled pack");
        }
        _ => {
            for problem in &problems {
                println!("cargo:warning={}: {problem}", source.display());
            }
            panic!("the Bayonne pack has problems: run `parcours pack check {}`", source.display());
        }
    }
    write_capability();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(parcours_core::wire::COMMANDS)),
    )
    .expect("tauri build step");
}

/// `capabilities/main.json`: the main window may call the app's own commands (the contract's list),
/// and nothing else. Written from the list, so a new command needs no edit here; rewritten only when
/// it changes (a file in the source tree, kept in git, read by `tauri_build`).
fn write_capability() {
    let permissions: Vec<String> =
        parcours_core::wire::COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    let capability = serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "main",
        "description": "The main window may call the app's own commands, and nothing else.",
        "windows": ["main"],
        "permissions": permissions,
    });
    let text = serde_json::to_string_pretty(&capability).expect("a capability is JSON") + "\n";
    let path = Path::new("capabilities/main.json");
    if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(path, text).expect("write src-tauri/capabilities/main.json");
    }
}
