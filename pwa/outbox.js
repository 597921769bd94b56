// The outbox state machine. The outbox, not the network, is the source of truth: a change is
// only "saved" once it and its outbox entry are committed in ONE transaction. An entry is
// queued (saveChange, saveDecision), marked sent (nextBatch), then answered
// (applyPushResults): applied or duplicate (gone), conflict (both versions kept to choose
// from), rejected (needs attention). Pulled changes never overwrite what is still owed, and
// nothing still owed ever leaves the phone (purgeSynced, pruneSynced). docs/sync.md.

import { request, transact } from "./idb.js";
import { fromChange, occurredMs, serverOwned } from "./stores.js";

// --- queueing a change ---

// A record's queued entries, oldest first.
function entriesFor(outbox, id) {
  return request(outbox.index("by_record").getAll(id));
}

// A new change of a record replaces what the server refused of it: that is fixed or superseded.
async function clearAttention(tx, id) {
  const attention = tx.objectStore("attention");
  for (const stale of await request(attention.index("by_record").getAllKeys(id))) await request(attention.delete(stale));
}

async function unsentEntryFor(outbox, id) {
  return (await entriesFor(outbox, id)).filter((entry) => !entry.sent).pop();
}

// Saves a change on the phone: the record and its outbox entry commit together.
// An edit of a change not yet sent replaces that entry's data, so a record typed
// and corrected offline travels as one mutation. A void is always its own entry
// (the server refuses to create a record that is already void).
// `holdMs`: the change is not sent before this many milliseconds pass, so that the toast's
// Undo (undoVoid) can take it back before the server has it.
export function saveChange(db, change, { resolvesConflictAt, holdMs } = {}) {
  const stores = ["records", "outbox", "attention", "conflicts"];
  return transact(db, stores, "readwrite", async (tx) => {
    const records = tx.objectStore("records");
    const outbox = tx.objectStore("outbox");
    const current = await request(records.get(change.id));
    const base = resolvesConflictAt ?? current?.version ?? null;
    const unsent = change.voided || resolvesConflictAt !== undefined ? null : await unsentEntryFor(outbox, change.id);
    if (unsent && !unsent.voided) {
      await request(outbox.put({ ...unsent, data: change.data }));
    } else {
      await request(outbox.add({
        mutation_id: crypto.randomUUID(), id: change.id, kind: change.kind, base_version: base,
        data: change.voided ? {} : change.data, voided: Boolean(change.voided),
        void_reason: change.voided ? change.void_reason : null, sent: false, queued_at: Date.now(),
        ...(holdMs ? { hold_until: Date.now() + holdMs } : {}),
        ...(change.voided ? { undo: { state: current.state, voided: current.voided, void_reason: current.void_reason } } : {}),
      }));
    }
    await clearAttention(tx, change.id);
    if (resolvesConflictAt !== undefined) await request(tx.objectStore("conflicts").delete(change.id));
    const data = change.voided ? current.data : change.data;
    const record = {
      ...current, id: change.id, kind: change.kind, data, occurred_ms: occurredMs(data),
      version: base, voided: Boolean(change.voided), void_reason: change.voided ? change.void_reason : null,
      state: "pending", local_updated_at: Date.now(),
    };
    await request(records.put(record));
    return record;
  });
}

// Takes back a void not yet sent (the toast's Undo). Resolves false when it was already sent.
export function undoVoid(db, id) {
  return transact(db, ["records", "outbox"], "readwrite", async (tx) => {
    const outbox = tx.objectStore("outbox");
    const entries = await entriesFor(outbox, id);
    const entry = entries.filter((one) => one.voided && !one.sent).pop();
    if (!entry) return false;
    await request(outbox.delete(entry.seq));
    const records = tx.objectStore("records");
    const current = await request(records.get(id));
    const others = entries.length > 1;
    await request(records.put({
      ...current, voided: false, void_reason: null, state: others ? "pending" : entry.undo?.state ?? "synced",
    }));
    return true;
  });
}

// Takes the server's version of a conflicted record: the phone's proposal is
// dropped here, but the server kept it as a revision, so nothing is lost.
export function keepServerVersion(db, id) {
  return transact(db, ["records", "conflicts"], "readwrite", async (tx) => {
    const conflict = await request(tx.objectStore("conflicts").get(id));
    await request(tx.objectStore("records").put(fromChange(conflict.server)));
    await request(tx.objectStore("conflicts").delete(id));
  });
}

// --- a principal's decisions on meetings ---

