// The web app's command layer (the parcours-web crate, wasm) in a dedicated module Worker. Calls that
// arrive while it starts are kept and answered once it is ready, in order.
import init, { start } from "./parcours_web.js";

const early = [];
self.onmessage = (event) => early.push(event.data);

// One tab holds the user data (OPFS gives its files to one worker at a time): this worker takes the
// lock and keeps it as long as it lives. A reload's old page may still hold it for a moment: wait up to
// two seconds before saying another tab has it. Without Web Locks, the first to open OPFS wins.
// The wasm loads meanwhile.
const loading = init({ module_or_path: "./parcours_web_bg.wasm" });
const held = await new Promise((resolve) => {
  if (!self.navigator.locks) return resolve(true);
  self.navigator.locks
    .request("parcours-user-data", { signal: AbortSignal.timeout(2000) }, () => {
      resolve(true);
      return new Promise(() => {});
    })
    .catch(() => resolve(false));
});

await loading;
const answer = await start(held);
self.onmessage = (event) => answer(event.data);
for (const data of early) answer(data);
