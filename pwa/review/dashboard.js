// Compliance dashboard: per officer and school, the program's written practices for a school
// year (docs/reports.md): weekly principal meetings (KY 20) as an SVG grid with a table,
// introductions (KY 5), faculty meetings against 6 (KY 3), semester reviews (KY 8),
// extracurricular contacts per month (KY 17) and the more-than-one-school flag (KY 9).

import { get } from "./client.js";
import { barChart, legend, weekGrid } from "./charts.js";
import { complianceFor, readFilters, reportFilters, scopeOptions } from "./scope.js";
import { announce, badge, currentSchoolYear, dateLabel, errorText, field, h, humanize, input, loading, message, monthLabel, replace, table } from "./ui.js";

const state = { school_year: null, officer_id: null, school_id: null, as_of: "" };
const WEEK_STATUSES = ["confirmed", "pending", "disputed", "missing", "upcoming", "not_assigned"];

export async function renderDashboard(main, user) {
  state.school_year ??= currentSchoolYear();  // known once signed in
  const heading = h("h2", {}, user.role === "principal" ? "Program compliance at your school" : "Program compliance");
  const results = h("div", { class: "results" }, loading());
  main.append(heading, h("p", { class: "lede" },
    "Each officer at each school, measured against the program's written practices for the school year. ",
    "Weeks and terms not over yet are shown as upcoming or in progress, never missing."));
  const options = await scopeOptions(user, state.school_year);
  const form = reportFilters(user, state, options);
  form.querySelector("button[type=submit]").before(field("Measured on (optional)", input("as_of", { type: "date", value: state.as_of }),
    { hint: "Default: today." }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    Object.assign(state, readFilters(form), { as_of: form.elements.as_of.value });
    show(results, user).catch((error) => replace(results, message(errorText(error), "error")));
  });
  main.append(form, results);
  await show(results, user);
}

// Only the latest request draws: "Show" pressed while the first report loads must win.
let latest = 0;

async function show(results, user) {
  const mine = ++latest;
  replace(results, loading());
  const filtered = state.officer_id || state.school_id || state.as_of;
  const report = filtered
    ? await get("/api/reports/compliance", state)
    : await complianceFor(state.school_year);
  if (mine !== latest) return;
  const units = report.units;
  if (!units.length) {
    replace(results, message(`No officer assignments in ${state.school_year} ${user.role === "principal" ? "at your school" : "in your scope"}.`));
    return;
  }
  replace(results,
    h("p", { class: "as-of" }, `School year ${report.school_year.replace("-", "–")}, measured on ${dateLabel(report.as_of)}.`),
    summaryTable(units),
    units.map((unit) => unitCard(unit)));
  announce(`Compliance for ${report.school_year}: ${units.length} ${units.length === 1 ? "officer and school" : "officer and school pairs"}.`);
}

function unitId(unit) {
  return `unit-${unit.officer.id}-${unit.school.id}`;
}

function summaryTable(units) {
  const rows = units.map((unit) => h("tr", {},
    h("th", { scope: "row" }, h("a", { href: `#dashboard`, "data-target": unitId(unit), class: "jump" }, unit.officer.name)),
    h("td", {}, `${unit.school.name} (${unit.school.code})`),
    h("td", {}, badge(unit.weekly_meetings.status), " ", summaryCounts(unit.weekly_meetings.summary)),
    h("td", {}, badge(unit.introductions.status)),
    h("td", {}, badge(unit.faculty_meetings.status), " ",
      h("span", { class: "nowrap" }, `${unit.faculty_meetings.count} of ${unit.faculty_meetings.target}`)),
    h("td", {}, badge(unit.semester_reviews.status)),
    h("td", {}, badge(unit.multiple_schools.status))));
  const wrap = table("Summary: one row per officer and school",
    ["Officer", "School", "Weekly meetings (KY 20)", "Introductions (KY 5)", "Faculty meetings (KY 3)",
      "Semester reviews (KY 8)", "Schools (KY 9)"], rows, { className: "summary", stack: true });
  wrap.addEventListener("click", (event) => {
    const link = event.target.closest("a.jump");
    if (!link) return;
    event.preventDefault();
    const card = document.getElementById(link.dataset.target);
    card?.scrollIntoView({ block: "start" });
    card?.querySelector("h3")?.focus();
  });
  return wrap;
}

function summaryCounts(summary) {
  const due = (summary.confirmed || 0) + (summary.pending || 0) + (summary.disputed || 0) + (summary.missing || 0);
  return h("span", { class: "muted nowrap" }, `${summary.confirmed || 0} of ${due} confirmed`);
}

function rule(title, item, ...body) {
  return h("section", { class: "rule" },
    h("h4", {}, title, " ", badge(item.status)),
    item.text ? h("p", {}, item.text) : null,
    body);
}

