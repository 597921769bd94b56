// Sign-in security for supervisors and admins: set up an authenticator app (QR code or typed
// key, confirmed with a code and the password), save the recovery codes, replace them, turn
// the app off. Where the organisation requires an app, this is the only screen until it is on.

import { get, post } from "./client.js";
import { svgElement } from "./charts.js";
import { dateTimeLabel, field, formAlert, h, input, loading, message, onSubmit, replace } from "./ui.js";

const QR_QUIET_ZONE = 4;

export async function renderSecurity(view, user, _rest, { onEnabled } = {}) {
  replace(view, h("h2", {}, "Sign-in security"), loading());
  const status = await get("/api/auth/second-factor");
  const body = h("div", {});
  replace(view, h("h2", {}, "Sign-in security"),
    h("p", { class: "lede" }, "An authenticator app on your phone makes a new 6-digit code every 30 seconds. "
      + "With it, a stolen or guessed password is not enough to open the records you can see."),
    status.required && !status.enabled
      ? message("Your organisation requires an authenticator app for supervisors and admins. Set one up to continue.", "warn")
      : null,
    body);
  if (status.enabled) drawEnabled(body, status, user);
  else drawNotSetUp(body, user, onEnabled);
}

function drawNotSetUp(body, user, onEnabled) {
  const start = h("button", { type: "button", class: "primary" }, "Set up an authenticator app");
  start.addEventListener("click", async () => {
    start.disabled = true;
    try {
      drawSetup(body, user, await post("/api/auth/second-factor/setup"), onEnabled);
    } catch (error) {
      start.after(message(error.message, "error"));
      start.disabled = false;
    }
  });
  replace(body, h("section", { class: "card" },
    h("h3", {}, "Authenticator app"),
    h("p", {}, "Not set up. Any app that shows time-based codes (TOTP) works."),
    start));
}

function qrCode(qr) {
  const side = qr.size + 2 * QR_QUIET_ZONE;
  return svgElement("svg", {
    viewBox: `${-QR_QUIET_ZONE} ${-QR_QUIET_ZONE} ${side} ${side}`, role: "img", class: "qr",
    "aria-label": "QR code for your authenticator app. If you cannot scan it, type the key shown below it.",
    "shape-rendering": "crispEdges",
  }, svgElement("rect", { x: -QR_QUIET_ZONE, y: -QR_QUIET_ZONE, width: side, height: side, class: "qr-paper" }),
  svgElement("path", { d: qr.path, class: "qr-ink" }));
}

function spaced(secret) {
  return secret.match(/.{1,4}/g).join(" ");
}

function passwordField(user) {
  return field("Your password", input("password", { type: "password", autocomplete: "current-password", required: true }),
    { hint: `Asked again because this changes how ${user.email} signs in.` });
}

function codeField(label, hint) {
  return field(label, input("code", {
    autocomplete: "one-time-code", required: true, autocapitalize: "off", spellcheck: "false", class: "code-input",
  }), { hint });
}

// A form that posts the code and the password (untrimmed) and hands the answer on.
function guardedForm(label, fields, submitText, url, done, { danger = false } = {}) {
  const form = h("form", { class: "security-form", "aria-label": label, novalidate: true },
    fields, formAlert(), h("button", { type: "submit", class: danger ? "danger" : "primary" }, submitText));
  return onSubmit(form, async ({ code }) => done(await post(url, { code, password: form.elements.password.value })));
}

