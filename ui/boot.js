// Loads the interface (wasm, built by `cargo xtask`); the Rust side mounts itself on start.
import init from "./parcours_ui.js";
performance.mark("parcours-boot");
init({ module_or_path: "./parcours_ui_bg.wasm" });
