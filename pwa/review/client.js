// The review page's API calls: the shared request (/shared/api.js), with the review page's
// CSRF token and an abort signal that signing out uses to drop requests still loading.

import { ApiError, call, forms as fetchForms, freshCsrf, me, signIn } from "/shared/api.js";

export { ApiError, me, signIn };

let csrfToken = null;
let pending = new AbortController();

// Before signing out: a report still loading must not come back afterwards and set the
// session cookie again.
export function abortPending() {
  pending.abort();
  pending = new AbortController();
}

export function setCsrf(token) {
  csrfToken = token;
}

export function query(params = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function send(method, path, body) {
  const csrf = method === "GET" ? undefined : (csrfToken ||= await freshCsrf());
  try {
    return await call(method, path, { body, csrf, signal: pending.signal });
  } catch (error) {
    // The session ended (idle lock, sign-out elsewhere): the page asks for a new sign-in.
    if (error instanceof ApiError && error.status === 401) window.dispatchEvent(new CustomEvent("review:unauthorized"));
    throw error;
  }
}

export const get = (path, params) => send("GET", path + query(params));
export const post = (path, body = {}) => send("POST", path, body);
export const patch = (path, body) => send("PATCH", path, body);
export const del = (path) => send("DELETE", path);

let formsOnce = null;

// The record forms (GET /api/forms): the words for kinds and choices, asked for once a page.
export function forms() {
  formsOnce ||= fetchForms({ signal: pending.signal }).catch((error) => {
    formsOnce = null;
    if (error instanceof ApiError && error.status === 401) window.dispatchEvent(new CustomEvent("review:unauthorized"));
    throw error;
  });
  return formsOnce;
}
