// A principal (or designee) in the same app: the meetings officers recorded at their
// school(s), by school week, to confirm or dispute; each decision is saved on the
// phone first (saveDecision) and sent by the same sync as the officer's records.

import * as api from "../api.js";
import { dismissConflict, saveDecision } from "../db.js";
import { h } from "./dom.js";
import { choiceLabel, formatWhen, kindForm } from "./format.js";
import { displayValue } from "./record.js";

const KIND = "principal_meeting";
const WEEK_DAY = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const DAY = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const DECIDED = { confirmed: "Confirmed", disputed: "Disputed" };
const BADGES = {
  void: ["Voided by the officer", "muted"],
  review: ["Changed by the officer: review again", "bad"],
  attention: ["Not accepted: decide again", "bad"],
  confirmed: ["Confirmed", "ok"],
  disputed: ["Disputed", "bad"],
  pending: ["To confirm", "info"],
};
const TO_DECIDE = new Set(["pending", "review", "attention"]);

export function meetingStatus(record) {
  if (record.voided) return "void";
  if (record.state === "conflict") return "review";
  if (record.state === "attention") return "attention";
  if (record.decision) return "queued";
  return record.confirmation?.status === "confirmed" || record.confirmation?.status === "disputed"
    ? record.confirmation.status : "pending";
}

function badge(record) {
  const status = meetingStatus(record);
  const [text, tone] = status === "queued" ? [`${DECIDED[record.decision.decision]} · waiting to send`, "wait"] : BADGES[status];
  return h("span", { class: "badges" }, h("span", { class: `badge ${tone}` }, text));
}

export function toDecide(records) {
  return records.filter((record) => record.kind === KIND && TO_DECIDE.has(meetingStatus(record)));
}

