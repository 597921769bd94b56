// IndexedDB plumbing: opening and upgrading the phone's databases and running one
// transaction. Shared by the page and the service worker. What is stored where is in
// stores.js (records, meta) and outbox.js (the outbox state machine).
// One database per signed-in user, so a second person on the same phone opens a
// different database and can neither see nor send the first person's records.

const META_DB = "sro-meta";
const USER_DB_PREFIX = "sro-user-";
const SCHEMA_VERSION = 1;
const opened = new Map();
const closedListeners = new Set();

// Called with a user id when another tab deletes that user's database (they signed out there).
export function onUserDbClosed(listener) {
  closedListeners.add(listener);
}

export function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDatabase(name, upgrade) {
  if (!opened.has(name)) {
    const pending = new Promise((resolve, reject) => {
      const req = indexedDB.open(name, SCHEMA_VERSION);
      req.onupgradeneeded = () => upgrade(req.result);
      req.onsuccess = () => {
        const db = req.result;
        // Another tab upgrading or deleting this database must not be blocked by us.
        db.onversionchange = () => {
          db.close();
          opened.delete(name);
          if (name.startsWith(USER_DB_PREFIX)) closedListeners.forEach((listener) => listener(Number(name.slice(USER_DB_PREFIX.length))));
        };
        resolve(db);
      };
      req.onerror = () => { opened.delete(name); reject(req.error); };
      req.onblocked = () => reject(new Error(`Database ${name} is in use by another tab.`));
    });
    opened.set(name, pending);
  }
  return opened.get(name);
}

// Runs `work` inside one transaction and resolves with its result once the
// transaction has committed. `work` may await IndexedDB requests only: awaiting
// anything else (the network, a timer) would let the transaction auto-commit.
export async function transact(db, storeNames, mode, work) {
  const tx = db.transaction(storeNames, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("Transaction aborted"));
  });
  let result;
  try {
    result = await work(tx);
  } catch (error) {
    try { tx.abort(); } catch { /* already finished */ }
    throw error;
  }
  await done;
  return result;
}

// --- the phone-wide meta database (who is signed in, this device's id) and one database per user ---

function upgradeMeta(db) {
  db.createObjectStore("kv");
}

export function openMetaDb() {
  return openDatabase(META_DB, upgradeMeta);
}

function upgradeUser(db) {
  const records = db.createObjectStore("records", { keyPath: "id" });
  records.createIndex("by_occurred", "occurred_ms");
  const outbox = db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
  outbox.createIndex("by_record", "id");
  const attention = db.createObjectStore("attention", { keyPath: "mutation_id" });
  attention.createIndex("by_record", "id");
  db.createObjectStore("conflicts", { keyPath: "id" });
  db.createObjectStore("meta");
}

export function openUserDb(userId) {
  return openDatabase(USER_DB_PREFIX + userId, upgradeUser);
}

export async function deleteUserDb(userId) {
  const name = USER_DB_PREFIX + userId;
  const db = await opened.get(name);
  db?.close();
  opened.delete(name);
  await request(indexedDB.deleteDatabase(name));
}

// Every user with a database on this phone (none where the browser cannot list databases).
export async function userIdsOnPhone() {
  const all = await indexedDB.databases?.() ?? [];
  return all.filter(({ name }) => name?.startsWith(USER_DB_PREFIX))
    .map(({ name }) => Number(name.slice(USER_DB_PREFIX.length)));
}
