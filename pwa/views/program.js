// "My program": the officer's own standing, from GET /api/me/program (the compliance rules in the
// officer's own scope), kept on the phone with the time it was measured so it reads offline too,
// "as of 8:14 this morning". What the phone saved since then counts where it is cheap and honest:
// a meeting recorded this week shows at once, "waiting to sync" until the server has it. Records
// a supervisor sent back are counted from the phone's own copy. Also the home screen's gentle
// reminder when a school week has no meeting by Thursday.

import * as api from "../api.js";
import { NetworkError } from "../shared/api.js";
import { dateLabel, formatAsOf, formatDay, isoDay, mondayOf } from "../shared/dates.js";
import { h } from "../shared/dom.js";
import { PARTY_WORDS, ratingsLine, trainingStatus } from "../shared/standing.js";
import { getMeta, setMeta } from "../stores.js";
import { needsCorrection } from "./format.js";

const KEPT = "my_program";
const DISMISSED = "meeting_reminder_dismissed";
const THURSDAY = 4;
const MAX_AGE_MS = 15 * 60_000;

// How the last ask went ({db, at, fresh, offline}): a redraw of the copy kept says the same.
let lastAsked = null;

// The last answer the phone has. Asked for when the screen is opened (`navigated`), when the copy
// kept is older than MAX_AGE_MS, and after a sync that reached the server when the last ask failed;
// else (a redraw after each sync) the copy kept, as fresh as the last ask found it unless a sync
// has failed since. When the ask fails, the copy kept.
export async function loadProgram(ctx, { navigated = false } = {}) {
  const db = ctx.db;
  const kept = await getMeta(db, KEPT);
  const same = Boolean(kept) && lastAsked?.db === db && lastAsked.at === kept.at;
  const synced = !ctx.syncStatus?.error && !ctx.syncStatus?.paused;
  if (!navigated && kept && Date.now() - Date.parse(kept.at) < MAX_AGE_MS && ((same && lastAsked.fresh) || !synced)) {
    // A sync that failed since the last ask means the copy may be behind: say so, not "up to date".
    return { kept, fresh: same && lastAsked.fresh && synced, offline: (same && lastAsked.offline) || !navigator.onLine };
  }
  try {
    const body = await api.program();
    const answer = { at: new Date().toISOString(), body };
    if (db === ctx.db) {
      await setMeta(db, KEPT, answer);
      lastAsked = { db, at: answer.at, fresh: true, offline: false };
    }
    return { kept: answer, fresh: true };
  } catch (error) {
    const offline = error instanceof NetworkError;
    lastAsked = { db, at: kept?.at, fresh: false, offline };
    return { kept, fresh: false, offline, error };
  }
}

// --- what the phone saved since ---

const live = (record) => !record.voided;
const thisWeek = (record, monday) => mondayOf(new Date(record.data.occurred_at)).getTime() === monday.getTime();

function meetingsThisWeek(records, schoolId, monday) {
  return records.filter((record) => record.kind === "principal_meeting" && live(record)
    && record.data.school_id === schoolId && thisWeek(record, monday));
}

// Faculty meetings saved on the phone and not yet on the server (so not in the answer kept).
function unsentFacultyMeetings(records, schoolId) {
  return records.filter((record) => record.kind === "activity" && live(record) && record.state !== "synced"
    && record.data.school_id === schoolId && record.data.activity_type === "faculty_meeting")
    .reduce((sum, record) => sum + (record.data.count || 1), 0);
}

// --- the screen ---

const WEEK_MARKS = {
  confirmed: ["✓", "Confirmed"], pending: ["?", "Waiting for the principal"], disputed: ["!", "Disputed"],
  missing: ["✗", "No meeting"], upcoming: ["·", "Not over yet"], not_assigned: ["–", "Not assigned"],
};
const STATUS_TONES = { needs_correction: "bad", unsynced: "wait", met: "ok", confirmed: "ok", pending: "info", in_progress: "info", disputed: "bad",
  not_met: "bad", missing: "bad", upcoming: "muted", not_applicable: "muted", no_calendar: "muted", covered: "ok", gap: "bad" };
const STATUS_WORDS = { needs_correction: "Needs correction", unsynced: "Waiting to sync", met: "Met", confirmed: "Confirmed", pending: "Pending", in_progress: "In progress",
  disputed: "Disputed", not_met: "Not met", missing: "Missing", upcoming: "Not over yet", not_applicable: "Not applicable",
  no_calendar: "No calendar", late: "Late", covered: "Covered", gap: "Gap" };

