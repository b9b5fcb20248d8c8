//! The core and the command layer know no shell: no Tauri, no Leptos, no web-sys, on the desktop's
//! target and on the browser's (where only SQLite's own wasm glue may bring wasm-bindgen).

use std::process::Command;

/// Every package `krate` depends on (normal dependencies, any depth) when built for `target`.
fn dependencies(krate: &str, target: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["tree", "-p", krate, "--target", target, "-e", "normal", "--prefix", "none", "--format", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree -p {krate}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn neither_the_core_nor_the_command_layer_depends_on_a_shell() {
    for krate in ["parcours-core", "parcours-commands"] {
        for target in ["x86_64-unknown-linux-gnu", "wasm32-unknown-unknown"] {
            let deps = dependencies(krate, target);
            assert!(deps.iter().any(|d| d == "serde"), "{krate} on {target}: the list is read ({deps:?})");
            let shell: Vec<&String> = deps
                .iter()
                .filter(|d| {
                    d.starts_with("tauri") || d.starts_with("leptos") || *d == "web-sys" || d.starts_with("wry")
                })
                .collect();
            assert!(shell.is_empty(), "{krate} on {target} depends on {shell:?}");
        }
    }
}