// A decision and the meeting's new local state commit together; the entry's mutation_id
// makes a retry apply once, base_version is the version read. An unsent decision is
// replaced; one in flight stays, and this one follows it.
export function saveDecision(db, { id, decision, comment }, { resolvesConflictAt } = {}) {
  const stores = ["records", "outbox", "attention", "conflicts"];
  return transact(db, stores, "readwrite", async (tx) => {
    const records = tx.objectStore("records");
    const outbox = tx.objectStore("outbox");
    const current = await request(records.get(id));
    const base = resolvesConflictAt ?? current.version;
    const unsent = await unsentEntryFor(outbox, id);
    if (unsent) await request(outbox.delete(unsent.seq));
    const at = new Date().toISOString();
    await request(outbox.add({
      mutation_id: crypto.randomUUID(), id, kind: current.kind, decision, comment: comment || null,
      base_version: base, seen: current.data, sent: false, queued_at: Date.now(),
    }));
    await clearAttention(tx, id);
    await request(tx.objectStore("conflicts").delete(id));
    const record = { ...current, state: "pending", decision: { decision, comment: comment || null, at, version: base } };
    await request(records.put(record));
    return record;
  });
}

// --- what sync reads and writes ---

// The next mutations to push, oldest first. The batch stops before a second
// mutation of the same record: its base version is only known once the first is answered.
export function nextBatch(db, limit) {
  return transact(db, "outbox", "readwrite", (tx) => new Promise((resolve, reject) => {
    const batch = [];
    const ids = new Set();
    const held = new Set();
    const cursor = tx.objectStore("outbox").openCursor();
    cursor.onerror = () => reject(cursor.error);
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at && (held.has(at.value.id) || at.value.hold_until > Date.now())) {
        // Held for an Undo (saveChange holdMs): it and what follows on that record wait.
        held.add(at.value.id);
        at.continue();
        return;
      }
      if (!at || batch.length >= limit || ids.has(at.value.id)) return resolve(batch);
      ids.add(at.value.id);
      // Marked before sending: an edit made while this is in flight becomes a new mutation.
      const entry = { ...at.value, sent: true };
      at.update(entry);
      batch.push(entry);
      at.continue();
    };
  }));
}


async function applyAccepted(tx, entry, result) {
  const records = tx.objectStore("records");
  const outbox = tx.objectStore("outbox");
  const later = await entriesFor(outbox, entry.id);
  for (const next of later) await request(outbox.put({ ...next, base_version: result.version }));
  const current = await request(records.get(entry.id));
  if (later.length) {
    await request(records.put({ ...current, version: result.version }));
  } else if (result.record) {
    await request(records.put(fromChange(result.record)));
  } else {
    await request(records.put({ ...current, version: result.version, state: "synced" }));
  }
}

// 409 on a decision: the officer changed the meeting since the principal read it. The
// meeting shows the new version, and the unrecorded decision beside it until decided
// again. A voided meeting has nothing left to decide: it shows as void.
async function applyDecisionConflict(tx, entry, result) {
  const outbox = tx.objectStore("outbox");
  for (const next of await entriesFor(outbox, entry.id)) await request(outbox.delete(next.seq));
  if (result.record.voided) return request(tx.objectStore("records").put(fromChange(result.record)));
  await request(tx.objectStore("conflicts").put({
    id: entry.id, kind: entry.kind, at: Date.now(), server: result.record,
    mine: { decision: entry.decision, base_version: entry.base_version, seen: entry.seen },
  }));
  await request(tx.objectStore("records").put(fromChange(result.record, "conflict")));
}

async function applyConflict(tx, entry, result) {
  if (entry.decision) return applyDecisionConflict(tx, entry, result);
  const outbox = tx.objectStore("outbox");
  const later = await entriesFor(outbox, entry.id);
  const mine = later.length ? later[later.length - 1] : entry;
  for (const next of later) await request(outbox.delete(next.seq));
  const records = tx.objectStore("records");
  const current = await request(records.get(entry.id));
  await request(tx.objectStore("conflicts").put({
    id: entry.id, kind: entry.kind, at: Date.now(), server: result.record,
    mine: { data: mine.voided ? current.data : mine.data, voided: mine.voided, void_reason: mine.void_reason },
  }));
  await request(records.put({ ...current, state: "conflict" }));
}

async function applyRejected(tx, entry, result) {
  await request(tx.objectStore("attention").put({
    mutation_id: entry.mutation_id, id: entry.id, kind: entry.kind, errors: result.errors || {}, at: Date.now(),
    data: entry.data, voided: entry.voided, void_reason: entry.void_reason, decision: entry.decision,
  }));
  const records = tx.objectStore("records");
  const current = await request(records.get(entry.id));
  if (current) await request(records.put({ ...current, state: "attention", decision: undefined }));
}

const RESULT_HANDLERS = {
  applied: applyAccepted, duplicate: applyAccepted, conflict: applyConflict, rejected: applyRejected,
};

