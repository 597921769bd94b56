// The phone's check before saving, from the server's form description: the same
// rules the server applies (server/schemas/records.py), so a save that passes here
// is accepted there unless something changed on the server in between.

import { conditionHolds } from "../shared/forms.js";

function empty(value) {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
}

function rangeMessage(field) {
  const { min, max } = field;
  if (field.min_exclusive && min !== undefined) {
    return max !== undefined ? `Must be more than ${min} and at most ${max}.` : `Must be more than ${min}.`;
  }
  if (min !== undefined && max !== undefined) return `Must be between ${min} and ${max}.`;
  return min !== undefined ? `Must be ${min} or more.` : `Must be ${max} or less.`;
}

function outOfRange(field, value) {
  const low = field.min !== undefined && (field.min_exclusive ? value <= field.min : value < field.min);
  return low || (field.max !== undefined && value > field.max);
}

// "a, b or c"
function either(words) {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}

// The server's rule in the form's words: "Required when basis is Imminent threat."
function requiredWhenMessage(form, field) {
  const parts = Object.entries(field.required_when).map(([name, options]) => {
    const other = form.fields.find((one) => one.name === name);
    const words = options.map((value) => other?.choices?.find((choice) => choice.value === value)?.label ?? value);
    return `${(other?.label ?? name).toLowerCase()} is ${either(words)}`;
  });
  return `Required when ${parts.join(" and ")}.`;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// What the database cannot store (server/schemas/fields.py Text): an unpaired surrogate,
// NUL and the other C0 control characters except tab and line breaks.
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function characters(text) {
  return [...text].length;  // as the server counts: code points, not UTF-16 units
}

const CHECKS = {
  integer(field, value) {
    if (!Number.isInteger(value)) return "Must be a whole number.";
    return outOfRange(field, value) ? rangeMessage(field) : null;
  },
  number(field, value) {
    if (typeof value !== "number" || !Number.isFinite(value)) return "Must be a number, like 7.5.";
    return outOfRange(field, value) ? rangeMessage(field) : null;
  },
  boolean: (field, value) => (typeof value === "boolean" ? null : "Tick the box or leave it empty."),
  string(field, value) {
    if (typeof value !== "string") return "Must be text.";
    if (UNSTORABLE.test(value)) return "Remove the unusual character (a control character) from this text.";
    if (field.min_length && characters(value.trim()) < field.min_length) return "Required.";
    if (field.max_length && characters(value) > field.max_length) return `At most ${field.max_length} characters.`;
    if (field.choices && !field.choices.some((choice) => choice.value === value)) return "Choose one of the options.";
    return null;
  },
  datetime(field, value, now) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return "Enter a date and time.";
    if (field.earliest && at < Date.parse(field.earliest)) {
      return `Must be in the year ${new Date(field.earliest).getUTCFullYear()} or later.`;
    }
    if (field.max_future_days !== undefined && at > now + field.max_future_days * DAY_MS) {
      return field.max_future_days === 1 ? "Must not be more than a day in the future."
        : `Must not be more than ${field.max_future_days} days in the future.`;
    }
    return null;
  },
  list(field, value) {
    if (value.some((item) => typeof item === "string" && UNSTORABLE.test(item))) return "Choose from the options.";
    const allowed = new Set((field.choices || []).map((choice) => choice.value));
    return value.every((item) => allowed.has(item)) ? null : "Choose from the options.";
  },
};

// {field name: message} for every field that breaks a rule; empty when the data is good.
export function validate(form, data, now = Date.now()) {
  const errors = {};
  for (const field of form.fields) {
    const value = data[field.name];
    if (empty(value)) {
      if (field.required) errors[field.name] = field.choices ? "Choose one." : "Required.";
      else if (field.required_when && conditionHolds(field, data)) errors[field.name] = requiredWhenMessage(form, field);
      continue;
    }
    const message = CHECKS[field.type]?.(field, value, now);
    if (message) errors[field.name] = message;
  }
  return errors;
}
