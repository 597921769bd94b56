// The phone's and the server's versions side by side; keep either, or merge field by field.
// Whatever is not kept here is still on the server as a revision: nothing is dropped.

import { keepServerVersion, saveChange } from "../outbox.js";
import { h } from "../shared/dom.js";
import { kindForm } from "../shared/forms.js";
import { displayValue } from "./record.js";

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function choiceCard(ctx, kind, field, side, value, checked) {
  const id = `merge-${field.name}-${side}`;
  return h("label", { class: "merge-card", for: id },
    h("input", { type: "radio", id, name: field.name, value: side, checked }),
    h("span", { class: "merge-side" }, side === "mine" ? "This phone" : "Server"),
    h("span", { class: "merge-value" }, displayValue(ctx, kind, field, value)));
}

export function conflictView(ctx, { conflict }) {
  const { mine, server } = conflict;
  const description = kindForm(ctx.forms, conflict.kind);
  const differing = description.fields.filter((field) => !same(mine.data[field.name], server.data[field.name]));
  const voidNote = mine.voided !== server.voided
    ? h("p", { class: "callout info" }, mine.voided ? "On this phone you voided it; on the server it is not void." : `On the server it is void: ${server.void_reason}`)
    : null;

  async function keep(data, voided, voidReason) {
    await saveChange(ctx.db, { id: conflict.id, kind: conflict.kind, data, voided, void_reason: voidReason },
      { resolvesConflictAt: server.version });
    ctx.saved("Your choice is saved on this phone.");
  }

  async function keepServer() {
    await keepServerVersion(ctx.db, conflict.id);
    ctx.saved("Kept the server's version.");
  }

  function merged(form) {
    const data = { ...server.data };
    for (const field of differing) {
      if (form.elements[field.name].value === "mine") data[field.name] = mine.data[field.name];
    }
    return data;
  }

  const canChange = !server.voided;
  return h("section", { class: "view", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, "Changed in two places"),
    h("p", {}, `This ${description.label.toLowerCase()} was changed on the server while you edited it here. Choose what to keep.`),
    voidNote,
    h("form", { novalidate: true, onsubmit: (event) => { event.preventDefault(); keep(merged(event.currentTarget), false, null); } },
      differing.map((field) => h("fieldset", { class: "merge" },
        h("legend", {}, field.label),
        h("div", { class: "merge-pair" },
          choiceCard(ctx, conflict.kind, field, "mine", mine.data[field.name], true),
          choiceCard(ctx, conflict.kind, field, "server", server.data[field.name], false)))),
      h("div", { class: "form-actions stacked" },
        canChange ? h("button", { type: "button", class: "primary", onclick: () => keep(mine.data, mine.voided, mine.void_reason) }, "Keep mine") : null,
        h("button", { type: "button", class: "secondary", onclick: keepServer }, "Keep the server's"),
        canChange && differing.length > 1 ? h("button", { type: "submit", class: "secondary" }, "Save my choices (merge)") : null)));
}
