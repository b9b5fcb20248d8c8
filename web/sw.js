// Parcours' service worker: the whole app in one cache, so that it opens and works with no network.
// `cargo xtask web` writes BUILD (a hash of every file) and FILES (each file with its own content hash)
// below. A new version is fetched in the background into its own cache and waits; the page offers
// "Nouvelle version — mettre à jour", and only then does this worker take over (never mid-walk).
// Nothing is ever fetched from another origin.
const BUILD = "@BUILD@";
const FILES = @FILES@;
const CACHE = `parcours-${BUILD}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        FILES.map(async ([path, hash]) => {
          // The hash in the query string passes any HTTP cache: the bytes are this version's.
          const response = await fetch(`${path}?v=${hash}`, { cache: "no-store" });
          if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
          // Kept without the `?v=` address: a worker's own address (and its `?now=`) is the request's.
          const { status, statusText, headers } = response;
          await cache.put(path, new Response(await response.blob(), { status, statusText, headers }));
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
