// Review queue: a supervisor (or admin) approves an officer's records, or sends one back with a
// comment, one at a time or a whole week or month at once (POST /api/records/<id>/review,
// POST /api/reviews). A decision names the version read: when the officer changed the record
// meanwhile the server answers 409 with the record as it now is, shown here to decide again.

import { kindLabel } from "/shared/forms.js";
import { forms, get, post } from "./client.js";
import { detailOf } from "./logbrowser.js";
import { scopeOptions } from "./scope.js";
import {
  announce, badge, currentSchoolYear, dateLabel, errorText, field, h, input, isoDay, loading, message, mondayOf,
  occurredLabel, replace, select,
} from "./ui.js";

const REVIEW_FILTERS = [
  ["submitted", "Waiting for review"], ["needs_correction", "Needs correction"], ["approved", "Approved"], ["", "Any"],
];
const state = { officer_id: "", period: "week", day: "", review: "submitted" };

// The officer-week (Monday to Sunday) or officer-month holding `day` ("YYYY-MM-DD").
function periodOf(period, day) {
  const [year, month, date] = day.split("-").map(Number);
  if (period === "month") return [isoDay(new Date(year, month - 1, 1)), isoDay(new Date(year, month, 0))];
  const monday = mondayOf(new Date(year, month - 1, date));
  return [isoDay(monday), isoDay(new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() + 6))];
}

export async function renderReviews(main, user) {
  state.day ||= isoDay(new Date());
  main.append(h("h2", {}, "Review queue"),
    h("p", { class: "lede" }, "Approve your officers' records, or send one back with what to correct. ",
      "The officer sees your comment on the phone; the record comes back here once corrected."));
  const options = await scopeOptions(user, currentSchoolYear());
  state.officer_id ||= String(options.officers[0]?.id ?? "");
  const form = h("form", { class: "filters", "aria-label": "Which records", novalidate: true },
    field("Officer", select("officer_id", options.officers.map((one) => [one.id, one.name]), state.officer_id)),
    field("Period", select("period", [["week", "Week"], ["month", "Month"]], state.period)),
    field("Including the day", input("day", { type: "date", value: state.day })),
    field("Review status", select("review", REVIEW_FILTERS, state.review)),
    h("div", { class: "filter-actions" }, h("button", { type: "submit", class: "primary" }, "Show records")));
  const results = h("div", { class: "results" });
  const described = await forms();
  const show = () => drawQueue(results, options, described).catch((error) => replace(results, message(errorText(error), "error")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const name of Object.keys(state)) state[name] = form.elements[name].value;
    show();
  });
  main.append(form, results);
  if (!options.officers.length) {
    replace(results, message("No officers to review."));
    return;
  }
  await show();
}

let latest = 0;  // only the latest request draws

async function drawQueue(results, options, described) {
  const mine = ++latest;
  replace(results, loading());
  const [from, to] = periodOf(state.period, state.day || isoDay(new Date()));
  const page = await get("/api/records", {
    officer_id: state.officer_id, date_from: from, date_to: to, review: state.review, voided: "false",
    sort: "occurred_at", order: "asc", limit: 200,
  });
  if (mine !== latest) return;
  const officer = options.officers.find((one) => String(one.id) === String(state.officer_id));
  const span = `${dateLabel(from)} – ${dateLabel(to)}`;
  const redraw = () => drawQueue(results, options, described);
  replace(results,
    h("p", { class: "as-of" }, `${officer?.name ?? "Officer"} · ${state.period === "week" ? "Week" : "Month"} ${span} · `,
      `${page.total} record${page.total === 1 ? "" : "s"}`),
    bulkForm(officer, from, to, span, redraw),
    page.items.length
      ? h("ol", { class: "review-list", "aria-label": "Records to review" },
        page.items.map((record) => h("li", {}, reviewItem(record, described, redraw))))
      : message("No records match."));
  announce(`${page.total} records shown.`);
}

// One action for the whole officer-week or month: only records still waiting are approved.
function bulkForm(officer, from, to, span, redraw) {
  if (!officer) return null;
  const status = h("p", { role: "alert", class: "bulk-status", hidden: true });
  const button = h("button", { type: "button", class: "primary", id: "approve-period" },
    `Approve every waiting record of ${span}`);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const done = await post("/api/reviews", {
        officer_id: officer.id, period_start: from, period_end: to, decision: "approved",
      });
      await redraw();
      announce(`${done.reviewed} record${done.reviewed === 1 ? "" : "s"} approved.`);
    } catch (error) {
      status.textContent = errorText(error);
      status.hidden = false;
      button.disabled = false;
    }
  });
  return h("div", { class: "card bulk-review" }, button,
    h("p", { class: "hint" }, "Records already approved or sent back keep their decision."), status);
}

