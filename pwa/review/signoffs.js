// Month sign-off: a supervisor (or admin) freezes an officer's month (POST /api/signoffs). A
// later edit or void of a record of that month is allowed; it is marked "amended after
// sign-off", listed here, and the sign-off shows its frozen figures beside today's with the
// difference (GET /api/signoffs/<id>). Signing the month off again keeps the older snapshot.

import { get, post } from "./client.js";
import { scopeOptions } from "./scope.js";
import {
  announce, badge, currentSchoolYear, dateLabel, dateTimeLabel, errorText, field, formAlert, h, humanize, input,
  loading, message, monthLabel, onSubmit, replace, select, table,
} from "./ui.js";

function thisMonth() {
  const today = new Date();
  return `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}`;
}

export async function renderSignoffs(main, user, rest = []) {
  if (rest[0]) return renderComparison(main, rest[0]);
  main.append(h("h2", {}, "Month sign-off"),
    h("p", { class: "lede" }, "Signing off freezes an officer's month as it stands: the monthly report's figures, ",
      "who signed and when. Records changed afterwards are marked and listed with the difference."));
  const options = await scopeOptions(user, currentSchoolYear());
  const list = h("div", { class: "results" }, loading());
  const form = h("form", { class: "filters", "aria-label": "Sign off a month", novalidate: true },
    field("Officer", select("officer_id", options.officers.map((one) => [one.id, one.name]))),
    field("Month", input("month", { type: "month", value: thisMonth(), required: true })),
    formAlert(),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "primary" }, "Sign off this month")));
  onSubmit(form, async (values) => {
    const signed = await post("/api/signoffs", { officer_id: Number(values.officer_id), month: values.month });
    announce(`${signed.officer_name}'s ${monthLabel(signed.month, true)} signed off.`);
    await drawList(list);
  });
  main.append(form, h("h3", {}, "Signed-off months"), list);
  await drawList(list);
}

async function drawList(list) {
  const { items } = await get("/api/signoffs");
  if (!items.length) {
    replace(list, message("No month has been signed off yet."));
    return;
  }
  const rows = items.map((one) => h("tr", {},
    h("td", {}, h("a", { href: `#signoffs/${one.id}` }, monthLabel(one.month, true)),
      one.sequence > 1 ? ` (sign-off ${one.sequence})` : ""),
    h("td", {}, one.officer_name),
    h("td", {}, `${one.signed_by.name}, ${dateTimeLabel(one.signed_at)}`),
    h("td", {}, one.amended_records
      ? h("span", { class: "tag tag-bad" }, `${one.amended_records} record${one.amended_records === 1 ? "" : "s"}`)
      : "None")));
  replace(list, table("Signed-off months", ["Month", "Officer", "Signed off", "Amended since"], rows,
    { className: "signoffs", stack: true, captionHidden: true }));
}

function differenceCell(difference) {
  if (!difference) return h("td", { class: "num zero" }, "0");
  const sign = difference > 0 ? "+" : "−";
  return h("td", { class: `num ${difference > 0 ? "difference-up" : "difference-down"}` },
    `${sign}${Math.abs(difference)}`);
}

async function renderComparison(main, id) {
  main.append(h("p", { class: "no-print" }, h("a", { href: "#signoffs" }, "← Back to month sign-off")));
  const heading = h("h2", {}, "Month sign-off");
  main.append(heading, loading());
  let signoff;
  try {
    signoff = await get(`/api/signoffs/${encodeURIComponent(id)}`);
  } catch (error) {
    main.lastChild.replaceWith(message(errorText(error), "error"));
    return;
  }
  heading.textContent = `${signoff.officer_name}, ${monthLabel(signoff.month, true)}`;
  const changed = signoff.rows.filter((row) => row.difference);
  const shown = signoff.rows.filter((row) => row.difference || row.signed_off || row.current);
  main.lastChild.replaceWith(h("div", { class: "signoff" },
    h("p", { class: "as-of" }, `Signed off by ${signoff.signed_by.name}, ${dateTimeLabel(signoff.signed_at)}`,
      signoff.sequence > 1 ? ` (sign-off ${signoff.sequence}; the earlier ones are kept)` : ""),
    changed.length
      ? h("p", { class: "notice notice-warn", role: "status" },
        `${changed.length} figure${changed.length === 1 ? "" : "s"} changed since the sign-off.`)
      : h("p", { class: "notice", role: "status" }, "The figures are as signed off."),
    table("Signed off and today", ["Category", h("th", { scope: "col", class: "num" }, "Signed off"),
      h("th", { scope: "col", class: "num" }, "Today"), h("th", { scope: "col", class: "num" }, "Difference")],
    shown.length ? shown.map((row) => h("tr", { class: row.difference ? "changed" : "" },
      h("th", { scope: "row" }, row.label),
      h("td", { class: "num" }, row.signed_off), h("td", { class: "num" }, row.current), differenceCell(row.difference)))
      : [h("tr", {}, h("td", { colspan: "4" }, "No records in this month."))], { className: "comparison", stack: true }),
    h("h3", {}, `Records amended after this sign-off (${signoff.records.length})`),
    signoff.records.length
      ? table("Records amended after this sign-off", ["Record", "Event day", "Now", "Review"], signoff.records.map((record) =>
        h("tr", {},
          h("td", {}, h("a", { href: `#record/${record.id}` }, humanize(record.kind))),
          h("td", {}, dateLabel(record.occurred_on)),
          h("td", {}, record.voided ? "Voided" : `Version ${record.version}, ${dateTimeLabel(record.updated_at)}`),
          h("td", {}, badge(record.review)))), { stack: true, captionHidden: true })
      : message("None.")));
}
