"""Officer PWA figures in headless Debian chromium at phone size, a big officer's phone: 5,000
records stored (prints numbers; not a test).

    .venv/bin/python bench/pwa_bench.py [--records 5000] [--runs 3] [--saves 20]

- shell bytes: HTML + JS + CSS of the officer shell (what sw.js precaches), uncompressed and gzipped
- first visit: bytes transferred over the network (bodies as sent, gzip included, plus headers)
  and requests, from opening / in an empty browser until the service worker has installed the
  shell (its own fetches included; answers from the HTTP cache and the worker's cache count 0)
- pull into an empty phone: every record of the officer (--records, already on the server) pulled
  by syncOnce into a phone whose records and cursor were cleared; floor: the same pages fetched
  and parsed, nothing stored
- offline home: reload with the network off, served by the service worker, until "app-ready"
  (home drawn from IndexedDB); floor: DOMContentLoaded of the same reload (the shell alone)
- save: one record and its outbox entry committed in IndexedDB (saveChange), median of --saves;
  floor: one bare put of the same record in one transaction
- list: #/all drawn (only its first window; floor: every record read from IndexedDB, nothing
  drawn), then scrolled a screen per frame while more windows are appended: the worst frame
  gap; floor: the worst frame gap of the idle page
Each figure: target, measured (min / median / max of --runs), floor from the same run.
Records span the officer's last PHONE_KEEP_DAYS days, which the bench sets to 120 so that
5,000 of them (about 40 a day) stay on the phone.
"""

import argparse
import gzip
import os
import statistics
import uuid
from datetime import datetime, timedelta, timezone

import requests
from playwright.sync_api import sync_playwright

from common import PASSWORD, add_officer, gunicorn, migrated_app, spread, temp_sqlite_url

from server.api.pwa import DEFAULT_PWA_DIR, shell_paths

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
EMAIL = "bench-officer@bench.test"
SHELL_SUFFIXES = {".html", ".js", ".css"}
KEEP_DAYS = 120
PUSH_BATCH = 500  # SYNC_MAX_BATCH

