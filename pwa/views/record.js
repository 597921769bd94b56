// One record: what it says, where it stands, and what the officer can do with it.

import { UNDO_MS, toastNow } from "../chrome.js";
import { saveChange, undoVoid } from "../outbox.js";
import { formatWhen } from "../shared/dates.js";
import { h } from "../shared/dom.js";
import { choiceLabel, formatNumber, kindForm } from "../shared/forms.js";
import { PARTY_WORDS } from "../shared/standing.js";
import { SERVER_FAULT_FIELD } from "../sync.js";
import { badges, needsCorrection } from "./format.js";

export function badgeList(record) {
  return h("span", { class: "badges" },
    badges(record).map((badge) => h("span", { class: `badge ${badge.tone}` }, badge.text)));
}

export function displayValue(ctx, kind, field, value) {
  if (field.widget === "school" && !field.required && (value === null || value === undefined)) return "No school";
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return "—";
  if (field.widget === "school") return ctx.user.schools.find((school) => school.id === value)?.name ?? `School ${value}`;
  if (field.type === "datetime") return formatWhen(value);
  if (Array.isArray(value)) return value.map((item) => choiceLabel(ctx.forms, kind, field.name, item)).join(", ");
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return value ? "Yes" : "No";
  return field.choices ? choiceLabel(ctx.forms, kind, field.name, value) : String(value);
}

function fieldList(ctx, record) {
  const description = kindForm(ctx.forms, record.kind);
  return h("dl", { class: "fields" }, (description?.fields || []).map((field) => [
    h("dt", {}, field.label),
    h("dd", {}, displayValue(ctx, record.kind, field, record.data[field.name])),
  ]));
}

function attentionBlock(ctx, record, problems) {
  if (!problems.length) return null;
  const labels = Object.fromEntries((kindForm(ctx.forms, record.kind)?.fields || []).map((f) => [f.name, f.label]));
  // A change the server failed on (pwa/sync.js) is about the whole change, not one field.
  labels[SERVER_FAULT_FIELD] = "";
  return h("div", { class: "callout bad", role: "alert" },
    h("h3", {}, "The server did not accept this change"),
    h("ul", {}, problems.flatMap((problem) => Object.entries(problem.errors).map(([name, messages]) => {
      const label = labels[name] ?? name;
      return h("li", {}, label ? h("strong", {}, `${label}: `) : null, [].concat(messages).join(" "));
    }))),
    h("p", {}, "Edit the record to fix it; the other records keep syncing meanwhile."));
}

function confirmationBlock(record) {
  const confirmation = record.confirmation;
  if (record.kind !== "principal_meeting" || !confirmation) return null;
  const words = { confirmed: "Confirmed", disputed: "Disputed", pending: "Not yet confirmed" };
  return h("div", { class: `callout ${confirmation.status === "disputed" ? "bad" : "info"}` },
    h("h3", {}, `Principal: ${words[confirmation.status] || confirmation.status}`),
    confirmation.by_name ? h("p", {}, `${confirmation.by_name}${confirmation.at ? `, ${formatWhen(confirmation.at)}` : ""}`) : null,
    confirmation.comment ? h("p", {}, `“${confirmation.comment}”`) : null);
}

// A semester review (KY 8) counts once the supervisor and the principal both confirmed taking part.
function participationBlock(record) {
  const parts = record.participation;
  if (!parts) return null;
  const disputed = Object.values(parts).some((part) => part?.status === "disputed");
  return h("div", { class: `callout ${disputed ? "bad" : "info"}`, id: "participation" },
    h("h3", {}, "Semester review: who confirmed it"),
    h("ul", { class: "plain" }, [["supervisor", "Supervisor"], ["principal", "Principal"]].map(([party, label]) => {
      const part = parts[party] || { status: "pending" };
      return h("li", {}, h("strong", {}, `${label}: `), PARTY_WORDS[part.status] || part.status,
        part.by_name ? ` (${part.by_name}${part.at ? `, ${formatWhen(part.at)}` : ""})` : "",
        part.comment ? ` “${part.comment}”` : "");
    })),
    h("p", { class: "hint" }, "Editing the review asks both to confirm it again."));
}

// What the supervisor asked to correct; gone once the officer's edit reaches the server.
function reviewBlock(record) {
  if (!needsCorrection(record)) return null;
  const { by, at, comment } = record.review;
  return h("div", { class: "callout bad", id: "review-comment" },
    h("h3", {}, "Your supervisor asks for a correction"),
    h("p", {}, `“${comment}”`),
    h("p", { class: "hint" }, `${by || "Supervisor"}${at ? `, ${formatWhen(at)}` : ""}. Edit the record to correct it; `
      + "it goes back to your supervisor when it syncs."));
}

export function recordView(ctx, { record, problems }) {
  const description = kindForm(ctx.forms, record.kind);
  const actions = [];
  if (record.state === "conflict") {
    actions.push(h("a", { class: "button primary", href: `#/conflict/${record.id}` }, "Resolve the conflict"));
  } else if (!record.voided) {
    actions.push(h("a", { class: "button primary", href: `#/edit/${record.id}` }, "Edit"));
    actions.push(h("a", { class: "button danger", href: `#/void/${record.id}` }, "Void…"));
  }
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, description?.label ?? record.kind),
    badgeList(record),
    attentionBlock(ctx, record, problems),
    record.voided ? h("p", { class: "callout muted" }, `Void: ${record.void_reason}`) : null,
    confirmationBlock(record),
    participationBlock(record),
    reviewBlock(record),
    fieldList(ctx, record),
    h("div", { class: "form-actions" }, actions, h("a", { class: "button secondary", href: "#/" }, "Back")));
}

export function voidView(ctx, { record }) {
  const error = h("p", { class: "error", id: "void-reason-error" });
  async function submit(event) {
    event.preventDefault();
    const reason = event.currentTarget.elements.reason.value.trim();
    if (!reason) {
      error.textContent = "Say why this record is void.";
      event.currentTarget.elements.reason.focus();
      return;
    }
    await saveChange(ctx.db, { id: record.id, kind: record.kind, voided: true, void_reason: reason }, { holdMs: UNDO_MS });
    ctx.saved("Marked void on this phone.", {
      label: "Undo",
      run: async () => {
        const undone = await undoVoid(ctx.db, record.id);
        await ctx.rerender();
        await ctx.refreshCounts();
        toastNow(undone ? "Void undone: the record is as it was." : "Too late to undo: the void has reached the server.");
      },
    }, UNDO_MS);
  }
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, "Void this record"),
    h("p", {}, "A void record is kept, marked void, with your reason. It cannot be edited afterwards."),
    h("form", { onsubmit: submit, novalidate: true },
      h("div", { class: "field" },
        h("label", { for: "void-reason" }, "Reason"),
        h("textarea", { id: "void-reason", name: "reason", rows: "3", maxlength: "500", "aria-describedby": "void-reason-error" }),
        error),
      h("div", { class: "form-actions" },
        h("button", { type: "submit", class: "danger" }, "Void record"),
        h("a", { class: "button secondary", href: `#/record/${record.id}` }, "Cancel"))));
}