function drawSetup(body, user, setup, onEnabled) {
  const confirm = guardedForm("Turn on the authenticator app", [
    codeField("Code from the app", "The 6 digits it shows now, spaces or not."),
    passwordField(user),
  ], "Turn on", "/api/auth/second-factor/enable", ({ recovery_codes: codes }) => {
    drawRecoveryCodes(body, codes, "Your authenticator app is on", onEnabled);
  });
  replace(body, h("section", { class: "card setup" },
    h("h3", {}, "Set up an authenticator app"),
    h("ol", { class: "steps" },
      h("li", {}, h("p", {}, "In the app, add an account and scan this code."),
        h("figure", { class: "qr-figure" }, qrCode(setup.qr))),
      h("li", {}, h("p", {}, "Cannot scan? Choose to enter a key, and type this one:"),
        h("p", {}, h("code", { class: "secret", "aria-label": `Key: ${setup.secret.split("").join(" ")}` }, spaced(setup.secret)))),
      h("li", {}, h("p", {}, "Enter the code the app now shows for SRO Field Log."), confirm))));
  confirm.querySelector("input[name=code]").focus();
}

function download(codes) {
  const text = ["SRO Field Log recovery codes", "Each code signs you in once if you lose your phone.", "", ...codes, ""].join("\n");
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const link = h("a", { href: url, download: "sro-field-log-recovery-codes.txt" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function drawRecoveryCodes(body, codes, title, onDone) {
  const copied = h("p", { class: "form-status", role: "status" });
  const copy = h("button", { type: "button" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      copied.textContent = "Copied.";
    } catch {
      copied.textContent = "Copying is blocked here: download them or write them down.";
    }
  });
  const saved = h("input", { type: "checkbox", id: "codes-saved" });
  const next = h("button", { type: "button", class: "primary", disabled: true }, "Continue");
  saved.addEventListener("change", () => { next.disabled = !saved.checked; });
  next.addEventListener("click", () => onDone());
  replace(body, h("section", { class: "card recovery" },
    h("h3", { tabindex: "-1" }, title),
    h("p", {}, "Save these recovery codes somewhere safe, away from your phone. Each one signs you in once if the "
      + "phone is lost. They are shown only now."),
    h("ol", { class: "recovery-codes", "aria-label": "Recovery codes" }, codes.map((code) => h("li", {}, h("code", {}, code)))),
    h("div", { class: "form-actions" },
      h("button", { type: "button", onclick: () => download(codes) }, "Download as text"), copy),
    copied,
    h("p", { class: "check" }, saved, h("label", { for: "codes-saved" }, "I have saved my recovery codes")),
    next));
  body.querySelector("h3").focus();
}

function drawEnabled(body, status, user) {
  const redraw = async () => drawEnabled(body, await get("/api/auth/second-factor"), user);
  const replaceCodes = guardedForm("New recovery codes", [
    codeField("Code from the app", "Or one of your recovery codes."), passwordField(user),
  ], "Make new recovery codes", "/api/auth/second-factor/recovery-codes",
  ({ recovery_codes: codes }) => drawRecoveryCodes(body, codes, "New recovery codes", redraw));
  const turnOff = guardedForm("Turn off the authenticator app", [
    codeField("Code from the app", "Or one of your recovery codes."), passwordField(user),
  ], "Turn off", "/api/auth/second-factor/disable", () => location.reload(), { danger: true });
  const few = status.recovery_codes_left <= 3;
  replace(body,
    h("section", { class: "card" },
      h("h3", {}, "Authenticator app"),
      h("p", {}, "On since ", dateTimeLabel(status.enabled_at), ". Signing in asks for its code after the password."),
      message(`${status.recovery_codes_left} recovery code${status.recovery_codes_left === 1 ? "" : "s"} left.`
        + (few ? " Make new ones before you run out." : ""), few ? "warn" : "info")),
    h("section", { class: "card" },
      h("h3", {}, "New recovery codes"),
      h("p", {}, "Lost the list, or used most of it? New codes replace every old one."),
      replaceCodes),
    h("section", { class: "card" },
      h("h3", {}, "Moving to a new phone"),
      h("p", {}, status.required
        ? "Turn the app off here, then set up the new phone straight away: your organisation requires one. "
          + "Your other sessions end."
        : "Turn the app off here, then set up the new phone. Your other sessions end."),
      turnOff));
}
