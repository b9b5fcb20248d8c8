// Parcours' service worker: the whole app in one cache, so that it opens and works with no network.
// `cargo xtask web` writes BUILD (a hash of every file) and FILES (each file with its own content hash)
// below. A new version is fetched in the background into its own cache and waits; the page offers
// "Nouvelle version — mettre à jour", and only then does this worker take over (never mid-walk).
// Nothing is ever fetched from another origin.
const BUILD = "@BUILD@";
const FILES = @FILES@;
const CACHE = `parcours-${BUILD}`;

// The first 8 bytes of a file's SHA-256, in hex, as FILES lists them.
async function hashOf(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

// This version's bytes of a file. First as the browser has them, checked with the host ("no-cache": a
// file the page has just downloaded comes back "not modified", not a second time, which matters on a
// first visit with prepaid data); if those are not the bytes listed, past every cache (the `?v=` query).
async function thisVersion(path, hash) {
  for (const [address, cache] of [[path, "no-cache"], [`${path}?v=${hash}`, "no-store"]]) {
    const response = await fetch(address, { cache });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    const bytes = await response.arrayBuffer();
    if ((await hashOf(bytes)) === hash) return [response, bytes];
  }
  throw new Error(`${path}: not the bytes of this version`);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        FILES.map(async ([path, hash]) => {
          const [{ status, statusText, headers }, bytes] = await thisVersion(path, hash);
          // Kept without the `?v=` address: a worker's own address (and its `?now=`) is the request's.
          await cache.put(path, new Response(bytes, { status, statusText, headers }));
        }),
      ),
    ),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("parcours-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "build") (event.ports[0] ?? event.source)?.postMessage({ build: BUILD });
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      // `?now=` (a fixed clock) and `?v=` do not change the file.
      const hit = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
      if (hit) return hit;
      if (request.mode === "navigate") {
        const shell = await cache.match("./", { ignoreSearch: true, ignoreVary: true });
        if (shell) return shell;
      }
      return fetch(request);
    }),
  );
});
