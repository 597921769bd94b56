// Log browser: the synced records the caller may read, filtered, sorted and paged by the
// server (GET /api/records), and one record's full revision history.

import { choiceLabel, choiceOptions, describedSummary, fieldOf, kindLabel, kindOptions } from "/shared/forms.js";
import { forms, get } from "./client.js";
import { entryTags, reviewSection } from "./reviews.js";
import { scopeOptions } from "./scope.js";
import {
  announce, badge, clearErrors, currentSchoolYear, dateTimeLabel, occurredLabel, field, formAlert, h, humanize,
  input, loading, message, replace, select, showErrors, table,
} from "./ui.js";

const PAGE_SIZES = [25, 50, 100, 200];
const state = {
  officer_id: "", school_id: "", kind: "", activity_type: "", basis: "", provider: "", date_from: "", date_to: "", confirmation: "", voided: "",
  review: "",
  sort: "occurred_at", order: "desc", limit: 50, offset: 0,
};
const COLUMNS = [
  ["occurred_at", "When"], ["officer", "Officer"], ["school", "School"], ["kind", "Kind"], [null, "Detail"],
  ["confirmation", "Confirmation"], [null, "Review"], ["updated_at", "Last change"],
];

export async function renderLog(main, user) {
  main.append(h("h2", {}, "Log browser"),
    h("p", { class: "lede" }, user.role === "admin" ? "Every synced record." : "Every synced record of the officers you supervise."));
  const options = await scopeOptions(user, currentSchoolYear());
  const described = await forms();
  const form = h("form", { class: "filters log-filters", "aria-label": "Record filters", novalidate: true },
    user.role === "principal" ? null : field("Officer", select("officer_id",
      [["", "All"], ...options.officers.map((one) => [one.id, one.name])], state.officer_id)),
    field("School", select("school_id", [["", "All"], ...options.schools.map((one) => [one.id, `${one.name} (${one.code})`])], state.school_id)),
    field("Kind", select("kind", [["", "All kinds"], ...kindOptions(described)], state.kind)),
    field("Activity type", select("activity_type", [["", "All types"], ...choiceOptions(described, "activity", "activity_type")], state.activity_type)),
    field("Involvement basis", select("basis", [["", "Any basis"], ...choiceOptions(described, "involvement", "basis")], state.basis)),
    field("Training provider", select("provider", [["", "Any provider"], ...choiceOptions(described, "training", "provider")], state.provider)),
    field("From", input("date_from", { type: "date", value: state.date_from })),
    field("To", input("date_to", { type: "date", value: state.date_to })),
    field("Confirmation", select("confirmation", [["", "Any"], ["pending", "Pending"], ["confirmed", "Confirmed"], ["disputed", "Disputed"]], state.confirmation)),
    field("Voided", select("voided", [["", "Live and voided"], ["false", "Live only"], ["true", "Voided only"]], state.voided)),
    user.role === "principal" ? null : field("Review", select("review", [["", "Any"], ["submitted", "Waiting for review"],
      ["needs_correction", "Needs correction"], ["approved", "Approved"]], state.review)),
    field("Sort by", select("sort", COLUMNS.filter(([key]) => key).map(([key, label]) => [key, label]), state.sort)),
    field("Order", select("order", [["desc", "Newest / Z first"], ["asc", "Oldest / A first"]], state.order)),
    field("Per page", select("limit", PAGE_SIZES.map((size) => [size, String(size)]), state.limit)),
    formAlert(),
    h("div", { class: "filter-actions" },
      h("button", { type: "submit", class: "primary" }, "Show records"),
      h("button", { type: "reset", class: "quiet" }, "Clear filters")));
  const results = h("div", { class: "results" });
  let latest = 0;  // only the latest request draws (a quick second click on a pager or a header)
  const load = async () => {
    const mine = ++latest;
    clearErrors(form);
    replace(results, loading());
    try {
      const page = await get("/api/records", Object.fromEntries(Object.entries(state).filter(([, value]) => value !== "")));
      if (mine === latest) drawPage(results, page, load, form, described);
    } catch (error) {
      if (mine !== latest) return;
      replace(results);
      showErrors(form, error);
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const name of Object.keys(state)) {
      if (form.elements[name]) state[name] = form.elements[name].value;
    }
    state.offset = 0;
    load();
  });
  form.addEventListener("reset", () => {
    // After the browser has reset the controls: the state follows what the form now shows.
    setTimeout(() => {
      for (const name of Object.keys(state)) {
        if (form.elements[name]) state[name] = form.elements[name].value;
      }
      state.offset = 0;
      load();
    });
  });
  main.append(form, results);
  await load();
}

