// Which screen for which hash and state: signed out -> sign-in, locked -> the lock screen,
// a principal -> their meetings, an officer -> the route in the hash. Also what happens
// after a save (back home with a toast) and the principal's weeks without a meeting.

import * as api from "./api.js";
import { renderBanners, renderSyncBar, refreshCounts, showToast, toastOnNextScreen } from "./chrome.js";
import { ctx, isPrincipal, unsynced } from "./context.js";
import { draftKey, getDraft, listDrafts } from "./drafts.js";
import { waitingForSignIn } from "./purge.js";
import { currentSchoolYear } from "./shared/dates.js";
import { h, replace } from "./shared/dom.js";
import { kindForm } from "./shared/forms.js";
import { attentionFor, getConflict, getMeta, getRecord, listRecords, setMeta } from "./stores.js";
import { DEFAULT_KEEP_DAYS } from "./sync.js";
import { conflictView } from "./views/conflict.js";
import { formView } from "./views/form.js";
import { allView, homeView } from "./views/home.js";
import { lockView } from "./views/lock.js";
import { olderView } from "./views/older.js";
import { meetingView, principalHomeView, weeksWithoutMeeting } from "./views/principal.js";
import { loadProgram, meetingReminder, programView, reminderBanner } from "./views/program.js";
import { feedbackView, loadFeedback } from "./views/feedback.js";
import { recordView, voidView } from "./views/record.js";
import { signInView } from "./views/signin.js";
import { registerBackgroundSync } from "./worker.js";

// Officers record; principals (and designees) confirm meetings. Supervisors and admins use /review/.
const PRINCIPAL_ROUTES = new Set(["home", "attention", "meeting", "feedback", "signin", "signout"]);
const GRID_MAX_AGE_MS = 15 * 60_000;

const main = document.getElementById("main");

export function parseHash() {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  return { name: parts[0] || "home", arg: parts[1], query: new URLSearchParams(query) };
}

