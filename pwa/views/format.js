// How records read on screen: a one-line summary and the state badges.
// Dates are in /shared/dates.js; numbers and the words for kinds and choices in /shared/forms.js.

import { choiceLabel, describedSummary, formatNumber, kindLabel } from "../shared/forms.js";

function plural(count, one, many) {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

// Hand-written lines for the kinds that read better so; any other kind gets the line its
// description gives (describedSummary), so a new kind needs no change here.
const SUMMARIES = {
  extracurricular_contact: (data, label) =>
    `${data.event_name} · ${label("event_type")} · ${plural(data.students_contacted, "student", "students")}`,
  introduction: (data, label) =>
    `${label("audience")} · ${label("format")} · ${plural(data.people_count, "person", "people")}`,
  principal_meeting: (data, label) => `Met ${data.attendee_name} (${label("attendee_role")})`,
  activity: (data, label) => `${label("activity_type")} × ${formatNumber(data.count ?? 1)}${data.topic ? ` · ${data.topic}` : ""}`,
};

export function summary(forms, record) {
  const label = (field) => choiceLabel(forms, record.kind, field, record.data[field]);
  return SUMMARIES[record.kind]?.(record.data, label)
    ?? (describedSummary(forms, record.kind, record.data) || kindLabel(forms, record.kind));
}

const CONFIRMATION_BADGES = {
  confirmed: { text: "Confirmed by principal", tone: "ok" },
  disputed: { text: "Disputed by principal", tone: "bad" },
  pending: { text: "Awaiting principal", tone: "info" },
};

const REVIEW_BADGES = {
  needs_correction: { text: "Needs correction", tone: "bad" },
  approved: { text: "Approved", tone: "ok" },
};

// A supervisor sent the record back and the officer has not edited it since.
export function needsCorrection(record) {
  return !record.voided && record.state === "synced" && record.review?.status === "needs_correction";
}

// Every badge says its state in words, so colour is never the only signal.
export function badges(record) {
  if (record.voided && record.state === "synced") return [{ text: "Void", tone: "muted" }];
  const found = [];
  if (record.state === "pending") found.push({ text: "Saved on phone", tone: "wait" });
  if (record.state === "synced") found.push({ text: "Synced", tone: "ok" });
  if (record.state === "attention") found.push({ text: "Needs attention", tone: "bad" });
  if (record.state === "conflict") found.push({ text: "Changed elsewhere: choose", tone: "bad" });
  if (record.voided) found.push({ text: "Void", tone: "muted" });
  const confirmation = record.kind === "principal_meeting" && record.state === "synced" && record.confirmation;
  if (confirmation) found.push(CONFIRMATION_BADGES[confirmation.status] || CONFIRMATION_BADGES.pending);
  const review = record.state === "synced" && REVIEW_BADGES[record.review?.status];
  if (review) found.push(review);
  return found;
}
