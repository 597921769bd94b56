// Reconciles the phone's outbox with the server: push first, then pull.
// Used by the page (the mechanism) and by the service worker's Background Sync (a bonus).

import * as api from "./api.js";
import { openUserDb } from "./idb.js";
import { applyPull, applyPushResults, nextBatch, pruneSynced } from "./outbox.js";
import { ApiError, NetworkError, me } from "./shared/api.js";
import { deviceId, getMeta, metaGet, setMeta } from "./stores.js";

const PUSH_BATCH = 100;
// Pages of 500 (the server allows 1,000): a big officer's 5,000 records in 10 round trips, not 25,
// and each page's transaction still short (bench/pwa_bench.py).
export const PULL_LIMIT = 500;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 5 * 60 * 1000;
const LOCK_NAME = "sro-sync";
// The Background Sync tag the page registers and the service worker answers (sw.js).
export const SYNC_TAG = "sro-sync";
const DAY_MS = 24 * 60 * 60 * 1000;
// Until the server says otherwise at sign-in (PHONE_KEEP_DAYS).
export const DEFAULT_KEEP_DAYS = 45;
// Shown beside a change set aside because the server kept failing on it (see setAside).
export const SERVER_FAULT_FIELD = "change";
const SERVER_FAULT_MESSAGE = "The server could not take this change. Check its text (an unusual character?) "
  + "and save it again to retry.";

function toMutation(entry) {
  const { mutation_id, id, kind, base_version, data, voided, void_reason } = entry;
  return { mutation_id, id, kind, base_version, data, voided, void_reason };
}

// The server session must belong to the person whose queue this is: if someone
// else signed in meanwhile (another tab), pushing would file this officer's
// records under their name, and pulling would show theirs here.
async function verifiedCsrf(userId) {
  const session = await me();
  if (session.user.id !== userId) throw new ApiError(401, { error: { message: "Signed in as someone else." } });
  return session.csrf_token;
}

// A principal's decision answers like a pushed mutation: 200 applied or duplicate, 409
// conflict, 403/404/422 rejected. Anything else (network, 5xx, 401) is thrown: the entry
// stays queued and the scheduler retries it with the same mutation_id.

async function decisionResult(entry, device, csrf) {
  const { mutation_id, decision, comment, base_version } = entry;
  try {
    // A weekly meeting is confirmed; a semester review (an activity) is taken part in.
    const send = entry.kind === "principal_meeting" ? api.decide : api.participate;
    const answer = await send(entry.id, { decision, comment, base_version, mutation_id, device_id: device }, csrf);
    return { mutation_id, status: answer.duplicate ? "duplicate" : "applied", version: answer.version, record: answer.record };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 409 && error.body?.record?.id) {
      return { mutation_id, status: "conflict", record: error.body.record };
    }
    if ([403, 404, 409, 422].includes(error.status)) {
      return { mutation_id, status: "rejected", errors: Object.keys(error.fields).length ? error.fields : { decision: [error.message] } };
    }
    throw error;
  }
}

// A failure the changes sent may have caused themselves: the server answered and failed on
// them (5xx, but not "busy, come back later"). A dropped connection is the network's doing at a
// game with one bar of signal, never a change's; signed out, refused and rate-limited neither.
function isServerFault(error) {
  return error instanceof ApiError && error.status >= 500 && !(error.status === 503 && error.retryAfter);
}

async function pushMutations(db, device, mutations, csrf) {
  const { results } = await api.push(device, mutations.map(toMutation), csrf);
  if (!results.length) throw new Error("The server answered none of the queued changes.");
  await applyPushResults(db, mutations, results);
}

// Sends the mutations; where the server fails on a part, sends each half of that part on
// its own, and so on until every failing mutation is alone. Each batch holds at most one
// mutation per record, so its halves may be sent in any order.
async function pushHalving(db, device, mutations, csrf, found) {
  try {
    await pushMutations(db, device, mutations, csrf);
    found.answered = true;
  } catch (error) {
    if (!isServerFault(error)) throw error;
    found.error = error;
    if (mutations.length === 1) {
      found.failing.push(mutations[0]);
      return;
    }
    const half = Math.ceil(mutations.length / 2);
    await pushHalving(db, device, mutations.slice(0, half), csrf, found);
    await pushHalving(db, device, mutations.slice(half), csrf, found);
  }
}

// When isolating, a decision the server fails on is set aside like a mutation.
async function pushDecision(db, device, entry, csrf, found) {
  let result;
  try {
    result = await decisionResult(entry, device, csrf);
  } catch (error) {
    if (!found || !isServerFault(error)) throw error;
    found.error = error;
    found.failing.push(entry);
    return;
  }
  if (found) found.answered = true;
  await applyPushResults(db, [entry], [result]);
}