function unitCard(unit) {
  const meetings = unit.weekly_meetings;
  const gridTitle = `Weekly meetings with the principal or designee, ${unit.officer.name} at ${unit.school.code}`;
  const weeksTable = table(`Every school week, ${unit.officer.name} at ${unit.school.code}`,
    ["Week of", "Term", "School days", "Meetings", "Status"],
    meetings.weeks.map((week) => h("tr", {},
      h("td", {}, dateLabel(week.week_of)), h("td", {}, week.term || ""), h("td", { class: "num" }, week.school_days),
      h("td", { class: "num" }, week.meetings), h("td", {}, badge(week.status), " ", h("span", { class: "muted" }, week.text)))),
    { className: "compact" });
  const assigned = unit.assigned.map((period) => `${dateLabel(period.from)} – ${period.until ? dateLabel(period.until) : "now"}`).join("; ");
  return h("article", { class: "card unit", id: unitId(unit), "aria-labelledby": `${unitId(unit)}-h` },
    h("header", { class: "unit-head" },
      h("h3", { id: `${unitId(unit)}-h`, tabindex: "-1" }, unit.officer.name, h("span", { class: "at" }, ` at ${unit.school.name} (${unit.school.code})`)),
      h("p", { class: "muted" }, `Assigned ${assigned}. ${unit.calendar.text}`),
      unit.multiple_schools.status === "flagged"
        ? h("p", { class: "flag" }, badge("flagged"), " ", unit.multiple_schools.text)
        : null,
      unit.calendar.status !== "ok" ? h("p", { class: "flag" }, badge(unit.calendar.status), " ", unit.calendar.text) : null),
    rule("Weekly meeting with the principal or designee (KY 20)", meetings,
      meetings.weeks.length ? h("figure", { class: "chart-figure" },
        weekGrid(meetings.weeks, gridTitle, narrow() ? 11 : 22),
        h("figcaption", {}, legend(WEEK_STATUSES, h))) : null,
      meetings.weeks.length ? h("details", { class: "alt-table" }, h("summary", {}, "Weeks as a table"), weeksTable) : null),
    h("div", { class: "rule-grid" },
      rule("Introductions in the first 20 school days (KY 5)", unit.introductions,
        unit.introductions.window ? h("p", { class: "muted" },
          `Window: ${dateLabel(unit.introductions.window.from)} – ${dateLabel(unit.introductions.window.to)}.`) : null,
        h("ul", { class: "plain" }, unit.introductions.audiences.map((one) => h("li", {},
          badge(one.status), ` ${humanize(one.audience)}: `, one.text)))),
      rule("Faculty meetings, at least 6 a year (KY 3)", unit.faculty_meetings,
        progress(unit.faculty_meetings.count, unit.faculty_meetings.target)),
      rule("Supervisor and administrator review each semester (KY 8)", { ...unit.semester_reviews, text: "" },
        h("ul", { class: "plain" }, unit.semester_reviews.terms.map((term) => h("li", {}, badge(term.status), " ", term.text)))),
      rule("Schools assigned (KY 9)", unit.multiple_schools,
        unit.multiple_schools.schools.length ? h("p", { class: "muted" }, `Schools: ${unit.multiple_schools.schools.join(", ")}`) : null)),
    rule("Extracurricular contacts per month (KY 17)", unit.extracurricular,
      unit.extracurricular.months.length ? h("figure", { class: "chart-figure small" },
        barChart(unit.extracurricular.months.map((month) => month.month),
          Object.fromEntries(unit.extracurricular.months.map((month) => [month.month, month.events])),
          `Extracurricular events per month, ${unit.officer.name} at ${unit.school.code}`, "events"),
        h("figcaption", { class: "muted" }, "Events attended per month.")) : null,
      h("details", { class: "alt-table" }, h("summary", {}, "Months as a table"),
        table(`Extracurricular contacts per month, ${unit.officer.name} at ${unit.school.code}`,
          ["Month", "Events", "Students (approx.)", "Status"],
          unit.extracurricular.months.map((month) => h("tr", {},
            h("th", { scope: "row" }, monthLabel(month.month, true)), h("td", { class: "num" }, month.events),
            h("td", { class: "num" }, month.students), h("td", {}, badge(month.status), " ", h("span", { class: "muted" }, month.text)))),
          { className: "compact" }))));
}

function narrow() {
  return window.matchMedia("(max-width: 720px)").matches;
}

function progress(count, target) {
  return h("p", { class: "progress-line" },
    h("meter", { min: 0, max: Math.max(target, count), value: count, "aria-label": `${count} of ${target} faculty meetings` }),
    ` ${count} of ${target}`);
}
