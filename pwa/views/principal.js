// Principals (and designees): their schools' meetings by school week, to confirm or
// dispute, and the semester reviews (KY 8) they took part in, to confirm or dispute the same
// way. A decision is saved on the phone first (saveDecision) and sent by sync.js.

import * as api from "../api.js";
import { saveDecision } from "../outbox.js";
import { NetworkError } from "../shared/api.js";
import { formatDay, formatWeekDay, formatWhen, isoDay, mondayOf } from "../shared/dates.js";
import { h } from "../shared/dom.js";
import { choiceLabel, kindForm } from "../shared/forms.js";
import { displayValue } from "./record.js";

const KIND = "principal_meeting";
const DECIDED = { confirmed: "Confirmed", disputed: "Disputed" };
const BADGES = {
  void: ["Voided by the officer", "muted"], review: ["Changed by the officer: review again", "bad"],
  attention: ["Not accepted: decide again", "bad"], confirmed: ["Confirmed", "ok"], disputed: ["Disputed", "bad"],
  pending: ["To confirm", "info"],
};

const isSemesterReview = (record) => record.kind === "activity" && record.data?.activity_type === "semester_review";

// The principal's own decision as the server has it: a meeting's confirmation, or their part
// in a semester review (the supervisor's part is theirs to give).
const principalPart = (record) => (record.kind === KIND ? record.confirmation : record.participation?.principal);

export function meetingStatus(record) {
  if (record.voided) return "void";
  if (record.state === "conflict") return "review";
  if (record.state === "attention") return "attention";
  if (record.decision) return "queued";
  const part = principalPart(record);
  return DECIDED[part?.status] ? part.status : "pending";
}

const open = (record) => ["pending", "review", "attention"].includes(meetingStatus(record));

function badge(record) {
  const status = meetingStatus(record);
  const [text, tone] = status === "queued" ? [`${DECIDED[record.decision.decision]} · waiting to send`, "wait"] : BADGES[status];
  return h("span", { class: "badges" }, h("span", { class: `badge ${tone}` }, text));
}

const dayOf = (iso) => new Date(`${iso}T12:00:00`);

// The Monday of the meeting's week, as a local date: "2026-11-16".
const weekOf = (iso) => isoDay(mondayOf(new Date(iso)));

// Weeks with something to decide first, then the newest; in a week, what to decide first.
function weeksOf(meetings) {
  const weeks = new Map();
  for (const record of meetings) {
    const monday = weekOf(record.data.occurred_at);
    weeks.set(monday, [...(weeks.get(monday) || []), record]);
  }
  const rank = (record) => (open(record) ? 0 : 1);
  return [...weeks].map(([monday, list]) => ({
    monday, meetings: list.sort((a, b) => rank(a) - rank(b) || a.occurred_ms - b.occurred_ms),
  })).sort((a, b) => rank(a.meetings[0]) - rank(b.meetings[0]) || b.monday.localeCompare(a.monday));
}

// Per school, the ended weeks in term with no meeting by any officer (compliance report).
export function weeksWithoutMeeting(report) {
  const schools = {};
  for (const unit of report.units) {
    const weeks = (schools[unit.school.id] ||= {});
    if (unit.weekly_meetings.status === "no_calendar") weeks.none = true;
    for (const { week_of: week, status } of unit.weekly_meetings.weeks) {
      const met = ["confirmed", "pending", "disputed"].includes(status);
      if (met || status === "missing") weeks[week] = !met && weeks[week] !== false;
    }
  }
  for (const [id, weeks] of Object.entries(schools)) {
    schools[id] = weeks.none ? null : Object.keys(weeks).filter((week) => weeks[week]).sort();
  }
  return schools;
}

async function decide(ctx, records, message, decision = "confirmed", comment = null, options = {}) {
  for (const record of records) await saveDecision(ctx.db, { id: record.id, decision, comment }, options);
  ctx.decided(`${message} on this phone${navigator.onLine ? "; sending…" : "; it will be sent when online."}`);
}

