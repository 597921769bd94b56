// One form per record kind, built from the server's description (GET /api/forms).

import { saveChange } from "../outbox.js";
import { fromLocalInput, toLocalInput } from "../shared/dates.js";
import { h } from "../shared/dom.js";
import { kindForm } from "../shared/forms.js";
import { validate } from "./validate.js";

const fieldId = (name) => `f-${name}`;

function describedBy(field) {
  return [field.hint ? `${fieldId(field.name)}-hint` : null, `${fieldId(field.name)}-error`].filter(Boolean).join(" ");
}

function labelFor(field) {
  return h("label", { for: fieldId(field.name) }, field.label, field.required ? null : h("span", { class: "optional" }, " (optional)"));
}

function stepper(input, field, delta, text) {
  return h("button", {
    type: "button", class: "step", "aria-label": `${delta > 0 ? "One more" : "One fewer"}: ${field.label}`,
    onclick: () => {
      const next = (Number.parseInt(input.value, 10) || 0) + delta;
      const floor = field.min ?? 0;
      input.value = String(Math.max(floor, field.max === undefined ? next : Math.min(field.max, next)));
      input.dispatchEvent(new Event("input", { bubbles: true }));
    },
  }, text);
}

function numberInput(field, value) {
  return h("input", {
    id: fieldId(field.name), name: field.name, type: "number", inputmode: "numeric", step: "1",
    min: field.min, max: field.max, value: value ?? "", "aria-describedby": describedBy(field),
  });
}

function choiceOptions(field, value) {
  return [
    h("option", { value: "" }, field.required ? "Choose…" : "—"),
    ...field.choices.map((choice) => h("option", { value: choice.value, selected: choice.value === value }, choice.label)),
  ];
}

const CONTROLS = {
  school(field, value, ctx) {
    const schools = ctx.user.schools || [];
    const chosen = value ?? (schools.length === 1 ? schools[0].id : "");
    return h("select", { id: fieldId(field.name), name: field.name, "aria-describedby": describedBy(field), value: String(chosen) },
      schools.length === 1 ? null : h("option", { value: "" }, "Choose…"),
      schools.map((school) => h("option", { value: String(school.id) }, school.name)));
  },
  datetime(field, value) {
    return h("input", {
      id: fieldId(field.name), name: field.name, type: "datetime-local", value: toLocalInput(value),
      "aria-describedby": describedBy(field),
    });
  },
  counter(field, value) {
    const input = numberInput(field, value ?? (field.required ? field.min ?? 0 : ""));
    return h("div", { class: "counter" }, stepper(input, field, -1, "−"), input, stepper(input, field, 1, "+"));
  },
  number: (field, value) => numberInput(field, value),
  select(field, value) {
    return h("select", { id: fieldId(field.name), name: field.name, "aria-describedby": describedBy(field) },
      choiceOptions(field, value));
  },
  text(field, value) {
    return h("input", {
      id: fieldId(field.name), name: field.name, type: "text", maxlength: field.max_length, value: value ?? "",
      autocomplete: "off", "aria-describedby": describedBy(field),
    });
  },
  textarea(field, value) {
    return h("textarea", {
      id: fieldId(field.name), name: field.name, rows: "4", maxlength: field.max_length, value: value ?? "",
      "aria-describedby": describedBy(field),
    });
  },
};

function checkboxes(field, value) {
  const chosen = new Set(value || []);
  return h("fieldset", { class: "field", id: `${fieldId(field.name)}-group`, "aria-describedby": describedBy(field) },
    h("legend", {}, field.label, field.required ? null : h("span", { class: "optional" }, " (optional)")),
    h("div", { class: "checks" }, field.choices.map((choice, index) => {
      const id = index ? `${fieldId(field.name)}-${index}` : fieldId(field.name);
      return h("label", { class: "check", for: id },
        h("input", { type: "checkbox", id, name: field.name, value: choice.value, checked: chosen.has(choice.value) }),
        choice.label);
    })),
    h("p", { class: "error", id: `${fieldId(field.name)}-error` }));
}

function fieldBlock(field, value, ctx) {
  if (field.widget === "checkboxes") return checkboxes(field, value);
  const control = (CONTROLS[field.widget] || CONTROLS.text)(field, value, ctx);
  return h("div", { class: "field", id: `${fieldId(field.name)}-block` },
    labelFor(field),
    field.hint ? h("p", { class: "hint", id: `${fieldId(field.name)}-hint` }, field.hint) : null,
    control,
    h("p", { class: "error", id: `${fieldId(field.name)}-error` }));
}

const READERS = {
  integer(form, field) {
    const text = form.elements[field.name].value.trim();
    return text === "" ? null : Number(text);
  },
  datetime: (form, field) => fromLocalInput(form.elements[field.name].value),
  list: (form, field) => [...form.querySelectorAll(`input[name="${field.name}"]:checked`)].map((box) => box.value),
  string(form, field) {
    const text = form.elements[field.name].value;
    return text.trim() === "" ? null : text;
  },
};

export function readForm(form, description) {
  return Object.fromEntries(description.fields.map((field) => [field.name, READERS[field.type](form, field)]));
}

function showErrors(form, description, errors) {
  for (const field of description.fields) {
    const message = errors[field.name];
    form.querySelector(`#${fieldId(field.name)}-error`).textContent = message || "";
    form.querySelector(`#${fieldId(field.name)}`)?.setAttribute("aria-invalid", message ? "true" : "false");
  }
  const first = description.fields.find((field) => errors[field.name]);
  if (first) form.querySelector(`#${fieldId(first.name)}`)?.focus();
}

// A new record (params.kind) or an edit of one (params.record, params.draft).
export function formView(ctx, { kind, record, draft }) {
  const description = kindForm(ctx.forms, kind);
  if (!description) return h("p", { class: "notice" }, "The forms have not reached this phone yet. Connect once and sync.");
  const values = draft || record?.data || {};
  const summary = h("p", { class: "form-error", role: "alert", hidden: true });
  const title = record ? `Edit ${description.label.toLowerCase()}` : `New ${description.label.toLowerCase()}`;

  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = readForm(form, description);
    const errors = validate(description, data);
    showErrors(form, description, errors);
    summary.hidden = !Object.keys(errors).length;
    summary.textContent = `Check ${Object.keys(errors).length === 1 ? "1 field" : `${Object.keys(errors).length} fields`} below.`;
    if (!summary.hidden) return;
    await saveChange(ctx.db, { id: record?.id ?? crypto.randomUUID(), kind, data, voided: false });
    ctx.saved("Saved on this phone.");
  }

  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, title),
    h("form", { onsubmit: submit, novalidate: true, class: `record-form kind-${kind}` },
      summary,
      description.fields.map((field) => fieldBlock(field, values[field.name], ctx)),
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "primary" }, "Save"),
        h("a", { href: record ? `#/record/${record.id}` : "#/", class: "button secondary" }, "Cancel"))));
}
