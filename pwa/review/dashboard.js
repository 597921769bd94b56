// Compliance dashboard: per officer and school, the program's written practices for a school
// year (docs/reports.md): weekly principal meetings (KY 20) as an SVG grid with a table,
// introductions (KY 5), faculty meetings against 6 (KY 3), semester reviews (KY 8),
// extracurricular contacts per month (KY 17) and the more-than-one-school flag (KY 9); and each
// officer's training (KY 22): the 120-hour basic course, a course this school year, the Chicago topics.

import { forms, get, post } from "./client.js";
import { choiceOptions } from "/shared/forms.js";
import { ratingsLine, trainingStatus } from "/shared/standing.js";
import { barChart, legend, weekGrid } from "./charts.js";
import { complianceFor, forgetCompliance, readFilters, reportFilters, scopeOptions } from "./scope.js";
import { announce, badge, currentSchoolYear, dateLabel, errorText, field, formAlert, h, humanize, input, loading, message, monthLabel, onSubmit, replace, select, table } from "./ui.js";

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

// fresh: after the supervisor's own decision, the report is asked for again, and the copy kept
// (scope.js) is replaced or dropped, so coming back to this screen shows the decision too.
async function show(results, user, { fresh = false } = {}) {
  const mine = ++latest;
  replace(results, loading());
  const filtered = state.officer_id || state.school_id || state.as_of;
  if (filtered && fresh) forgetCompliance();
  const [report, feedback, described] = await Promise.all([filtered
    ? get("/api/reports/compliance", state)
    : complianceFor(state.school_year, { fresh }), get("/api/feedback", { school_year: state.school_year }),
  user.role === "admin" ? forms() : null]);
  if (mine !== latest) return;
  const units = report.units;
  const training = new Map((report.training || []).map((entry) => [entry.officer.id, entry]));
  const trainingOf = (unit) => training.get(unit.officer.id);  // none for principals
  if (!units.length) {
    replace(results, message(`No officer assignments in ${state.school_year} ${user.role === "principal" ? "at your school" : "in your scope"}.`));
    return;
  }
  replace(results,
    h("p", { class: "as-of" }, `School year ${report.school_year.replace("-", "–")}, measured on ${dateLabel(report.as_of)}.`),
    summaryTable(units, trainingOf),
    units.map((unit) => unitCard(unit, trainingOf(unit), user, () => show(results, user, { fresh: true }),
      feedback.answers.filter((answer) => answer.officer.id === unit.officer.id && answer.school.id === unit.school.id),
      described)));
  announce(`Compliance for ${report.school_year}: ${units.length} ${units.length === 1 ? "officer and school" : "officer and school pairs"}.`);
}

function unitId(unit) {
  return `unit-${unit.officer.id}-${unit.school.id}`;
}

