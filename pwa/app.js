// The officer app: session, routing, the sync bar and the service worker's update prompt.

import * as api from "./api.js";
import * as store from "./db.js";
import { DEFAULT_IDLE_MINUTES, IdleWatch, makeVerifier, matchesVerifier, MAX_UNLOCK_TRIES } from "./lock.js";
import { clearWaiting, purgeOthers, purgeUser, waitingForSignIn } from "./purge.js";
import { DEFAULT_KEEP_DAYS, SyncScheduler } from "./sync.js";
import { conflictView } from "./views/conflict.js";
import { h, replace } from "./views/dom.js";
import { formView } from "./views/form.js";
import { formatLastSync } from "./views/format.js";
import { allView, homeView } from "./views/home.js";
import { lockView } from "./views/lock.js";
import { olderView } from "./views/older.js";
import { meetingView, principalHomeView, weeksWithoutMeeting } from "./views/principal.js";
import { recordView, voidView } from "./views/record.js";
import { signInView } from "./views/signin.js";

const SYNC_EVERY_MS = 60_000;
const SYNC_TAG = "sro-sync";
const KINDS = new Set(["extracurricular_contact", "introduction", "principal_meeting", "activity"]);
// Officers record; principals (and designees) confirm meetings. Supervisors and admins use /review/.
const APP_ROLES = new Set(["officer", "principal"]);
const PRINCIPAL_ROUTES = new Set(["home", "attention", "meeting", "signin", "signout"]);
const GRID_MAX_AGE_MS = 15 * 60_000;

const main = document.getElementById("main");
const banners = document.getElementById("banners");
const syncBar = document.getElementById("syncbar");
const toast = document.getElementById("toast");
const who = document.getElementById("who");

// What every view reads; views get it as `ctx`.
const ctx = {
  user: null, db: null, forms: null, sync: null, shellVersion: null, storagePersisted: null,
  policy: {}, idle: null, locked: false, lockMinutes: DEFAULT_IDLE_MINUTES, lastEmail: null,
  isIos: /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1),
  counts: { pending: 0, attention: 0, conflicts: 0 }, lastSync: null, syncStatus: {},
  signIn, saved, decided,
};
const isPrincipal = () => ctx.user?.role === "principal";
const bannerState = { update: null };
// An unsaved record form, held off the page while the app is locked.
let lockedDraft = null;
// Tabs of the app tell each other who signed in or out, so a tab left open
// never keeps showing the previous person's records to the next one.
const sessionChannel = "BroadcastChannel" in window ? new BroadcastChannel("sro-session") : null;

// --- session ---

async function signIn(email, password) {
  const session = await api.signIn(email, password);
  const user = session.user;
  if (!APP_ROLES.has(user.role)) {
    await api.signOut(session.csrf_token).catch(() => {});
    throw new Error("This app is for officers and principals. Supervisors and admins: open /review/ instead.");
  }
  askForPersistentStorage();
  const sameUser = ctx.user?.id === user.id;
  if (!sameUser) leave();
  // Whoever used this phone before keeps only what has not synced yet (pwa/purge.js).
  await purgeOthers(user.id);
  const db = await store.openUserDb(user.id);
  await rememberSession(db, session);
  await store.setMeta(db, "verifier", await makeVerifier(password));
  await store.setMeta(db, "forms", await api.forms());
  await store.metaSet("session", { userId: user.id });
  await clearWaiting(user.id);
  sessionChannel?.postMessage({ userId: user.id });
  if (sameUser) {
    ctx.user = user;
    ctx.policy = session.phone ?? {};
    ctx.forms = await store.getMeta(db, "forms");
    location.hash = "#/";
    ctx.sync.resume();
  } else {
    await enter(user.id);
    location.hash = "#/";
  }
  render({ navigated: true });
}

