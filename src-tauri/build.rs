//! Builds the Bayonne pack from `assets/` (the same builder as `parcours pack build`) so the app ships it
//! as a resource, then runs Tauri's build step with the app's own commands (the wire contract's list) declared as
//! permissions.

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
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(parcours_core::wire::COMMANDS)),
    )
    .expect("tauri build step");
}