function meetingItem(ctx, record) {
  const { data } = record;
  const topics = (data.topics || []).map((topic) => choiceLabel(ctx.forms, KIND, "topics", topic)).join(", ");
  return h("li", { class: `rec meeting status-${meetingStatus(record)}` },
    h("a", { href: `#/meeting/${record.id}` },
      h("span", { class: "rec-kind" }, record.owner_name || "Officer"),
      h("span", { class: "rec-summary" }, data.summary || `Met ${data.attendee_name}`),
      topics ? h("span", { class: "rec-topics" }, topics) : null,
      h("span", { class: "rec-meta" }, `${formatWhen(data.occurred_at)} · with ${data.attendee_name}`),
      badge(record)),
    meetingStatus(record) === "pending" ? h("div", { class: "rec-actions" },
      h("button", { type: "button", class: "primary", onclick: () => decide(ctx, [record], "Confirmed") }, "Confirm"),
      h("a", { class: "button secondary", href: `#/meeting/${record.id}?dispute=1` }, "Dispute…")) : null);
}

function weekSection(ctx, week, id) {
  const pending = week.meetings.filter((record) => meetingStatus(record) === "pending");
  return h("section", { class: "week", "aria-labelledby": id },
    h("div", { class: "week-head" },
      h("h3", { id }, `Week of ${formatWeekDay(dayOf(week.monday))}`),
      h("span", { class: "week-count" }, pending.length ? `${pending.length} to confirm` : "")),
    pending.length > 1 ? h("button", {
      type: "button", class: "secondary confirm-week", onclick: () => decide(ctx, pending, `${pending.length} meetings confirmed`),
    }, `Confirm all ${pending.length} of this week`) : null,
    h("ul", { class: "records" }, week.meetings.map((record) => meetingItem(ctx, record))));
}

// Collapsed to one line, so the meetings to decide stay near the top of a phone screen.
// A meeting pulled since the report was fetched already fills its week.
function missingWeeks(school, grid, here) {
  if (!grid) return h("p", { class: "empty" }, "Weeks without a meeting show here after a sync with a connection.");
  const met = new Set(here.filter((record) => !record.voided).map((record) => weekOf(record.data.occurred_at)));
  const found = grid.schools[school.id];
  if (!found) {
    return h("p", { class: "empty" }, found === null ? "No term calendar for this school year yet: weeks cannot be counted."
      : "No officer is assigned here this school year.");
  }
  const weeks = found.filter((week) => !met.has(week));
  if (!weeks.length) return h("p", { class: "missing all-met" }, "Every school week so far has a meeting.");
  return h("details", { class: "missing" },
    h("summary", {}, `${weeks.length} ${weeks.length === 1 ? "week" : "weeks"} in term with no meeting at all`),
    h("ul", { class: "chips", "aria-label": "Weeks with no meeting" },
      weeks.map((week) => h("li", {}, `Week of ${formatDay(dayOf(week))}`))));
}

function reviewItem(ctx, record) {
  const { data } = record;
  return h("li", { class: `rec meeting semester-review status-${meetingStatus(record)}` },
    h("a", { href: `#/meeting/${record.id}` },
      h("span", { class: "rec-kind" }, `Semester review · ${record.owner_name || "Officer"}`),
      h("span", { class: "rec-summary" }, data.review_outcome || data.topic || "Semester review"),
      h("span", { class: "rec-meta" }, formatWhen(data.occurred_at)),
      badge(record)),
    meetingStatus(record) === "pending" ? h("div", { class: "rec-actions" },
      h("button", { type: "button", class: "primary", onclick: () => decide(ctx, [record], "Confirmed") }, "Confirm"),
      h("a", { class: "button secondary", href: `#/meeting/${record.id}?dispute=1` }, "Dispute…")) : null);
}

// KY 8: the supervisor, the principal and the officer meet each semester; the officer records it
// and the principal confirms taking part (or disputes it).
function reviewsSection(ctx, reviews) {
  if (!reviews.length) return null;
  const waiting = reviews.filter(open).length;
  return h("section", { class: "semester-reviews", id: "semester-reviews", "aria-labelledby": "reviews-title" },
    h("h3", { id: "reviews-title" }, waiting ? `Semester reviews to confirm (${waiting})` : "Semester reviews"),
    h("p", { class: "hint" }, "The officer recorded a semester review with you and their supervisor. Confirm you took part, or dispute it."),
    h("ul", { class: "records" }, [...reviews].sort((a, b) => b.occurred_ms - a.occurred_ms).map((record) => reviewItem(ctx, record))));
}

