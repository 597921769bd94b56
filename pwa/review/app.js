// The review page: sign-in, the role's navigation and hash routes. Desktop first, online only.
//   supervisor, admin: dashboard, monthly report, public report, log browser (+ admin screens for admins)
//   principal: their school's compliance, monthly counts and public report, never individual records
//   officer: sent to the officer app at /

import { ApiError, abortPending, me, post, setCsrf, signIn } from "./client.js";
import { field, formAlert, h, input, replace, showErrors, clearErrors } from "./ui.js";
import { renderDashboard } from "./dashboard.js";
import { renderMonthly } from "./monthly.js";
import { renderPublic } from "./public.js";
import { renderLog, renderRecord } from "./logbrowser.js";
import { renderAdmin } from "./admin.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const who = document.getElementById("who");
const signOutButton = document.getElementById("signout");

const SCREENS = [
  { route: "dashboard", label: "Compliance", roles: ["supervisor", "admin", "principal"], render: renderDashboard },
  { route: "monthly", label: "Monthly report", roles: ["supervisor", "admin", "principal"], render: renderMonthly },
  { route: "public", label: "Public report", roles: ["supervisor", "admin", "principal"], render: renderPublic },
  { route: "log", label: "Log browser", roles: ["supervisor", "admin"], render: renderLog },
  { route: "admin", label: "Administration", roles: ["admin"], render: renderAdmin },
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

function screensFor(role) {
  return SCREENS.filter((screen) => screen.roles.includes(role));
}

function drawNav(current) {
  replace(nav, h("ul", {}, screensFor(user.role).map((screen) => h("li", {},
    h("a", { href: `#${screen.route}`, "aria-current": screen.route === current ? "page" : null }, screen.label)))));
}

async function route() {
  if (!user) return;
  const { route: name, rest } = routeOf();
  const allowed = screensFor(user.role);
  let screen = allowed.find((one) => one.route === name);
  if (name === "record" && user.role !== "principal") screen = { route: "log", render: (el, u) => renderRecord(el, u, rest[0]) };
  if (!screen) screen = allowed[0];
  drawNav(screen.route);
  document.title = `${screen.label || "Record"} · SRO Field Log review`;
  // Each visit draws into its own element: a slow screen left behind draws into a detached one.
  const view = h("div", { class: "view" });
  main.replaceChildren(view);
  try {
    await screen.render(view, user, rest);
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
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      start(await signIn(form.elements.email.value.trim(), form.elements.password.value));
    } catch (error) {
      showErrors(form, error);
    } finally {
      button.disabled = false;
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
