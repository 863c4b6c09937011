/*
 * Qianzhi's service worker: the application shell for a phone that loses signal in a trench. Pages are
 * fetched from the network first and the last good one is kept as the shell (every route serves the same
 * index.html); the hashed build files under /assets/ never change, so they are served from the cache (all
 * of them are fetched when the worker installs). The API is never touched: reports wait in the page's own
 * outbox (IndexedDB), and no answer of the server — tokens, locations, documents — is stored here.
 */
const SHELL_CACHE = 'qianzhi-shell-v1';
const SHELL_KEY = '/';

// On install, keep the shell and every build file it names, so that the first visit with signal is enough.
self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      const response = await fetch(SHELL_KEY, { cache: 'no-cache' });
      if (!response.ok) return;
      const html = await response.clone().text();
      await cache.put(SHELL_KEY, response);
      await cache.addAll([...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]))]);
    })()
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('qianzhi-shell-') && n !== SHELL_CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;

  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL_KEY));
    return;
  }

  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.open(SHELL_CACHE).then((cache) =>
        cache.match(request).then(
          (hit) =>
            hit ??
            fetch(request).then((response) => {
              if (response.ok) void cache.put(request, response.clone());
              return response;
            }),
        ),
      ),
    );
    return;
  }

  // other static files (the icon): the network, or the copy kept from the last time
  event.respondWith(networkFirst(request, request));
});

/** The network's answer, kept under `key` when it is good; without network, the copy kept the last time. */
function networkFirst(request, key) {
  return fetch(request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        void caches.open(SHELL_CACHE).then((cache) => cache.put(key, copy));
      }
      return response;
    })
    .catch(() => caches.open(SHELL_CACHE).then((cache) => cache.match(key)).then((hit) => hit ?? Response.error()));
}
