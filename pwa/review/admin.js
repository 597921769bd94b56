// Admin screens: users, schools and their term calendars, assignments and supervision, the
// audit log. Every change goes through /api/admin; its refusals are shown beside the fields.

import { del, get, patch, post } from "./client.js";
import {
  badge, clearErrors, dateLabel, dateTimeLabel, field, formAlert, formValues, h, humanize, input,
  loading, message, onSubmit, replace, schoolYearOf, schoolYears, select, showErrors, table,
} from "./ui.js";

const ROLES = ["officer", "principal", "supervisor", "admin"];
const TABS = [["users", "Users"], ["schools", "Schools and calendars"], ["links", "Assignments and supervision"], ["audit", "Audit log"]];

export async function renderAdmin(main, user, rest) {
  const tab = TABS.some(([key]) => key === rest[0]) ? rest[0] : "users";
  main.append(h("h2", {}, "Administration"),
    h("nav", { class: "tabs", "aria-label": "Administration sections" }, h("ul", {}, TABS.map(([key, label]) =>
      h("li", {}, h("a", { href: `#admin/${key}`, "aria-current": key === tab ? "page" : null }, label))))));
  const panel = h("div", { class: "admin-panel" });
  main.append(panel);
  await { users: usersPanel, schools: schoolsPanel, links: linksPanel, audit: auditPanel }[tab](panel, user);
}

// A form whose submit calls `action(values)`; errors go beside the fields, success is announced.
function actionForm(className, label, children, submitText, action) {
  const status = h("p", { class: "form-status", role: "status" });
  const form = h("form", { class: `admin-form ${className}`, "aria-label": label, novalidate: true },
    children, formAlert(), h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, submitText)), status);
  return onSubmit(form, async (values) => {
    status.textContent = "";
    const text = await action(values, form);
    if (text) status.textContent = text;
  });
}

// --- users ---------------------------------------------------------------------------------

async function usersPanel(panel, me) {
  const list = h("div", {}, loading());
  const createForm = actionForm("create-user", "Create a user", [
    field("Name", input("name", { autocomplete: "off", required: true })),
    field("Email", input("email", { type: "email", autocomplete: "off", required: true })),
    field("Role", select("role", ROLES.map((role) => [role, humanize(role)]), "officer")),
    field("Password", input("password", { type: "password", autocomplete: "new-password", required: true }),
      { hint: "At least 8 characters; common or breached passwords are refused." }),
  ], "Create user", async (values, form) => {
    const created = await post("/api/admin/users", values);
    form.reset();
    await drawUsers(list, me);
    return `Created ${created.name} (${created.email}).`;
  });
  replace(panel, h("section", { class: "card" }, h("h3", {}, "Create a user"), createForm),
    h("section", { class: "card" }, h("h3", {}, "Users"), list));
  await drawUsers(list, me);
}

// A button that asks first (when `question` is set), then acts and redraws; a refusal shows beside it.
function userActionButton(label, question, action, redraw, { disabled = false, className } = {}) {
  return h("button", {
    type: "button", class: className, disabled,
    onclick: async (event) => {
      const button = event.currentTarget;
      if (question && !window.confirm(question)) return;
      button.disabled = true;
      try {
        await action();
        await redraw();
      } catch (error) {
        button.after(message(error.message, "error"));
        button.disabled = false;
      }
    },
  }, label);
}