function statusBadge(status) {
  return h("span", { class: `badge ${STATUS_TONES[status] || "muted"}` }, STATUS_WORDS[status] || status);
}

function card(title, status, ...body) {
  const id = `program-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return h("section", { class: "program-card", "aria-labelledby": id },
    h("h4", { id }, title, " ", status ? statusBadge(status) : null), body);
}

// This week from the answer kept, unless the phone knows better: a meeting saved and not yet
// sent, or one synced after the answer was measured (so not in it).
function weekLine(standing, local) {
  const week = standing.this_week;
  if (local.some((record) => record.state !== "synced")) {
    return { status: "unsynced", text: "Recorded, waiting to sync." };
  }
  if (!week) return { status: "not_applicable", text: "Not a school week in term." };
  if (!week.meetings && local.length) return { status: "pending", text: "Recorded; waiting for the principal to confirm." };
  return { status: week.status, text: week.text };
}

function weekGrid(weeks) {
  return h("ol", { class: "week-grid", "aria-label": "School weeks in term" }, weeks.map((week) => {
    const [mark, words] = WEEK_MARKS[week.status] || ["·", week.status];
    return h("li", { class: `week-cell week-${week.status}`, title: `Week of ${dateLabel(week.week_of)}: ${words}` },
      h("span", { "aria-hidden": "true" }, mark),
      h("span", { class: "visually-hidden" }, `Week of ${dateLabel(week.week_of)}: ${words}`));
  }));
}

function gridLegend() {
  return h("ul", { class: "week-legend", "aria-label": "Legend" }, Object.entries(WEEK_MARKS).map(([status, [mark, words]]) =>
    h("li", {}, h("span", { class: `week-cell week-${status}`, "aria-hidden": "true" }, mark), ` ${words}`)));
}

function meetingsCard(standing, records, monday) {
  const local = meetingsThisWeek(records, standing.school.id, monday);
  const line = weekLine(standing, local);
  const grid = standing.weekly_meetings.weeks;
  return card("This week's principal meeting", line.status,
    h("p", { class: "this-week" }, line.text),
    grid.length ? [h("p", { class: "hint" }, standing.weekly_meetings.text), weekGrid(grid), gridLegend()] : null);
}

function introductionsCard(intro) {
  const left = intro.status === "in_progress" && intro.window
    ? h("p", { class: "countdown" }, `${intro.school_days_left} ${intro.school_days_left === 1 ? "school day" : "school days"} left, until ${dateLabel(intro.window.to)}.`)
    : null;
  return card("Introductions in the first 20 school days", intro.status, left,
    h("ul", { class: "plain" }, intro.audiences.map((one) => h("li", {}, statusBadge(one.status), " ", one.text))));
}

function facultyCard(faculty, unsent) {
  return card("Faculty meetings", faculty.status,
    h("p", {}, h("meter", { min: 0, max: Math.max(faculty.target, faculty.count), value: faculty.count,
      "aria-label": `${faculty.count} of ${faculty.target} faculty meetings` }), ` ${faculty.text}`),
    unsent ? h("p", { class: "hint" }, `And ${unsent} saved on this phone, waiting to sync.`) : null);
}

function reviewsCard(reviews) {
  return card("Semester review with supervisor and principal", reviews.status,
    h("ul", { class: "plain" }, reviews.terms.filter((term) => term.status !== "not_applicable").map((term) => h("li", {},
      statusBadge(term.status), " ", term.text,
      term.review ? h("span", { class: "parties" }, ` Supervisor ${PARTY_WORDS[term.review.supervisor.status]}, `
        + `principal ${PARTY_WORDS[term.review.principal.status]}.`) : null))));
}

function trainingCard(training) {
  if (!training) return null;
  const parts = [training.basic_course, training.yearly_course, training.topics];
  return card("Training", trainingStatus(training), h("ul", { class: "plain" }, parts.map((part) => h("li", {}, statusBadge(part.status), " ", part.text))));
}

function feedbackCard(feedback) {
  return card("Principal's feedback", null,
    feedback.length ? h("ul", { class: "plain feedback-list" }, feedback.map((one) => h("li", {},
      h("strong", {}, `${one.term}, ${one.school.name}`),
      h("span", { class: "ratings" }, ratingsLine(one)),
      one.comment ? h("span", { class: "comment" }, `“${one.comment}”`) : null)))
      : h("p", { class: "empty" }, "No feedback from the principal yet this school year."));
}

function correctionsCard(records) {
  const count = records.filter(needsCorrection).length;
  return card("Records waiting for your correction", count ? "needs_correction" : null,
    h("p", { id: "corrections-count" }, count ? `${count} ${count === 1 ? "record" : "records"} sent back by your supervisor.` : "None."),
    count ? h("a", { class: "button secondary", href: "#/attention" }, "Show them") : null);
}

function freshness({ kept, fresh, offline }) {
  const when = formatAsOf(kept.at);
  if (fresh) return h("p", { class: "as-of", id: "program-as-of" }, `Up to date, ${when}.`);
  return h("p", { class: "callout wait", id: "program-as-of", role: "status" },
    `${offline ? "Offline" : "Not updated"}: showing your program ${when}. `,
    "Records saved on this phone since then are counted where marked.");
}

export function programView(ctx, { loaded, records }) {
  const { kept } = loaded;
  const title = h("h2", { id: "view-title", tabindex: "-1" }, "My program");
  if (!kept) {
    return h("section", { class: "view", "aria-labelledby": "view-title" }, title,
      h("p", { class: "notice" }, loaded.offline ? "My program needs one connection first; open it again when online."
        : loaded.error?.message || "Could not load your program."),
      h("a", { class: "button secondary", href: "#/" }, "Back"));
  }
  const { body } = kept;
  const monday = mondayOf(new Date());
  return h("section", { class: "view program", "aria-labelledby": "view-title" }, title,
    freshness(loaded),
    body.schools.length ? null : h("p", { class: "notice" }, `No school assignment in ${body.school_year}.`),
    body.schools.map((standing) => h("section", { class: "program-school", "aria-label": standing.school.name },
      body.schools.length > 1 ? h("h3", {}, standing.school.name) : null,
      meetingsCard(standing, records, monday),
      introductionsCard(standing.introductions),
      facultyCard(standing.faculty_meetings, unsentFacultyMeetings(records, standing.school.id)),
      reviewsCard(standing.semester_reviews))),
    trainingCard(body.training),
    feedbackCard(body.feedback),
    correctionsCard(records),
    h("div", { class: "form-actions" }, h("a", { class: "button secondary", href: "#/" }, "Back")));
}

// --- the home screen's reminder ---

// From Thursday of a school week, each school with no meeting recorded this week (local records,
// synced or not). The school calendar comes from the last program kept, when there is one: a week
// that is not a school week in term, or where the officer is not assigned, asks for nothing.
export async function meetingReminder(ctx, records) {
  const today = new Date();
  if (today.getDay() < THURSDAY || today.getDay() > 5) return null;
  const monday = mondayOf(today);
  if ((await getMeta(ctx.db, DISMISSED)) === isoDay(monday)) return null;
  const program = (await getMeta(ctx.db, KEPT))?.body;
  const standings = new Map((program?.schools || []).map((standing) => [standing.school.id, standing]));
  const day = isoDay(today);
  const assigned = (school) => (!school.assigned_from || school.assigned_from <= day)
    && (!school.assigned_until || school.assigned_until >= day);
  const schools = (ctx.user.schools || []).filter(assigned).filter((school) => {
    const standing = standings.get(school.id);
    if (program && (!standing?.this_week || standing.this_week.status === "not_assigned")) return false;
    return !meetingsThisWeek(records, school.id, monday).length;
  });
  return schools.length ? { monday, schools } : null;
}

export function reminderBanner(ctx, reminder) {
  if (!reminder) return null;
  async function dismiss() {
    await setMeta(ctx.db, DISMISSED, isoDay(reminder.monday));
    ctx.rerender();
  }
  const names = reminder.schools.map((school) => school.name).join(", ");
  return h("section", { class: "callout wait reminder", id: "meeting-reminder", "aria-labelledby": "reminder-title" },
    h("h3", { id: "reminder-title" }, "No principal meeting this week yet"),
    h("p", {}, `Week of ${formatDay(reminder.monday)}: nothing recorded with the principal or designee at ${names}.`),
    h("div", { class: "form-actions" },
      h("a", { class: "button primary", href: "#/new/principal_meeting" }, "Record a meeting"),
      h("button", { type: "button", class: "secondary", id: "dismiss-reminder", onclick: dismiss }, "Not this week")));
}
