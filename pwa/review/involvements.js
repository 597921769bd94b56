// Involvements (GET /api/reports/involvements; docs/reports.md "Involvements"): why the officer was
// involved and what they did. Per school: counts by basis and by action per month, the share of
// discipline-basis requests returned to school staff, imminent threats per school week as a chart
// with its table; for supervisors and admins, the exceptions (police action on a school matter)
// with their reasons, each linked to its record. Principals get their school's totals only.

import { forms, get } from "./client.js";
import { weekBarChart } from "./charts.js";
import { readFilters, reportFilters, scopeOptions } from "./scope.js";
import { choiceLabel } from "/shared/forms.js";
import {
  announce, currentSchoolYear, dateLabel, errorText, h, loading, message, monthLabel, replace, table,
} from "./ui.js";

const KIND = "involvement";
const state = { school_year: null, officer_id: null, school_id: null };
const DAY_MS = 86400000;

export async function renderInvolvements(main, user) {
  state.school_year ??= currentSchoolYear();  // known once signed in
  main.append(h("h2", {}, user.role === "principal" ? "Involvements at your school" : "Involvements"),
    h("p", { class: "lede" }, "Each time the officer was asked to act, or acted on their own: on what basis and what they did. ",
      "Schools keep discipline; a police action on a discipline or classroom-disorder request is an exception the officer explains."));
  const [options, described] = await Promise.all([scopeOptions(user, state.school_year), forms()]);
  const form = reportFilters(user, state, options);
  const results = h("div", { class: "results" }, loading());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    Object.assign(state, readFilters(form));
    show(results, described).catch((error) => replace(results, message(errorText(error), "error")));
  });
  main.append(form, results);
  await show(results, described);
}

// Only the latest request draws: "Show" pressed while the first report loads must win.
let latest = 0;