export function principalHomeView(ctx, { records, grid }) {
  const meetings = records.filter((record) => record.kind === KIND);
  const reviews = records.filter(isSemesterReview);
  const count = meetings.filter(open).length;
  const needing = meetings.filter((record) => open(record) && record.state !== "synced");
  const schools = ctx.user.schools || [];
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("div", { class: "summary-card" },
      h("h2", { id: "view-title", tabindex: "-1" }, count === 1 ? "1 meeting to confirm" : `${count || "No"} meetings to confirm`),
      h("p", {}, schools.map((school) => school.name).join(", "))),
    h("nav", { class: "home-links", "aria-label": "Feedback" },
      h("a", { class: "button secondary", href: "#/feedback" }, "Semester feedback")),
    reviewsSection(ctx, reviews),
    needing.length ? h("section", { class: "attention", id: "attention", "aria-labelledby": "attention-title" },
      h("h3", { id: "attention-title", tabindex: "-1" }, `Review again (${needing.length})`),
      h("ul", { class: "records" }, needing.map((record) => meetingItem(ctx, record)))) : null,
    schools.map((school) => {
      const here = meetings.filter((record) => record.data.school_id === school.id);
      return h("section", { "aria-label": school.name },
        schools.length > 1 ? h("h3", { class: "school-name" }, school.name) : null,
        missingWeeks(school, grid, here),
        here.length ? weeksOf(here).map((week, index) => weekSection(ctx, week, `week-${school.id}-${index}`))
          : h("p", { class: "empty" }, "No meetings recorded yet."));
    }),
    grid ? h("p", { class: "as-of" }, `Weeks as of ${formatWhen(grid.at)}`) : null,
    h("p", { class: "version" }, ctx.shellVersion ? `App version ${ctx.shellVersion}` : ""));
}

// --- one meeting ---

const shown = (ctx, kind, field, data) => displayValue(ctx, kind, field, data?.[field.name]);
// A semester review shows what the meeting was about, not the activity form's other fields.
const REVIEW_FIELDS = new Set(["occurred_at", "duration_minutes", "topic", "review_outcome", "agreement_changes", "notes"]);

function fieldsOf(ctx, kind) {
  const fields = kindForm(ctx.forms, kind)?.fields || [];
  return kind === KIND ? fields : fields.filter((field) => REVIEW_FIELDS.has(field.name));
}

function fieldRows(ctx, record) {
  return h("dl", { class: "fields" }, h("dt", {}, "Officer"), h("dd", {}, record.owner_name || "—"),
    fieldsOf(ctx, record.kind).filter((field) => shown(ctx, record.kind, field, record.data) !== "—")
      .map((field) => [h("dt", {}, field.label), h("dd", {}, shown(ctx, record.kind, field, record.data))]));
}

function changedFields(ctx, kind, before, after) {
  return fieldsOf(ctx, kind).filter((field) => shown(ctx, kind, field, before) !== shown(ctx, kind, field, after))
    .map((field) => h("li", {}, h("strong", {}, `${field.label}: `), `${shown(ctx, kind, field, before)} → ${shown(ctx, kind, field, after)}`));
}

function reviewBlock(ctx, record, conflict) {
  if (!conflict) return null;
  const { mine, server } = conflict;
  const changes = changedFields(ctx, record.kind, mine.seen, server.data);
  return h("div", { class: "callout bad", role: "alert", id: "review-again" },
    h("h3", {}, "Changed by the officer: review again"),
    h("p", {}, `You ${mine.decision} this ${noun(record)} as it read then; the officer changed it since, `,
      "so your decision was not recorded."),
    changes.length ? [h("p", {}, "What the officer changed:"), h("ul", { class: "changes" }, changes)] : null,
    h("p", {}, "Read the meeting as it is now, below, and decide again."));
}

function statusBlock(record, problems) {
  const { decision } = record;
  const done = principalPart(record);
  const quote = (text) => (text ? h("p", {}, `“${text}”`) : null);
  if (problems.length) {
    return h("div", { class: "callout bad", role: "alert" }, h("h3", {}, "Your decision was not accepted"),
      h("ul", {}, problems.flatMap((problem) => Object.values(problem.errors).flat().map((text) => h("li", {}, text)))));
  }
  if (decision) {
    return h("div", { class: "callout wait" }, h("h3", {}, `${DECIDED[decision.decision]}: waiting to send`),
      h("p", {}, "Saved on this phone; it is sent when there is a connection."), quote(decision.comment));
  }
  if (!DECIDED[done?.status]) return null;
  return h("div", { class: `callout ${done.status === "disputed" ? "bad" : "ok"}` },
    h("h3", {}, `${DECIDED[done.status]} by ${done.by_name}`),
    h("p", {}, formatWhen(done.at), done.version !== undefined && done.version !== record.version
      ? ", before the officer's last change" : null), quote(done.comment));
}

