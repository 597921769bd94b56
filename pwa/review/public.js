// Public, de-identified report: per school and month, counts by category; 1 to 4 shows as "<5".

import { get, query } from "./client.js";
import { readFilters, reportFilters, scopeOptions } from "./scope.js";
import { announce, currentSchoolYear, errorText, h, loading, message, monthLabel, replace, table } from "./ui.js";

const state = { school_year: null, officer_id: null, school_id: null };

export async function renderPublic(main, user) {
  state.school_year ??= currentSchoolYear();  // known once signed in
  main.append(h("h2", {}, "Public report"),
    h("p", { class: "lede" }, "What the program publishes: counts per school and month, no names, notes or free text. ",
      "Every count from 1 to 4 is shown as \u201c<5\u201d, and there are no totals, so a small count cannot be worked back out."));
  const options = await scopeOptions(user, state.school_year);
  const form = reportFilters(user, state, options, { officers: false });
  const results = h("div", { class: "results" }, loading());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    Object.assign(state, readFilters(form), { officer_id: null });
    show(results).catch((error) => replace(results, message(errorText(error), "error")));
  });
  main.append(form, results);
  await show(results);
}

// Only the latest request draws.
let latest = 0;

async function show(results) {
  const mine = ++latest;
  replace(results, loading());
  const report = await get("/api/reports/public", state);
  if (mine !== latest) return;
  const csvHref = `/api/reports/public.csv${query(state)}`;
  replace(results,
    h("div", { class: "report-head" },
      h("p", { class: "as-of" }, `School year ${report.school_year.replace("-", "–")}. ${report.note}`),
      h("div", { class: "actions no-print" }, h("a", { class: "button", href: csvHref, download: "" }, "Download public CSV"))),
    report.schools.length ? null : message("No schools in scope."),
    report.schools.map((entry) => h("section", { class: "card" },
      h("h3", {}, `${entry.school.name} (${entry.school.code})`),
      table(`Public counts, ${entry.school.name}, ${report.school_year}`,
        ["Category", ...report.months.map((month) => h("th", { scope: "col", class: "num" },
          h("abbr", { title: monthLabel(month, true) }, monthLabel(month))))],
        entry.rows.map((row) => h("tr", {},
          h("th", { scope: "row" }, row.label),
          report.months.map((month) => {
            const value = row.months[month];
            return h("td", { class: value === "<5" ? "num suppressed" : "num" }, value === "<5" ? h("abbr", { title: "between 1 and 4" }, "<5") : value);
          }))),
        { className: "monthly", captionHidden: true }))));
  announce(`Public report for ${report.school_year}: ${report.schools.length} ${report.schools.length === 1 ? "school" : "schools"}.`);
}
