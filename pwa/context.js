// What every part of the officer app reads: who is signed in, their database, the forms, the
// sync scheduler and its counts. Views get it as `ctx`; session.js fills it in and empties it.

import { DEFAULT_IDLE_MINUTES } from "./lock.js";

export const ctx = {
  user: null, db: null, forms: null, sync: null, shellVersion: null, storagePersisted: null,
  policy: {}, idle: null, locked: false, lockMinutes: DEFAULT_IDLE_MINUTES, lastEmail: null,
  isIos: /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1),
  counts: { pending: 0, attention: 0, conflicts: 0 }, lastSync: null, syncStatus: {},
  // Actions the views call, set by the modules that own them: signIn, signOut, unlock (session.js),
  // saved, decided (router.js).
};

export const isPrincipal = () => ctx.user?.role === "principal";

// Records (or decisions) the server does not have yet: queued, conflicted or rejected.
export function unsynced() {
  return ctx.counts.pending + ctx.counts.conflicts + ctx.counts.attention;
}