export function applyPushResults(db, batch, results) {
  const stores = ["records", "outbox", "attention", "conflicts"];
  return transact(db, stores, "readwrite", async (tx) => {
    const answers = new Map(results.map((result) => [result.mutation_id, result]));
    for (const entry of batch) {
      const result = answers.get(entry.mutation_id);
      if (!result) continue;  // unanswered stays queued and is sent again
      await request(tx.objectStore("outbox").delete(entry.seq));
      await RESULT_HANDLERS[result.status](tx, entry, result);
    }
  });
}

// --- what leaves the phone (docs/security.md "What the phone keeps") ---

// True while the phone still owes the server something about this record: a queued
// change, a rejected one to fix, or a conflict to resolve. Such a record never leaves the phone.
async function stillOwed(tx, id) {
  return await request(tx.objectStore("outbox").index("by_record").count(id)) > 0
    || await request(tx.objectStore("attention").index("by_record").count(id)) > 0
    || Boolean(await request(tx.objectStore("conflicts").get(id)));
}

// The session on this phone ended: everything the server already has goes, with the cursor
// (a later sign-in pulls afresh), the copy of the forms, the unlock verifier and the rest of
// the meta store. Resolves with the number of records kept because they are still owed.
export function purgeSynced(db) {
  const stores = ["records", "outbox", "attention", "conflicts", "meta"];
  return transact(db, stores, "readwrite", async (tx) => {
    let kept = 0;
    for (const id of await request(tx.objectStore("records").getAllKeys())) {
      if (await stillOwed(tx, id)) kept += 1;
      else await request(tx.objectStore("records").delete(id));
    }
    await request(tx.objectStore("meta").clear());
    return kept;
  });
}

// Synced records that happened before `beforeMs` leave the phone; the server keeps them
// (the officer looks them up online).
export function pruneSynced(db, beforeMs) {
  const stores = ["records", "outbox", "attention", "conflicts"];
  return transact(db, stores, "readwrite", async (tx) => {
    const records = tx.objectStore("records");
    const old = await request(records.index("by_occurred").getAll(IDBKeyRange.upperBound(beforeMs, true)));
    for (const record of old) {
      if (record.state === "synced" && !(await stillOwed(tx, record.id))) await request(records.delete(record.id));
    }
  });
}

// Pulled changes and the cursor that follows them commit together, so a crash
// can never advance the cursor past a change the phone has not stored.
export function applyPull(db, changes, cursor) {
  const stores = ["records", "outbox", "conflicts", "meta"];
  return transact(db, stores, "readwrite", async (tx) => {
    const records = tx.objectStore("records");
    const disputed = [];
    // Few requests, none awaited one by one: each request costs a round trip to the browser's
    // database (bench/pwa_bench.py: 5,000 records pulled < 3 s). The outbox and the conflicts are
    // read whole, once: a pull follows a push that emptied the outbox, so both are nearly empty.
    // Then every record at once, then the writes; a write that fails aborts the transaction,
    // which transact() reports. A page holds each record once (server/services/sync/pull.py),
    // so no read sees a write of it.
    const waitingIds = new Set((await request(tx.objectStore("outbox").getAll())).map((entry) => entry.id));
    const conflicts = new Map((await request(tx.objectStore("conflicts").getAll())).map((found) => [found.id, found]));
    const before = await Promise.all(changes.map((change) => request(records.get(change.id))));
    for (const [index, change] of changes.entries()) {
      const current = before[index];
      const waiting = waitingIds.has(change.id);
      const conflict = conflicts.get(change.id);
      if (isNewDispute(current, change)) disputed.push(change.id);
      if (current?.decision || conflict?.mine.decision) {
        // A principal's decision waiting to send (or to be made again): the meeting
        // shows the officer's latest version; the decision stays queued beside it.
        if (conflict) tx.objectStore("conflicts").put({ ...conflict, server: change });
        records.put({ ...fromChange(change, current.state), decision: current.decision });
      } else if (waiting || conflict) {
        // The phone's unsent edit wins locally until the server answers it; the
        // principal's decision and the supervisor's review are still shown.
        records.put({ ...current, ...serverOwned(change, current) });
      } else {
        records.put(fromChange(change, current?.state === "attention" ? "attention" : "synced"));
      }
    }
    if (disputed.length) {
      // A one-line notice after the sync that brought them (chrome.js), until the officer looks.
      const notice = (await request(tx.objectStore("meta").get("dispute_notice"))) ?? { ids: [] };
      const ids = [...new Set([...notice.ids, ...disputed])];
      await request(tx.objectStore("meta").put({ ids, at: Date.now() }, "dispute_notice"));
    }
    await request(tx.objectStore("meta").put(cursor, "cursor"));
  });
}

// A principal disputed one of the officer's meetings since the phone last heard of it.
function isNewDispute(before, change) {
  const now = change.confirmation;
  if (change.voided || now?.status !== "disputed") return false;
  const then = before?.confirmation;
  return then?.status !== "disputed" || then.at !== now.at;
}
