// The words for record kinds and their choices, read from the server's form description
// (GET /api/forms, server/services/forms.py) by both apps: no app keeps its own list.

export function kindForm(forms, kind) {
  return forms?.kinds.find((form) => form.kind === kind);
}

// "Other activity"; the kind's own name while no description is at hand.
export function kindLabel(forms, kind) {
  return kindForm(forms, kind)?.label ?? kind;
}

// [[kind, label], …] in the server's order, for a select.
export function kindOptions(forms) {
  return (forms?.kinds ?? []).map((form) => [form.kind, form.label]);
}

export function fieldOf(forms, kind, fieldName) {
  return kindForm(forms, kind)?.fields.find((field) => field.name === fieldName);
}

// [[value, label], …] of one field's choices, for a select.
export function choiceOptions(forms, kind, fieldName) {
  return (fieldOf(forms, kind, fieldName)?.choices ?? []).map((choice) => [choice.value, choice.label]);
}

// The label of a choice; `fallback` (the value itself unless given) when the description has no
// such choice.
export function choiceLabel(forms, kind, fieldName, value, fallback = value) {
  return fieldOf(forms, kind, fieldName)?.choices?.find((choice) => choice.value === value)?.label ?? fallback ?? "";
}

// Whether a field applies to this data. A field with required_when ({basis: ["imminent_threat"]})
// is asked for, and required, only while every field named holds one of its values.
export function conditionHolds(field, data) {
  const when = field.required_when;
  return !when || Object.entries(when).every(([name, options]) => options.includes(data[name]));
}

const NUMBER = new Intl.NumberFormat();
const SHORT_TEXT = 60;

// "4,692" in the phone's own way of writing numbers.
export function formatNumber(number) {
  return NUMBER.format(number ?? 0);
}

function shorten(text) {
  const chars = [...text.trim()];
  return chars.length > SHORT_TEXT ? `${chars.slice(0, SHORT_TEXT - 1).join("")}…` : chars.join("");
}

// A record's one line for a kind with no hand-written one, from the description alone: the first
// short text it holds (a course, an event), its subtype's words and the number reports sum with its
// label ("Crisis intervention · State academy", "Imminent threat · Students involved: 2").
export function describedSummary(forms, kind, data) {
  const form = kindForm(forms, kind);
  if (!form || !data) return "";
  const parts = [];
  const text = form.fields.find((field) => field.type === "string" && field.widget === "text" && !field.choices
    && typeof data[field.name] === "string" && data[field.name].trim());
  if (text) parts.push(shorten(data[text.name]));
  const subtype = form.subtype_field;
  if (subtype && data[subtype] !== null && data[subtype] !== undefined && data[subtype] !== "") {
    parts.push(choiceLabel(forms, kind, subtype, data[subtype]));
  }
  const quantity = form.quantity_field && fieldOf(forms, kind, form.quantity_field);
  if (quantity && typeof data[quantity.name] === "number") parts.push(`${quantity.label}: ${formatNumber(data[quantity.name])}`);
  return parts.join(" · ");
}