// Who signed in and the limits the server sets for phones (lock after, keep for).
async function rememberSession(db, session) {
  await store.setMeta(db, "user", session.user);
  await store.setMeta(db, "policy", session.phone ?? {});
  await store.setMeta(db, "last_active", Date.now());
  await store.setMeta(db, "locked", false);
  await store.setMeta(db, "unlock_failures", 0);
}

async function enter(userId) {
  ctx.db = await store.openUserDb(userId);
  ctx.user = await store.getMeta(ctx.db, "user");
  ctx.forms = await store.getMeta(ctx.db, "forms");
  ctx.policy = (await store.getMeta(ctx.db, "policy")) ?? {};
  ctx.lastSync = await store.getMeta(ctx.db, "last_sync");
  // Status from a scheduler that was since replaced (another person signed in) is ignored.
  const scheduler = new SyncScheduler({
    db: ctx.db, device: await store.deviceId(), userId,
    onStatus: (status) => scheduler === ctx.sync && onSyncStatus(status),
  });
  ctx.sync = scheduler;
  who.textContent = ctx.user.name;
  document.body.classList.add("signed-in");
  await refreshCounts();
  await watchIdle();
  ctx.sync.request();
  refreshForms();
}

// Leaves the current user's data where it is (closed, not shown, not sent).
function leave() {
  ctx.sync?.stop();
  ctx.idle?.stop();
  Object.assign(ctx, {
    user: null, db: null, forms: null, sync: null, lastSync: null, syncStatus: {}, policy: {}, idle: null, locked: false,
  });
  ctx.counts = { pending: 0, attention: 0, conflicts: 0 };
  lockedDraft = null;
  who.textContent = "";
  document.body.classList.remove("signed-in", "locked");
}

// Ends this person's session on the phone: they sign out, the server answers 401 (the session
// ended, or someone else signed in), or the lock was failed too often. Their synced records
// leave the phone; what has not synced waits in their database for their next sign-in.
async function endSession({ reason = null, tellServer = false } = {}) {
  if (!ctx.user) return;
  const { id: userId, email } = ctx.user;
  const scheduler = ctx.sync;
  leave();
  replace(main, h("p", { class: "loading", role: "status" }, "Signing out…"));
  await scheduler.whenIdle();
  if (tellServer) {
    try {
      await api.signOut(await api.freshCsrf());
    } catch {
      // Offline or already expired: the server session ends by itself.
    }
  }
  await store.metaDelete("session");
  sessionChannel?.postMessage({ userId: null });
  await purgeUser(userId);
  ctx.lastEmail = email;
  location.hash = reason ? `#/signin?reason=${reason}` : "#/signin";
  render({ navigated: true });
}

// --- the local lock (pwa/lock.js) ---

async function watchIdle() {
  const db = ctx.db;
  ctx.lockMinutes = ctx.policy.lock_after_minutes ?? DEFAULT_IDLE_MINUTES;
  ctx.idle = new IdleWatch({
    limitMs: ctx.lockMinutes * 60_000,
    lastActive: (await store.getMeta(db, "last_active")) ?? Date.now(),
    onIdle: lockApp,
    saveActivity: (at) => store.setMeta(db, "last_active", at),
  });
  if (await store.getMeta(db, "locked")) await lockApp();
  else ctx.idle.start();
}

// Idle too long: nothing stays on screen, sync stops (so the server session lapses too) and
// the password is asked for again. A record form being filled in waits in memory, off the page.
async function lockApp() {
  if (!ctx.user || ctx.locked) return;
  ctx.locked = true;
  ctx.idle.stop();
  ctx.sync.pause("locked");
  if (!(await store.getMeta(ctx.db, "verifier"))) {
    await endSession({ reason: "expired", tellServer: true });  // signed in before the lock existed
    return;
  }
  await store.setMeta(ctx.db, "locked", true);
  lockedDraft = main.querySelector("form.record-form") ? { hash: location.hash, nodes: [...main.childNodes] } : null;
  who.textContent = "";
  document.body.classList.add("locked");
  render({ navigated: true });
}