NAVIGATION_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const ready = performance.getEntriesByName("app-ready")[0];
  return {dom_content_loaded: nav.domContentLoadedEventEnd, app_ready: ready ? ready.startTime : null,
          from_service_worker: nav.workerStart > 0};
}"""

STORED_JS = """async () => {
  const [stores, idb] = await Promise.all([import("/stores.js"), import("/idb.js")]);
  const session = await stores.metaGet("session");
  const db = await idb.openUserDb(session.userId);
  return idb.transact(db, "records", "readonly", (tx) => idb.request(tx.objectStore("records").count()));
}"""

# Clears the phone's records and cursor, then times one full sync (push nothing, pull everything).
PULL_JS = """async () => {
  const [stores, idb, sync] = await Promise.all([import("/stores.js"), import("/idb.js"), import("/sync.js")]);
  const session = await stores.metaGet("session");
  const db = await idb.openUserDb(session.userId);
  await sync.exclusively(() => idb.transact(db, ["records", "meta"], "readwrite", async (tx) => {
    await idb.request(tx.objectStore("records").clear());
    await idb.request(tx.objectStore("meta").delete("cursor"));
  }));
  const start = performance.now();
  await sync.syncOnce(db, await stores.deviceId(), session.userId);
  const took = performance.now() - start;
  const stored = await idb.transact(db, "records", "readonly", (tx) => idb.request(tx.objectStore("records").count()));
  return {took, stored};
}"""

# The floor of a pull: the same pages over the same network, parsed, nothing stored.
FETCH_PAGES_JS = """async () => {
  const [api, sync] = await Promise.all([import("/api.js"), import("/sync.js")]);
  const start = performance.now();
  let since = null, page, changes = 0;
  do {
    page = await api.pull(since, sync.PULL_LIMIT);
    changes += page.changes.length;
    since = page.cursor;
  } while (page.has_more);
  return {took: performance.now() - start, changes};
}"""

SAVES_JS = """async ([count, schoolId]) => {
  const [stores, idb, outbox] = await Promise.all([import("/stores.js"), import("/idb.js"), import("/outbox.js")]);
  const session = await stores.metaGet("session");
  const db = await idb.openUserDb(session.userId);
  const saves = [], puts = [];
  for (let i = 0; i < count; i += 1) {
    const data = {school_id: schoolId, occurred_at: new Date(Date.now() - i * 60000).toISOString(),
                  duration_minutes: 30, notes: null, activity_type: "classroom_presentation", count: 1, topic: `Bench ${i}`};
    let start = performance.now();
    await outbox.saveChange(db, {id: crypto.randomUUID(), kind: "activity", data, voided: false});
    saves.push(performance.now() - start);
    // The floor: the same record put alone, one transaction, no outbox, into a store of the same size.
    const bare = {id: crypto.randomUUID(), kind: "activity", data, occurred_ms: Date.parse(data.occurred_at), state: "pending"};
    start = performance.now();
    await idb.transact(db, "records", "readwrite", (tx) => idb.request(tx.objectStore("records").put(bare)));
    puts.push(performance.now() - start);
    await idb.transact(db, "records", "readwrite", (tx) => idb.request(tx.objectStore("records").delete(bare.id)));
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {save: median(saves), put: median(puts)};
}"""

LIST_JS = """async () => {
  const [stores, idb] = await Promise.all([import("/stores.js"), import("/idb.js")]);
  const db = await idb.openUserDb((await stores.metaGet("session")).userId);
  let start = performance.now();
  await stores.listRecords(db);  // the floor: every record read from IndexedDB, nothing drawn
  const read = performance.now() - start;
  start = performance.now();
  location.hash = "#/all";
  await new Promise((resolve) => {
    const check = () => document.querySelector("main #all-records li")
      ? requestAnimationFrame(() => requestAnimationFrame(resolve)) : requestAnimationFrame(check);
    check();
  });
  return {painted: performance.now() - start, read, items: document.querySelectorAll("main #all-records li").length};
}"""

# Frame gaps (requestAnimationFrame to requestAnimationFrame) over `frames` frames, scrolling a
# screen further each frame when `scroll` (the list appends its next window as the end nears).
FRAMES_JS = """async ([frames, scroll]) => {
  const gaps = [];
  let last = await new Promise(requestAnimationFrame);
  for (let i = 0; i < frames; i += 1) {
    if (scroll) window.scrollBy(0, window.innerHeight);
    const now = await new Promise(requestAnimationFrame);
    gaps.push(now - last);
    last = now;
  }
  return {worst: Math.max(...gaps), items: document.querySelectorAll("main #all-records li").length};
}"""

WORKER_READY_JS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return Boolean(registration.active);
}"""

def shell_bytes() -> tuple[int, int]:
    files = [path for path in shell_paths(DEFAULT_PWA_DIR) if path.suffix in SHELL_SUFFIXES]
    raw = sum(path.stat().st_size for path in files)
    zipped = sum(len(gzip.compress(path.read_bytes())) for path in files)
    return raw, zipped



def first_visit(browser, base: str) -> tuple[int, int, bool]:
    """Open the app once in a fresh profile; return (bytes transferred, requests, worker active)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    finished = []
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    page.goto(base + "/")
    active = page.evaluate(WORKER_READY_JS)
    page.wait_for_timeout(500)  # the last responses' events
    total = requests = 0
    for request in finished:
        response = request.response()
        if response is None or response.from_service_worker:
            continue
        sizes = request.sizes()
        if sizes["responseBodySize"] <= 0 and response.status != 304:
            continue  # from the HTTP cache: nothing went over the wire
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        requests += 1
    context.close()
    return total, requests, active


def seed_records(base: str, count: int) -> None:
    """The officer's records on the server, pushed as their phone would, spread over the kept days."""
    session = requests.Session()
    signed = session.post(f"{base}/api/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=10)
    signed.raise_for_status()
    csrf, school_id = signed.json()["csrf_token"], signed.json()["user"]["schools"][0]["id"]
    now = datetime.now(timezone.utc)
    mutations = [{"mutation_id": str(uuid.uuid4()), "id": str(uuid.uuid4()), "kind": "activity", "base_version": None,
                  "voided": False, "void_reason": None,
                  "data": {"school_id": school_id, "duration_minutes": 30, "notes": None,
                           "occurred_at": (now - timedelta(minutes=(i + 1) * (KEEP_DAYS - 2) * 24 * 60 // count)).isoformat(),
                           "activity_type": "classroom_presentation", "count": 1 + i % 5, "topic": f"Topic {i}"}}
                 for i in range(count)]
    for first in range(0, count, PUSH_BATCH):
        response = session.post(f"{base}/api/sync/push", headers={"X-CSRF-Token": csrf, "X-Client-Version": "1.0.0"},
                                json={"device_id": "bench-seed", "mutations": mutations[first:first + PUSH_BATCH]},
                                timeout=120)
        response.raise_for_status()


def sign_in(page, base: str, records: int) -> None:
    """Sign in; the first sync pulls every record onto the phone."""
    page.goto(base + "/")
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator(".version", has_text="App version").wait_for()
    for _ in range(600):
        if page.evaluate(STORED_JS) >= records:
            return
        page.wait_for_timeout(100)
    raise RuntimeError("the first sync did not bring every record onto the phone")


def report(label: str, target_ms: float, measured: list[float], floor: list[float], floor_text: str) -> None:
    verdict = "OK" if statistics.median(measured) < target_ms else "OVER TARGET"
    print(f"  {label:<34} target < {target_ms:>5.0f} ms   measured {spread(measured)}   "
          f"floor ({floor_text}) {spread(floor)}   {verdict}")


def measure_pull(page, runs: int, records: int) -> None:
    pulls = [page.evaluate(PULL_JS) for _ in range(runs)]
    assert all(run["stored"] >= records for run in pulls), pulls
    fetched = [page.evaluate(FETCH_PAGES_JS)["took"] for _ in range(runs)]
    report(f"pull {records:,} into an empty phone", 3000, [run["took"] for run in pulls], fetched,
           "the pages fetched, nothing stored")


def measure_home(page, runs: int) -> None:
    page.context.set_offline(True)
    renders = []
    for _ in range(runs):
        page.reload()
        page.locator("body[data-ready=true]").wait_for()
        renders.append(page.evaluate(NAVIGATION_JS))
    assert all(run["from_service_worker"] for run in renders), renders
    report("home screen, offline reload", 300, [run["app_ready"] for run in renders],
           [run["dom_content_loaded"] for run in renders], "the shell alone, DOMContentLoaded")


def measure_saves(page, runs: int, saves: int) -> None:
    results = [page.evaluate(SAVES_JS, [saves, 1]) for _ in range(runs)]
    report(f"save a record (median of {saves})", 50, [run["save"] for run in results],
           [run["put"] for run in results], "a bare put, one transaction")


def measure_list(page, runs: int, frames: int) -> None:
    drawn, read, scrolled, idle = [], [], [], []
    for _ in range(runs):
        shown = page.evaluate(LIST_JS)
        drawn.append(shown["painted"])
        read.append(shown["read"])
        page.evaluate(FRAMES_JS, [5, False])  # let the drawing settle
        idle.append(page.evaluate(FRAMES_JS, [30, False])["worst"])
        after = page.evaluate(FRAMES_JS, [frames, True])
        scrolled.append(after["worst"])
        page.evaluate("() => { location.hash = '#/'; }")
        page.locator(".actions").wait_for()
    print(f"  (#/all drew {shown['items']} list items at first, {after['items']} after {frames} screens of scrolling)")
    report("all records: first window drawn", 200, drawn, read, "every record read, nothing drawn")
    report(f"all records: worst frame, {frames} screens", 50, scrolled, idle, "one idle frame")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--scroll-screens", type=int, default=60)
    args = parser.parse_args()

    raw, zipped = shell_bytes()
    print(f"shell (HTML+JS+CSS): {raw:,} bytes uncompressed ({raw / 1024:.1f} KB), {zipped:,} gzipped "
          f"(target < 100 KB)")

    os.environ["PHONE_KEEP_DAYS"] = str(KEEP_DAYS)  # read by the gunicorn server started below
    database_url, _ = temp_sqlite_url()
    app = migrated_app(database_url)
    add_officer(app, EMAIL, "BENCH")
    with gunicorn(database_url) as base, sync_playwright() as playwright:
        seed_records(base, args.records)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        transferred, count, active = first_visit(browser, base)
        print(f"first visit (page + service worker install): {transferred:,} bytes transferred "
              f"({transferred / 1024:.1f} KB) in {count} requests; worker active: {active}")
        page = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
        sign_in(page, base, args.records)
        print(f"{args.records:,} records on the phone; min / median / max of {args.runs} runs:")
        measure_pull(page, args.runs, args.records)
        measure_home(page, args.runs)
        measure_list(page, args.runs, args.scroll_screens)
        measure_saves(page, args.runs, args.saves)
        browser.close()


if __name__ == "__main__":
    main()
