// Publishing the public report (admins; docs/reports.md "Releases"): choose a period, title and
// notes, preview exactly what would be published (the preview endpoint runs the publishing code and
// stores nothing), then confirm. The list shows every release; a correction supersedes one and
// says what changed. Every write goes through /api/admin/releases.

import { get, post } from "./client.js";
import {
  announce, currentSchoolYear, dateLabel, dateTimeLabel, field, formAlert, formValues, h, input, loading, message,
  monthLabel, onSubmit, replace, schoolYears, select, showErrors, table,
} from "./ui.js";

const PERIODS = [["month", "A month"], ["quarter", "A quarter"], ["year", "The school year"]];
// Quarters of the school year (July to June), as months from July.
const QUARTERS = [["1", "July to September", 0], ["2", "October to December", 3], ["3", "January to March", 6],
  ["4", "April to June", 9]];
// Titles are public: the month in full ("October 2026"), not the tables' short labels.
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];
const HIDDEN_TITLES = { "<5": "between 1 and 4", x: "withheld so that a \u201c<5\u201d cannot be worked out" };

// The page's state: the release being corrected (null for a new one) and the last preview.
const state = { correcting: null, previewed: null };

export async function renderReleases(main) {
  state.correcting = null;
  state.previewed = null;
  const list = h("div", { class: "release-list" }, loading());
  const draft = h("div", { class: "release-draft" });
  main.append(h("h2", {}, "Publish the public report"),
    h("p", { class: "lede" }, "A release freezes the de-identified figures of a month, a quarter or a school year on ",
      "the day it is published; they never change afterwards. Preview first: the preview is exactly what ",
      "publishing stores, with every small count already hidden."),
    draft, h("section", { class: "card" }, h("h3", {}, "Releases"), list));
  const redrawList = () => drawList(list, () => drawDraft(draft, redrawList));
  drawDraft(draft, redrawList);
  await redrawList();
}

// --- periods (whole months of one school year, as the server requires) ----------------------

function monthsOf(schoolYear) {
  const first = Number(schoolYear.slice(0, 4));
  return Array.from({ length: 12 }, (_, index) => {
    const month = (6 + index) % 12;
    return `${first + (6 + index >= 12 ? 1 : 0)}-${String(month + 1).padStart(2, "0")}`;
  });
}

function monthName(month) {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

function lastDay(month) {
  const [year, number] = month.split("-").map(Number);
  return `${month}-${String(new Date(Date.UTC(year, number, 0)).getUTCDate()).padStart(2, "0")}`;
}

// The chosen period: {period_start, period_end, name} from the form's period fields.
function periodOf(values) {
  const months = monthsOf(values.school_year);
  let chosen = months;
  let name = `School year ${values.school_year.replace("-", "–")}`;
  if (values.period === "month") {
    chosen = [values.month];
    name = monthName(values.month);
  } else if (values.period === "quarter") {
    const [, label, from] = QUARTERS.find(([key]) => key === values.quarter);
    chosen = months.slice(from, from + 3);
    name = `${label} ${chosen[0].slice(0, 4)}`;
  }
  return { period_start: `${chosen[0]}-01`, period_end: lastDay(chosen[chosen.length - 1]), name };
}

function periodText(release) {
  const from = monthName(release.period_start.slice(0, 7));
  const to = monthName(release.period_end.slice(0, 7));
  return from === to ? from : `${from} – ${to}`;
}

// --- the draft: period, title, notes -> preview -> confirm ------------------------------------

function drawDraft(draft, redrawList) {
  state.previewed = null;
  const correcting = state.correcting;
  const year = currentSchoolYear();
  const preview = h("div", { class: "release-preview" });
  const periodFields = correcting
    ? [h("p", { class: "notice notice-info" }, `Correcting release ${correcting.id}, \u201c${correcting.title}\u201d `,
      `(${periodText(correcting)}). A correction covers the same period; the old release stays readable, marked superseded.`)]
    : [field("Period", select("period", PERIODS, "month")),
      field("School year", select("school_year", schoolYears().map((one) => [one, one.replace("-", "–")]), year)),
      field("Month", select("month", [])),
      field("Quarter", select("quarter", QUARTERS.map(([key, label]) => [key, label])))];
  const form = h("form", { class: "admin-form release-form", "aria-label": correcting ? "Correct a release" : "A new release", novalidate: true },
    periodFields,
    field("Title", input("title", { required: true, maxlength: 200, autocomplete: "off" }), { wide: true }),
    field("Notes", h("textarea", { name: "notes", rows: 3, maxlength: 5000 }),
      { wide: true, hint: "Shown with the release: what it covers, anything a reader should know." }),
    correcting ? field("What changed", h("textarea", { name: "changes", rows: 3, maxlength: 5000, required: true }),
      { wide: true, hint: "Say what changed in words (\u201clate meetings added\u201d), not in counts." }) : null,
    formAlert(),
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "primary" }, "Preview"),
      correcting ? h("button", { type: "button", onclick: () => { state.correcting = null; drawDraft(draft, redrawList); } },
        "Stop correcting") : null));
  const titleInput = form.elements.title;
  if (correcting) {
    titleInput.value = `${correcting.title} (corrected)`;
  } else {
    // The title follows the period until the admin types one of their own.
    titleInput.addEventListener("input", () => { titleInput.dataset.typed = "yes"; });
    const follow = () => {
      showPeriodFields(form);
      if (!titleInput.dataset.typed) titleInput.value = periodOf(formValues(form)).name;
    };
    form.elements.school_year.addEventListener("change", () => { fillMonths(form); follow(); });
    form.elements.period.addEventListener("change", follow);
    form.elements.month.addEventListener("change", follow);
    form.elements.quarter.addEventListener("change", follow);
    fillMonths(form);
    follow();
  }
  // Anything changed after a preview needs a new one: the confirm button only ever publishes what was shown.
  form.addEventListener("input", () => dropPreview(preview));
  form.addEventListener("change", () => dropPreview(preview));
  onSubmit(form, async () => {
    const body = releaseBody(form);
    replace(preview, loading("Preparing the preview…"));
    const result = await post("/api/admin/releases/preview", body);
    state.previewed = { body, digest: result.figures_digest };
    drawPreview(preview, result, () => confirm(form, preview, draft, redrawList));
    preview.querySelector("h3")?.focus();
    announce(`Preview of ${result.title} ready.`);
  }, (error) => { replace(preview); showErrors(form, error); });
  replace(draft, h("section", { class: "card" }, h("h3", {}, correcting ? "Correct a release" : "A new release"), form),
    preview);
}