async function drawUsers(list, me) {
  const users = await get("/api/admin/users");
  const rows = users.map((one) => {
    const roleForm = actionForm("inline", `Role of ${one.name}`, [
      field(`Role of ${one.name}`, select("role", ROLES.map((role) => [role, humanize(role)]), one.role, { disabled: one.id === me.id })),
    ], "Change role", async (values) => {
      const updated = await patch(`/api/admin/users/${one.id}`, { role: values.role });
      return `${updated.name} is now ${updated.role}; their sessions ended.`;
    });
    const passwordForm = actionForm("inline", `Reset the password of ${one.name}`, [
      field(`New password for ${one.name}`, input("password", { type: "password", autocomplete: "new-password" })),
    ], "Reset password", async (values, form) => {
      await post(`/api/admin/users/${one.id}/password`, { password: values.password });
      form.reset();
      return `Password reset; ${one.name}'s sessions ended.`;
    });
    const redraw = () => drawUsers(list, me);
    const toggle = userActionButton(`${one.active ? "Deactivate" : "Reactivate"} ${one.name}`,
      one.active ? `Deactivate ${one.name}? They can no longer sign in; their records stay.` : null,
      () => post(`/api/admin/users/${one.id}/${one.active ? "deactivate" : "reactivate"}`), redraw,
      { disabled: one.id === me.id });
    const resetApp = one.second_factor_enabled && one.id !== me.id
      ? userActionButton(`Reset ${one.name}'s authenticator app`,
        `Remove ${one.name}'s authenticator app and recovery codes? Their sessions end; they sign in with the password and set up a new app.`,
        () => del(`/api/admin/users/${one.id}/second-factor`), redraw, { className: "danger" })
      : null;
    return h("tr", { "data-email": one.email },
      h("th", { scope: "row" }, one.name, h("br"), h("span", { class: "muted" }, one.email)),
      h("td", {}, humanize(one.role)),
      h("td", {}, badge(one.active ? "active" : "deactivated"),
        one.locked_until ? h("span", { class: "tag tag-bad" }, ` Locked until ${dateTimeLabel(one.locked_until)}`) : null,
        one.second_factor_enabled ? badge("app_on") : null),
      h("td", {}, one.last_login_at ? dateTimeLabel(one.last_login_at) : h("span", { class: "muted" }, "Never")),
      h("td", { class: "user-actions" }, h("details", { class: "manage" },
        h("summary", {}, `Manage ${one.name}`), roleForm, passwordForm, toggle, resetApp)));
  });
  replace(list, table(`${users.length} users`, ["Name", "Role", "State", "Last sign-in", "Actions"], rows, { className: "users", stack: true }));
}

// --- schools and calendars -------------------------------------------------------------------

// Calendars open on the year holding today: in the summer an admin prepares the coming year.
const schoolState = { school_id: null, school_year: schoolYearOf(new Date()) };

async function schoolsPanel(panel) {
  const schools = await get("/api/admin/schools");
  if (!schoolState.school_id && schools.length) schoolState.school_id = schools[0].id;
  const createForm = actionForm("create-school", "Add a school", [
    field("School name", input("name", { required: true })),
    field("Code", input("code", { required: true }), { hint: "Letters, digits, - and _." }),
    field("Time zone", input("timezone", { value: "America/Chicago" }), { hint: "IANA name, like America/Chicago." }),
  ], "Add school", async (values) => {
    const created = await post("/api/admin/schools", values);
    schoolState.school_id = created.id;
    await schoolsPanel(panel);
  });
  const picker = h("form", { class: "filters", "aria-label": "Choose a school calendar" },
    field("School", select("school_id", schools.map((one) => [one.id, `${one.name} (${one.code})`]), schoolState.school_id)),
    field("School year", select("school_year", schoolYears().map((year) => [year, year]), schoolState.school_year)),
    h("button", { type: "submit", class: "primary" }, "Show calendar"));
  const calendar = h("div", {});
  picker.addEventListener("submit", (event) => {
    event.preventDefault();
    schoolState.school_id = Number(picker.elements.school_id.value);
    schoolState.school_year = picker.elements.school_year.value;
    drawCalendar(calendar, schools);
  });
  replace(panel,
    h("section", { class: "card" }, h("h3", {}, "Schools"),
      table(`${schools.length} schools`, ["Name", "Code", "Time zone", "Edit"],
        schools.map((one) => h("tr", {}, h("th", { scope: "row" }, one.name), h("td", {}, one.code), h("td", {}, one.timezone),
          h("td", { class: "user-actions" }, h("details", { class: "manage" }, h("summary", {}, `Edit ${one.name}`),
            actionForm("inline", `Edit ${one.name}`, [
              field("School name", input("name", { value: one.name })),
              field("Code", input("code", { value: one.code })),
              field("Time zone", input("timezone", { value: one.timezone })),
            ], "Save school", async (values) => {
              await patch(`/api/admin/schools/${one.id}`, values);
              await schoolsPanel(panel);
            }))))), { stack: true }),
      h("h4", {}, "Add a school"), createForm),
    h("section", { class: "card" }, h("h3", {}, "Term calendar"), schools.length ? [picker, calendar] : message("Add a school first.")));
  if (schools.length) await drawCalendar(calendar, schools);
}

