// The officer app's service worker. The server rewrites the two constants below
// as it serves this file (server/api/pwa.py): the version is a hash of the shell
// files, so any change to the shell installs a new worker with a new cache.
import { SYNC_TAG, syncSignedInUser } from "./sync.js";

const SHELL_VERSION = "dev";
const SHELL_FILES = [];

const CACHE_PREFIX = "sro-shell-";
const SHELL_CACHE = CACHE_PREFIX + SHELL_VERSION;
const EXPECTED_CACHES = new Set([SHELL_CACHE]);
const SHELL_PATHS = new Set(SHELL_FILES);

self.addEventListener("install", (event) => {
  // cache: "reload" so the new version never picks up an old copy from the HTTP cache.
  const requests = SHELL_FILES.map((url) => new Request(url, { cache: "reload" }));
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(requests)));
  // No skipWaiting here: the page asks the officer first (see worker.js).
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && !EXPECTED_CACHES.has(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data?.type === "VERSION") event.ports[0]?.postMessage(SHELL_VERSION);
});

async function fromShell(request, path) {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match(path)) || fetch(request);
}

// Only the shell's own files come from the cache. Everything else, /api above
// all, is network-only: not handling the event lets the request go straight out,
// and other pages on this site are never replaced by the officer app.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== "GET" || !SHELL_PATHS.has(url.pathname)) return;
  event.respondWith(fromShell(event.request, url.pathname));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil((async () => {
    // An open app syncs by itself; this is for when the officer has closed it.
    const windows = await self.clients.matchAll({ type: "window" });
    if (!windows.length) await syncSignedInUser();
  })());
});
