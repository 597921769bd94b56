// The phone's check before saving, from the server's form description: the same
// rules the server applies (server/schemas/records.py), so a save that passes here
// is accepted there unless something changed on the server in between.

function empty(value) {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
}

function rangeMessage(field) {
  const { min, max } = field;
  if (min !== undefined && max !== undefined) return `Must be between ${min} and ${max}.`;
  return min !== undefined ? `Must be ${min} or more.` : `Must be ${max} or less.`;
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
    if ((field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max)) {
      return rangeMessage(field);
    }
    return null;
  },
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
      continue;
    }
    const message = CHECKS[field.type]?.(field, value, now);
    if (message) errors[field.name] = message;
  }
  return errors;
}
