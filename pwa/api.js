// The officer and principal app's own API calls: sync, decisions, the log browser and the
// compliance report, over the shared wrapper (/shared/api.js). PRODUCT.md's stable interface.

import { call } from "./shared/api.js";

export const CLIENT_VERSION = "1.0.0";
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

// A principal's part in a semester review (KY 8), answered like a meeting decision.
export function participate(recordId, decision, csrf) {
  return call("POST", `/api/records/${encodeURIComponent(recordId)}/participation`, { body: decision, csrf });
}

// The log browser (GET /api/records): an officer's own records as the server keeps them,
// older ones included, read online only and never stored on the phone.
export function records(query) {
  return call("GET", `/api/records?${new URLSearchParams(query)}`);
}

export function history(recordId) {
  return call("GET", `/api/records/${encodeURIComponent(recordId)}/history`);
}

// The officer's own standing (My program); the phone keeps the last answer for offline use.
export function program() {
  return call("GET", "/api/me/program");
}

// A principal's semester feedback (online only): the officers due an answer and the answers given.
export function feedback() {
  return call("GET", "/api/feedback");
}

export function giveFeedback(answer, csrf) {
  return call("POST", "/api/feedback", { body: answer, csrf });
}

export function compliance(schoolYear) {
  return call("GET", `/api/reports/compliance?${new URLSearchParams({ school_year: schoolYear })}`);
}
