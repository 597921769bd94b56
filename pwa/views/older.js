// Older records, looked up online. The phone keeps synced records of the last PHONE_KEEP_DAYS
// days only; the server keeps them all, and the log browser (GET /api/records) gives an officer
// their own. What is read here is shown, never stored on the phone.

import * as api from "../api.js";
import { ApiError, NetworkError } from "../shared/api.js";
import { formatLongDay, formatWhen, isoDay } from "../shared/dates.js";
import { h } from "../shared/dom.js";
import { kindLabel } from "../shared/forms.js";
import { summary } from "./format.js";
import { badgeList } from "./record.js";

const PAGE_SIZE = 50;

function olderItem(ctx, record) {
  const label = kindLabel(ctx.forms, record.kind);
  const shown = { ...record, state: "synced" };
  return h("li", { class: `rec state-synced${record.voided ? " voided" : ""}` },
    h("div", { class: "rec-card" },
      h("span", { class: "rec-kind" }, label),
      h("span", { class: "rec-summary" }, summary(ctx.forms, shown)),
      h("span", { class: "rec-meta" }, `${formatWhen(record.data.occurred_at)} · ${record.school?.name ?? ""}`),
      badgeList(shown)));
}

const OFFLINE = "Looking up older records needs a connection. Try again when you are online.";
const SIGNED_OUT = "Your session has ended: sign in again to look up older records.";

function failureText(failure) {
  if (failure instanceof NetworkError) return OFFLINE;
  if (failure instanceof ApiError && failure.status === 401) return SIGNED_OUT;
  return failure.message;
}

export function olderView(ctx, { keepDays }) {
  const until = new Date(Date.now() - keepDays * 24 * 60 * 60 * 1000);
  const status = h("p", { class: "notice", id: "older-status", role: "status" });
  const list = h("ul", { class: "records", id: "older-records", "aria-label": "Older records from the server" });
  const more = h("button", { type: "button", class: "secondary", id: "older-more", hidden: true }, "Show more");
  let shown = 0;

  async function load() {
    if (!navigator.onLine) {
      status.textContent = OFFLINE;
      return;
    }
    status.textContent = "Looking up…";
    more.hidden = true;
    try {
      const query = { date_to: isoDay(until), sort: "occurred_at", order: "desc", limit: PAGE_SIZE, offset: shown };
      const page = await api.records(query);
      list.append(...page.items.map((record) => olderItem(ctx, record)));
      shown += page.items.length;
      status.textContent = page.total ? `${shown} of ${page.total} older records` : "No older records on the server.";
      more.hidden = shown >= page.total;
    } catch (failure) {
      status.textContent = failureText(failure);
    }
  }
  more.addEventListener("click", load);
  load();

  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, "Older records (online)"),
    h("p", { class: "intro" },
      `This phone keeps synced records of the last ${keepDays} days. `,
      `These, from ${formatLongDay(until)} and before, come from the server and are not stored on the phone.`),
    status,
    list,
    h("div", { class: "form-actions" }, more, h("a", { class: "button secondary", href: "#/" }, "Back")));
}

// The way in, under the officer's list of records.
export function olderLink() {
  return h("a", { class: "button secondary older-link", href: "#/older" }, "Older records (online)");
}
