// The web app's command layer (the parcours-web crate, wasm) in a dedicated module Worker. Calls that
// arrive while it starts are kept and answered once it is ready, in order.
import init, { start } from "./parcours_web.js";

const early = [];
self.onmessage = (event) => early.push(event.data);
await init({ module_or_path: "./parcours_web_bg.wasm" });
const answer = await start();
self.onmessage = (event) => answer(event.data);
for (const data of early) answer(data);
