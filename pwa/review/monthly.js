// Monthly activity report (KY 16): rows = record kinds and their categories, the weekly meetings'
// topics and the minutes per school, columns = the school year's months, for one officer, one
// school or all; bar charts, print and CSV. Below it: each school's share of the time, and the
// officers' training (KY 22).

import { get, query } from "./client.js";
import { barChart } from "./charts.js";
import { readFilters, reportFilters, scopeOptions } from "./scope.js";
import { announce, badge, currentSchoolYear, dateLabel, errorText, h, loading, message, monthLabel, replace, table } from "./ui.js";

const state = { school_year: null, officer_id: null, school_id: null };
const UNITS = { records: "records", quantity: "counted" };

export async function renderMonthly(main, user) {
  state.school_year ??= currentSchoolYear();  // known once signed in
  main.append(h("h2", {}, "Monthly activity report"),
    h("p", { class: "lede" }, "Records per month by kind and category. Activities count what each record says (its count); ",
      "student figures are the officers' approximations."));
  const options = await scopeOptions(user, state.school_year);
  const form = reportFilters(user, state, options);
  const results = h("div", { class: "results" }, loading());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    Object.assign(state, readFilters(form));
    show(results, options).catch((error) => replace(results, message(errorText(error), "error")));
  });
  main.append(form, results);
  await show(results, options);
}

function scopeText(options) {
  const officer = options.officers.find((one) => String(one.id) === String(state.officer_id));
  const school = options.schools.find((one) => String(one.id) === String(state.school_id));
  return [officer ? officer.name : "All officers in scope", school ? `${school.name} (${school.code})` : "all schools"].join(", ");
}

// Only the latest request draws: "Show" pressed while the first report loads must win.
let latest = 0;

async function show(results, options) {
  const mine = ++latest;
  replace(results, loading());
  const report = await get("/api/reports/monthly", state);
  if (mine !== latest) return;
  const csvHref = `/api/reports/monthly.csv${query(state)}`;
  const rows = report.rows.map((row) => h("tr", { class: row.category.includes(".") ? "sub" : "kind-total" },
    h("th", { scope: "row" }, rowLabel(row), showsSum(row) ? h("span", { class: "muted" }, " (sum)") : null),
    report.months.map((month) => h("td", { class: row.months[month] ? "num" : "num zero" }, row.months[month] ?? 0)),
    h("td", { class: "num total" }, row.total)));
  // One chart per kind, from its all-types row, in the report's order: a new kind is charted too.
  const charts = report.rows.filter((row) => row.category === row.kind);
  replace(results,
    h("div", { class: "report-head" },
      h("p", { class: "as-of" }, `School year ${report.school_year.replace("-", "–")} · ${scopeText(options)}`),
      h("div", { class: "actions no-print" },
        h("a", { class: "button", href: csvHref, download: "" }, "Download CSV"),
        h("button", { type: "button", class: "button", onclick: () => window.print() }, "Print"))),
    h("section", { class: "charts", "aria-label": "Monthly activity charts" },
      charts.map((row) => h("figure", { class: "card chart-figure" },
        h("figcaption", {}, row.label),
        barChart(report.months, row.months, `${row.label} per month`, UNITS[row.measure] || "records")))),
    table(`Monthly activity, ${report.school_year}`,
      ["Category", ...report.months.map((month) => h("th", { scope: "col", class: "num" },
        h("abbr", { title: monthLabel(month, true) }, monthLabel(month)))), h("th", { scope: "col", class: "num" }, "Total")],
      rows, { className: "monthly" }),
    timeBySchool(report.time_by_school),
    report.training?.length ? trainingTable(report.training, report.school_year) : null);
  announce(`Monthly activity report for ${report.school_year} shown.`);
}

// Each school's share of the minutes the records say they took: an officer shared by two schools.
function timeBySchool(shares) {
  if (!shares?.length) return null;
  return h("section", { class: "card", "aria-labelledby": "time-h" },
    h("h3", { id: "time-h" }, "Time per school"),
    table("Minutes recorded per school, and each school's share", ["School", "Minutes", "Share"],
      shares.map((one) => h("tr", {},
        h("th", { scope: "row" }, one.label.replace(/^Minutes at /, "")),
        h("td", { class: "num" }, one.minutes),
        h("td", { class: "num" }, one.share === null ? "—" : `${Math.round(one.share * 100)}%`))),
      { className: "compact" }));
}

function trainingTable(training, schoolYear) {
  return h("section", { class: "card", "aria-labelledby": "training-h" },
    h("h3", { id: "training-h" }, "Training (KY 22)"),
    table(`Training compliance per officer, measured today, ${schoolYear}`,
      ["Officer", "120-hour basic course", `SRO course in ${schoolYear.replace("-", "–")}`, "Chicago topics"],
      training.map((entry) => h("tr", {},
        h("th", { scope: "row" }, entry.officer.name),
        h("td", {}, badge(entry.basic_course.status), " ",
          entry.basic_course.completed_on ? dateLabel(entry.basic_course.completed_on) : "none recorded"),
        h("td", {}, badge(entry.yearly_course.status), " ", `${entry.yearly_course.courses} ${entry.yearly_course.courses === 1 ? "course" : "courses"}, ${entry.yearly_course.hours} h`),
        h("td", {}, badge(entry.topics.status), " ", entry.topics.text))),
      { className: "summary", stack: true }));
}

// A category under its kind shows only its own name; the kind's prefix stays for screen readers.
function rowLabel(row) {
  const split = row.label.indexOf(": ");
  if (!row.category.includes(".") || split < 0) return row.label;
  const rest = row.label.slice(split + 2);
  return [h("span", { class: "visually-hidden" }, row.label.slice(0, split + 2)), rest.charAt(0).toUpperCase() + rest.slice(1)];
}

// "(sum)" marks rows that add up a number field; under "Activities (all types) (sum)" it goes without saying.
function showsSum(row) {
  return row.measure === "quantity" && !(row.kind === "activity" && row.category.includes("."));
}
