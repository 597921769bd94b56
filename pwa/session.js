// Who is signed in on this phone: signing in and out, entering a user's database, ending a
// session (sign-out, 401, too many unlock tries), the local lock's hooks (pwa/lock.js), and
// the tabs of the app telling each other who signed in or out.

import { refreshCounts, renderBanners, renderSyncBar } from "./chrome.js";
import { ctx, isPrincipal } from "./context.js";
import { openUserDb } from "./idb.js";
import { DEFAULT_IDLE_MINUTES, IdleWatch, makeVerifier, matchesVerifier, MAX_UNLOCK_TRIES } from "./lock.js";
import { clearWaiting, purgeOthers, purgeUser } from "./purge.js";
import { refreshGrid, render } from "./router.js";
import { ApiError, NetworkError, forms, freshCsrf, me, signIn as serverSignIn, signOut as serverSignOut } from "./shared/api.js";
import { useSchoolYear } from "./shared/dates.js";
import { h, replace } from "./shared/dom.js";
import { deviceId, getMeta, metaDelete, metaSet, setMeta, setMetas } from "./stores.js";
import { SyncScheduler } from "./sync.js";

// Officers record; principals (and designees) confirm meetings. Supervisors and admins use /review/.
const APP_ROLES = new Set(["officer", "principal"]);

const main = document.getElementById("main");
const who = document.getElementById("who");
// An unsaved record form, held off the page while the app is locked.
let lockedDraft = null;
// Tabs of the app tell each other who signed in or out, so a tab left open
// never keeps showing the previous person's records to the next one.
const sessionChannel = "BroadcastChannel" in window ? new BroadcastChannel("sro-session") : null;

// --- signing in and out ---

async function signIn(email, password) {
  const session = await serverSignIn(email, password);
  const user = session.user;
  if (!APP_ROLES.has(user.role)) {
    await serverSignOut(session.csrf_token).catch(() => {});
    throw new Error("This app is for officers and principals. Supervisors and admins: open /review/ instead.");
  }
  askForPersistentStorage();
  const sameUser = ctx.user?.id === user.id;
  if (!sameUser) leave();
  // Whoever used this phone before keeps only what has not synced yet (pwa/purge.js).
  await purgeOthers(user.id);
  const db = await openUserDb(user.id);
  await rememberSession(db, session);
  await setMeta(db, "verifier", await makeVerifier(password));
  const described = await forms();
  await setMeta(db, "forms", described);
  await metaSet("session", { userId: user.id });
  await clearWaiting(user.id);
  sessionChannel?.postMessage({ userId: user.id });
  if (sameUser) {
    ctx.user = user;
    ctx.policy = session.phone ?? {};
    ctx.forms = described;
    location.hash = "#/";
    ctx.sync.resume();
  } else {
    await enter(user.id, { formsFresh: true });
    location.hash = "#/";
  }
  render({ navigated: true });
}

// Who signed in and the limits the server sets for phones (lock after, keep for).
async function rememberSession(db, session) {
  await setMetas(db, {
    user: session.user, policy: session.phone ?? {}, school_year: session.school_year ?? null,
    last_active: Date.now(), locked: false, unlock_failures: 0,
  });
  useSchoolYear(session.school_year);
}

// Opens the user's database and starts their sync and idle watch. `formsFresh`: the forms were
// fetched a moment ago (sign-in), so the copy saved is not asked for again.
export async function enter(userId, { formsFresh = false } = {}) {
  ctx.db = await openUserDb(userId);
  ctx.user = await getMeta(ctx.db, "user");
  ctx.forms = await getMeta(ctx.db, "forms");
  ctx.policy = (await getMeta(ctx.db, "policy")) ?? {};
  useSchoolYear(await getMeta(ctx.db, "school_year"));
  // Status from a scheduler that was since replaced (another person signed in) is ignored.
  const scheduler = new SyncScheduler({
    db: ctx.db, device: await deviceId(), userId,
    onStatus: (status) => scheduler === ctx.sync && onSyncStatus(status),
  });
  ctx.sync = scheduler;
  who.textContent = ctx.user.name;
  document.body.classList.add("signed-in");
  await refreshCounts();
  await watchIdle();
  ctx.sync.request();
  if (!formsFresh) refreshForms();
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
      await serverSignOut(await freshCsrf());
    } catch {
      // Offline or already expired: the server session ends by itself.
    }
  }
  await metaDelete("session");
  sessionChannel?.postMessage({ userId: null });
  await purgeUser(userId);
  ctx.lastEmail = email;
  location.hash = reason ? `#/signin?reason=${reason}` : "#/signin";
  render({ navigated: true });
}