// Resolves with why the password was refused, or null once unlocked (or sent to sign in).
async function unlock(password) {
  if (!(await matchesVerifier(await store.getMeta(ctx.db, "verifier"), password))) {
    const failures = ((await store.getMeta(ctx.db, "unlock_failures")) ?? 0) + 1;
    if (failures >= MAX_UNLOCK_TRIES) {
      await endSession({ reason: "tries", tellServer: true });
      return null;
    }
    await store.setMeta(ctx.db, "unlock_failures", failures);
    const left = MAX_UNLOCK_TRIES - failures;
    return `Wrong password. ${left} ${left === 1 ? "try" : "tries"} left, then a full sign-in with a connection is needed.`;
  }
  try {
    await reconnect(password);
  } catch (refused) {
    return refused.message;
  }
  await store.setMeta(ctx.db, "unlock_failures", 0);
  await store.setMeta(ctx.db, "locked", false);
  ctx.locked = false;
  who.textContent = ctx.user.name;
  document.body.classList.remove("locked");
  ctx.idle.restart();
  ctx.sync.resume();
  const draft = lockedDraft;
  lockedDraft = null;
  if (draft && draft.hash === location.hash) {
    replace(main, draft.nodes);
    renderSyncBar();
    renderBanners();
  } else {
    render({ navigated: true });
  }
  return null;
}

// Unlocking online also signs in to the server again if its session ended meanwhile, with
// the sign-in screen's call. Offline, or with the server out of reach, the phone unlocks alone.
async function reconnect(password) {
  if (!navigator.onLine) return;
  try {
    await api.me();
    return;
  } catch (error) {
    if (!(error instanceof api.ApiError && error.status === 401)) return;
  }
  let session;
  try {
    session = await api.signIn(ctx.user.email, password);
  } catch (error) {
    if (error instanceof api.NetworkError) return;
    throw error;
  }
  await rememberSession(ctx.db, session);
  ctx.user = session.user;
  ctx.policy = session.phone ?? {};
}

function leaveForSomeoneElse(userId) {
  if (!ctx.user || userId === ctx.user.id) return;
  leave();
  location.hash = "#/signin";
  render({ navigated: true });
}

async function refreshForms() {
  try {
    const forms = await api.forms();
    await store.setMeta(ctx.db, "forms", forms);
    ctx.forms = forms;
  } catch {
    // Offline or signed out: the copy saved at sign-in keeps working.
  }
}

function unsynced() {
  return ctx.counts.pending + ctx.counts.conflicts + ctx.counts.attention;
}

function signOut() {
  return endSession({ tellServer: true });
}

// --- sync bar and banners ---

async function refreshCounts() {
  if (!ctx.db) return;
  ctx.counts = await store.counts(ctx.db);
  ctx.lastSync = await store.getMeta(ctx.db, "last_sync");
  renderSyncBar();
}

async function onSyncStatus(status) {
  // The server no longer knows this session: it ended, or someone else signed in.
  if (status.paused === "signin") return endSession({ reason: "expired" });
  const finished = ctx.syncStatus.running && !status.running;
  ctx.syncStatus = status;
  renderSyncBar();
  renderBanners();
  if (finished) {
    await refreshCounts();
    if (isPrincipal() && !status.error && !status.paused) await refreshGrid();
    if (!document.querySelector("form")) render();
  }
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

function renderSyncBar() {
  if (!ctx.user || ctx.locked) return replace(syncBar);
  const { pending, attention, conflicts } = ctx.counts;
  const problems = attention + conflicts;
  replace(syncBar,
    h("div", { class: "sync-text" },
      h("p", { class: "sync-count", id: "pending-count" }, pendingText(pending, problems)),
      h("p", { class: "sync-status", id: "sync-status" }, syncMessage()),
      problems ? h("a", { href: "#/attention", class: "sync-attention", id: "attention-count" }, `${problems} need${problems === 1 ? "s" : ""} attention`) : null),
    h("button", {
      type: "button", id: "sync-now", class: "secondary", "aria-busy": ctx.syncStatus.running ? "true" : "false",
      onclick: syncNow,
    }, "Sync now"));
  syncBar.dataset.pending = String(pending);
}

function syncNow() {
  ctx.sync.now();
}

function renderBanners() {
  const items = [];
  if (bannerState.update) {
    items.push(h("div", { class: "banner info", role: "alert", id: "update-banner" },
      h("p", {}, "A new version of the app is ready."),
      h("button", { type: "button", class: "primary", id: "update-now", onclick: applyUpdate }, "Update")));
  }
  replace(banners, items);
}

// --- routing ---

function parseHash() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  return { name: parts[0] || "home", arg: parts[1], query: new URLSearchParams(query) };
}

