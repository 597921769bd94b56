// Which officers and schools the signed-in person may filter by: admins ask the admin API;
// supervisors and principals take them from the compliance report (already role-scoped).

import { get } from "./client.js";
import { currentSchoolYear, field, h, schoolYears, select } from "./ui.js";

const cache = new Map();
let compliance = null;
let fetchedAt = 0;
const FRESH_MS = 60000;  // the filter lists and the dashboard share one answer; records keep syncing, so not for long

// fresh: asked for again (after the caller's own decision), and kept in place of the old copy.
export async function complianceFor(schoolYear, { fresh = false } = {}) {
  if (fresh || compliance?.school_year !== schoolYear || Date.now() - fetchedAt > FRESH_MS) {
    compliance = await get("/api/reports/compliance", { school_year: schoolYear });
    fetchedAt = Date.now();
  }
  return compliance;
}

// The copy kept predates a decision made on a filtered report: the next unfiltered one asks again.
export function forgetCompliance() {
  compliance = null;
}

function byName(a, b) {
  return a.name.localeCompare(b.name);
}

export async function scopeOptions(user, schoolYear) {
  const key = `${user.id}:${schoolYear}`;
  if (cache.has(key)) return cache.get(key);
  let officers = [];
  let schools = [];
  if (user.role === "admin") {
    [officers, schools] = await Promise.all([get("/api/admin/users", { role: "officer" }), get("/api/admin/schools")]);
  } else {
    const report = await complianceFor(schoolYear);
    const seenOfficers = new Map();
    const seenSchools = new Map((user.schools || []).map((school) => [school.id, school]));
    for (const unit of report.units) {
      seenOfficers.set(unit.officer.id, unit.officer);
      seenSchools.set(unit.school.id, unit.school);
    }
    officers = user.role === "principal" ? [] : [...seenOfficers.values()];
    schools = [...seenSchools.values()];
  }
  const options = { officers: [...officers].sort(byName), schools: [...schools].sort(byName) };
  cache.set(key, options);
  return options;
}

// The filter bar shared by the reports: school year, and officer / school where the role has a choice.
export function reportFilters(user, state, options, { officers = true } = {}) {
  const years = schoolYears();
  if (!years.includes(state.school_year)) years.push(state.school_year);
  const controls = [
    field("School year", select("school_year", years.map((year) => [year, year.replace("-", "–")]), state.school_year)),
  ];
  if (officers && user.role !== "principal") {
    controls.push(field("Officer", select("officer_id",
      [["", user.role === "admin" ? "All officers" : "All my officers"], ...options.officers.map((one) => [one.id, one.name])], state.officer_id ?? "")));
  }
  if (user.role !== "principal" || options.schools.length > 1) {
    controls.push(field("School", select("school_id",
      [["", "All schools"], ...options.schools.map((one) => [one.id, `${one.name} (${one.code})`])], state.school_id ?? "")));
  }
  return h("form", { class: "filters no-print", "aria-label": "Report filters" }, controls,
    h("button", { type: "submit", class: "primary" }, "Show"));
}

export function readFilters(form) {
  const data = new FormData(form);
  return {
    school_year: data.get("school_year") || currentSchoolYear(),
    officer_id: data.get("officer_id") || null,
    school_id: data.get("school_id") || null,
  };
}