// The month a release is usually for: the last one that has ended.
function lastEndedMonth(today = new Date()) {
  const month = new Date(today.getFullYear(), today.getMonth() - 1, 1);
  return `${month.getFullYear()}-${String(month.getMonth() + 1).padStart(2, "0")}`;
}

function fillMonths(form) {
  const months = monthsOf(form.elements.school_year.value);
  const chosen = form.elements.month.value || lastEndedMonth();
  replace(form.elements.month, months.map((month) => h("option", { value: month, selected: month === chosen }, monthName(month))));
}

function showPeriodFields(form) {
  const period = form.elements.period.value;
  form.querySelector("[data-field='month']").hidden = period !== "month";
  form.querySelector("[data-field='quarter']").hidden = period !== "quarter";
}

function releaseBody(form) {
  const values = formValues(form);
  const correcting = state.correcting;
  const period = correcting
    ? { period_start: correcting.period_start, period_end: correcting.period_end }
    : periodOf(values);
  const body = { period_start: period.period_start, period_end: period.period_end, title: values.title, notes: values.notes || "" };
  if (correcting) Object.assign(body, { supersedes: correcting.id, changes: values.changes || null });
  return body;
}

function dropPreview(preview) {
  if (!state.previewed) return;
  state.previewed = null;
  replace(preview, message("Changed since the preview: preview again before publishing."));
}

async function confirm(form, preview, draft, redrawList) {
  const { body, digest } = state.previewed;
  const status = preview.querySelector(".confirm-status");
  const button = preview.querySelector(".confirm button");
  button.disabled = true;  // one click publishes once
  try {
    const published = await post("/api/admin/releases", { ...body, figures_digest: digest });
    state.correcting = null;
    drawDraft(draft, redrawList);
    draft.prepend(h("p", { class: "notice notice-info", role: "status" }, `Published release ${published.id}, \u201c${published.title}\u201d. `,
      h("a", { href: `/public/releases/${published.id}` }, "Open its public page")));
    await redrawList();
  } catch (error) {
    button.disabled = false;
    replace(status, message(error.message, "error"));
    if (error.fields) showErrors(form, error);
  }
}

// --- the preview ---------------------------------------------------------------------------

function cell(value) {
  if (value === "<5" || value === "x") return h("td", { class: "num suppressed" }, h("abbr", { title: HIDDEN_TITLES[value] }, value));
  return h("td", { class: "num" }, String(value));
}

function figuresTable(caption, rows, months, { skipZeroRows = false } = {}) {
  const shown = skipZeroRows ? rows.filter((row) => Object.values(row.months).some((value) => value !== 0)) : rows;
  if (!shown.length) return h("p", {}, `${caption}: none in this period.`);
  return table(caption, ["Category", ...months.map((month) => h("th", { scope: "col", class: "num" }, monthLabel(month)))],
    shown.map((row) => h("tr", {}, h("th", { scope: "row" }, row.label), months.map((month) => cell(row.months[month])))),
    { className: "monthly" });
}

function cellCount(count) {
  return `${count} ${count === 1 ? "cell" : "cells"}`;
}

// How many cells publishing hides, so the admin sees the cost of the rules at a glance.
function hiddenCounts(figures) {
  const counts = { "<5": 0, x: 0 };
  const tables = [figures.program, ...figures.schools.map((entry) => entry.rows)];
  if (figures.involvements) tables.push(figures.involvements.program, ...figures.involvements.schools.map((entry) => entry.rows));
  for (const rows of tables) for (const row of rows) for (const value of Object.values(row.months)) if (value in counts) counts[value] += 1;
  return counts;
}

