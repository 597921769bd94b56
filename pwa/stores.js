// What the phone stores and reads back: the phone-wide meta values, each user's meta values
// and records, and the counts the sync bar shows. The outbox and what it owes the server
// are in outbox.js; opening databases and transactions in idb.js.

import { openMetaDb, request, transact } from "./idb.js";

// --- the phone-wide meta database: who is signed in, and this device's id ---

export async function metaGet(key) {
  const db = await openMetaDb();
  return transact(db, "kv", "readonly", (tx) => request(tx.objectStore("kv").get(key)));
}

export async function metaSet(key, value) {
  const db = await openMetaDb();
  return transact(db, "kv", "readwrite", (tx) => request(tx.objectStore("kv").put(value, key)));
}

export async function metaDelete(key) {
  const db = await openMetaDb();
  return transact(db, "kv", "readwrite", (tx) => request(tx.objectStore("kv").delete(key)));
}

export async function deviceId() {
  let id = await metaGet("device_id");
  if (!id) {
    id = crypto.randomUUID();
    await metaSet("device_id", id);
  }
  return id;
}

// --- a user's meta values (user, policy, forms, cursor, lock state…) ---

export function getMeta(db, key) {
  return transact(db, "meta", "readonly", (tx) => request(tx.objectStore("meta").get(key)));
}

export function setMeta(db, key, value) {
  return transact(db, "meta", "readwrite", (tx) => request(tx.objectStore("meta").put(value, key)));
}

// Several values in one transaction: {key: value, …}.
export function setMetas(db, values) {
  return transact(db, "meta", "readwrite", async (tx) => {
    for (const [key, value] of Object.entries(values)) await request(tx.objectStore("meta").put(value, key));
  });
}

// --- records ---

// A record's time as a number, for the by_occurred index.
export function occurredMs(data) {
  return Date.parse(data?.occurred_at) || 0;
}

// What only the server writes on a record: the principal's confirmation, the supervisor's review
// and the parties' part in a semester review. The phone shows them, never edits them.
const SERVER_OWNED = ["confirmation", "review", "participation"];

// Those fields from a change the server sent, each kept from `current` when the change has none.
export function serverOwned(change, current = {}) {
  return Object.fromEntries(SERVER_OWNED.map((name) => [name, change[name] ?? current[name] ?? null]));
}

// A record as the phone keeps it, from a change the server sent.
export function fromChange(change, state = "synced") {
  return {
    id: change.id, kind: change.kind, data: change.data, occurred_ms: occurredMs(change.data),
    version: change.version, voided: change.voided, void_reason: change.void_reason ?? null,
    ...serverOwned(change), updated_at: change.updated_at, state,
    owner_id: change.owner_id, owner_name: change.owner_name,
  };
}

export function getRecord(db, id) {
  return transact(db, "records", "readonly", (tx) => request(tx.objectStore("records").get(id)));
}

// Every record, newest first. One getAll, not a cursor: a cursor costs a round trip per record,
// 5,000 of them on a big officer's phone before the home screen can draw (bench/pwa_bench.py).
export async function listRecords(db) {
  const oldestFirst = await transact(db, "records", "readonly",
    (tx) => request(tx.objectStore("records").index("by_occurred").getAll()));
  return oldestFirst.reverse();
}

// How many records (not changes) a store's by_record index holds: a record created, edited and
// voided offline is one record waiting, whatever the number of its queued changes.
function distinctRecords(index) {
  return new Promise((resolve, reject) => {
    let found = 0;
    const cursor = index.openKeyCursor(null, "nextunique");
    cursor.onerror = () => reject(cursor.error);
    cursor.onsuccess = () => {
      if (!cursor.result) return resolve(found);
      found += 1;
      cursor.result.continue();
    };
  });
}

// Records waiting to send, records the server refused (to fix), records in conflict, each record
// once: saving a fix of a refused record clears its attention entries (outbox.js clearAttention),
// so from then on it counts as waiting.
export function counts(db) {
  return transact(db, ["outbox", "attention", "conflicts"], "readonly", async (tx) => ({
    pending: await distinctRecords(tx.objectStore("outbox").index("by_record")),
    attention: await distinctRecords(tx.objectStore("attention").index("by_record")),
    conflicts: await request(tx.objectStore("conflicts").count()),
  }));
}

export function attentionFor(db, id) {
  return transact(db, "attention", "readonly", (tx) => request(tx.objectStore("attention").index("by_record").getAll(id)));
}

export function getConflict(db, id) {
  return transact(db, "conflicts", "readonly", (tx) => request(tx.objectStore("conflicts").get(id)));
}
