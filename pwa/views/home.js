// Home: a big action per record kind, what needs the officer, and the recent records.

import { toastNow } from "../chrome.js";
import { deleteDraft, putDraft } from "../drafts.js";
import { formatWeekDay, formatWhen, mondayOf } from "../shared/dates.js";
import { h, replace } from "../shared/dom.js";
import { choiceLabel, kindForm, kindLabel, kindOptions } from "../shared/forms.js";
import { needsCorrection, summary } from "./format.js";
import { olderLink } from "./older.js";
import { badgeList } from "./record.js";

export const RECENT_LIMIT = 30;

function schoolName(ctx, id) {
  return ctx.user.schools.find((school) => school.id === id)?.name ?? "";
}

// "30 Nov, 10:00 · Northside High"; a record with no school (training) says only when.
function recordMeta(ctx, record) {
  return [formatWhen(record.data.occurred_at), schoolName(ctx, record.data.school_id)].filter(Boolean).join(" · ");
}

// One "+" action per record kind, in the order and with the words of the forms (GET /api/forms):
// a kind the server adds is offered here with no change to the app.
function newRecordActions(ctx) {
  const kinds = kindOptions(ctx.forms);
  return h("nav", { class: "actions", "aria-label": "New record" },
    kinds.length ? kinds.map(([kind, label]) => h("a", { class: `action action-${kind}`, href: `#/new/${kind}` },
      h("span", { class: "action-plus", "aria-hidden": "true" }, "+"), label))
      : h("p", { class: "notice" }, "The forms have not reached this phone yet. Connect once and sync."));
}

// A meeting the principal disputed: the officer should read why (and edit, or talk to them).
function isDisputed(record) {
  return record.kind === "principal_meeting" && !record.voided && record.state === "synced"
    && record.confirmation?.status === "disputed";
}

// The supervisor's words on a record sent back for correction, on the list itself.
function correctionLine(record) {
  if (!needsCorrection(record)) return null;
  const { by, comment } = record.review;
  return h("span", { class: "rec-comment" }, `${by || "Your supervisor"}: “${comment}”`);
}

function disputeLine(record) {
  if (!isDisputed(record)) return null;
  const { by_name: by, comment } = record.confirmation;
  return h("span", { class: "rec-comment" }, `${by || "The principal"}: “${comment || "no comment given"}”`);
}

