// The officer and principal app's entry point: wires the triggers and opens the session the
// phone remembers. Who is signed in: session.js; which screen: router.js; the sync bar,
// banners and toast: chrome.js; the service worker and updates: worker.js.

import { renderSyncBar } from "./chrome.js";
import { ctx, unsynced } from "./context.js";
import { onUserDbClosed } from "./idb.js";
import { render } from "./router.js";
import { checkStorage, enter, leaveForSomeoneElse, onOtherTabSession, signOut } from "./session.js";
import { metaGet } from "./stores.js";
import { registerServiceWorker } from "./worker.js";

const SYNC_EVERY_MS = 60_000;

function wireTriggers() {
  onOtherTabSession(leaveForSomeoneElse);
  onUserDbClosed((userId) => {
    if (userId === ctx.user?.id) leaveForSomeoneElse(null);
  });
  window.addEventListener("hashchange", () => render({ navigated: true }));
  window.addEventListener("online", () => ctx.sync?.now());
  window.addEventListener("offline", renderSyncBar);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") ctx.sync?.request();
  });
  setInterval(() => {
    if (document.visibilityState === "visible") ctx.sync?.request();
  }, SYNC_EVERY_MS);
  document.getElementById("signout").addEventListener("click", () => {
    if (unsynced() > 0) location.hash = "#/signout";
    else signOut();
  });
}

async function boot() {
  wireTriggers();
  registerServiceWorker().catch(() => {});
  await checkStorage();
  const session = await metaGet("session");
  if (session) await enter(session.userId);
  await render({ navigated: true });
  document.body.dataset.ready = "true";
  performance.mark("app-ready");
}

boot();