// Local calendar days, Monday first: "2026-11-16".
function isoDay(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function mondayOf(iso) {
  const day = new Date(iso);
  day.setHours(0, 0, 0, 0);
  day.setDate(day.getDate() - ((day.getDay() + 6) % 7));
  return isoDay(day);
}

const dayOf = (iso) => new Date(`${iso}T12:00:00`);
const rank = (record) => (TO_DECIDE.has(meetingStatus(record)) ? 0 : 1);

// Weeks with something to decide first, then the newest; in a week, what to decide first.
function weeksOf(meetings) {
  const weeks = new Map();
  for (const record of meetings) {
    const monday = mondayOf(record.data.occurred_at);
    if (!weeks.has(monday)) weeks.set(monday, []);
    weeks.get(monday).push(record);
  }
  return [...weeks].map(([monday, list]) => ({
    monday, meetings: list.sort((a, b) => rank(a) - rank(b) || a.occurred_ms - b.occurred_ms),
  })).sort((a, b) => rank(a.meetings[0]) - rank(b.meetings[0]) || b.monday.localeCompare(a.monday));
}

// From GET /api/reports/compliance: per school, the weeks in term that ended with
// no meeting by any officer there ("missing" for all, met by none).
export function weeksWithoutMeeting(report) {
  const bySchool = new Map();
  for (const unit of report.units) {
    const weeks = bySchool.get(unit.school.id) ?? new Map();
    for (const week of unit.weekly_meetings.weeks) {
      const seen = weeks.get(week.week_of) ?? { met: false, missing: false };
      seen.met ||= ["confirmed", "pending", "disputed"].includes(week.status);
      seen.missing ||= week.status === "missing";
      weeks.set(week.week_of, seen);
    }
    bySchool.set(unit.school.id, weeks);
  }
  return Object.fromEntries([...bySchool].map(([school, weeks]) =>
    [school, [...weeks].filter(([, seen]) => seen.missing && !seen.met).map(([week]) => week).sort()]));
}

function topicsText(ctx, record) {
  return (record.data.topics || []).map((topic) => choiceLabel(ctx.forms, KIND, "topics", topic)).join(", ");
}

function meetingItem(ctx, record) {
  const status = meetingStatus(record);
  const { data } = record;
  return h("li", { class: `rec meeting status-${status}` },
    h("a", { href: `#/meeting/${record.id}` },
      h("span", { class: "rec-kind" }, record.owner_name || "Officer"),
      h("span", { class: "rec-summary" }, data.summary || `Met ${data.attendee_name}`),
      topicsText(ctx, record) ? h("span", { class: "rec-topics" }, topicsText(ctx, record)) : null,
      h("span", { class: "rec-meta" }, `${formatWhen(data.occurred_at)} · with ${data.attendee_name}`),
      badge(record)),
    status === "pending" ? h("div", { class: "rec-actions" },
      h("button", { type: "button", class: "primary", onclick: () => decide(ctx, [record], "Confirmed") }, "Confirm"),
      h("a", { class: "button secondary", href: `#/meeting/${record.id}?dispute=1` }, "Dispute…")) : null);
}

async function decide(ctx, records, message, decision = "confirmed", comment = null) {
  for (const record of records) await saveDecision(ctx.db, { id: record.id, decision, comment });
  ctx.decided(`${message} on this phone${navigator.onLine ? "; sending…" : "; it will be sent when online."}`);
}

function weekSection(ctx, week, index) {
  const pending = week.meetings.filter((record) => meetingStatus(record) === "pending");
  const id = `week-${index}`;
  return h("section", { class: "week", "aria-labelledby": id },
    h("div", { class: "week-head" },
      h("h3", { id }, `Week of ${WEEK_DAY.format(dayOf(week.monday))}`),
      h("span", { class: "week-count" }, pending.length ? `${pending.length} to confirm` : "")),
    pending.length > 1 ? h("button", {
      type: "button", class: "secondary confirm-week",
      onclick: () => decide(ctx, pending, `${pending.length} meetings confirmed`),
    }, `Confirm all ${pending.length} of this week`) : null,
    h("ul", { class: "records", "aria-label": `Meetings, week of ${week.monday}` }, week.meetings.map((record) => meetingItem(ctx, record))));
}

function missingWeeks(ctx, school, grid) {
  if (!grid) return h("p", { class: "empty" }, "Weeks without a meeting show here after the first sync with a connection.");
  const weeks = grid.schools[school.id] || [];
  return h("div", { class: "missing" },
    h("p", {}, weeks.length
      ? `${weeks.length} ${weeks.length === 1 ? "week" : "weeks"} in term with no meeting at all:`
      : "Every school week so far has a meeting."),
    weeks.length ? h("ul", { class: "chips", "aria-label": "Weeks with no meeting" },
      weeks.map((week) => h("li", {}, `Week of ${DAY.format(dayOf(week))}`))) : null);
}

export function principalHomeView(ctx, { records, grid }) {
  const meetings = records.filter((record) => record.kind === KIND);
  const count = toDecide(meetings).length;
  const needing = meetings.filter((record) => ["review", "attention"].includes(meetingStatus(record)));
  const schools = ctx.user.schools || [];
  return h("section", { class: "view principal", "aria-labelledby": "view-title" },
    h("div", { class: "summary-card" },
      h("h2", { id: "view-title", tabindex: "-1" }, count === 1 ? "1 meeting to confirm" : `${count} meetings to confirm`),
      h("p", {}, schools.map((school) => school.name).join(", "))),
    needing.length ? h("section", { class: "attention", id: "attention", "aria-labelledby": "attention-title" },
      h("h3", { id: "attention-title", tabindex: "-1" }, `Review again (${needing.length})`),
      h("ul", { class: "records" }, needing.map((record) => meetingItem(ctx, record)))) : null,
    schools.map((school) => {
      const here = meetings.filter((record) => record.data.school_id === school.id);
      return h("section", { class: "school", "aria-label": school.name },
        schools.length > 1 ? h("h3", { class: "school-name" }, school.name) : null,
        missingWeeks(ctx, school, grid),
        here.length ? weeksOf(here).map((week, index) => weekSection(ctx, week, `${school.id}-${index}`))
          : h("p", { class: "empty" }, "No meetings recorded yet."));
    }),
    grid ? h("p", { class: "as-of" }, `Weeks as of ${formatWhen(grid.at)}`) : null,
    h("p", { class: "version" }, ctx.shellVersion ? `App version ${ctx.shellVersion}` : ""));
}

// --- one meeting ---

function fieldRows(ctx, record) {
  return h("dl", { class: "fields" },
    h("dt", {}, "Officer"), h("dd", {}, record.owner_name || "—"),
    (kindForm(ctx.forms, KIND)?.fields || []).map((field) => [
      h("dt", {}, field.label), h("dd", {}, displayValue(ctx, KIND, field, record.data[field.name]))]));
}

function changedFields(ctx, before, after) {
  const fields = kindForm(ctx.forms, KIND)?.fields || [];
  return fields.filter((field) => JSON.stringify(before?.[field.name] ?? null) !== JSON.stringify(after?.[field.name] ?? null))
    .map((field) => h("li", {}, h("strong", {}, `${field.label}: `),
      `${displayValue(ctx, KIND, field, before?.[field.name])} → ${displayValue(ctx, KIND, field, after?.[field.name])}`));
}

function reviewBlock(ctx, record, conflict) {
  if (!conflict) return null;
  const { mine, server } = conflict;
  const changes = changedFields(ctx, mine.seen, server.data);
  return h("div", { class: "callout bad", role: "alert", id: "review-again" },
    h("h3", {}, "Changed by the officer: review again"),
    h("p", {}, `You ${mine.decision} version ${mine.base_version}; the officer changed the meeting since `,
      `(now version ${server.version}), so your decision was not recorded.`),
    server.voided ? h("p", {}, `The officer voided it: ${server.void_reason}`) : null,
    changes.length ? [h("p", {}, "What changed:"), h("ul", { class: "changes" }, changes)] : null,
    server.voided
      ? h("button", { type: "button", class: "secondary", onclick: async () => { await dismissConflict(ctx.db, record.id); ctx.decided("Removed your decision"); } }, "Remove my decision")
      : h("p", {}, "Read the new version below and decide again."));
}

function statusBlock(record, problems) {
  const { confirmation, decision } = record;
  if (problems.length) {
    return h("div", { class: "callout bad", role: "alert" }, h("h3", {}, "Your decision was not accepted"),
      h("ul", {}, problems.flatMap((problem) => Object.values(problem.errors).flat().map((message) => h("li", {}, message)))));
  }
  if (decision) {
    return h("div", { class: "callout wait", id: "queued" },
      h("h3", {}, `${DECIDED[decision.decision]}: waiting to send`),
      h("p", {}, "Saved on this phone; it is sent when there is a connection."),
      decision.comment ? h("p", {}, `“${decision.comment}”`) : null);
  }
  if (!DECIDED[confirmation?.status]) return null;
  return h("div", { class: `callout ${confirmation.status === "disputed" ? "bad" : "ok"}` },
    h("h3", {}, `${DECIDED[confirmation.status]} by ${confirmation.by_name}`),
    h("p", {}, `${formatWhen(confirmation.at)}, on version ${confirmation.version}`),
    confirmation.comment ? h("p", {}, `“${confirmation.comment}”`) : null);
}

function decisionForm(ctx, record, conflict) {
  if (record.voided) return null;
  const error = h("p", { class: "error", id: "comment-error" });
  const comment = h("textarea", {
    id: "decision-comment", name: "comment", rows: "3", maxlength: "2000", "aria-describedby": "comment-hint comment-error",
  });
  async function submit(event) {
    event.preventDefault();
    const decision = event.submitter?.value || "confirmed";
    const text = comment.value.trim();
    if (decision === "disputed" && !text) {
      error.textContent = "Say what is wrong with this record: a dispute needs a comment.";
      comment.setAttribute("aria-invalid", "true");
      comment.focus();
      return;
    }
    const options = conflict ? { resolvesConflictAt: conflict.server.version } : {};
    await saveDecision(ctx.db, { id: record.id, decision, comment: text || null }, options);
    ctx.decided(`${DECIDED[decision]} on this phone${navigator.onLine ? "; sending…" : "; it will be sent when online."}`);
  }
  const decided = record.decision || DECIDED[record.confirmation?.status];
  return h("form", { class: "decision", onsubmit: submit, novalidate: true },
    h("h3", {}, decided && !conflict ? "Change your decision" : `Your decision on version ${record.version}`),
    h("div", { class: "field" },
      h("label", { for: "decision-comment" }, "Comment"),
      h("p", { class: "hint", id: "comment-hint" }, "Required to dispute; optional to confirm."),
      comment, error),
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "primary", value: "confirmed" }, "Confirm"),
      h("button", { type: "submit", class: "danger", value: "disputed" }, "Dispute")));
}