const ROUTES = {
  async home() {
    const records = await store.listRecords(ctx.db);
    if (isPrincipal()) return principalHomeView(ctx, { records, grid: await store.getMeta(ctx.db, "meeting_grid") });
    return homeView(ctx, { records, total: records.length });
  },
  async meeting({ arg }) {
    const record = await store.getRecord(ctx.db, arg);
    if (!record) return null;
    const [problems, conflict] = [await store.attentionFor(ctx.db, arg), await store.getConflict(ctx.db, arg)];
    return meetingView(ctx, { record, problems, conflict });
  },
  attention: () => ROUTES.home(),
  async all() {
    performance.mark("list-start");
    return allView(ctx, { records: await store.listRecords(ctx.db) });
  },
  async older() {
    return olderView(ctx, { keepDays: ctx.policy.keep_days ?? DEFAULT_KEEP_DAYS });
  },
  async new({ arg }) {
    return KINDS.has(arg) ? formView(ctx, { kind: arg }) : null;
  },
  async edit({ arg }) {
    const record = await store.getRecord(ctx.db, arg);
    if (!record) return null;
    const rejected = (await store.attentionFor(ctx.db, arg)).pop();
    return formView(ctx, { kind: record.kind, record, draft: rejected?.data });
  },
  async record({ arg }) {
    const record = await store.getRecord(ctx.db, arg);
    return record && recordView(ctx, { record, problems: await store.attentionFor(ctx.db, arg) });
  },
  async void({ arg }) {
    const record = await store.getRecord(ctx.db, arg);
    return record && voidView(ctx, { record });
  },
  async conflict({ arg }) {
    const conflict = await store.getConflict(ctx.db, arg);
    return conflict && conflictView(ctx, { conflict });
  },
  async signin({ query }) {
    const email = ctx.user?.email ?? ctx.lastEmail ?? "";
    return signInView(ctx, { email, reason: query.get("reason"), waiting: await waitingForSignIn() });
  },
  async signout() {
    return signOutView();
  },
};

function signOutView() {
  const waiting = unsynced();
  const noun = isPrincipal() ? "decision" : "record";
  return h("section", { class: "view narrow", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, "Sign out?"),
    h("p", { class: "callout bad", role: "alert" },
      waiting === 1
        ? `1 ${noun} has not reached the server yet. If you sign out now it stays on this phone, `
        : `${waiting} ${noun}s have not reached the server yet. If you sign out now they stay on this phone, `,
      "hidden from anyone else, and sync the next time you sign in."),
    h("div", { class: "form-actions stacked" },
      h("a", { class: "button primary", href: "#/" }, "Stay signed in"),
      h("button", { type: "button", class: "danger", id: "confirm-signout", onclick: signOut }, "Sign out anyway")));
}

let renderCount = 0;

