// Home: four big actions, what needs the officer, and the recent records.

import { formatWhen } from "../shared/dates.js";
import { h } from "../shared/dom.js";
import { kindLabel } from "../shared/forms.js";
import { summary } from "./format.js";
import { olderLink } from "./older.js";
import { badgeList } from "./record.js";

export const RECENT_LIMIT = 30;
// One "+" action per record kind, in the order and with the words of the forms (GET /api/forms).
const ACTION_KINDS = ["extracurricular_contact", "introduction", "principal_meeting", "activity"];

function schoolName(ctx, id) {
  return ctx.user.schools.find((school) => school.id === id)?.name ?? "";
}

function recordItem(ctx, record) {
  const label = kindLabel(ctx.forms, record.kind);
  return h("li", { class: `rec state-${record.state}${record.voided ? " voided" : ""}` },
    h("a", { href: `#/record/${record.id}` },
      h("span", { class: "rec-kind" }, label),
      h("span", { class: "rec-summary" }, summary(ctx.forms, record)),
      h("span", { class: "rec-meta" }, `${formatWhen(record.data.occurred_at)} · ${schoolName(ctx, record.data.school_id)}`),
      badgeList(record)));
}

export function recordList(ctx, records, label) {
  return h("ul", { class: "records", "aria-label": label }, records.map((record) => recordItem(ctx, record)));
}

function storageNotice(ctx) {
  if (ctx.storagePersisted !== false) return null;
  return h("div", { class: "notice", id: "storage-warning" },
    h("p", {}, "Storage is not guaranteed: the browser may clear unsynced records when space runs low. Sync when you can."),
    ctx.isIos ? h("p", {}, "On iPhone or iPad: tap Share, then “Add to Home Screen”, and open the app from there so your records are kept.") : null);
}

export function homeView(ctx, { records, total }) {
  const needing = records.filter((record) => record.state === "attention" || record.state === "conflict");
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", class: "visually-hidden", tabindex: "-1" }, "Home"),
    h("nav", { class: "actions", "aria-label": "New record" },
      ACTION_KINDS.map((kind) => h("a", { class: `action action-${kind}`, href: `#/new/${kind}` },
        h("span", { class: "action-plus", "aria-hidden": "true" }, "+"), kindLabel(ctx.forms, kind)))),
    storageNotice(ctx),
    needing.length ? h("section", { class: "attention", id: "attention", "aria-labelledby": "attention-title" },
      h("h3", { id: "attention-title", tabindex: "-1" }, `Needs attention (${needing.length})`),
      recordList(ctx, needing, "Records that need attention")) : null,
    h("section", { "aria-labelledby": "recent-title" },
      h("h3", { id: "recent-title" }, "Recent records"),
      records.length ? recordList(ctx, records.slice(0, RECENT_LIMIT), "Recent records")
        : h("p", { class: "empty" }, "Nothing recorded yet. Use a button above; it works offline."),
      total > RECENT_LIMIT ? h("a", { class: "button secondary", href: "#/all" }, `Show all ${total} records`) : null,
      olderLink()),
    h("p", { class: "version" }, ctx.shellVersion ? `App version ${ctx.shellVersion}` : ""));
}

export function allView(ctx, { records }) {
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, `All records (${records.length})`),
    recordList(ctx, records, "All records"),
    h("div", { class: "form-actions" }, olderLink(), h("a", { class: "button secondary", href: "#/" }, "Back")));
}