function summaryTable(units, trainingOf) {
  const withTraining = units.some((unit) => trainingOf(unit));
  const rows = units.map((unit) => h("tr", {},
    h("th", { scope: "row" }, h("a", { href: `#dashboard`, "data-target": unitId(unit), class: "jump" }, unit.officer.name)),
    h("td", {}, `${unit.school.name} (${unit.school.code})`),
    h("td", {}, badge(unit.weekly_meetings.status), " ", summaryCounts(unit.weekly_meetings.summary)),
    h("td", {}, badge(unit.introductions.status)),
    h("td", {}, badge(unit.faculty_meetings.status), " ",
      h("span", { class: "nowrap" }, `${unit.faculty_meetings.count} of ${unit.faculty_meetings.target}`)),
    h("td", {}, badge(unit.semester_reviews.status)),
    h("td", {}, badge(unit.multiple_schools.status)),
    withTraining ? h("td", {}, trainingCell(trainingOf(unit))) : null));
  const wrap = table("Summary: one row per officer and school",
    ["Officer", "School", "Weekly meetings (KY 20)", "Introductions (KY 5)", "Faculty meetings (KY 3)",
      "Semester reviews (KY 8)", "Schools (KY 9)", ...(withTraining ? ["Training (KY 22)"] : [])], rows,
    { className: "summary", stack: true });
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

function trainingCell(training) {
  if (!training) return h("span", { class: "muted" }, "—");
  const gaps = training.topics.topics.filter((topic) => topic.status === "gap").length;
  const parts = [
    training.basic_course.completed_on ? `Basic course ${dateLabel(training.basic_course.completed_on)}` : "No basic course",
    `${training.yearly_course.hours} h this year`,
    gaps ? `${gaps} topic ${gaps === 1 ? "gap" : "gaps"}` : "all topics",
  ];
  return [badge(trainingStatus(training)), " ", h("span", { class: "muted" }, parts.join(" · "))];
}

// The officer's training, in each of their school cards: it is the officer's, not the school's.
function trainingRule(training, user, redraw, described) {
  return rule("Training (KY 22)", { status: trainingStatus(training), text: "" },
    h("ul", { class: "plain" },
      h("li", {}, badge(training.basic_course.status), " 120-hour basic SRO course: ", training.basic_course.text),
      h("li", {}, badge(training.yearly_course.status), " SRO course this school year: ", training.yearly_course.text)),
    h("p", {}, badge(training.topics.status), " Chicago topics: ", training.topics.text),
    h("ul", { class: "plain topics", "aria-label": "Chicago training topics" }, training.topics.topics.map((topic) => h("li", {},
      badge(topic.status), ` ${topic.label}`, topic.last_on ? h("span", { class: "muted" }, ` (latest ${dateLabel(topic.last_on)})`) : null))),
    user.role === "admin" && described ? courseEntry(training, redraw, described) : null);
}

// An admin enters a course for the officer (often the 120-hour basic course, certified on paper
// before the officer had the app). It becomes the officer's own training record, through the same
// push as the phone's, and reaches their phone; the history names the admin.
function courseEntry(training, redraw, described) {
  const officer = training.officer;
  const basicMissing = training.basic_course.status !== "met";
  const id = (name) => `course-${officer.id}-${name}`;
  const form = h("form", { class: "course-entry", novalidate: true, "aria-label": `Enter a course for ${officer.name}` },
    formAlert(),
    field("Course", input("course", { id: id("course"), maxlength: "200", required: true,
      value: basicMissing ? "Basic SRO course (120 hours)" : "" })),
    field("Completed on", input("occurred_at", { id: id("date"), type: "date", required: true })),
    field("Provider", select("provider", choiceOptions(described, "training", "provider"), "state_academy", { id: id("provider") })),
    field("Hours", input("hours", { id: id("hours"), type: "number", min: "0.5", max: "1000", step: "0.5", required: true,
      value: basicMissing ? "120" : "" })),
    h("div", { class: "check" },
      h("input", { type: "checkbox", name: "basic_course", id: id("basic"), checked: basicMissing }),
      h("label", { for: id("basic") }, "This is the 120-hour basic SRO course")),
    field("Certificate number (optional)", input("certificate_number", { id: id("certificate"), maxlength: "100" })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Record the course")));
  onSubmit(form, async (values) => {
    if (!values.occurred_at) {
      throw Object.assign(new Error("Enter the date the course was completed."),
        { fields: { occurred_at: ["Enter the date the course was completed."] } });
    }
    const data = {
      school_id: null, occurred_at: `${values.occurred_at}T12:00:00Z`,
      duration_minutes: null, notes: null, course: values.course, provider: values.provider, topics: [],
      hours: values.hours === "" ? null : Number(values.hours), basic_course: form.elements.basic_course.checked,
      certificate_number: values.certificate_number || null,
    };
    await post(`/api/admin/officers/${officer.id}/training`, { mutation_id: crypto.randomUUID(), id: crypto.randomUUID(), data });
    announce(`Course recorded for ${officer.name}.`);
    await redraw();
  });
  return h("details", { class: "course-entry-box" }, h("summary", {}, `Enter a course for ${officer.name}`), form);
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

const REVIEW_PARTIES = [["supervisor", "Supervisor"], ["principal", "Principal"]];

// KY 8: a term's semester review, met only when the supervisor and the principal both confirmed.
function termReview(term, user, redraw) {
  const review = term.review;
  return h("li", { class: "term-review" }, badge(term.status), " ", term.text,
    review ? h("ul", { class: "plain parties" }, REVIEW_PARTIES.map(([party, label]) => h("li", {},
      badge(review[party].status), ` ${label}: ${review[party].text}`,
      review[party].comment ? h("span", { class: "muted" }, ` “${review[party].comment}”`) : null))) : null,
    review && user.role === "supervisor" ? participationForm(review, redraw) : null);
}

// The supervisor's part: confirm taking part, or dispute the record with a comment. Decided on the
// version the report showed; an officer's edit since answers 409 and the report is redrawn.
function participationForm(review, redraw) {
  const comment = h("textarea", { name: "comment", rows: "2", maxlength: "2000", id: `participation-${review.id}` });
  const form = h("form", { class: "participation", novalidate: true, "aria-label": `Your part in the semester review of ${dateLabel(review.occurred_on)}` },
    formAlert(),
    field("Comment", comment, { hint: "Required to dispute; optional to confirm." }),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "primary", value: "confirmed" }, review.supervisor.status === "pending" ? "Confirm I took part" : "Confirm"),
      h("button", { type: "submit", class: "danger", value: "disputed" }, "Dispute")));
  let decision = "confirmed";
  form.addEventListener("click", (event) => { if (event.target.value) decision = event.target.value; });
  return onSubmit(form, async (values) => {
    await post(`/api/records/${review.id}/participation`,
      { decision, comment: values.comment || null, base_version: review.version });
    announce(decision === "confirmed" ? "Semester review confirmed." : "Semester review disputed.");
    await redraw();
  });
}

// KY 25, 26: the principal's semester feedback on this officer at this school, beside the rules.
function feedbackRule(answers) {
  return rule("Principal's feedback (KY 25, 26)", { status: answers.length ? "recorded" : "none", text: "" },
    answers.length ? h("ul", { class: "plain" }, answers.map((answer) => h("li", {},
      h("strong", {}, `${answer.term}, ${answer.principal.name}: `),
      ratingsLine(answer),
      answer.comment ? h("span", { class: "muted" }, ` “${answer.comment}”`) : null,
      h("span", { class: "muted" }, ` (${dateLabel(answer.given_at)})`))))
      : h("p", { class: "muted" }, "No feedback from the principal this school year."));
}

function unitCard(unit, training, user, redraw, feedback, described) {
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
        h("ul", { class: "plain" }, unit.semester_reviews.terms.map((term) => termReview(term, user, redraw)))),
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
          { className: "compact" }))),
    feedbackRule(feedback),
    training ? trainingRule(training, user, redraw, described) : null);
}

function narrow() {
  return window.matchMedia("(max-width: 720px)").matches;
}

function progress(count, target) {
  return h("p", { class: "progress-line" },
    h("meter", { min: 0, max: Math.max(target, count), value: count, "aria-label": `${count} of ${target} faculty meetings` }),
    ` ${count} of ${target}`);
}