const ACTIONS = { create: "Recorded", update: "Changed", void: "Voided", confirm: "Confirmed", dispute: "Disputed" };

function historyItem(ctx, revision, previous) {
  const rejected = revision.outcome !== "accepted";
  const who = `${revision.actor.name}, ${formatWhen(revision.at)}`;
  const comment = revision.snapshot?.confirmation?.comment;
  let title = `${ACTIONS[revision.action] || revision.action} · version ${revision.version ?? revision.base_version}`;
  if (rejected) title = "A change from another device, not applied (conflict)";
  const changes = revision.action === "update" && !rejected ? changedFields(ctx, previous?.data, revision.snapshot.data) : [];
  return h("li", { class: `history-${revision.action}${rejected ? " rejected" : ""}` },
    h("strong", {}, title), h("span", {}, who),
    ["confirm", "dispute"].includes(revision.action) && comment ? h("span", {}, `“${comment}”`) : null,
    changes.length ? h("ul", { class: "changes" }, changes) : null);
}

async function loadHistory(ctx, id, box) {
  try {
    const { revisions } = await api.history(id);
    let previous = null;
    const items = revisions.map((revision) => {
      const item = historyItem(ctx, revision, previous);
      if (revision.outcome === "accepted" && ["create", "update"].includes(revision.action)) previous = revision.snapshot;
      return item;
    });
    box.replaceChildren(h("ol", { class: "history", id: "history" }, items));
  } catch (error) {
    box.replaceChildren(h("p", { class: "empty" }, error instanceof api.NetworkError
      ? "The history needs a connection; open this meeting again when online." : error.message));
  }
}

export function meetingView(ctx, { record, problems, conflict }) {
  const history = h("div", { class: "history-box" }, h("p", { class: "empty" }, "Loading the history…"));
  loadHistory(ctx, record.id, history);
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, `Meeting, ${formatWhen(record.data.occurred_at)}`),
    badge(record),
    reviewBlock(ctx, record, conflict),
    statusBlock(record, problems),
    fieldRows(ctx, record),
    decisionForm(ctx, record, conflict),
    h("h3", {}, "History"),
    history,
    h("div", { class: "form-actions" }, h("a", { class: "button secondary", href: "#/" }, "Back to meetings")));
}