// The words for a record's choices, from the forms (GET /api/forms): say("event_type", "game").
function choiceWords(described, kind) {
  const say = (name, v) => choiceLabel(described, kind, name, v, humanize(v));
  say.has = (name) => Boolean(fieldOf(described, kind, name)?.choices);
  return say;
}

// The Detail column: what the record is about, then its topic(s) and notes, so a row can be read
// without opening it.
export function detailOf(record, described) {
  const data = record.data || {};
  const say = choiceWords(described, record.kind);
  const topics = [].concat(data.topics || []).map((one) => say("topics", one));
  if (data.topic) topics.unshift(data.topic);
  const parts = [summaryOf(record.kind, data, say) ?? describedSummary(described, record.kind, data)];
  if (topics.length) parts.push(`Topic: ${topics.join(", ")}`);
  if (data.notes) parts.push(`Notes: ${data.notes}`);
  return parts.filter(Boolean).join(" · ");
}

// Hand-written for the first kinds; any other kind reads as its description gives it
// (describedSummary in /shared/forms.js), so a new kind needs no change here.
function summaryOf(kind, data, say) {
  switch (kind) {
    case "extracurricular_contact":
      return `${data.event_name || ""} (${say("event_type", data.event_type)}), ~${data.students_contacted ?? 0} students`;
    case "introduction":
      return `${say("audience", data.audience)}, ${say("format", data.format)}, ${data.people_count ?? 0} people`;
    case "principal_meeting":
      return `${data.attendee_name || ""} (${say("attendee_role", data.attendee_role)})`;
    case "activity":
      return `${say("activity_type", data.activity_type)} × ${data.count ?? 1}`;
    default:
      return null;
  }
}

function sortHeader(key, label, form, load) {
  if (!key) return h("th", { scope: "col", "data-name": label }, label);
  const active = state.sort === key;
  const ariaSort = active ? (state.order === "asc" ? "ascending" : "descending") : "none";
  return h("th", { scope: "col", "aria-sort": ariaSort, "data-name": label },
    h("button", {
      type: "button", class: "sort",
      onclick: () => {
        state.order = active && state.order === "desc" ? "asc" : "desc";
        state.sort = key;
        state.offset = 0;
        form.elements.sort.value = state.sort;
        form.elements.order.value = state.order;
        load();
      },
    }, label, h("span", { "aria-hidden": "true", class: "sort-mark" }, active ? (state.order === "asc" ? " ▲" : " ▼") : " ↕")));
}

function drawPage(results, page, load, form, described) {
  if (!page.items.length) {
    replace(results, message("No records match these filters."));
    announce("No records match these filters.");
    return;
  }
  const first = page.offset + 1;
  const last = page.offset + page.items.length;
  const rows = page.items.map((record) => h("tr", { class: record.voided ? "voided" : "" },
    h("td", {}, h("a", { href: `#record/${record.id}` }, occurredLabel(record.data?.occurred_at))),
    h("td", {}, record.owner_name || ""),
    h("td", {}, record.school ? record.school.code : ""),
    h("td", {}, kindLabel(described, record.kind), record.voided ? h("span", { class: "tag" }, " Voided") : null),
    h("td", {}, detailOf(record, described)),
    h("td", {}, record.confirmation ? badge(record.confirmation.status) : h("span", { class: "muted" }, "—")),
    h("td", {}, record.review ? badge(record.review.status) : null, entryTags(record)),
    h("td", {}, dateTimeLabel(record.updated_at), h("span", { class: "muted" }, ` v${record.version}`))));
  const pager = h("nav", { class: "pager", "aria-label": "Pages" },
    h("button", { type: "button", disabled: page.offset === 0, onclick: () => { state.offset = Math.max(0, page.offset - page.limit); load(); } }, "Previous page"),
    h("p", {}, `Records ${first}–${last} of ${page.total}`),
    h("button", { type: "button", disabled: last >= page.total, onclick: () => { state.offset = page.offset + page.limit; load(); } }, "Next page"));
  replace(results,
    table(`Records ${first}–${last} of ${page.total}, sorted by ${COLUMNS.find(([key]) => key === state.sort)?.[1] || state.sort}, ${state.order === "asc" ? "ascending" : "descending"}`,
      COLUMNS.map(([key, label]) => sortHeader(key, label, form, load)), rows, { className: "records", stack: true }),
    pager);
  announce(`Records ${first} to ${last} of ${page.total}.`);
}

const FIELD_LABELS = {
  occurred_at: "When", duration_minutes: "Duration (minutes)", notes: "Notes", school_id: "School",
  students_contacted: "Students contacted", adults_contacted: "Adults contacted", people_count: "People",
};

// Words the server uses that are no form's choices.
const STATE_FIELDS = new Set(["status", "decision"]);

