// The review page's own API calls (GET with query strings, JSON writes with the CSRF token).
// Sign-in, sign-out and "who am I" come from the officer app's /api.js, read-only.

import { ApiError, NetworkError, freshCsrf, me, signIn, signOut } from "/api.js";

export { ApiError, NetworkError, me, signIn, signOut };

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

async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") {
    if (!csrfToken) csrfToken = await freshCsrf();
    headers["X-CSRF-Token"] = csrfToken;
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: "same-origin", cache: "no-store", signal: pending.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch (error) {
    if (response.ok) throw new NetworkError(error.message);
  }
  // The session ended (idle lock, sign-out elsewhere): the page asks for a new sign-in.
  if (response.status === 401) window.dispatchEvent(new CustomEvent("review:unauthorized"));
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

export const get = (path, params) => call("GET", path + query(params));
export const post = (path, body = {}) => call("POST", path, body);
export const patch = (path, body) => call("PATCH", path, body);
export const del = (path) => call("DELETE", path);
