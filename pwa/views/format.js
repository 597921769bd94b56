// How records read on screen: times, choice labels, a one-line summary, state.

const WHEN = new Intl.DateTimeFormat(undefined, {
  weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
});
const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const DAY = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });

export function formatWhen(iso) {
  const moment = new Date(iso);
  return Number.isNaN(moment.getTime()) ? "" : WHEN.format(moment);
}

export function formatLastSync(iso) {
  if (!iso) return "never";
  const moment = new Date(iso);
  const today = new Date().toDateString() === moment.toDateString();
  return today ? TIME.format(moment) : `${DAY.format(moment)} ${TIME.format(moment)}`;
}

function pad(number) {
  return String(number).padStart(2, "0");
}

// <input type="datetime-local"> speaks local wall-clock time without an offset.
export function toLocalInput(iso) {
  const moment = iso ? new Date(iso) : new Date();
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}` +
    `T${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

// The record keeps the offset the officer was in, as PRODUCT.md asks.
export function fromLocalInput(value) {
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime())) return null;
  const offset = -moment.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const hours = pad(Math.floor(Math.abs(offset) / 60));
  const minutes = pad(Math.abs(offset) % 60);
  return `${value.length === 16 ? `${value}:00` : value}${sign}${hours}:${minutes}`;
}

export function kindForm(forms, kind) {
  return forms?.kinds.find((form) => form.kind === kind);
}

export function choiceLabel(forms, kind, fieldName, value) {
  const field = kindForm(forms, kind)?.fields.find((f) => f.name === fieldName);
  return field?.choices?.find((choice) => choice.value === value)?.label ?? value ?? "";
}

function plural(count, one, many) {
  return `${count ?? 0} ${count === 1 ? one : many}`;
}

const SUMMARIES = {
  extracurricular_contact: (data, label) =>
    `${data.event_name} · ${label("event_type")} · ${plural(data.students_contacted, "student", "students")}`,
  introduction: (data, label) =>
    `${label("audience")} · ${label("format")} · ${plural(data.people_count, "person", "people")}`,
  principal_meeting: (data, label) => `Met ${data.attendee_name} (${label("attendee_role")})`,
  activity: (data, label) => `${label("activity_type")} × ${data.count ?? 1}${data.topic ? ` · ${data.topic}` : ""}`,
};

export function summary(forms, record) {
  const label = (field) => choiceLabel(forms, record.kind, field, record.data[field]);
  return SUMMARIES[record.kind]?.(record.data, label) ?? record.kind;
}

const CONFIRMATION_BADGES = {
  confirmed: { text: "Confirmed by principal", tone: "ok" },
  disputed: { text: "Disputed by principal", tone: "bad" },
  pending: { text: "Awaiting principal", tone: "info" },
};

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
  return found;
}
