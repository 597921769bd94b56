// Reconciles the phone's outbox with the server: push first, then pull.
// Used by the page (the mechanism) and by the service worker's Background Sync (a bonus).

import * as api from "./api.js";
import { applyPull, applyPushResults, deviceId, getMeta, metaGet, nextBatch, openUserDb, setMeta } from "./db.js";

const PUSH_BATCH = 100;
const PULL_LIMIT = 200;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 5 * 60 * 1000;
const LOCK_NAME = "sro-sync";

function toMutation(entry) {
  const { mutation_id, id, kind, base_version, data, voided, void_reason } = entry;
  return { mutation_id, id, kind, base_version, data, voided, void_reason };
}

// The server session must belong to the person whose queue this is: if someone
// else signed in meanwhile (another tab), pushing would file this officer's
// records under their name, and pulling would show theirs here.
async function verifiedCsrf(userId) {
  const session = await api.me();
  if (session.user.id !== userId) throw new api.ApiError(401, { error: { message: "Signed in as someone else." } });
  return session.csrf_token;
}

// A principal's decision answers like a pushed mutation: 200 applied or duplicate, 409
// conflict, 403/404/422 rejected. Anything else (network, 5xx, 401) is thrown: the entry
// stays queued and the scheduler retries it with the same mutation_id.

async function decisionResult(entry, device, csrf) {
  const { mutation_id, decision, comment, base_version } = entry;
  try {
    const answer = await api.decide(entry.id, { decision, comment, base_version, mutation_id, device_id: device }, csrf);
    return { mutation_id, status: answer.duplicate ? "duplicate" : "applied", version: answer.version, record: answer.record };
  } catch (error) {
    if (!(error instanceof api.ApiError)) throw error;
    if (error.status === 409 && error.body?.record?.id) {
      return { mutation_id, status: "conflict", record: error.body.record };
    }
    if ([403, 404, 409, 422].includes(error.status)) {
      return { mutation_id, status: "rejected", errors: Object.keys(error.fields).length ? error.fields : { decision: [error.message] } };
    }
    throw error;
  }
}

async function pushDecisions(db, device, entries, csrf) {
  for (const entry of entries) {
    await applyPushResults(db, [entry], [await decisionResult(entry, device, csrf)]);
  }
}

async function pushAll(db, device, userId) {
  for (let batch = await nextBatch(db, PUSH_BATCH); batch.length; batch = await nextBatch(db, PUSH_BATCH)) {
    // Fetched for each batch and held only for this request: a token in the
    // queue would outlive the session it belongs to.
    const csrf = await verifiedCsrf(userId);
    const decisions = batch.filter((entry) => entry.decision);
    const mutations = batch.filter((entry) => !entry.decision);
    if (mutations.length) {
      const { results } = await api.push(device, mutations.map(toMutation), csrf);
      if (!results.length) throw new Error("The server answered none of the queued changes.");
      await applyPushResults(db, mutations, results);
    }
    await pushDecisions(db, device, decisions, csrf);
  }
}

async function pullAll(db) {
  let page;
  do {
    const since = await getMeta(db, "cursor");
    page = await api.pull(since, PULL_LIMIT);
    await applyPull(db, page.changes, page.cursor);
  } while (page.has_more);
}

// One exclusive pass across tabs and the service worker: a second pass waits
// rather than sending the same queue twice at once.
function exclusively(work) {
  return navigator.locks ? navigator.locks.request(LOCK_NAME, work) : work();
}

export async function syncOnce(db, device, userId) {
  await exclusively(async () => {
    await pushAll(db, device, userId);
    await verifiedCsrf(userId);
    await pullAll(db);
  });
  const at = new Date().toISOString();
  await setMeta(db, "last_sync", at);
  return at;
}

export async function syncSignedInUser() {
  const session = await metaGet("session");
  if (!session) return;
  await syncOnce(await openUserDb(session.userId), await deviceId(), session.userId);
}

function isTransient(error) {
  return error instanceof api.NetworkError || (error instanceof api.ApiError && (error.status >= 500 || error.status === 429));
}

function backoffDelay(attempt) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

// Decides when to sync: on request, and again with back-off after a failure.
// The queue is never reordered or skipped: a retry resends the same oldest batch.
export class SyncScheduler {
  constructor({ db, device, userId, onStatus }) {
    Object.assign(this, { db, device, userId, onStatus });
    this.status = { running: false, paused: null, error: null, retryAt: null };
    this.attempt = 0;
    this.timer = null;
    this.again = false;
    this.current = null;
    this.stopped = false;
  }

  update(change) {
    this.status = { ...this.status, ...change };
    this.onStatus(this.status);
  }

  request() {
    if (this.stopped || this.status.paused) return this.current || Promise.resolve();
    if (this.current) {
      this.again = true;
      return this.current;
    }
    clearTimeout(this.timer);
    this.current = this.run().finally(() => {
      this.current = null;
      if (this.again) {
        this.again = false;
        this.request();
      }
    });
    return this.current;
  }

  // "Sync now" and reconnecting skip the back-off wait.
  now() {
    this.attempt = 0;
    return this.request();
  }

  async run() {
    this.update({ running: true, retryAt: null });
    try {
      await syncOnce(this.db, this.device, this.userId);
      this.attempt = 0;
      this.update({ running: false, error: null });
    } catch (error) {
      this.update({ running: false, ...this.failure(error) });
    }
  }

  failure(error) {
    if (error instanceof api.ApiError && error.status === 401) return { paused: "signin", error: null };
    if (error instanceof api.ApiError && error.status === 426) return { paused: "upgrade", error: error.message };
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => this.request(), delay);
    const message = isTransient(error) ? "No connection to the server." : error.message;
    return { error: message, retryAt: Date.now() + delay };
  }

  resume() {
    this.update({ paused: null });
    return this.now();
  }

  async whenIdle() {
    while (this.current) await this.current;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