function decisionForm(ctx, record, conflict) {
  if (record.voided) return null;
  const error = h("p", { class: "error", id: "comment-error" });
  const comment = h("textarea", {
    id: "decision-comment", name: "comment", rows: "3", maxlength: "2000", "aria-describedby": "comment-hint comment-error",
  });
  function submit(event) {
    event.preventDefault();
    const decision = event.submitter?.value || "confirmed";
    const text = comment.value.trim();
    if (decision === "disputed" && !text) {
      error.textContent = "Say what is wrong with this record: a dispute needs a comment.";
      comment.setAttribute("aria-invalid", "true");
      comment.focus();
      return;
    }
    decide(ctx, [record], DECIDED[decision], decision, text || null,
      conflict ? { resolvesConflictAt: conflict.server.version } : {});
  }
  const decided = record.decision || DECIDED[principalPart(record)?.status];
  return h("form", { class: "decision", onsubmit: submit, novalidate: true },
    h("h3", {}, decided && !conflict ? "Change your decision"
      : conflict ? `Your decision on the ${noun(record)} as it is now` : "Your decision"),
    h("div", { class: "field" },
      h("label", { for: "decision-comment" }, "Comment"),
      h("p", { class: "hint", id: "comment-hint" }, "Required to dispute; optional to confirm."),
      comment, error),
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "primary", value: "confirmed" }, "Confirm"),
      h("button", { type: "submit", class: "danger", value: "disputed" }, "Dispute")));
}

const noun = (record) => (record.kind === KIND ? "meeting" : "semester review");

// The comment of a decision in the history: a meeting's confirmation, or the deciding party's
// part of a semester review (the supervisor's or the principal's: by their role).
function decisionComment(revision) {
  const { snapshot, actor } = revision;
  return snapshot.kind === KIND ? snapshot.confirmation?.comment : snapshot.participation?.[actor.role]?.comment;
}

const ACTIONS = { create: "Recorded", update: "Changed", void: "Voided", confirm: "Confirmed", dispute: "Disputed" };

// Each version and each decision, who and when (online only). Officers' proposals that
// lost a conflict were never versions of the meeting: left out.
async function loadHistory(ctx, id, box) {
  try {
    const { revisions } = await api.history(id);
    let previous = null;
    box.replaceChildren(h("ol", { class: "history", id: "history" }, revisions.filter((r) => r.outcome === "accepted").map((r) => {
      const changes = r.action === "update" ? changedFields(ctx, r.snapshot.kind, previous?.data, r.snapshot.data) : [];
      if (r.action === "create" || r.action === "update") previous = r.snapshot;
      const comment = ["confirm", "dispute"].includes(r.action) ? decisionComment(r) : null;
      return h("li", {}, h("strong", {}, `${ACTIONS[r.action] || r.action} · version ${r.version}`),
        h("span", {}, `${r.actor.name}, ${formatWhen(r.at)}`), comment ? h("span", {}, `“${comment}”`) : null,
        changes.length ? h("ul", { class: "changes" }, changes) : null);
    })));
  } catch (error) {
    box.replaceChildren(h("p", { class: "empty" }, error instanceof NetworkError
      ? "The history needs a connection; open this again when online." : error.message));
  }
}

export function meetingView(ctx, { record, problems, conflict }) {
  const history = h("div", {}, h("p", { class: "empty" }, "Loading the history…"));
  loadHistory(ctx, record.id, history);
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" },
      `${record.kind === KIND ? "Meeting" : "Semester review"} on ${formatWeekDay(new Date(record.data.occurred_at))}`),
    ["pending", "void"].includes(meetingStatus(record)) ? badge(record) : null,
    reviewBlock(ctx, record, conflict),
    statusBlock(record, problems),
    fieldRows(ctx, record),
    decisionForm(ctx, record, conflict),
    h("h3", {}, "History"),
    history,
    h("div", { class: "form-actions" }, h("a", { class: "button secondary", href: "#/" }, "Back")));
}
