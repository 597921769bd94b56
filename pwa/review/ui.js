// Small building blocks shared by the review screens: status badges (a word and a symbol,
// never colour alone), labelled fields with the API's errors beside them, tables. The element
// builder and the dates are the officer app's too (/shared/dom.js, /shared/dates.js).

import { h, replace } from "/shared/dom.js";

export { h, replace };
export {
  currentSchoolYear, dateLabel, dateTimeLabel, isoDay, mondayOf, monthLabel, occurredLabel, schoolYearOf, schoolYears,
  useSchoolYear,
} from "/shared/dates.js";

// status word -> [tone, symbol, label]. The tone only picks a colour class; the label says it.
const STATUS = {
  confirmed: ["good", "✓", "Confirmed"],
  met: ["good", "✓", "Met"],
  ok: ["good", "✓", "Calendar set"],
  recorded: ["good", "✓", "Recorded"],
  single: ["good", "✓", "One school"],
  pending: ["wait", "?", "Pending"],
  in_progress: ["wait", "…", "In progress"],
  upcoming: ["none", "·", "Upcoming"],
  late: ["warn", "!", "Late"],
  disputed: ["bad", "!", "Disputed"],
  missing: ["bad", "✗", "Missing"],
  not_met: ["bad", "✗", "Not met"],
  flagged: ["warn", "⚑", "More than one school"],
  none: ["warn", "–", "None"],
  not_assigned: ["none", "–", "Not assigned"],
  not_applicable: ["none", "–", "Not applicable"],
  no_calendar: ["bad", "✗", "No calendar"],
  active: ["good", "✓", "Active"],
  deactivated: ["bad", "✗", "Deactivated"],
  app_on: ["good", "✓", "Authenticator app"],
  success: ["good", "✓", "Success"],
  failure: ["bad", "✗", "Failure"],
  denied: ["bad", "✗", "Denied"],
  covered: ["good", "✓", "Covered"],  // a training topic (KY 22)
  gap: ["bad", "✗", "Gap"],
  submitted: ["wait", "?", "Waiting for review"],
  approved: ["good", "✓", "Approved"],
  needs_correction: ["bad", "!", "Needs correction"],
};

export function statusInfo(status) {
  const [tone, symbol, label] = STATUS[status] || ["none", "·", humanize(status)];
  return { tone, symbol, label };
}

export function badge(status, extra = "") {
  const { tone, symbol, label } = statusInfo(status);
  return h("span", { class: `badge tone-${tone} ${extra}`.trim() },
    h("span", { class: "badge-symbol", "aria-hidden": "true" }, symbol), label);
}

export function humanize(word) {
  if (!word) return "";
  const text = String(word).replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

let fieldCounter = 0;

// A labelled control with a slot for the API's message about it (fields[name]).
export function field(label, control, { hint, wide } = {}) {
  fieldCounter += 1;
  const id = control.id || `f${fieldCounter}`;
  control.id = id;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return h("div", { class: wide ? "field wide" : "field", "data-field": control.name || "" },
    h("label", { for: id }, label),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "field-error", id: errorId, hidden: true }));
}

export function select(name, options, value = "", props = {}) {
  return h("select", { name, ...props },
    options.map(([optionValue, text]) => h("option", { value: optionValue, selected: String(optionValue) === String(value) }, text)));
}

export function input(name, props = {}) {
  return h("input", { name, type: "text", ...props });
}

// Shows {"error": {message, fields}} beside the fields it names; the rest in the form's alert.
export function showErrors(form, error) {
  clearErrors(form);
  const fields = error?.fields || {};
  const unplaced = [];
  for (const [name, messages] of Object.entries(fields)) {
    const slot = form.querySelector(`[data-field="${CSS.escape(name)}"] .field-error`);
    const text = [].concat(messages).map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
    if (slot) {
      slot.textContent = text;
      slot.hidden = false;
      slot.parentElement.querySelector("input, select, textarea")?.setAttribute("aria-invalid", "true");
    } else {
      unplaced.push(`${name}: ${text}`);
    }
  }
  const alert = form.querySelector(".form-alert");
  if (alert) {
    alert.textContent = [error?.message || String(error), ...unplaced].join(" ");
    alert.hidden = false;
  }
  const first = form.querySelector("[aria-invalid='true']");
  (first || alert)?.focus?.();
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll(".field-error")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  const alert = form.querySelector(".form-alert");
  if (alert) {
    alert.textContent = "";
    alert.hidden = true;
  }
}

// On submit: `action(values, form)` with the button disabled meanwhile; a refusal goes beside the
// fields it names, or to `onError` for a form that handles some refusals its own way.
export function onSubmit(form, action, onError = (error) => showErrors(form, error)) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await action(formValues(form), form);
    } catch (error) {
      onError(error);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export function formAlert() {
  return h("p", { class: "form-alert", role: "alert", tabindex: "-1", hidden: true });
}

export function formValues(form) {
  const values = {};
  for (const [name, value] of new FormData(form).entries()) values[name] = typeof value === "string" ? value.trim() : value;
  return values;
}

// A table in a scrolling, focusable region so a wide table never widens the page.
// stack: on a phone each row becomes a block, every cell labelled with its column's name.
export function table(caption, headers, rows, { className = "", captionHidden = false, stack = false } = {}) {
  const heads = headers.map((head) => (head instanceof Node ? head : h("th", { scope: "col" }, head)));
  if (stack) {
    for (const row of [].concat(rows)) {
      [...row.children].forEach((cell, index) => cell.setAttribute("data-label", heads[index]?.dataset.name || heads[index]?.textContent || ""));
    }
  }
  return h("div", { class: "table-wrap", role: "region", "aria-label": caption, tabindex: "0" },
    h("table", { class: `${className}${stack ? " stack" : ""}` },
      h("caption", { class: captionHidden ? "visually-hidden" : "" }, caption),
      h("thead", {}, h("tr", {}, heads)),
      h("tbody", {}, rows)));
}

export function message(text, tone = "info") {
  return h("p", { class: `notice notice-${tone}`, role: tone === "error" ? "alert" : "status" }, text);
}

// One quiet announcement when a screen's results arrive, instead of reading the whole report aloud.
export function announce(text) {
  const announcer = document.getElementById("announcer");
  if (!announcer) return;
  announcer.textContent = "";
  setTimeout(() => { announcer.textContent = text; }, 50);
}

export function loading(text = "Loading…") {
  return h("p", { class: "loading", role: "status" }, text);
}

export function errorText(error) {
  if (error?.status === 403) return `Not allowed: ${error.message}`;
  return error?.message || String(error);
}