// A field's value as people read it: dates in the school's offset, choices in the forms' words,
// schools by name.
function fieldValue(name, v, schools, say) {
  if (v === null || v === undefined || v === "") return value(v);
  if (name === "occurred_at") return occurredLabel(v);
  if (name === "school_id") return schools.get(Number(v)) || `School #${v}`;
  if (say.has(name)) return [].concat(v).map((one) => say(name, one)).join(", ");
  if (STATE_FIELDS.has(name)) return humanize(v);
  if (typeof v === "boolean") return v ? "Yes" : "No";
  return value(v);
}

function value(v) {
  if (v === null || v === undefined || v === "") return h("span", { class: "muted" }, "—");
  if (Array.isArray(v)) return v.map(humanize).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export async function renderRecord(main, user, id, notice = null) {
  main.append(h("p", { class: "no-print" }, h("a", { href: "#log" }, "← Back to the log browser")));
  const heading = h("h2", {}, "Record");
  main.append(heading, loading());
  let result;
  let described;
  try {
    [result, described] = await Promise.all([get(`/api/records/${encodeURIComponent(id)}/history`), forms()]);
  } catch (error) {
    main.lastChild.replaceWith(message(error.status === 404 ? "No such record among those you may see." : error.message, "error"));
    return;
  }
  const { record, revisions } = result;
  const redraw = (conflict) => {
    main.replaceChildren();
    return renderRecord(main, user, id, conflict);
  };
  heading.textContent = `${kindLabel(described, record.kind)}, ${occurredLabel(record.data.occurred_at)}`;
  const say = choiceWords(described, record.kind);
  const labelOf = (name) => FIELD_LABELS[name] || fieldOf(described, record.kind, name)?.label || humanize(name);
  const facts = [
    ["Officer", record.owner_name], ["School", record.school ? `${record.school.name} (${record.school.code})` : ""],
    ["Version", record.version], ["Last device", deviceText(record.last_device_name, record.last_device_id)], ["Voided", record.voided ? `Yes: ${record.void_reason || ""}` : "No"],
  ];
  if (record.confirmation) {
    facts.push(["Confirmation", h("span", {}, badge(record.confirmation.status),
      record.confirmation.by_name ? ` by ${record.confirmation.by_name}, ${dateTimeLabel(record.confirmation.at)}` : "",
      record.confirmation.comment ? `: \u201c${record.confirmation.comment}\u201d` : "")]);
  }
  const schools = new Map(record.school ? [[record.school.id, `${record.school.name} (${record.school.code})`]] : []);
  const dataRows = Object.entries(record.data).map(([name, v]) => h("tr", {},
    h("th", { scope: "row" }, labelOf(name)), h("td", {}, fieldValue(name, v, schools, say))));
  main.lastChild.replaceWith(h("div", { class: "record-detail" },
    notice ? h("p", { class: "notice notice-warn", role: "alert" }, notice) : null,
    user.role === "principal" ? null : reviewSection(record, redraw),
    h("section", { class: "card" }, h("h3", {}, "Current version"),
      h("dl", { class: "facts" }, facts.map(([term, detail]) => [h("dt", {}, term), h("dd", {}, detail instanceof Node ? detail : value(detail))])),
      table("Fields", ["Field", "Value"], dataRows, { className: "compact", captionHidden: true })),
    h("section", { class: "card" }, h("h3", {}, `Revision history (${revisions.length})`),
      h("ol", { class: "revisions" }, revisions.map((revision) => revisionItem(revision, schools, say, labelOf))))));
}

function revisionItem(revision, schools, say, labelOf) {
  const rejected = revision.outcome === "rejected_conflict";
  return h("li", { class: rejected ? "revision rejected" : "revision" },
    h("p", { class: "revision-head" },
      h("strong", {}, rejected ? "Rejected proposal (conflict)" : `Version ${revision.version}: ${humanize(revision.action)}`),
      rejected ? h("span", { class: "tag tag-bad" }, ` based on version ${revision.base_version}, not applied`) : null),
    h("p", { class: "muted" },
      `${revision.actor?.name || "Unknown"} (${revision.actor?.role || "?"}), ${dateTimeLabel(revision.at)}`,
      revision.device_id ? `, ${deviceText(revision.device_name, revision.device_id)}` : ""),
    revision.changes?.length
      ? table(rejected ? "What it would have changed" : "What changed", ["Field", "From", "To"],
        revision.changes.map((change) => h("tr", {},
          h("th", { scope: "row" }, labelOf(change.field)),
          h("td", {}, fieldValue(change.field, change.from, schools, say)),
          h("td", {}, fieldValue(change.field, change.to, schools, say)))), { className: "compact" })
      : h("p", { class: "muted" }, revision.action === "create" ? "Created." : "No field changed."));
}

// "Dana's phone, added 3 Sep" (the server names devices); the raw id only when it could not.
function deviceText(name, id) {
  if (!id) return null;
  return name || `device ${id}`;
}
