// Unfinished forms, kept on the phone as the officer types: one draft per new-record kind
// ("new-activity") and per record being edited ("edit-<id>"). A draft lives in the user's own
// database (the meta store, key "drafts"), is never sent, and leaves the phone with the rest of
// that user's meta values when their session ends (outbox.js purgeSynced, purge.js).

import { request, transact } from "./idb.js";
import { getMeta } from "./stores.js";

const KEY = "drafts";

export function draftKey(kind, recordId) {
  return recordId ? `edit-${recordId}` : `new-${kind}`;
}

function change(db, work) {
  return transact(db, "meta", "readwrite", async (tx) => {
    const meta = tx.objectStore("meta");
    const drafts = (await request(meta.get(KEY))) ?? {};
    const result = work(drafts);
    await request(meta.put(drafts, KEY));
    return result;
  });
}

export async function listDrafts(db) {
  return Object.values((await getMeta(db, KEY)) ?? {}).sort((a, b) => b.at - a.at);
}

export async function getDraft(db, key) {
  return (await getMeta(db, KEY))?.[key] ?? null;
}

// {key, kind, record_id, data, at}
export function putDraft(db, draft) {
  return change(db, (drafts) => { drafts[draft.key] = draft; });
}

// Resolves with the draft removed (null when there was none), for an Undo.
export function deleteDraft(db, key) {
  return change(db, (drafts) => {
    const gone = drafts[key] ?? null;
    delete drafts[key];
    return gone;
  });
}