async function drawCalendar(calendar, schools) {
  const { school_id: schoolId, school_year: year } = schoolState;
  const school = schools.find((one) => one.id === Number(schoolId));
  replace(calendar, loading());
  const [terms, days] = await Promise.all([
    get(`/api/admin/schools/${schoolId}/terms`, { school_year: year }),
    get(`/api/admin/schools/${schoolId}/non-school-days`, { school_year: year }),
  ]);
  const redraw = () => drawCalendar(calendar, schools);
  const remove = (path, label) => h("button", {
    type: "button", class: "danger",
    onclick: async (event) => {
      if (!window.confirm(`${label}?`)) return;
      try {
        await del(path);
        await redraw();
      } catch (error) {
        event.currentTarget?.after(message(error.message, "error"));
      }
    },
  }, label);
  const termForm = actionForm("add-term", "Add a term", [
    field("Term name", input("name", { placeholder: "Fall semester" })),
    field("Starts on", input("starts_on", { type: "date" })),
    field("Ends on", input("ends_on", { type: "date" })),
  ], "Add term", async (values) => {
    await post(`/api/admin/schools/${schoolId}/terms`, { ...values, school_year: year });
    await redraw();
  });
  const dayForm = actionForm("add-day", "Add a non-school day", [
    field("Day", input("day", { type: "date" })),
    field("Description", input("description", { placeholder: "Thanksgiving" })),
  ], "Add non-school day", async (values) => {
    await post(`/api/admin/schools/${schoolId}/non-school-days`, values);
    await redraw();
  });
  replace(calendar,
    h("h4", {}, `Terms of ${school?.name || "the school"}, ${year}`),
    terms.length ? table("Terms", ["Term", "Starts", "Ends", "Actions"], terms.map((term) => h("tr", {},
      h("th", { scope: "row" }, term.name), h("td", {}, dateLabel(term.starts_on)), h("td", {}, dateLabel(term.ends_on)),
      h("td", {}, remove(`/api/admin/terms/${term.id}`, `Delete ${term.name}`)))), { captionHidden: true })
      : message("No terms for this year: compliance will say an administrator must add them.", "warn"),
    termForm,
    h("h4", {}, "Non-school days (weekdays only)"),
    days.length ? table("Non-school days", ["Day", "Description", "Actions"], days.map((day) => h("tr", {},
      h("th", { scope: "row" }, dateLabel(day.day)), h("td", {}, day.description),
      h("td", {}, remove(`/api/admin/non-school-days/${day.id}`, `Remove ${dateLabel(day.day)}`)))), { captionHidden: true })
      : message("No non-school days this year."),
    dayForm);
}

// --- assignments, principals and supervision ---------------------------------------------------