function recordItem(ctx, record) {
  const label = kindLabel(ctx.forms, record.kind);
  const flagged = isDisputed(record) || needsCorrection(record);
  return h("li", { class: `rec state-${record.state}${record.voided ? " voided" : ""}${flagged ? " disputed" : ""}` },
    h("a", { href: `#/record/${record.id}` },
      h("span", { class: "rec-kind" }, label),
      h("span", { class: "rec-summary" }, summary(ctx.forms, record)),
      h("span", { class: "rec-meta" }, recordMeta(ctx, record)),
      disputeLine(record),
      correctionLine(record),
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

// "Homecoming dance · Dance · 220": what was typed so far, in the form's order.
function draftSummary(ctx, draft) {
  const skip = new Set(["school_id", "occurred_at", "notes", "duration_minutes"]);
  const shown = (kindForm(ctx.forms, draft.kind)?.fields ?? [])
    .filter((field) => !skip.has(field.name))
    .map((field) => [field, draft.data[field.name]])
    .filter(([, value]) => value !== null && value !== undefined && value !== "" && value !== false
      && !(Array.isArray(value) && !value.length))
    .slice(0, 3)
    .map(([field, value]) => {
      if (value === true) return field.label;  // a ticked box
      if (!field.choices) return [].concat(value).join(", ");
      return [].concat(value).map((one) => choiceLabel(ctx.forms, draft.kind, field.name, one)).join(", ");
    });
  return shown.join(" · ") || "Nothing typed yet";
}

function draftsSection(ctx, drafts) {
  if (!drafts?.length) return null;
  async function discard(draft) {
    const gone = await deleteDraft(ctx.db, draft.key);
    await ctx.rerender();
    toastNow("Draft discarded.", {
      label: "Undo",
      run: async () => {
        if (gone) await putDraft(ctx.db, gone);
        await ctx.rerender();
      },
    });
  }
  return h("section", { class: "drafts", id: "drafts", "aria-labelledby": "drafts-title" },
    h("h3", { id: "drafts-title" }, `Drafts (${drafts.length})`),
    h("p", { class: "hint" }, "Unfinished, kept on this phone only. Not sent until you save."),
    h("ul", { class: "records", "aria-label": "Drafts" }, drafts.map((draft) => h("li", { class: "rec draft" },
      h("a", { href: draft.record_id ? `#/edit/${draft.record_id}` : `#/new/${draft.kind}` },
        h("span", { class: "rec-kind" }, `${draft.record_id ? "Edit: " : ""}${kindLabel(ctx.forms, draft.kind)}`),
        h("span", { class: "rec-summary" }, draftSummary(ctx, draft)),
        h("span", { class: "rec-meta" }, `Draft, ${formatWhen(new Date(draft.at).toISOString())}`)),
      h("button", { type: "button", class: "secondary small", onclick: () => discard(draft) }, "Discard draft")))));
}

// The officer's own standing (views/program.js), one tap from home.
function programLink() {
  return h("nav", { class: "home-links", "aria-label": "My standing" },
    h("a", { class: "button secondary", id: "my-program-link", href: "#/program" }, "My program"));
}

// reminder: the gentle "no meeting this week yet" banner (views/program.js), or null.
export function homeView(ctx, { records, total, drafts, reminder }) {
  const needing = records.filter((record) => record.state === "attention" || record.state === "conflict"
    || isDisputed(record) || needsCorrection(record));
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", class: "visually-hidden", tabindex: "-1" }, "Home"),
    reminder,
    newRecordActions(ctx),
    programLink(),
    storageNotice(ctx),
    draftsSection(ctx, drafts),
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

const MONTH = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric" });

function monthKey(record) {
  const at = new Date(record.data.occurred_at);
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}`;
}

// Everything an officer might type to find a record: its summary, its words and its school.
function searchText(ctx, record) {
  const values = Object.values(record.data).flat().filter((value) => typeof value === "string");
  return [summary(ctx.forms, record), kindLabel(ctx.forms, record.kind), schoolName(ctx, record.data.school_id), ...values]
    .join(" ").toLowerCase();
}

// #/all draws a big officer's records a window at a time: 5,000 drawn at once take half a
// second and make scrolling stutter. "Show more" draws the next window, and so does scrolling
// near it (an IntersectionObserver presses it). Rows once drawn stay: true virtualisation,
// recycling rows scrolled out of view, would break find in page, a screen reader's browse mode
// and list navigation, and lose the focus of a recycled row. The search and the filters cover
// every record, so a far one is one search away, and each item's aria-posinset/aria-setsize
// says where it stands in its week while the week is only partly drawn.
export const LIST_WINDOW = 100;

function weekTitle(start) {
  const monday = new Date(start);
  const year = monday.getFullYear() === new Date().getFullYear() ? "" : `, ${monday.getFullYear()}`;
  return `Week of ${formatWeekDay(monday)}${year}`;
}

// The records found, by week, drawn into `container` one window per next() call.
function weekWindows(ctx, found, container) {
  // The Monday (local) starting each record's week.
  const starts = found.map((record) => mondayOf(new Date(record.data.occurred_at)).getTime());
  const sizes = new Map();
  for (const start of starts) sizes.set(start, (sizes.get(start) ?? 0) + 1);
  let week = null;
  const windows = { drawn: 0 };
  // Draws the next window (or `count` records); returns its first item (where "Show more" moves the focus).
  windows.next = (count = LIST_WINDOW) => {
    const end = Math.min(found.length, windows.drawn + count);
    let first = null;
    for (; windows.drawn < end; windows.drawn += 1) {
      const start = starts[windows.drawn];
      if (week?.start !== start) {
        const title = weekTitle(start);
        week = { start, position: 0, list: h("ul", { class: "records", "aria-label": title }) };
        container.append(h("section", { class: "week", "aria-label": title },
          h("h3", { class: "week-title" }, `${title} (${sizes.get(start)})`), week.list));
      }
      week.position += 1;
      const item = recordItem(ctx, found[windows.drawn]);
      item.setAttribute("aria-posinset", String(week.position));
      item.setAttribute("aria-setsize", String(sizes.get(start)));
      week.list.append(item);
      first ??= item;
    }
    return first;
  };
  return windows;
}

export function allView(ctx, { records }) {
  const months = [...new Set(records.map(monthKey))];
  const kinds = [...new Set(records.map((record) => record.kind))];
  let texts = null;  // made at the first search: thousands of summaries cost time the list does not need
  const list = h("div", { id: "all-records" });
  const shown = h("p", { class: "hint", id: "records-shown", "aria-live": "polite" });
  const search = h("input", { type: "search", id: "records-search", placeholder: "Event, topic, name…", autocomplete: "off" });
  const kind = h("select", { id: "records-kind" }, h("option", { value: "" }, "All kinds"),
    kinds.map((one) => h("option", { value: one }, kindLabel(ctx.forms, one))));
  const month = h("select", { id: "records-month" }, h("option", { value: "" }, "All months"),
    months.map((one) => h("option", { value: one }, MONTH.format(new Date(`${one}-15T12:00:00`)))));
  const more = h("button", { type: "button", class: "secondary", id: "records-more", hidden: true }, "Show more records");
  let found = records;
  let windows = null;
  // A finished sync redraws the screen in place: as many records as were drawn are drawn again,
  // with the search and filters as the officer left them, so they stay where they were.
  let keep = document.querySelectorAll("#all-records li").length;
  const focused = document.activeElement?.id;
  for (const control of [search, kind, month]) {
    const before = document.getElementById(control.id);
    if (before) control.value = before.value;
  }
  if ([search.id, kind.id, month.id].includes(focused)) {
    requestAnimationFrame(() => document.getElementById(focused)?.focus());
  }

  function hasWords(words) {
    if (!words.length) return () => true;
    texts ??= new Map(records.map((record) => [record.id, searchText(ctx, record)]));
    return (record) => words.every((word) => texts.get(record.id).includes(word));
  }

  function showMore({ focus = false, count = LIST_WINDOW } = {}) {
    const first = windows.next(count);
    more.hidden = windows.drawn >= found.length;
    const counted = found.length === records.length ? `${records.length} records, newest first, by week`
      : `${found.length} of ${records.length} records`;
    shown.textContent = more.hidden ? counted : `${counted}; the first ${windows.drawn} shown`;
    if (focus) first?.querySelector("a")?.focus();
  }

  function draw() {
    const matches = hasWords(search.value.trim().toLowerCase().split(/\s+/).filter(Boolean));
    found = records.filter((record) => (!kind.value || record.kind === kind.value)
      && (!month.value || monthKey(record) === month.value) && matches(record));
    replace(list, found.length ? null : h("p", { class: "empty" }, "No record matches."));
    windows = weekWindows(ctx, found, list);
    showMore({ count: Math.max(LIST_WINDOW, keep) });
    keep = 0;
  }
  search.addEventListener("input", draw);
  kind.addEventListener("change", draw);
  month.addEventListener("change", draw);
  // A keyboard or screen reader user presses the button and lands on the first new record.
  more.addEventListener("click", () => showMore({ focus: true }));
  // Scrolling towards the button draws the next window before the officer reaches the end. Not
  // while the button has the focus (tabbing to it scrolls it into view): the keyboard user
  // presses it, and the focus must not fall off a button that the last window hides.
  const nearEnd = new IntersectionObserver((entries) => {
    if (!more.isConnected) nearEnd.disconnect();
    else if (!more.hidden && document.activeElement !== more && entries.some((entry) => entry.isIntersecting)) {
      showMore();
    }
  }, { rootMargin: "0px 0px 1000px 0px" });
  nearEnd.observe(more);
  draw();

  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, `All records (${records.length})`),
    h("div", { class: "records-filter", role: "search" },
      h("label", { for: "records-search", class: "visually-hidden" }, "Search records"), search,
      h("div", { class: "filter-row" },
        h("label", { for: "records-kind", class: "visually-hidden" }, "Kind"), kind,
        h("label", { for: "records-month", class: "visually-hidden" }, "Month"), month)),
    shown,
    list,
    more,
    h("div", { class: "form-actions" }, olderLink(), h("a", { class: "button secondary", href: "#/" }, "Back")));
}
