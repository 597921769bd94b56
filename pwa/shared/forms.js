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

// The label of a choice; the value itself when the description has no such choice.
export function choiceLabel(forms, kind, fieldName, value) {
  return fieldOf(forms, kind, fieldName)?.choices?.find((choice) => choice.value === value)?.label ?? value ?? "";
}