function drawPreview(preview, release, onConfirm) {
  const { figures } = release;
  const hidden = hiddenCounts(figures);
  const training = figures.training;
  replace(preview, h("section", { class: "card release-preview-card", "aria-labelledby": "preview-title" },
    h("h3", { id: "preview-title", tabindex: "-1" }, `Preview: ${release.title}`),
    h("dl", { class: "facts" },
      h("dt", {}, "Period"), h("dd", {}, periodText(release)),
      h("dt", {}, "Method version"), h("dd", {}, release.method_version),
      h("dt", {}, "Schools"), h("dd", {}, String(figures.schools.length)),
      h("dt", {}, "Hidden"), h("dd", {}, `${cellCount(hidden["<5"])} shown as \u201c<5\u201d, ${cellCount(hidden.x)} withheld as \u201cx\u201d`),
      release.supersedes ? [h("dt", {}, "Corrects"), h("dd", {}, `Release ${release.supersedes}`)] : null,
      release.changes ? [h("dt", {}, "What changed"), h("dd", {}, release.changes)] : null,
      release.notes ? [h("dt", {}, "Notes"), h("dd", {}, release.notes)] : null),
    h("p", { class: "hint" }, "This is what the public will read, cell for cell. Rows of the involvement table that are 0 in every month are left out here and on the public page; the downloads hold them."),
    h("h4", {}, "Program-wide (all schools)"),
    figuresTable("Program-wide counts", figures.program, figures.months),
    figures.schools.map((entry) => [h("h4", {}, entry.school.name), figuresTable(`Counts, ${entry.school.name}`, entry.rows, figures.months)]),
    figures.involvements ? [
      h("h4", {}, "Involvements by basis and action"),
      figuresTable("Involvements, program-wide", figures.involvements.program, figures.months, { skipZeroRows: true }),
      figures.involvements.schools.map((entry) => figuresTable(`Involvements, ${entry.school.name}`, entry.rows, figures.months, { skipZeroRows: true })),
    ] : null,
    training ? [
      h("h4", {}, "Training of the officers"),
      // Method 3: rounded, and the same in every release of the school year (docs/reports.md).
      training.rounding ? h("p", { class: "hint" }, `Officers to the nearest ${training.rounding.officers}, percentages to the nearest ${training.rounding.percent}. Every release of this school year, a correction too, repeats the first one's training figures.`) : null,
      table(`Training on ${dateLabel(training.as_of)}`, ["Figure", "Published"], [
        h("tr", {}, h("th", { scope: "row" }, training.rounding ? "Officers assigned during the school year" : "Officers assigned during the period"), cell(training.officers)),
        h("tr", {}, h("th", { scope: "row" }, "With the 120-hour basic SRO course (percent)"), cell(training.basic_course_percent)),
        h("tr", {}, h("th", { scope: "row" }, "With an SRO course this school year (percent)"), cell(training.course_this_year_percent)),
      ]),
    ] : [
      h("h4", {}, "Training of the officers"),
      h("p", { class: "hint" }, "Not in this release: training is published only in the release of a whole school year that has ended."),
    ],
    h("div", { class: "actions confirm" },
      h("button", { type: "button", class: "primary", onclick: onConfirm },
        release.supersedes ? `Publish this correction` : "Publish this release")),
    h("div", { class: "confirm-status" })));
}

// --- the list ------------------------------------------------------------------------------

async function drawList(list, redrawDraft) {
  const { releases } = await get("/api/public/releases");
  if (!releases.length) {
    replace(list, message("Nothing has been published yet."));
    return;
  }
  replace(list, table(`${releases.length} ${releases.length === 1 ? "release" : "releases"}, newest first`,
    ["Release", "Period", "Published", "Status", "Actions"],
    releases.map((release) => h("tr", { "data-release": String(release.id) },
      h("td", {}, `${release.id}. ${release.title}`),
      h("td", {}, periodText(release)),
      h("td", {}, dateTimeLabel(release.released_at)),
      h("td", {}, release.superseded_by
        ? h("strong", { class: "superseded" }, `Superseded by release ${release.superseded_by}`)
        : "Current", release.supersedes ? h("span", { class: "hint" }, ` (corrects release ${release.supersedes})`) : null),
      h("td", { class: "actions" },
        h("a", { class: "button", href: `/public/releases/${release.id}` }, "Public page",
          h("span", { class: "visually-hidden" }, ` of release ${release.id}`)),
        release.superseded_by ? null : h("button", {
          type: "button",
          onclick: () => {
            state.correcting = release;
            redrawDraft();
            document.querySelector(".release-form textarea[name=changes]")?.focus();
          },
        }, "Correct", h("span", { class: "visually-hidden" }, ` release ${release.id}`))))),
    { stack: true }));
}
