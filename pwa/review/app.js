// The review page: sign-in, the role's navigation and hash routes. Desktop first, online only.
//   supervisor, admin: dashboard, monthly report, public report, log browser, sign-in security
//     (+ admin screens and publishing the public report for admins); only sign-in security until an
//     app is set up, where required
//   principal: their school's compliance, monthly counts, involvement totals and public report, never
//     individual records
//   officer: sent to the officer app at /

import { ApiError, abortPending, me, post, setCsrf, signIn } from "./client.js";
import { field, formAlert, h, input, onSubmit, replace, showErrors, useSchoolYear } from "./ui.js";
import { renderDashboard } from "./dashboard.js";
import { renderMonthly } from "./monthly.js";
import { renderInvolvements } from "./involvements.js";
import { renderPublic } from "./public.js";
import { renderLog, renderRecord } from "./logbrowser.js";
import { renderReviews } from "./reviews.js";
import { renderSignoffs } from "./signoffs.js";
import { renderAdmin } from "./admin.js";
import { renderReleases } from "./releases.js";
import { renderSecurity } from "./security.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const who = document.getElementById("who");
const signOutButton = document.getElementById("signout");

const SCREENS = [
  { route: "dashboard", label: "Compliance", roles: ["supervisor", "admin", "principal"], render: renderDashboard },
  { route: "monthly", label: "Monthly report", roles: ["supervisor", "admin", "principal"], render: renderMonthly },
  { route: "involvements", label: "Involvements", roles: ["supervisor", "admin", "principal"], render: renderInvolvements },
  { route: "public", label: "Public report", roles: ["supervisor", "admin", "principal"], render: renderPublic },
  { route: "log", label: "Log browser", roles: ["supervisor", "admin"], render: renderLog },
  { route: "reviews", label: "Review queue", roles: ["supervisor", "admin"], render: renderReviews },
  { route: "signoffs", label: "Month sign-off", roles: ["supervisor", "admin"], render: renderSignoffs },
  { route: "admin", label: "Administration", roles: ["admin"], render: renderAdmin },
  { route: "releases", label: "Publish", roles: ["admin"], render: renderReleases },
  { route: "security", label: "Sign-in security", roles: ["supervisor", "admin"], render: renderSecurity },
];

let user = null;
const NOTICES = {
  "signed-out": "You are signed out.",
  "session-ended": "Your session ended. Sign in again.",
};

function routeOf() {
  const [route, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  return { route: route || "dashboard", rest };
}

// The organisation requires an authenticator app and this account has none yet.
function mustSetUpApp() {
  return Boolean(user.second_factor?.required && !user.second_factor.enabled);
}

function screensFor() {
  const screens = SCREENS.filter((screen) => screen.roles.includes(user.role));
  return mustSetUpApp() ? screens.filter((screen) => screen.route === "security") : screens;
}

function drawNav(current) {
  replace(nav, h("ul", {}, screensFor().map((screen) => h("li", {},
    h("a", { href: `#${screen.route}`, "aria-current": screen.route === current ? "page" : null }, screen.label)))));
}

async function route() {
  if (!user) return;
  const { route: name, rest } = routeOf();
  const allowed = screensFor();
  let screen = allowed.find((one) => one.route === name);
  if (name === "record" && !mustSetUpApp() && user.role !== "principal") screen = { route: "log", render: (el, u) => renderRecord(el, u, rest[0]) };
  if (!screen) screen = allowed[0];
  drawNav(screen.route);
  document.title = `${screen.label || "Record"} · SRO Field Log review`;
  // Each visit draws into its own element: a slow screen left behind draws into a detached one.
  const view = h("div", { class: "view" });
  main.replaceChildren(view);
  try {
    await screen.render(view, user, rest, { onEnabled: appTurnedOn });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      restart("session-ended");
      return;
    }
    view.append(h("p", { class: "notice notice-error", role: "alert" }, error.message || String(error)));
  }
}

function focusMain() {
  const heading = main.querySelector("h2");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
}

function start(session) {
  user = session.user;
  useSchoolYear(session.school_year);
  setCsrf(session.csrf_token);
  if (user.role === "officer") {
    location.replace("/");
    return;
  }
  const schools = user.role === "principal" && user.schools.length
    ? ` · ${user.schools.map((school) => school.name).join(", ")}` : "";
  who.textContent = `${user.name} (${user.role})${schools}`;
  signOutButton.hidden = false;
  document.body.dataset.role = user.role;
  route().then(focusMain);
}

// The first code from a newly set-up app: the session now reaches every screen.
async function appTurnedOn() {
  location.hash = "dashboard";
  start(await me());
}

// Asked for after a right password, on an account with an authenticator app.
function codeStep(form) {
  const code = field("Authentication code", input("otp", {
    autocomplete: "one-time-code", required: true, autocapitalize: "off", spellcheck: "false",
  }), { hint: "The 6-digit code from your authenticator app. Lost your phone? Enter one of your recovery codes." });
  code.classList.add("code-step");
  form.querySelector(".form-alert").before(code);
  form.querySelector("button[type=submit]").textContent = "Verify and sign in";
  return code.querySelector("input");
}

function showSignIn(notice) {
  user = null;
  setCsrf(null);
  who.textContent = "";
  nav.replaceChildren();
  signOutButton.hidden = true;
  const form = h("form", { class: "signin card", novalidate: true },
    h("h2", {}, "Sign in to review"),
    notice ? h("p", { class: "notice notice-info", role: "status" }, notice) : null,
    field("Email", input("email", { type: "email", autocomplete: "username", required: true })),
    field("Password", input("password", { type: "password", autocomplete: "current-password", required: true })),
    formAlert(),
    h("button", { type: "submit", class: "primary" }, "Sign in"),
    h("p", { class: "hint" }, "Officers record their work in the officer app at ", h("a", { href: "/" }, "SRO Field Log"), "."));
  let codeInput = null;
  onSubmit(form, async ({ email }) => {
    start(await signIn(email, form.elements.password.value, codeInput?.value.trim()));
  }, (error) => {
    if (error.code === "second_factor_required" && !codeInput) {
      codeInput = codeStep(form);
      codeInput.focus();
    } else if (error.code === "second_factor_invalid" || error.code === "second_factor_required") {
      showErrors(form, { message: error.message, fields: { otp: [error.message] } });
      codeInput.select();
    } else {
      showErrors(form, error);
    }
  });
  replace(main, form);
  form.elements.email.focus();
}

signOutButton.addEventListener("click", async () => {
  abortPending();
  try {
    await post("/api/auth/logout");
  } catch {
    // Signed out already, or offline: the page forgets the session either way.
  }
  restart("signed-out");
});

// A fresh page for the next person: no filters, lists or reports of the previous one stay in memory.
function restart(reason) {
  user = null;
  location.hash = reason;
  location.reload();
}



window.addEventListener("hashchange", () => route().then(focusMain));
window.addEventListener("review:unauthorized", () => {
  if (user) restart("session-ended");
});

(async () => {
  try {
    start(await me());
  } catch {
    showSignIn(NOTICES[location.hash.slice(1)]);
  }
})();
