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

// A photo of codes (`handover_read` with its pixels, as the page's browser decoded them, and their
// `{width, height}`) is read by `photo.js` (the parcours-photo crate), a worker of its own started for
// that photo and ended after it: its wasm is fetched the first time only (the service worker keeps
// it), the memory the pixels took goes with it, and a picture that breaks the reader breaks nothing
// here. The codes found go to the command layer as `handover_found`.
function readCodes(pixels, { width, height }) {
  return new Promise((resolve, reject) => {
    const reader = new Worker("photo.js", { type: "module" });
    reader.onmessage = (event) => {
      reader.terminate();
      if (event.data.ok) resolve(event.data.ok);
      else reject(event.data.err);
    };
    reader.onerror = (event) => {
      reader.terminate();
      reject({ code: "unreadable", message: `photo.js: ${event.message ?? "stopped"}` });
    };
    reader.postMessage({ width, height, pixels }, [pixels.buffer]);
  });
}

async function take(data) {
  if (data.cmd !== "handover_read" || !data.bytes || !data.args) return answer(data);
  try {
    answer({ id: data.id, cmd: "handover_found", args: { codes: await readCodes(data.bytes, data.args) } });
  } catch (err) {
    self.postMessage({ id: data.id, err });
  }
}

// One call after the other, in the order they came (a photo's codes before the next call).
let queue = Promise.resolve();
const later = (data) => (queue = queue.then(() => take(data)));
self.onmessage = (event) => later(event.data);
for (const data of early) later(data);