// A navigation moves focus to the new screen's heading for screen readers and
// clears the last screen's message; a refresh after sync redraws in place.
async function render({ navigated = false } = {}) {
  const ticket = ++renderCount;
  renderBanners();
  renderSyncBar();
  const route = parseHash();
  let name = ctx.user ? route.name : "signin";
  if (isPrincipal() && !PRINCIPAL_ROUTES.has(name)) name = "home";
  if (ctx.locked) name = "locked";
  const view = name === "locked" ? lockView(ctx, { unlock, signOut })
    : (await ROUTES[name]?.(route)) ?? h("p", { class: "notice" }, "Not found. ", h("a", { href: "#/" }, "Home"));
  if (ticket !== renderCount) return;  // a later navigation already rendered
  replace(main, view);
  if (name === "all") performance.measure("render-list", "list-start");
  if (!navigated) return;
  updateToast();
  const focusTarget = name === "attention" ? "attention-title" : route.query.has("dispute") ? "decision-comment" : "view-title";
  document.getElementById(focusTarget)?.focus({ preventScroll: true });
  if (name === "attention") document.getElementById("attention")?.scrollIntoView();
  else window.scrollTo(0, 0);
}

async function saved(message) {
  await refreshCounts();
  toastOnNextRender = message;
  location.hash = "#/";
  ctx.sync.request();
  registerBackgroundSync();
}

// A principal's decision is saved: back to the list (redrawn in place when already there).
async function decided(message) {
  await refreshCounts();
  toastOnNextRender = message;
  if (parseHash().name === "home") {
    await render();
    updateToast();
    document.getElementById("view-title")?.focus({ preventScroll: true });  // the pressed button is gone
  } else {
    location.hash = "#/";
  }
  ctx.sync.request();
  registerBackgroundSync();
}

// The weeks with no meeting come from the compliance report (online only): the last
// copy is kept for offline use, refreshed after a sync at most every 15 minutes.
async function refreshGrid() {
  const db = ctx.db;
  const cached = await store.getMeta(db, "meeting_grid");
  if (cached && Date.now() - Date.parse(cached.at) < GRID_MAX_AGE_MS) return;
  const now = new Date();
  const year = now.getFullYear() - (now.getMonth() < 6);
  try {
    const report = await api.compliance(`${year}-${year + 1}`);
    if (db !== ctx.db) return;
    await store.setMeta(db, "meeting_grid", { at: new Date().toISOString(), schools: weeksWithoutMeeting(report) });
    if (parseHash().name === "home" && !document.querySelector("form")) render();
  } catch {
    // Offline or signed out: the last copy stays.
  }
}

let toastTimer;
let toastOnNextRender = null;

// A message belongs to the screen it was shown on; moving on clears it.
function updateToast() {
  clearTimeout(toastTimer);
  toast.hidden = !toastOnNextRender;
  toast.textContent = toastOnNextRender ?? "";
  toastOnNextRender = null;
  toastTimer = setTimeout(() => { toast.hidden = true; }, 4000);
}

// --- storage ---

function askForPersistentStorage() {
  navigator.storage?.persist?.().then((granted) => { ctx.storagePersisted = granted; }, () => {});
}

async function checkStorage() {
  ctx.storagePersisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
}

// --- service worker and updates ---

let updateRequested = false;

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" });
  const offer = () => {
    if (registration.waiting && navigator.serviceWorker.controller) {
      bannerState.update = registration.waiting;
      renderBanners();
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
  bannerState.update.postMessage({ type: "SKIP_WAITING" });
}

async function registerBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register(SYNC_TAG);
  } catch {
    // Not offered by this browser: the page's own triggers are the mechanism.
  }
}

// --- triggers ---

function wireTriggers() {
  sessionChannel?.addEventListener("message", (event) => leaveForSomeoneElse(event.data.userId));
  store.onUserDbClosed((userId) => {
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
  const session = await store.metaGet("session");
  if (session) await enter(session.userId);
  await render({ navigated: true });
  document.body.dataset.ready = "true";
  performance.mark("app-ready");
}

boot();
