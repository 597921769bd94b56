// A principal's semester feedback on each officer serving their school (KY 25, 26): GET and
// POST /api/feedback. Online only, said plainly: the principal app is mostly used online, and an
// answer replaced later in the semester must not race an older one queued on a phone.

import { toastNow } from "../chrome.js";
import * as api from "../api.js";
import { NetworkError, freshCsrf } from "../shared/api.js";
import { h } from "../shared/dom.js";

const RATINGS = ["1", "2", "3", "4", "5"];
const DISCIPLINE = [["yes", "Yes"], ["mostly", "Mostly"], ["no", "No"]];

export async function loadFeedback() {
  try {
    return { body: await api.feedback() };
  } catch (error) {
    return { error };
  }
}

function choiceGroup(id, name, legend, hint, options, chosen, layout) {
  return h("fieldset", { class: "field", "data-field": name, "aria-describedby": `${id}-${name}-hint ${id}-${name}-error` },
    h("legend", {}, legend),
    h("p", { class: "hint", id: `${id}-${name}-hint` }, hint),
    h("div", { class: `checks ${layout}` }, options.map(([value, label]) => {
      const inputId = `${id}-${name}-${value}`;
      return h("label", { class: "check", for: inputId },
        h("input", { type: "radio", id: inputId, name, value, checked: String(chosen ?? "") === value }), label);
    })),
    h("p", { class: "error", id: `${id}-${name}-error` }));
}

// Each message beside its field; one the form has no field for (a refusal, no connection) on top.
function showFieldErrors(form, errors) {
  const top = form.querySelector(".form-error");
  for (const slot of form.querySelectorAll(".error, .form-error")) slot.textContent = "";
  for (const [name, messages] of Object.entries(errors)) {
    const slot = form.querySelector(`[data-field="${name}"] .error`) || top;
    slot.textContent = [slot.textContent, ...[].concat(messages)].filter(Boolean).join(" ");
  }
  top.hidden = !top.textContent;
}

function feedbackForm(ctx, due, earlier, reload) {
  const id = `feedback-${due.officer.id}-${due.school.id}`;
  const scale = "1 is poor, 5 is excellent.";
  const form = h("form", { class: "feedback", id, novalidate: true, "aria-labelledby": `${id}-title` },
    h("h3", { id: `${id}-title` }, due.officer.name),
    h("p", { class: "hint" }, `${due.school.name} · ${due.term}`),
    earlier ? h("p", { class: "callout ok sent" }, "Sent this semester. Sending again replaces it.") : null,
    h("p", { class: "form-error", role: "alert", hidden: true }),
    choiceGroup(id, "relationships", "Builds relationships with students and staff", scale,
      RATINGS.map((value) => [value, value]), earlier?.relationships, "rating"),
    choiceGroup(id, "responsiveness", "Responsiveness", scale, RATINGS.map((value) => [value, value]),
      earlier?.responsiveness, "rating"),
    choiceGroup(id, "stayed_out_of_discipline", "Stayed out of school discipline",
      "Discipline is the school's; the officer acts on crime and safety.", DISCIPLINE, earlier?.stayed_out_of_discipline,
      "answers"),
    h("div", { class: "field", "data-field": "comment" },
      h("label", { for: `${id}-comment` }, "Comment", h("span", { class: "optional" }, " (optional)")),
      h("textarea", { id: `${id}-comment`, name: "comment", rows: "3", maxlength: "2000", value: earlier?.comment ?? "",
        "aria-describedby": `${id}-comment-error` }),
      h("p", { class: "error", id: `${id}-comment-error` })),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, "Send feedback")));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value;
    const missing = ["relationships", "responsiveness", "stayed_out_of_discipline"].filter((name) => !chosen(name));
    if (missing.length) {
      showFieldErrors(form, Object.fromEntries(missing.map((name) => [name, "Choose one."])));
      form.querySelector(`[data-field="${missing[0]}"] input`).focus();
      return;
    }
    const comment = form.elements.comment.value.trim();
    try {
      await api.giveFeedback({
        officer_id: due.officer.id, school_id: due.school.id, relationships: Number(chosen("relationships")),
        responsiveness: Number(chosen("responsiveness")), stayed_out_of_discipline: chosen("stayed_out_of_discipline"),
        comment: comment || null,
      }, await freshCsrf());
    } catch (error) {
      showFieldErrors(form, error instanceof NetworkError
        ? { form: "Not sent: feedback needs a connection. Try again when online." }
        : Object.keys(error.fields || {}).length ? error.fields : { form: error.message });
      return;
    }
    await reload();
    toastNow(`Feedback sent for ${due.officer.name}.`);
  });
  return form;
}

export function feedbackView(ctx, { loaded, reload }) {
  const title = h("h2", { id: "view-title", tabindex: "-1" }, "Semester feedback");
  const back = h("div", { class: "form-actions" }, h("a", { class: "button secondary", href: "#/" }, "Back"));
  if (loaded.error) {
    return h("section", { class: "view", "aria-labelledby": "view-title" }, title,
      h("p", { class: "notice", role: "status" }, loaded.error instanceof NetworkError
        ? "Semester feedback is sent straight to the server, not kept on this phone: connect to give it."
        : loaded.error.message), back);
  }
  const { due, answers } = loaded.body;
  const byId = new Map(answers.map((answer) => [answer.id, answer]));
  return h("section", { class: "view feedback-view", "aria-labelledby": "view-title" }, title,
    h("div", { class: "callout info", id: "feedback-notice" },
      h("p", {}, "Once a semester, for each officer serving your school: how they build relationships, how responsive "
        + "they are, and whether they stayed out of school discipline."),
      h("p", {}, h("strong", {}, "The officer will see your ratings and comment. "),
        "Your name is not shown to them, but your school has one principal, so they will know the feedback is yours."),
      h("p", {}, "Their supervisor sees it too. Sending again in the same semester replaces your earlier answer.")),
    due.length ? due.map((item) => feedbackForm(ctx, item, byId.get(item.feedback_id), reload))
      : h("p", { class: "empty" }, "No officer serves your school this semester, or the school has no term calendar yet."),
    back);
}
