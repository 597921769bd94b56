// The page's side of the service worker (sw.js): registering it, offering a new version of
// the app (never swapped in without the officer's "Update"), its version, Background Sync.

import { offerUpdate } from "./chrome.js";
import { ctx } from "./context.js";
import { SYNC_TAG } from "./sync.js";

let waitingWorker = null;
let updateRequested = false;

export async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" });
  const offer = () => {
    if (registration.waiting && navigator.serviceWorker.controller) {
      waitingWorker = registration.waiting;
      offerUpdate(applyUpdate);
    }
  };
  offer();
  registration.addEventListener("updatefound", () => {
    registration.installing?.addEventListener("statechange", offer);
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only the officer's "Update" reloads; the first install taking control must not.
    if (!updateRequested) return;
    updateRequested = false;
    location.reload();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
  askShellVersion();
}

async function askShellVersion() {
  const ready = await navigator.serviceWorker.ready;
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    ctx.shellVersion = event.data;
    document.querySelector(".version")?.replaceChildren(`App version ${event.data}`);
  };
  ready.active?.postMessage({ type: "VERSION" }, [channel.port2]);
}

async function applyUpdate(event) {
  event.currentTarget.disabled = true;
  event.currentTarget.textContent = "Updating…";
  // Never swap the app out from under a push in flight.
  await ctx.sync?.whenIdle();
  updateRequested = true;
  waitingWorker.postMessage({ type: "SKIP_WAITING" });
}

export async function registerBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register(SYNC_TAG);
  } catch {
    // Not offered by this browser: the page's own triggers are the mechanism.
  }
}
