// One form per record kind, built from the server's description (GET /api/forms).

import { toastOnNextScreen } from "../chrome.js";
import { deleteDraft, draftKey, putDraft } from "../drafts.js";
import { saveChange } from "../outbox.js";
import { fromLocalInput, toLocalInput } from "../shared/dates.js";
import { h } from "../shared/dom.js";
import { conditionHolds, kindForm } from "../shared/forms.js";
import { validate } from "./validate.js";

const fieldId = (name) => `f-${name}`;

function describedBy(field) {
  return [field.hint ? `${fieldId(field.name)}-hint` : null, `${fieldId(field.name)}-error`].filter(Boolean).join(" ");
}

// A field asked for only when others hold given values (required_when) is shown only then, and
// is required then: it never says "(optional)".
function optionalMark(field) {
  return field.required || field.required_when ? null : h("span", { class: "optional" }, " (optional)");
}

function labelFor(field) {
  return h("label", { for: fieldId(field.name) }, field.label, optionalMark(field));
}

function hintFor(field) {
  return field.hint ? h("p", { class: "hint", id: `${fieldId(field.name)}-hint` }, field.hint) : null;
}

function errorFor(field) {
  return h("p", { class: "error", id: `${fieldId(field.name)}-error` });
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
    h("option", { value: "" }, field.required || field.required_when ? "Choose…" : "—"),
    ...field.choices.map((choice) => h("option", { value: choice.value, selected: choice.value === value }, choice.label)),
  ];
}

