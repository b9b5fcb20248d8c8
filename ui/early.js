// The page's first script. Where the files are at hand (the desktop app, or a site the service worker
// keeps for offline use), the interface's wasm is fetched now, beside the page; on a first visit over
// the network it waits for the page's first paint (boot.js): the first screen, written in the page,
// shows before the 400 KB the network carries.
window.parcoursAtHand = !!(window.__TAURI_INTERNALS__ || navigator.serviceWorker?.controller);
if (window.parcoursAtHand) {
  const wasm = Object.assign(document.createElement("link"), { rel: "preload", href: "parcours_ui_bg.wasm", as: "fetch", type: "application/wasm", crossOrigin: "anonymous" });
  document.head.append(wasm);
}
// In a browser (no Tauri) with the app already kept for offline use, the command layer's worker starts
// now too: its wasm, the visit and the user data load from the service worker's cache while the page,
// Leaflet and the interface's wasm do. On a first visit it waits: the first screen is painted from the
// visit's summary, and the network carries what it needs first (the interface starts the worker with
// its first call; ui/src/transport/worker.rs takes it from here).
if (!window.__TAURI_INTERNALS__ && window.Worker && navigator.serviceWorker?.controller) {
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
