// The page's first script. In a browser (no Tauri), the command layer's worker starts now: its wasm,
// the visit and the user data load while the page, Leaflet and the interface's wasm do
// (ui/src/transport/worker.rs takes the worker from here, or starts one itself if this did not run).
if (!window.__TAURI_INTERNALS__ && window.Worker) {
  try {
    window.parcoursWorker = new Worker("worker.js" + location.search, { type: "module" });
  } catch (e) {
    // The interface starts its own and says what failed.
  }
}
// A page left for another may be kept, frozen, in the back-forward cache (WebKit and Firefox keep it with
// its worker, and so with the user data's lock): the worker ends as the page is left, so that the page
// opened next holds the data, and a page brought back from that cache starts again.
addEventListener("pagehide", () => window.parcoursWorker?.terminate());
addEventListener("pageshow", (event) => {
  if (event.persisted && window.parcoursWorker) location.reload();
});