const CONTROLS = {
  // A kind whose records may have no school (training: the officer's, not a school's) offers
  // "No school" and starts there; otherwise an officer of one school has it chosen already.
  school(field, value, ctx) {
    const schools = ctx.user.schools || [];
    const chosen = field.required ? value ?? (schools.length === 1 ? schools[0].id : "") : value ?? "";
    let first = schools.length === 1 ? null : h("option", { value: "" }, "Choose…");
    if (!field.required) first = h("option", { value: "" }, "No school");
    return h("select", { id: fieldId(field.name), name: field.name, "aria-describedby": describedBy(field), value: String(chosen) },
      first,
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
  // A decimal number (hours: 7.5): text with the decimal keypad, so "7," is not silently dropped.
  decimal(field, value) {
    return h("input", {
      id: fieldId(field.name), name: field.name, type: "text", inputmode: "decimal", autocomplete: "off",
      value: value ?? "", "aria-describedby": describedBy(field),
    });
  },
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
  return h("fieldset", { class: "field", id: `${fieldId(field.name)}-group`, "data-field": field.name, "aria-describedby": describedBy(field) },
    h("legend", {}, field.label, optionalMark(field)),
    h("div", { class: "checks" }, field.choices.map((choice, index) => {
      const id = index ? `${fieldId(field.name)}-${index}` : fieldId(field.name);
      return h("label", { class: "check", for: id },
        h("input", { type: "checkbox", id, name: field.name, value: choice.value, checked: chosen.has(choice.value) }),
        choice.label);
    })),
    errorFor(field));
}

// A yes-or-no field (basic_course): one box, its label beside it.
function checkbox(field, value) {
  const id = fieldId(field.name);
  return h("div", { class: "field", id: `${id}-block`, "data-field": field.name },
    h("label", { class: "check", for: id },
      h("input", { type: "checkbox", id, name: field.name, checked: value === true, "aria-describedby": describedBy(field) }),
      field.label),
    hintFor(field),
    errorFor(field));
}

// The control for a widget the app does not know, by the field's type.
const TYPE_WIDGETS = { integer: "number", number: "decimal", boolean: "checkbox", list: "checkboxes", datetime: "datetime" };

function widgetOf(field) {
  if (field.widget === "checkboxes" || field.widget === "checkbox" || CONTROLS[field.widget]) return field.widget;
  return TYPE_WIDGETS[field.type] ?? "text";
}

function fieldBlock(field, value, ctx) {
  const widget = widgetOf(field);
  if (widget === "checkboxes") return checkboxes(field, value);
  if (widget === "checkbox") return checkbox(field, value);
  const control = CONTROLS[widget](field, value, ctx);
  return h("div", { class: "field", id: `${fieldId(field.name)}-block`, "data-field": field.name },
    labelFor(field),
    hintFor(field),
    control,
    errorFor(field));
}

const READERS = {
  integer(form, field) {
    const text = form.elements[field.name].value.trim();
    return text === "" ? null : Number(text);
  },
  // "7.5" (or "7,5"); anything else is NaN, which the check before saving names.
  number(form, field) {
    const text = form.elements[field.name].value.trim().replace(/^(\d*),(\d+)$/, "$1.$2");
    if (text === "") return null;
    return /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  },
  boolean: (form, field) => form.elements[field.name].checked,
  datetime: (form, field) => fromLocalInput(form.elements[field.name].value),
  list: (form, field) => [...form.querySelectorAll(`input[name="${field.name}"]:checked`)].map((box) => box.value),
  string(form, field) {
    const text = form.elements[field.name].value;
    return text.trim() === "" ? null : text;
  },
};

// What a field not shown holds: nothing (what the officer sees is what is saved).
const NOT_SHOWN = { list: () => [], boolean: () => false };

function shown(form, field) {
  return !form.querySelector(`[data-field="${field.name}"]`)?.hidden;
}

function read(form, field) {
  return (READERS[field.type] ?? READERS.string)(form, field);
}

export function readForm(form, description) {
  return Object.fromEntries(description.fields.map((field) => [field.name,
    shown(form, field) ? read(form, field) : NOT_SHOWN[field.type]?.() ?? null]));
}

// Fields asked for only when others hold given values (required_when: the threat channel when
// the basis is an imminent threat) appear and disappear as those values change.
function showRelevant(form, description) {
  const conditional = description.fields.filter((field) => field.required_when);
  if (!conditional.length) return;
  const data = Object.fromEntries(description.fields.map((field) => [field.name, read(form, field)]));
  for (const field of conditional) {
    const block = form.querySelector(`[data-field="${field.name}"]`);
    if (block) block.hidden = !conditionHolds(field, data);
  }
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

// What a new principal meeting starts with: who the officer met last time at that school.
const CARRIED_OVER = { principal_meeting: ["attendee_name", "attendee_role"] };

function carriedOver(kind, previous, schoolId) {
  const data = previous?.[schoolId];
  if (!CARRIED_OVER[kind] || !data) return {};
  return Object.fromEntries(CARRIED_OVER[kind].map((name) => [name, data[name]]));
}

function defaultSchool(ctx) {
  const schools = ctx.user.schools || [];
  return schools.length === 1 ? schools[0].id : null;
}

// Warnings asked once before saving: a value that is allowed but rarely meant.
const SECOND_LOOKS = {
  extracurricular_contact: (data) => (data.students_contacted === 0
    ? { field: "students_contacted", message: "No students? Save again to keep 0 students." } : null),
};

// A new record (params.kind) or an edit of one (params.record, params.draft: the rejected
// change to fix). params.kept: the unfinished form kept on the phone (drafts.js), resumed as it
// was left. params.previous: the last meeting's data per school id (CARRIED_OVER).
export function formView(ctx, { kind, record, draft, kept, previous }) {
  const description = kindForm(ctx.forms, kind);
  if (!description) return h("p", { class: "notice" }, "The forms have not reached this phone yet. Connect once and sync.");
  const values = kept?.data || draft || record?.data || carriedOver(kind, previous, defaultSchool(ctx));
  const summary = h("p", { class: "form-error", role: "alert", hidden: true });
  const title = record ? `Edit ${description.label.toLowerCase()}` : `New ${description.label.toLowerCase()}`;
  const key = draftKey(kind, record?.id);
  let untouched = null;  // the form as first drawn: no draft while it is unchanged
  let writes = Promise.resolve();  // the draft write under way, and those it leads to
  let writing = false;
  let next;  // the latest state to keep (a draft, or null: none) once the write under way ends
  let leaving = false;
  let hasDraft = Boolean(kept);
  const warned = new Set();

  // One write at a time, of the latest state only: typing fast writes the draft a few times,
  // not once per keystroke. `writes` settles once the last state asked for is written.
  function writeNext() {
    if (writing || next === undefined) return writes;
    const state = next;
    next = undefined;
    writing = true;
    writes = (state ? putDraft(ctx.db, state) : deleteDraft(ctx.db, key)).catch(() => {})
      .then(() => {
        writing = false;
        return next === undefined ? null : writeNext();
      });
    return writes;
  }

  function keepDraft(form) {
    if (leaving) return;
    const data = readForm(form, description);
    const same = JSON.stringify(data) === untouched;
    hasDraft = !same || Boolean(kept);
    next = same && !kept ? null : { key, kind, record_id: record?.id ?? null, data, at: Date.now() };
    writeNext();
  }

  function onInput(event) {
    const form = event.currentTarget;
    if (event.target.name === "school_id" && CARRIED_OVER[kind] && !record && !kept) {
      const carried = carriedOver(kind, previous, Number(event.target.value));
      for (const name of CARRIED_OVER[kind]) {
        const input = form.elements[name];
        if (input && !input.dataset.typed) input.value = carried[name] ?? "";
      }
    } else if (event.target.name) {
      event.target.dataset.typed = "true";
    }
    showRelevant(form, description);
    keepDraft(form);
  }

  async function submit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = readForm(form, description);
    const errors = validate(description, data);
    const second = Object.keys(errors).length ? null : SECOND_LOOKS[kind]?.(data);
    if (second && !warned.has(second.field)) {
      warned.add(second.field);
      errors[second.field] = second.message;
    }
    showErrors(form, description, errors);
    const count = Object.keys(errors).length;
    summary.hidden = !count;
    summary.textContent = second && count === 1 && errors[second.field] === second.message
      ? "Check this before saving." : `Check ${count === 1 ? "1 field" : `${count} fields`} below.`;
    if (!summary.hidden) return;
    leaving = true;
    await writes;
    await saveChange(ctx.db, { id: record?.id ?? crypto.randomUUID(), kind, data, voided: false });
    await deleteDraft(ctx.db, key);
    ctx.saved("Saved on this phone.");
  }

  function cancel() {
    if (hasDraft) toastOnNextScreen("Kept as a draft on this phone.");
  }

  const form = h("form", { onsubmit: submit, oninput: onInput, onchange: onInput, novalidate: true, class: `record-form kind-${kind}` },
    kept ? h("p", { class: "callout info", id: "draft-note" }, "Draft: carry on where you left off.") : null,
    summary,
    description.fields.map((field) => fieldBlock(field, values[field.name], ctx)),
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "primary" }, "Save"),
      h("a", { href: record ? `#/record/${record.id}` : "#/", class: "button secondary", onclick: cancel }, "Cancel")));
  showRelevant(form, description);
  untouched = JSON.stringify(readForm(form, description));
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, title),
    form);
}
