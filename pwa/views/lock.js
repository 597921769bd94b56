// The lock screen (pwa/lock.js): no record, no name, only the password field. The app
// checks the password on the phone, so it unlocks offline too.

import { h } from "../shared/dom.js";

export function lockView(ctx, { unlock, signOut }) {
  const error = h("p", { class: "form-error", id: "unlock-error", role: "alert", hidden: true });
  const button = h("button", { type: "submit", class: "primary" }, "Unlock");
  const password = h("input", {
    id: "unlock-password", name: "password", type: "password", autocomplete: "current-password", required: true,
    "aria-describedby": "unlock-error",
  });

  async function submit(event) {
    event.preventDefault();
    error.hidden = true;
    button.disabled = true;
    button.textContent = "Checking…";
    const refusal = await unlock(password.value);
    if (!refusal) return;  // unlocked, or sent to the sign-in screen: the app redraws
    error.textContent = refusal;
    error.hidden = false;
    button.disabled = false;
    button.textContent = "Unlock";
    password.value = "";
    password.focus();
  }

  return h("section", { class: "view narrow", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, "Locked"),
    h("p", { class: "intro" },
      `The app locked itself after ${ctx.lockMinutes} minutes without use. `,
      "Enter your password to go on; this works offline too."),
    h("form", { onsubmit: submit, novalidate: true },
      h("div", { class: "field" }, h("label", { for: "unlock-password" }, "Password"), password),
      error,
      button),
    h("p", { class: "lock-other" }, "Not you, or forgot the password? Signing out keeps the records not yet synced."),
    h("button", { type: "button", class: "secondary", id: "lock-signout", onclick: signOut }, "Sign out"));
}
