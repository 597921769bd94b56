// The one fetch wrapper both apps use (the officer app and the review screens), its error
// types, and the calls both make: sign-in, sign-out, who is signed in, the record forms.
// PRODUCT.md's stable interface; the officer app's own calls are in /api.js.

const TIMEOUT_MS = 20000;

export class ApiError extends Error {
  constructor(status, body, retryAfter = null) {
    super(body?.error?.message || `The server answered ${status}.`);
    this.status = status;
    this.code = body?.error?.code;
    this.fields = body?.error?.fields || {};
    this.body = body;
    // Set when the server is busy and says when to come back: the request was fine.
    this.retryAfter = retryAfter;
  }
}

// No answer at all: offline, DNS, a dropped connection or a timeout.
export class NetworkError extends Error {}

// The review page passes its own abort signal.
export async function call(method, path, { body, csrf, headers = {}, signal = AbortSignal.timeout(TIMEOUT_MS) } = {}) {
  const sent = { ...headers, Accept: "application/json" };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  if (csrf) sent["X-CSRF-Token"] = csrf;
  let response;
  try {
    response = await fetch(path, {
      method, headers: sent, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body), signal,
    });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch (error) {
    if (response.ok) throw new NetworkError(error.message);  // a body cut off mid-way
  }
  if (!response.ok) throw new ApiError(response.status, payload, response.headers.get("Retry-After"));
  return payload;
}

// otp: the authenticator-app code a supervisor or admin may be asked for (review page).
export function signIn(email, password, otp) {
  return call("POST", "/api/auth/login", { body: otp ? { email, password, otp } : { email, password } });
}

export function signOut(csrf) {
  return call("POST", "/api/auth/logout", { csrf });
}

export function me() {
  return call("GET", "/api/me");
}

export async function freshCsrf() {
  return (await call("GET", "/api/auth/csrf")).csrf_token;
}

// Every record kind's label, fields and choices (server/services/forms.py): the one source of
// the words both apps show for kinds and choices (see /shared/forms.js).
export function forms(options) {
  return call("GET", "/api/forms", options);
}