const ROUTES = {
  async home() {
    const records = await listRecords(ctx.db);
    if (isPrincipal()) return principalHomeView(ctx, { records, grid: await getMeta(ctx.db, "meeting_grid") });
    const reminder = reminderBanner(ctx, await meetingReminder(ctx, records));
    return homeView(ctx, { records, total: records.length, drafts: await listDrafts(ctx.db), reminder });
  },
  // A principal's semester feedback, online only (views/feedback.js).
  async feedback() {
    if (!isPrincipal()) return null;
    return feedbackView(ctx, { loaded: await loadFeedback(), reload: () => render() });
  },
  // Asked for again when opened, or when the copy kept is old; a redraw after a sync shows the copy.
  async program(route, { navigated }) {
    const loaded = await loadProgram(ctx, { navigated });
    return programView(ctx, { loaded, records: await listRecords(ctx.db) });
  },
  async meeting({ arg }) {
    const record = await getRecord(ctx.db, arg);
    if (!record) return null;
    const [problems, conflict] = [await attentionFor(ctx.db, arg), await getConflict(ctx.db, arg)];
    return meetingView(ctx, { record, problems, conflict });
  },
  async attention() {
    if (ctx.disputeNotice) {
      await setMeta(ctx.db, "dispute_notice", null);
      await refreshCounts();
    }
    return ROUTES.home();
  },
  async all() {
    performance.mark("list-start");
    return allView(ctx, { records: await listRecords(ctx.db) });
  },
  async older() {
    return olderView(ctx, { keepDays: ctx.policy.keep_days ?? DEFAULT_KEEP_DAYS });
  },
  async new({ arg }) {
    if (!kindForm(ctx.forms, arg)) return null;
    return formView(ctx, { kind: arg, kept: await getDraft(ctx.db, draftKey(arg)), previous: await lastBySchool(arg) });
  },
  async edit({ arg }) {
    const record = await getRecord(ctx.db, arg);
    if (!record) return null;
    const rejected = (await attentionFor(ctx.db, arg)).pop();
    const kept = await getDraft(ctx.db, draftKey(record.kind, record.id));
    return formView(ctx, { kind: record.kind, record, draft: rejected?.data, kept });
  },
  async record({ arg }) {
    const record = await getRecord(ctx.db, arg);
    return record && recordView(ctx, { record, problems: await attentionFor(ctx.db, arg) });
  },
  async void({ arg }) {
    const record = await getRecord(ctx.db, arg);
    return record && voidView(ctx, { record });
  },
  async conflict({ arg }) {
    const conflict = await getConflict(ctx.db, arg);
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

// The data of the latest record of this kind at each school (not void), newest first read.
async function lastBySchool(kind) {
  const found = {};
  for (const record of await listRecords(ctx.db)) {
    if (record.kind !== kind || record.voided) continue;
    found[record.data.school_id] ??= record.data;
  }
  return found;
}

function signOutView() {
  const { pending, attention, conflicts } = ctx.counts;
  const noun = isPrincipal() ? "decision" : "record";
  const some = (count) => (count === 1 ? `1 ${noun}` : `${count} ${noun}s`);
  const lines = [];
  if (pending) lines.push(`${some(pending)} ${pending === 1 ? "has" : "have"} not reached the server yet.`);
  if (attention) lines.push(`${some(attention)} ${attention === 1 ? "was" : "were"} refused by the server and ${attention === 1 ? "needs" : "need"} fixing.`);
  if (conflicts) lines.push(`${some(conflicts)} changed elsewhere ${conflicts === 1 ? "needs" : "need"} your choice.`);
  return h("section", { class: "view narrow", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, "Sign out?"),
    h("div", { class: "callout bad", role: "alert", id: "signout-warning" },
      lines.map((line) => h("p", {}, line)),
      h("p", {}, `If you sign out now ${unsynced() === 1 ? "it stays" : "they stay"} on this phone, `,
        "hidden from anyone else, until the next time you sign in.")),
    h("div", { class: "form-actions stacked" },
      h("a", { class: "button primary", href: "#/" }, "Stay signed in"),
      h("button", { type: "button", class: "danger", id: "confirm-signout", onclick: ctx.signOut }, "Sign out anyway")));
}

let renderCount = 0;

// A navigation moves focus to the new screen's heading for screen readers and
// clears the last screen's message; a refresh after sync redraws in place.
export async function render({ navigated = false } = {}) {
  const ticket = ++renderCount;
  renderBanners();
  renderSyncBar();
  const route = parseHash();
  let name = ctx.user ? route.name : "signin";
  if (isPrincipal() && !PRINCIPAL_ROUTES.has(name)) name = "home";
  if (ctx.locked) name = "locked";
  const view = name === "locked" ? lockView(ctx, { unlock: ctx.unlock, signOut: ctx.signOut })
    : (await ROUTES[name]?.(route, { navigated })) ?? h("p", { class: "notice" }, "Not found. ", h("a", { href: "#/" }, "Home"));
  if (ticket !== renderCount) return;  // a later navigation already rendered
  replace(main, view);
  if (name === "all") performance.measure("render-list", "list-start");
  if (!navigated) return;
  showToast();
  const focusTarget = name === "attention" ? "attention-title" : route.query.has("dispute") ? "decision-comment" : "view-title";
  document.getElementById(focusTarget)?.focus({ preventScroll: true });
  if (name === "attention") document.getElementById("attention")?.scrollIntoView();
  else window.scrollTo(0, 0);
}

// A record is saved on the phone: back home, with a toast, and sync is asked for.
// `action`: a button in the toast (Undo); `holdMs`: the change waits that long before it is sent.
async function saved(message, action = null, holdMs = 0) {
  await refreshCounts();
  toastOnNextScreen(message, action);
  location.hash = "#/";
  ctx.sync.request();
  if (holdMs) setTimeout(() => ctx.sync?.request(), holdMs + 250);
  registerBackgroundSync();
}

// A principal's decision is saved: back to the list (redrawn in place when already there).
async function decided(message) {
  await refreshCounts();
  toastOnNextScreen(message);
  if (parseHash().name === "home") {
    await render();
    showToast();
    document.getElementById("view-title")?.focus({ preventScroll: true });  // the pressed button is gone
  } else {
    location.hash = "#/";
  }
  ctx.sync.request();
  registerBackgroundSync();
}

Object.assign(ctx, { saved, decided, rerender: () => render(), refreshCounts });

// The weeks with no meeting come from the compliance report (online only): the last
// copy is kept for offline use, refreshed after a sync at most every 15 minutes.
export async function refreshGrid() {
  const db = ctx.db;
  const cached = await getMeta(db, "meeting_grid");
  if (cached && Date.now() - Date.parse(cached.at) < GRID_MAX_AGE_MS) return;
  try {
    const report = await api.compliance(currentSchoolYear());
    if (db !== ctx.db) return;
    await setMeta(db, "meeting_grid", { at: new Date().toISOString(), schools: weeksWithoutMeeting(report) });
    if (parseHash().name === "home" && !document.querySelector("form")) render();
  } catch {
    // Offline or signed out: the last copy stays.
  }
}