async function show(results, described) {
  const mine = ++latest;
  replace(results, loading());
  const report = await get("/api/reports/involvements", state);
  if (mine !== latest) return;
  const say = (field, value) => choiceLabel(described, KIND, field, value);
  replace(results,
    h("p", { class: "as-of" }, `School year ${report.school_year.replace("-", "–")}.`),
    report.schools.length > 1 ? h("p", { class: "share-line" }, h("strong", {}, "All schools: "), shareText(report.discipline)) : null,
    report.exceptions ? exceptionsTable(report.exceptions, say) : null,
    report.schools.length ? report.schools.map((school) => schoolCard(school, report.months, say))
      : message(`No involvements recorded in ${report.school_year} in this scope.`));
  const exceptions = report.exceptions ? `, ${plural(report.exceptions.length, "exception")}` : "";
  announce(`Involvements for ${report.school_year}: ${plural(report.schools.length, "school")}${exceptions}.`);
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function shareText(discipline) {
  if (!discipline.requests) return "no discipline-basis requests.";
  const percent = Math.round(discipline.share * 100);
  return `${discipline.returned_to_staff} of ${plural(discipline.requests, "discipline-basis request")} returned to school staff (${percent}%).`;
}

function exceptionsTable(exceptions, say) {
  const caption = `Exceptions: police action on a discipline or classroom-disorder request (${exceptions.length})`;
  if (!exceptions.length) {
    return h("section", { class: "card" }, h("h3", {}, "Exceptions"), h("p", {}, "None: no police action on a school matter this year."));
  }
  const rows = exceptions.map((item) => h("tr", {},
    h("td", {}, h("a", { href: `#record/${item.record_id}` }, dateLabel(item.date))),
    h("td", {}, `${item.school.name} (${item.school.code})`),
    h("td", {}, item.officer.name),
    h("td", {}, say("basis", item.basis)),
    h("td", {}, say("action", item.action)),
    h("td", { class: "reason" }, item.reason || h("span", { class: "muted" }, "No reason given"))));
  return h("section", { class: "card", "aria-labelledby": "exceptions-h" },
    h("h3", { id: "exceptions-h" }, "Exceptions"),
    table(caption, ["Date", "School", "Officer", "Basis", "Action", "Reason"], rows, { className: "exceptions", stack: true }));
}

// {basis or action -> {month -> count}} summed from the basis x action cells.
function byField(cells, name) {
  const found = new Map();
  for (const cell of cells) {
    const months = found.get(cell[name]) || {};
    for (const [month, count] of Object.entries(cell.months)) months[month] = (months[month] || 0) + count;
    found.set(cell[name], months);
  }
  return found;
}

function monthTable(caption, heading, found, months, say, field) {
  const total = (values) => Object.values(values).reduce((sum, count) => sum + count, 0);
  const rows = [...found].map(([value, values]) => h("tr", {},
    h("th", { scope: "row" }, say(field, value)),
    months.map((month) => h("td", { class: values[month] ? "num" : "num zero" }, values[month] || 0)),
    h("td", { class: "num total" }, total(values))));
  return table(caption, [heading, ...months.map((month) => h("th", { scope: "col", class: "num" },
    h("abbr", { title: monthLabel(month, true) }, monthLabel(month)))), h("th", { scope: "col", class: "num" }, "Total")],
  rows, { className: "monthly" });
}

function schoolCard(school, months, say) {
  const name = `${school.school.name} (${school.school.code})`;
  const id = `involvements-${school.school.id}`;
  return h("section", { class: "card", "aria-labelledby": id },
    h("h3", { id }, name, h("span", { class: "muted" }, ` · ${plural(school.total, "involvement")}`)),
    h("p", { class: "share-line" }, h("strong", {}, "Returned to school staff: "), shareText(school.discipline)),
    monthTable(`By basis, per month, ${name}`, "Basis", byField(school.by_basis_action, "basis"), months, say, "basis"),
    monthTable(`By action, per month, ${name}`, "Action", byField(school.by_basis_action, "action"), months, say, "action"),
    threats(school, name));
}

function isoOf(time) {
  return new Date(time).toISOString().slice(0, 10);
}

// Every Monday from the first month with an involvement at the school to the last week with one,
// so the weeks without a threat show as the zeros they are.
function mondaysOf(school) {
  const active = school.by_basis_action.flatMap((cell) => Object.entries(cell.months).filter(([, n]) => n).map(([m]) => m)).sort();
  const weekOf = (week) => Date.parse(`${week.week}T00:00:00Z`);
  const firstThreat = weekOf(school.threat_weeks[0]);
  const lastThreat = weekOf(school.threat_weeks[school.threat_weeks.length - 1]);
  const firstDay = active.length ? Date.parse(`${active[0]}-01T00:00:00Z`) : firstThreat;
  const firstMonday = firstDay + ((8 - new Date(firstDay).getUTCDay()) % 7) * DAY_MS;
  const lastMonth = active[active.length - 1];
  const monthEnd = lastMonth ? Date.UTC(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)), 0) : lastThreat;
  const mondays = [];
  for (let time = Math.min(firstMonday, firstThreat); time <= Math.max(lastThreat, monthEnd); time += 7 * DAY_MS) mondays.push(isoOf(time));
  return mondays;
}

function threats(school, name) {
  const weeks = school.threat_weeks;
  const heading = h("h4", {}, "Imminent threats per school week");
  if (!weeks.length) return h("section", { class: "rule" }, heading, h("p", {}, "No imminent-threat involvements."));
  const values = Object.fromEntries(weeks.map((week) => [week.week, week.threats]));
  const total = weeks.reduce((sum, week) => sum + week.threats, 0);
  const most = Math.max(...weeks.map((week) => week.threats));
  const summary = `${plural(total, "threat")} in ${plural(weeks.length, "week")}; at most ${most} in one week.`;
  return h("section", { class: "rule" }, heading,
    h("figure", { class: "chart-figure" },
      weekBarChart(mondaysOf(school), values, `Imminent threats per week, ${name}`, "threats"),
      h("figcaption", { class: "muted" }, summary)),
    h("details", { class: "alt-table" }, h("summary", {}, "Threat weeks as a table"),
      table(`Imminent threats per week, ${name}`, ["Week of", "Threats"],
        weeks.map((week) => h("tr", {}, h("th", { scope: "row" }, dateLabel(week.week)), h("td", { class: "num" }, week.threats))),
        { className: "threat-weeks" })));
}
