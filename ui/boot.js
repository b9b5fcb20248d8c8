// Loads the interface (wasm, built by `cargo xtask`); the Rust side mounts itself on start. On a first
// visit (see early.js) once the page's first screen is painted: a frame, then a task (or a moment, in a
// page not shown, which paints no frame), as `afterPaint` in ui/src/platform/browser.rs.
import init from "./parcours_ui.js";
performance.mark("parcours-boot");
const painted = window.parcoursAtHand
  ? Promise.resolve()
  : new Promise((resolve) => {
      requestAnimationFrame(() => setTimeout(resolve, 0));
      setTimeout(resolve, 250);
    });
painted.then(() => init({ module_or_path: "./parcours_ui_bg.wasm" }));
