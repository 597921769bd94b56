import { NetworkError } from "../shared/api.js";
import { h } from "../shared/dom.js";

const REASONS = {
  expired: "Your session has ended. Sign in again to go on.",
  tries: "Too many wrong passwords to unlock. Sign in again; this needs a connection.",
};

// What earlier sessions on this phone left unsynced (pwa/purge.js): it syncs when they sign in.
function waitingNotice(waiting) {
  if (!waiting.length) return null;
  return h("div", { class: "notice", id: "waiting" }, waiting.map(({ name, role, count }) => {
    const noun = role === "principal" ? ["decision", "decisions"] : ["record", "records"];
    const what = count === 1 ? `${noun[0]} waits` : `${noun[1]} wait`;
    return h("p", {}, `${count} ${what} for ${name ?? "another person"} to sign in again.`);
  }));
}

export function signInView(ctx, { email = "", reason, waiting = [] } = {}) {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const emailInput = h("input", {
    id: "signin-email", name: "email", type: "email", autocomplete: "username", required: true,
    inputmode: "email", value: email,
  });
  const passwordInput = h("input", {
    id: "signin-password", name: "password", type: "password", autocomplete: "current-password", required: true,
  });

  async function submit(event) {
    event.preventDefault();
    error.hidden = true;
    button.disabled = true;
    button.textContent = "Signing in…";
    try {
      await ctx.signIn(emailInput.value.trim(), passwordInput.value);
    } catch (failure) {
      error.textContent = failure instanceof NetworkError
        ? "No connection. Signing in needs the network once; after that the app works offline."
        : failure.code?.startsWith("second_factor") ? "Supervisors and admins sign in at /review/." : failure.message;
      error.hidden = false;
      button.disabled = false;
      button.textContent = "Sign in";
    }
  }

  return h("section", { class: "view narrow", "aria-labelledby": "view-title" },
    h("h2", { id: "view-title", tabindex: "-1" }, "Sign in"),
    reason && REASONS[reason]
      ? h("p", { class: "notice" }, REASONS[reason])
      : h("p", { class: "intro" }, "For School Resource Officers and principals. Sign in once with a connection; after that the app works offline."),
    waitingNotice(waiting),
    h("form", { onsubmit: submit, novalidate: true },
      h("div", { class: "field" }, h("label", { for: "signin-email" }, "Email"), emailInput),
      h("div", { class: "field" }, h("label", { for: "signin-password" }, "Password"), passwordInput),
      error,
      button,
    ),
  );
}
