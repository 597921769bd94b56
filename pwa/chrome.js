// The officer app's chrome around the screens: the sync bar, the banners and the toast.

import { ctx, isPrincipal } from "./context.js";
import { formatLastSync } from "./shared/dates.js";
import { h, replace } from "./shared/dom.js";
import { counts, getMeta } from "./stores.js";

const banners = document.getElementById("banners");
const syncBar = document.getElementById("syncbar");
const toast = document.getElementById("toast");
// The new service worker waiting to take over, and what the "Update" button does (worker.js).
const update = { offered: false, apply: null };

// --- sync bar ---

export async function refreshCounts() {
  if (!ctx.db) return;
  ctx.counts = await counts(ctx.db);
  ctx.lastSync = await getMeta(ctx.db, "last_sync");
  ctx.disputeNotice = isPrincipal() ? null : await getMeta(ctx.db, "dispute_notice");
  renderSyncBar();
}

function syncMessage() {
  const { running, paused, error } = ctx.syncStatus;
  if (paused === "upgrade") return "Update the app to sync.";
  if (running) return "Syncing…";
  if (!navigator.onLine) return `Offline: ${isPrincipal() ? "decisions" : "records"} are saved on this phone.`;
  return error || `Last synced ${formatLastSync(ctx.lastSync)}`;
}

function pendingText(pending, problems) {
  if (isPrincipal()) {
    if (pending) return `${pending} ${pending === 1 ? "decision" : "decisions"} waiting to send`;
    return problems ? "Nothing to send" : "All decisions sent";
  }
  if (pending) return `${pending} waiting to sync`;
  return problems ? "Nothing to send" : "All records synced";
}

export function renderSyncBar() {
  if (!ctx.user || ctx.locked) return replace(syncBar);
  const { pending, attention, conflicts } = ctx.counts;
  const problems = attention + conflicts;
  replace(syncBar,
    h("div", { class: "sync-text" },
      h("p", { class: "sync-count", id: "pending-count" }, pendingText(pending, problems)),
      h("p", { class: "sync-status", id: "sync-status" }, syncMessage()),
      problems ? h("a", { href: "#/attention", class: "sync-attention", id: "attention-count" }, `${problems} need${problems === 1 ? "s" : ""} attention`) : null,
      disputeNotice()),
    h("button", {
      type: "button", id: "sync-now", class: "secondary", "aria-busy": ctx.syncStatus.running ? "true" : "false",
      onclick: syncNow,
    }, "Sync now"));
  syncBar.dataset.pending = String(pending);
}

// One line after the sync that brought a principal's dispute, until the officer looks.
function disputeNotice() {
  const count = ctx.disputeNotice?.ids?.length;
  if (!count) return null;
  return h("a", { href: "#/attention", class: "sync-notice", id: "dispute-notice" },
    count === 1 ? "A principal disputed a meeting: see why" : `Principals disputed ${count} meetings: see why`);
}

function syncNow() {
  if (!navigator.onLine) {
    toastNow("Offline: your records are safe on this phone and sync by themselves when you are back online.");
    return;
  }
  ctx.sync.now();
}

// --- banners ---

// A new version of the app is ready: the banner stays until the officer presses "Update".
export function offerUpdate(apply) {
  update.offered = true;
  update.apply = apply;
  renderBanners();
}

export function renderBanners() {
  const items = [];
  if (update.offered) {
    items.push(h("div", { class: "banner info", role: "alert", id: "update-banner" },
      h("p", {}, "A new version of the app is ready."),
      h("button", { type: "button", class: "primary", id: "update-now", onclick: update.apply }, "Update")));
  }
  replace(banners, items);
}

// --- toast ---

let toastTimer;
let toastOnNextRender = null;
const TOAST_MS = 4000;
// A toast with an Undo stays longer: time to read it and reach the button.
export const UNDO_MS = 8000;

// Shown by the next screen drawn after a navigation (see showToast). `action`: {label, run},
// a button in the toast (Undo) that runs once and closes it.
export function toastOnNextScreen(message, action = null) {
  toastOnNextRender = message ? { message, action } : null;
}

function drawToast(next) {
  clearTimeout(toastTimer);
  toast.hidden = !next;
  if (!next) return replace(toast);
  const button = next.action && h("button", {
    type: "button", class: "toast-action", onclick: () => {
      toast.hidden = true;
      next.action.run();
    },
  }, next.action.label);
  replace(toast, h("span", {}, next.message), button);
  toastTimer = setTimeout(() => { toast.hidden = true; }, next.action ? UNDO_MS : TOAST_MS);
}

// A message belongs to the screen it was shown on; moving on clears it.
export function showToast() {
  const next = toastOnNextRender;
  toastOnNextRender = null;
  drawToast(next);
}

// A toast on the screen already shown (no navigation).
export function toastNow(message, action = null) {
  drawToast({ message, action });
}
