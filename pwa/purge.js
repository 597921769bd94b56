// When a person's session on this phone ends (they sign out, the server answers 401, the
// lock is failed too often, someone else signs in) their synced records leave the phone: the
// server has them. What has not synced stays, in their own database, until they sign in again;
// the sign-in screen says how much waits, and for whom (docs/security.md "What the phone keeps").

import { deleteUserDb, openUserDb, userIdsOnPhone } from "./idb.js";
import { purgeSynced } from "./outbox.js";
import { getMeta, metaGet, metaSet } from "./stores.js";
import { exclusively } from "./sync.js";

const WAITING = "waiting";

// Under the sync lock, so no pass in another tab or the service worker writes in the middle.
export async function purgeUser(userId) {
  await exclusively(async () => {
    const db = await openUserDb(userId);
    const user = await getMeta(db, "user");
    const kept = await purgeSynced(db);
    const waiting = (await metaGet(WAITING)) ?? {};
    if (kept) {
      const known = waiting[userId] ?? {};
      waiting[userId] = { name: user?.name ?? known.name, role: user?.role ?? known.role, count: kept };
    } else {
      delete waiting[userId];
      await deleteUserDb(userId);
    }
    await metaSet(WAITING, waiting);
  });
}

// Someone signs in: everyone else who used this phone keeps only what has not synced.
export async function purgeOthers(userId) {
  const previous = (await metaGet("session"))?.userId;
  const others = new Set(await userIdsOnPhone());
  if (previous !== undefined) others.add(previous);
  others.delete(userId);
  for (const other of others) await purgeUser(other);
}

export async function waitingForSignIn() {
  return Object.values((await metaGet(WAITING)) ?? {});
}

export async function clearWaiting(userId) {
  const waiting = (await metaGet(WAITING)) ?? {};
  delete waiting[userId];
  await metaSet(WAITING, waiting);
}
