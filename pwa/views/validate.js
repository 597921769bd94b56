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
    if (field.min_length && value.trim().length < field.min_length) return "Required.";
    if (field.max_length && value.length > field.max_length) return `At most ${field.max_length} characters.`;
    if (field.choices && !field.choices.some((choice) => choice.value === value)) return "Choose one of the options.";
    return null;
  },
  datetime(field, value) {
    return Number.isNaN(Date.parse(value)) ? "Enter a date and time." : null;
  },
  list(field, value) {
    const allowed = new Set((field.choices || []).map((choice) => choice.value));
    return value.every((item) => allowed.has(item)) ? null : "Choose from the options.";
  },
};

// {field name: message} for every field that breaks a rule; empty when the data is good.
export function validate(form, data) {
  const errors = {};
  for (const field of form.fields) {
    const value = data[field.name];
    if (empty(value)) {
      if (field.required) errors[field.name] = field.choices ? "Choose one." : "Required.";
      continue;
    }
    const message = CHECKS[field.type]?.(field, value);
    if (message) errors[field.name] = message;
  }
  return errors;
}
