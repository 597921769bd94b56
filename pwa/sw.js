// The officer app's service worker. The server rewrites the three constants below
// as it serves this file (server/api/pwa.py): the version is a hash of the shell
// files, so any change to the shell installs a new worker with a new cache; each
// file's content hash is also its ETag.
import { SYNC_TAG, syncSignedInUser } from "./sync.js";

const SHELL_VERSION = "dev";
const SHELL_FILES = [];
const SHELL_HASHES = {};

const CACHE_PREFIX = "sro-shell-";
const SHELL_CACHE = CACHE_PREFIX + SHELL_VERSION;
const EXPECTED_CACHES = new Set([SHELL_CACHE]);
const SHELL_PATHS = new Set(SHELL_FILES);

function etagHash(response) {
  return (response.headers.get("ETag") || "").replace(/^W\//, "").replaceAll('"', "");
}

// The page has just downloaded most of the shell: take a file from the HTTP cache when the copy
// there is this version's (its ETag is the content hash the server wrote above), and from the
// network only when it is missing or older. So the first visit downloads the shell once.
async function shellResponse(url) {
  const cached = await fetch(new Request(url, { cache: "force-cache" }));
  if (cached.ok && SHELL_HASHES[url] && etagHash(cached) === SHELL_HASHES[url]) return cached;
  const fresh = await fetch(new Request(url, { cache: "reload" }));
  if (!fresh.ok) throw new Error(`${url}: ${fresh.status}`);
  return fresh;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    try {
      const responses = await Promise.all(SHELL_FILES.map(shellResponse));
      await Promise.all(responses.map((response, index) => cache.put(SHELL_FILES[index], response)));
    } catch (error) {
      await caches.delete(SHELL_CACHE);  // all or nothing, as cache.addAll was
      throw error;
    }
  })());
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