export function signOut() {
  return endSession({ tellServer: true });
}

// Another tab signed someone in or out: this tab shows nothing of the previous person.
export function leaveForSomeoneElse(userId) {
  if (!ctx.user || userId === ctx.user.id) return;
  leave();
  location.hash = "#/signin";
  render({ navigated: true });
}

export function onOtherTabSession(listener) {
  sessionChannel?.addEventListener("message", (event) => listener(event.data.userId));
}

async function refreshForms() {
  try {
    const described = await forms();
    await setMeta(ctx.db, "forms", described);
    ctx.forms = described;
  } catch {
    // Offline or signed out: the copy saved at sign-in keeps working.
  }
}

// The sync scheduler's status: the sync bar follows it, and a finished sync redraws.
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

// --- the local lock (pwa/lock.js) ---

async function watchIdle() {
  const db = ctx.db;
  ctx.lockMinutes = ctx.policy.lock_after_minutes ?? DEFAULT_IDLE_MINUTES;
  ctx.idle = new IdleWatch({
    limitMs: ctx.lockMinutes * 60_000,
    lastActive: (await getMeta(db, "last_active")) ?? Date.now(),
    onIdle: lockApp,
    saveActivity: (at) => setMeta(db, "last_active", at),
  });
  if (await getMeta(db, "locked")) await lockApp();
  else ctx.idle.start();
}

// Idle too long: nothing stays on screen, sync stops (so the server session lapses too) and
// the password is asked for again. A record form being filled in waits in memory, off the page.
async function lockApp() {
  if (!ctx.user || ctx.locked) return;
  ctx.locked = true;
  ctx.idle.stop();
  ctx.sync.pause("locked");
  if (!(await getMeta(ctx.db, "verifier"))) {
    await endSession({ reason: "expired", tellServer: true });  // signed in before the lock existed
    return;
  }
  await setMeta(ctx.db, "locked", true);
  lockedDraft = main.querySelector("form.record-form") ? { hash: location.hash, nodes: [...main.childNodes] } : null;
  who.textContent = "";
  document.body.classList.add("locked");
  render({ navigated: true });
}

// Resolves with why the password was refused, or null once unlocked (or sent to sign in).
async function unlock(password) {
  if (!(await matchesVerifier(await getMeta(ctx.db, "verifier"), password))) {
    const failures = ((await getMeta(ctx.db, "unlock_failures")) ?? 0) + 1;
    if (failures >= MAX_UNLOCK_TRIES) {
      await endSession({ reason: "tries", tellServer: true });
      return null;
    }
    await setMeta(ctx.db, "unlock_failures", failures);
    const left = MAX_UNLOCK_TRIES - failures;
    return `Wrong password. ${left} ${left === 1 ? "try" : "tries"} left, then a full sign-in with a connection is needed.`;
  }
  try {
    await reconnect(password);
  } catch (refused) {
    return refused.message;
  }
  await setMetas(ctx.db, { unlock_failures: 0, locked: false });
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
    await me();
    return;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) return;
  }
  let session;
  try {
    session = await serverSignIn(ctx.user.email, password);
  } catch (error) {
    if (error instanceof NetworkError) return;
    throw error;
  }
  await rememberSession(ctx.db, session);
  ctx.user = session.user;
  ctx.policy = session.phone ?? {};
}

// --- storage ---

function askForPersistentStorage() {
  navigator.storage?.persist?.().then((granted) => { ctx.storagePersisted = granted; }, () => {});
}

export async function checkStorage() {
  ctx.storagePersisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
}

Object.assign(ctx, { signIn, signOut, unlock });
