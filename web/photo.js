// The picture reader (the parcours-photo crate, wasm) in a worker of its own: `worker.js` starts it for
// one photo, posts the photo's pixels as the page's browser decoded them (`{width, height, pixels}`,
// RGBA), gets `{ok: [codes]}` or `{err: {code, message}}` back, and ends it. A message that comes while
// the wasm loads waits for it.
import init, { codes } from "./parcours_photo.js";

const early = [];
self.onmessage = (event) => early.push(event.data);
await init({ module_or_path: "./parcours_photo_bg.wasm" });
const read = ({ width, height, pixels }) =>
  self.postMessage(JSON.parse(codes(width, height, new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength))));
self.onmessage = (event) => read(event.data);
for (const picture of early) read(picture);