async function linksPanel(panel) {
  replace(panel, loading());
  const [users, schools, assignments, supervisions, principals] = await Promise.all([
    get("/api/admin/users"), get("/api/admin/schools"), get("/api/admin/assignments"), get("/api/admin/supervisions"),
    get("/api/admin/principal-schools"),
  ]);
  const name = new Map(users.map((one) => [one.id, one.name]));
  const schoolName = new Map(schools.map((one) => [one.id, `${one.name} (${one.code})`]));
  const people = (role) => users.filter((one) => one.role === role && one.active).map((one) => [one.id, one.name]);
  const redraw = () => linksPanel(panel);
  const button = (label, work, className = "") => h("button", {
    type: "button", class: className,
    onclick: async (event) => {
      const target = event.currentTarget;
      if (className === "danger" && !window.confirm(`${label}?`)) return;
      try {
        await work();
        await redraw();
      } catch (error) {
        target.after(message(error.message, "error"));
      }
    },
  }, label);
  const perOfficer = new Map();
  for (const one of assignments) perOfficer.set(one.officer_id, new Set([...(perOfficer.get(one.officer_id) || []), one.school_id]));
  const assignmentRows = assignments.map((one) => h("tr", {},
    h("th", { scope: "row" }, name.get(one.officer_id) || `#${one.officer_id}`,
      perOfficer.get(one.officer_id).size > 1 ? [" ", badge("flagged")] : null),
    h("td", {}, schoolName.get(one.school_id) || `#${one.school_id}`),
    h("td", {}, dateLabel(one.starts_on)), h("td", {}, one.ends_on ? dateLabel(one.ends_on) : "Ongoing"),
    h("td", { class: "row-actions" },
      one.ends_on ? null : endAssignmentForm(one, `${name.get(one.officer_id) || `#${one.officer_id}`} at ${schoolName.get(one.school_id) || `#${one.school_id}`}`, redraw),
      button(`Delete assignment of ${name.get(one.officer_id)}`, () => del(`/api/admin/assignments/${one.id}`), "danger"))));
  const assignForm = actionForm("add-assignment", "Assign an officer", [
    field("Officer", select("officer_id", people("officer"))),
    field("School", select("school_id", schools.map((one) => [one.id, `${one.name} (${one.code})`]))),
    field("From", input("starts_on", { type: "date" })),
    field("Until (optional)", input("ends_on", { type: "date" })),
  ], "Assign", async (values) => {
    await post("/api/admin/assignments", {
      officer_id: Number(values.officer_id), school_id: Number(values.school_id), starts_on: values.starts_on || null,
      ends_on: values.ends_on || null,
    });
    await redraw();
  });
  const supervisionForm = actionForm("add-supervision", "Add a supervision", [
    field("Supervisor", select("supervisor_id", people("supervisor"))),
    field("Officer", select("officer_id", people("officer"))),
  ], "Add supervision", async (values) => {
    await post("/api/admin/supervisions", { supervisor_id: Number(values.supervisor_id), officer_id: Number(values.officer_id) });
    await redraw();
  });
  const principalForm = actionForm("add-principal", "Let a principal act for a school", [
    field("Principal or designee", select("principal_id", people("principal"))),
    field("School", select("school_id", schools.map((one) => [one.id, `${one.name} (${one.code})`]))),
  ], "Add principal", async (values) => {
    await post("/api/admin/principal-schools", { principal_id: Number(values.principal_id), school_id: Number(values.school_id) });
    await redraw();
  });
  replace(panel,
    h("section", { class: "card" }, h("h3", {}, "Officer assignments"),
      h("p", { class: "muted" }, "An officer assigned to two schools at once is flagged (KY 9), not refused. End an assignment when an officer moves; delete only one made in error."),
      table(`${assignments.length} assignments`, ["Officer", "School", "From", "Until", "Actions"], assignmentRows, { stack: true }), assignForm),
    h("section", { class: "card" }, h("h3", {}, "Supervision"),
      table(`${supervisions.length} supervisions`, ["Supervisor", "Officer", "Actions"], supervisions.map((one) => h("tr", {},
        h("th", { scope: "row" }, name.get(one.supervisor_id)), h("td", {}, name.get(one.officer_id)),
        h("td", {}, button(`End supervision of ${name.get(one.officer_id)} by ${name.get(one.supervisor_id)}`,
          () => del(`/api/admin/supervisions/${one.id}`), "danger"))))), supervisionForm),
    h("section", { class: "card" }, h("h3", {}, "Principals and designees"),
      table(`${principals.length} principal links`, ["Principal", "School", "Actions"], principals.map((one) => h("tr", {},
        h("th", { scope: "row" }, name.get(one.principal_id)), h("td", {}, schoolName.get(one.school_id)),
        h("td", {}, button(`Remove ${name.get(one.principal_id)} from ${schoolName.get(one.school_id)}`,
          () => del(`/api/admin/principal-schools/${one.id}`), "danger"))))), principalForm));
}

// Each row's form is a landmark of its own: its name says whose assignment, so no two are alike.
function endAssignmentForm(assignment, whose, redraw) {
  return actionForm("inline", `End the assignment of ${whose}`, [
    field("Last day", input("ends_on", { type: "date" })),
  ], "End assignment", async (values) => {
    await patch(`/api/admin/assignments/${assignment.id}`, { ends_on: values.ends_on || null });
    await redraw();
  });
}

// --- audit log -----------------------------------------------------------------------------------

const auditState = { action: "", actor_id: "", since: "", until: "", limit: 50, offset: 0 };
// The actions the server writes (docs/security.md "Audit trail"), offered as suggestions; the box
// still takes any exact name, so an action added later is searchable before it is listed here.
const AUDIT_ACTIONS = [
  "records.pull", "records.browse", "records.history",
  "report.compliance", "report.monthly", "report.public", "audit.export",
  "auth.login", "auth.logout", "account.locked", "auth.second_factor_setup", "auth.second_factor_enable",
  "auth.second_factor_disable", "auth.recovery_codes_replace", "meeting.confirmed", "meeting.disputed",
  "admin.user_create", "admin.user_update", "admin.user_reset_password", "admin.user_deactivate",
  "admin.user_reactivate", "admin.user_second_factor_reset", "admin.school_create", "admin.school_update",
  "admin.school_delete", "admin.term_create", "admin.term_update", "admin.term_delete", "admin.closed_day_create",
  "admin.closed_day_delete", "admin.assignment_create", "admin.assignment_update", "admin.assignment_delete",
  "admin.principal_school_create", "admin.principal_school_delete", "admin.supervision_create",
  "admin.supervision_delete", "admin.user_set_password", "admin.term_add", "admin.closed_day_add",
  "admin.assign_officer", "admin.assign_principal", "admin.assign_supervisor", "database.backup", "demo.seed",
];

async function auditPanel(panel) {
  const users = await get("/api/admin/users");
  const form = h("form", { class: "filters", "aria-label": "Audit filters", novalidate: true },
    field("Action", input("action", { value: auditState.action, placeholder: "user_create", list: "audit-actions" }),
      { hint: "Pick one, or type a name with or without its prefix (user_create finds admin.user_create)." }),
    h("datalist", { id: "audit-actions" }, AUDIT_ACTIONS.map((action) => h("option", { value: action }, actionLabel(action)))),
    field("Who", select("actor_id", [["", "Anyone"], ...users.map((one) => [one.id, personLabel(one.name, one.email)])], auditState.actor_id)),
    field("Since", input("since", { type: "date", value: auditState.since })),
    field("Until", input("until", { type: "date", value: auditState.until })),
    formAlert(),
    h("button", { type: "submit", class: "primary" }, "Show events"));
  const results = h("div", {});
  const load = async () => {
    clearErrors(form);
    replace(results, loading());
    const params = { ...auditState };
    if (params.since) params.since = `${params.since}T00:00:00`;
    if (params.until) params.until = `${params.until}T23:59:59`;
    try {
      const page = await get("/api/admin/audit", params);
      const last = page.offset + page.items.length;
      replace(results,
        table(`Audit events ${page.items.length ? page.offset + 1 : 0}–${last} of ${page.total}, newest first`,
          ["When", "Who", "Action", "Outcome", "Target", "Details"],
          page.items.map((event) => h("tr", {},
            h("td", {}, dateTimeLabel(event.at)),
            h("td", {}, event.actor_email ? personLabel(event.actor_name, event.actor_email) : h("span", { class: "muted" }, "—")),
            h("td", {}, actionLabel(event.action), " ", h("code", { class: "muted" }, event.action)),
            h("td", {}, badge(event.outcome)),
            h("td", { title: event.target || null }, event.target_name || event.target || ""),
            h("td", { class: "details" }, detailsText(event.details, event.detail_names)))), { className: "audit" }),
        h("nav", { class: "pager", "aria-label": "Audit pages" },
          h("button", { type: "button", disabled: page.offset === 0, onclick: () => { auditState.offset = Math.max(0, page.offset - page.limit); load(); } }, "Newer"),
          h("p", {}, `${page.total} ${page.total === 1 ? "event" : "events"}`),
          h("button", { type: "button", disabled: last >= page.total, onclick: () => { auditState.offset = last; load(); } }, "Older")));
    } catch (error) {
      replace(results);
      showErrors(form, error);
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    Object.assign(auditState, formValues(form), { offset: 0 });
    load();
  });
  replace(panel, h("section", { class: "card" }, h("h3", {}, "Audit log"), form, results));
  await load();
}

// The same words for a person in the Who filter and the rows: "Name (email)".
function personLabel(name, email) {
  return name ? `${name} (${email})` : email;
}

// "admin.user_create" -> "User create (admin)": readable, the exact name still shown beside it.
function actionLabel(action) {
  const [prefix, ...rest] = action.split(".");
  return rest.length ? `${humanize(rest.join("."))} (${prefix})` : humanize(action);
}

// Ids the server could name are shown by name: "Officer: Dana Reyes (dana@…)" rather than "officer_id: 7".
function detailsText(details, names = {}) {
  if (!details || !Object.keys(details).length) return "";
  return Object.entries(details).map(([key, value]) => {
    if (names && names[key]) return `${humanize(key.replace(/_id$/, ""))}: ${names[key]}`;
    return `${humanize(key)}: ${typeof value === "object" ? JSON.stringify(value) : value}`;
  }).join("; ");
}