// The changes that failed alone go to "needs attention", so they no longer hold up the queue.
// Unless nothing in the batch got an answer and two or more failed: then the server is failing
// on every change (a bad release, a full disk), not on these, and the batch waits (back-off).
async function setAside(db, userId, found) {
  if (!found.answered && found.failing.length > 1) throw found.error;
  await verifiedCsrf(userId);  // the server answers, and for this person: the change is at fault
  const results = found.failing.map(({ mutation_id }) => (
    { mutation_id, status: "rejected", errors: { [SERVER_FAULT_FIELD]: [SERVER_FAULT_MESSAGE] } }));
  await applyPushResults(db, found.failing, results);
}

// `isolate`: the last pass failed on a server fault, so this one finds the change at fault
// rather than resending the same batch forever (docs/sync.md "One bad change").
async function pushAll(db, device, userId, isolate) {
  for (let batch = await nextBatch(db, PUSH_BATCH); batch.length; batch = await nextBatch(db, PUSH_BATCH)) {
    // Fetched for each batch and held only for this request: a token in the
    // queue would outlive the session it belongs to.
    const csrf = await verifiedCsrf(userId);
    const found = isolate ? { answered: false, failing: [], error: null } : null;
    const mutations = batch.filter((entry) => !entry.decision);
    if (mutations.length) {
      await (found ? pushHalving(db, device, mutations, csrf, found) : pushMutations(db, device, mutations, csrf));
    }
    for (const entry of batch.filter((item) => item.decision)) await pushDecision(db, device, entry, csrf, found);
    if (found?.failing.length) await setAside(db, userId, found);
  }
}

// The next page is on its way while this one is stored: never awaited inside the transaction
// (applyPull awaits IndexedDB only), and stored only once this one has committed with its cursor.
async function pullAll(db) {
  let page = await api.pull(await getMeta(db, "cursor"), PULL_LIMIT);
  for (;;) {
    const next = page.has_more ? api.pull(page.cursor, PULL_LIMIT) : null;
    next?.catch(() => {});  // if storing this page fails, that failure is the one reported
    await applyPull(db, page.changes, page.cursor);
    if (!next) return;
    page = await next;
  }
}

// An officer's synced records that happened more than PHONE_KEEP_DAYS ago leave the phone
// (they stay on the server, looked up online). A principal's phone keeps its meetings:
// an old one may still await the principal's decision.
async function pruneOld(db) {
  if ((await getMeta(db, "user"))?.role !== "officer") return;
  const keepDays = (await getMeta(db, "policy"))?.keep_days ?? DEFAULT_KEEP_DAYS;
  await pruneSynced(db, Date.now() - keepDays * DAY_MS);
}

// One exclusive pass across tabs and the service worker: a second pass waits
// rather than sending the same queue twice at once. Purging a user's data takes it too.
export function exclusively(work) {
  return navigator.locks ? navigator.locks.request(LOCK_NAME, work) : work();
}

export async function syncOnce(db, device, userId, { isolate = false } = {}) {
  await exclusively(async () => {
    await pushAll(db, device, userId, isolate);
    await verifiedCsrf(userId);
    await pullAll(db);
    await pruneOld(db);
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
  return error instanceof NetworkError || (error instanceof ApiError && (error.status >= 500 || error.status === 429));
}

function backoffDelay(attempt) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

// Decides when to sync: on request, and again with back-off after a failure.
// The queue is never reordered: a retry resends the same oldest batch, and only a
// change the server keeps failing on is set aside (isolated on the retry after a server fault).
export class SyncScheduler {
  constructor({ db, device, userId, onStatus }) {
    Object.assign(this, { db, device, userId, onStatus });
    this.status = { running: false, paused: null, error: null, retryAt: null };
    this.attempt = 0;
    this.isolate = false;
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
      await syncOnce(this.db, this.device, this.userId, { isolate: this.isolate });
      this.attempt = 0;
      this.isolate = false;
      this.update({ running: false, error: null });
    } catch (error) {
      this.isolate = isServerFault(error);
      this.update({ running: false, ...this.failure(error) });
    }
  }

  failure(error) {
    if (error instanceof ApiError && error.status === 401) return { paused: "signin", error: null };
    if (error instanceof ApiError && error.status === 426) return { paused: "upgrade", error: error.message };
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => this.request(), delay);
    const message = isTransient(error) ? "No connection to the server." : error.message;
    return { error: message, retryAt: Date.now() + delay };
  }

  // Locked (pwa/lock.js): no traffic, so the server session can lapse as it would for an idle person.
  pause(reason) {
    clearTimeout(this.timer);
    this.update({ paused: reason });
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