// The record's late-entry and amended-after-sign-off tags (also the log browser's).
export function entryTags(record) {
  return [
    record.late_entry ? h("span", { class: "tag tag-warn" }, " Late entry") : null,
    record.amended_after_signoff ? h("span", { class: "tag tag-bad" }, " Amended after sign-off") : null,
  ];
}

function reviewTags(record) {
  return [badge(record.review?.status || "submitted"), ...entryTags(record)];
}

// A record with its decision controls; `onDecided` follows a decision made.
export function reviewItem(record, described, onDecided, { heading = "h3" } = {}) {
  const item = h("article", { class: "card review-item", "data-record": record.id });
  const draw = (current, notice) => {
    replace(item,
      h(heading, { class: "review-title" },
        h("a", { href: `#record/${current.id}` }, `${kindLabel(described, current.kind)}, ${occurredLabel(current.data?.occurred_at)}`)),
      h("p", { class: "review-detail" }, detailOf(current, described)),
      h("p", { class: "review-tags" }, reviewTags(current)),
      current.review?.comment ? h("p", { class: "muted" }, `Comment: \u201c${current.review.comment}\u201d`) : null,
      notice ? h("p", { class: "notice notice-warn", role: "alert" }, notice) : null,
      current.voided ? h("p", { class: "muted" }, "Voided by the officer: nothing to review.")
        : decisionForm(current, async (answer) => {
          if (answer.conflict) {
            draw({ ...current, ...answer.record }, answer.message);
            return;
          }
          draw({ ...current, ...answer.record });
          await onDecided?.();
        }));
  };
  draw(record);
  return item;
}

// Approve, or needs correction with a comment (required: the officer must know what to fix).
function decisionForm(record, done) {
  const comment = h("textarea", { name: "comment", rows: "2", maxlength: "2000" });
  const form = h("form", { class: "decision", novalidate: true, "aria-label": "Decision" },
    field("Comment for the officer", comment, { hint: "Required to send the record back." }),
    h("p", { class: "form-alert", role: "alert", hidden: true }),
    h("div", { class: "actions" },
      h("button", { type: "submit", name: "decision", value: "approved", class: "primary" }, "Approve"),
      h("button", { type: "submit", name: "decision", value: "needs_correction", class: "danger" }, "Needs correction")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const decision = event.submitter?.value || "approved";
    const alert = form.querySelector(".form-alert");
    alert.hidden = true;
    if (decision === "needs_correction" && !comment.value.trim()) {
      alert.textContent = "Say what the officer should correct.";
      alert.hidden = false;
      comment.setAttribute("aria-invalid", "true");
      comment.focus();
      return;
    }
    for (const button of form.querySelectorAll("button")) button.disabled = true;
    try {
      const answer = await post(`/api/records/${encodeURIComponent(record.id)}/review`, {
        decision, comment: comment.value.trim() || null, base_version: record.version,
        base_review_status: record.review?.status ?? "submitted",
      });
      announce(decision === "approved" ? "Record approved." : "Record sent back for correction.");
      await done(answer);
    } catch (error) {
      if (error.status === 409 && error.body?.record) {
        await done({ conflict: true, record: error.body.record,
          message: `${error.message} It is shown below as it is now.` });
        return;
      }
      alert.textContent = errorText(error);
      alert.hidden = false;
      for (const button of form.querySelectorAll("button")) button.disabled = false;
    }
  });
  return form;
}

// The record page's review card: where the record stands and the decision controls. A stale
// version shows the record's current review and asks again (`onChanged` redraws the page).
export function reviewSection(record, onChanged) {
  const review = record.review || { status: "submitted" };
  return h("section", { class: "card", id: "review", "aria-labelledby": "review-title" },
    h("h3", { id: "review-title" }, "Review"),
    h("p", {}, badge(review.status),
      review.by ? ` by ${review.by}` : "", review.comment ? `: \u201c${review.comment}\u201d` : "",
      entryTags(record)),
    record.voided ? h("p", { class: "muted" }, "Voided by the officer: nothing to review.")
      : decisionForm(record, async (answer) => onChanged(answer.conflict ? answer.message : null)));
}
