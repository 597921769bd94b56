// The only module that talks to the server: PRODUCT.md's stable interface.

export const CLIENT_VERSION = "1.0.0";
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

// Exported for the review page, which passes its own abort signal.
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

export function forms() {
  return call("GET", "/api/forms");
}

const SYNC_HEADERS = { "X-Client-Version": CLIENT_VERSION };

export function push(deviceId, mutations, csrf) {
  return call("POST", "/api/sync/push", { body: { device_id: deviceId, mutations }, csrf, headers: SYNC_HEADERS });
}

export function pull(since, limit) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (since) query.set("since", since);
  return call("GET", `/api/sync/pull?${query}`, { headers: SYNC_HEADERS });
}

// A principal's decision on a meeting (docs/sync.md "Meetings and confirmation").
export function decide(meetingId, decision, csrf) {
  return call("POST", `/api/meetings/${encodeURIComponent(meetingId)}/confirmation`, { body: decision, csrf });
}

// The log browser (GET /api/records): an officer's own records as the server keeps them,
// older ones included, read online only and never stored on the phone.
export function records(query) {
  return call("GET", `/api/records?${new URLSearchParams(query)}`);
}

export function history(recordId) {
  return call("GET", `/api/records/${encodeURIComponent(recordId)}/history`);
}

export function compliance(schoolYear) {
  return call("GET", `/api/reports/compliance?${new URLSearchParams({ school_year: schoolYear })}`);
}
