"""Officer PWA figures in headless Debian chromium at phone size (prints numbers; not a test).

    .venv/bin/python bench/pwa_bench.py [--records 1000] [--saves 50]

- shell bytes: HTML + JS + CSS of the officer shell (what sw.js precaches), uncompressed and gzipped
- first visit: bytes transferred over the network (bodies as sent, gzip included, plus headers)
  and requests, from opening / in an empty browser until the service worker has installed the
  shell (its own fetches included; answers from the HTTP cache and the worker's cache count 0)
- offline first render: reload with the network off, served by the service worker;
  Navigation Timing plus first contentful paint and "app-ready" (home drawn from IndexedDB)
- save: one record and its outbox entry committed in IndexedDB (saveChange), median and p95
- list: render all N records (#/all), DOM built ("render-list" measure) and painted
Targets: shell < 100 KB, offline first render < 300 ms, save < 50 ms, 1,000-record list < 200 ms.
"""

import argparse
import gzip
import statistics

from playwright.sync_api import sync_playwright

from common import PASSWORD, add_officer, gunicorn, migrated_app, temp_sqlite_url

from server.api.pwa import DEFAULT_PWA_DIR, shell_paths

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
EMAIL = "bench-officer@bench.test"
SHELL_SUFFIXES = {".html", ".js", ".css"}
TARGETS_MS = {"offline first render": 300, "save": 50, "list": 200}

NAVIGATION_JS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const ready = performance.getEntriesByName("app-ready")[0];
  return {response_end: nav.responseEnd, dom_content_loaded: nav.domContentLoadedEventEnd,
          first_contentful_paint: paint ? paint.startTime : null, app_ready: ready ? ready.startTime : null,
          from_service_worker: nav.workerStart > 0};
}"""

SAVES_JS = """async ([count, schoolId]) => {
  const [stores, idb, outbox] = await Promise.all([import("/stores.js"), import("/idb.js"), import("/outbox.js")]);
  const session = await stores.metaGet("session");
  const db = await idb.openUserDb(session.userId);
  const timings = [];
  for (let i = 0; i < count; i += 1) {
    const data = {school_id: schoolId, occurred_at: new Date(Date.now() - i * 60000).toISOString(),
                  duration_minutes: 30, notes: null, activity_type: "classroom_presentation", count: 1, topic: `Bench ${i}`};
    const start = performance.now();
    await outbox.saveChange(db, {id: crypto.randomUUID(), kind: "activity", data, voided: false});
    timings.push(performance.now() - start);
  }
  return timings;
}"""

LIST_JS = """async (expected) => {
  performance.clearMeasures("render-list");
  const start = performance.now();
  location.hash = "#/all";
  await new Promise((resolve) => {
    const check = () => document.querySelectorAll("main .records li").length >= expected
      ? requestAnimationFrame(() => requestAnimationFrame(resolve)) : requestAnimationFrame(check);
    check();
  });
  const painted = performance.now() - start;
  return {built: performance.getEntriesByName("render-list").pop().duration, painted};
}"""


def shell_bytes() -> tuple[int, int]:
    files = [path for path in shell_paths(DEFAULT_PWA_DIR) if path.suffix in SHELL_SUFFIXES]
    raw = sum(path.stat().st_size for path in files)
    zipped = sum(len(gzip.compress(path.read_bytes())) for path in files)
    return raw, zipped


WORKER_READY_JS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return Boolean(registration.active);
}"""


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


def sign_in(page, base: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator(".version", has_text="App version").wait_for()


def offline_first_render(page, runs: int) -> list[dict]:
    page.context.set_offline(True)
    results = []
    for _ in range(runs):
        page.reload()
        page.locator("body[data-ready=true]").wait_for()
        results.append(page.evaluate(NAVIGATION_JS))
    return results


def render_list(page, expected: int, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        results.append(page.evaluate(LIST_JS, expected))
        page.evaluate("() => { location.hash = '#/'; }")
        page.locator(".actions").wait_for()
    return results


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def verdict(value: float, target: float) -> str:
    return "OK" if value < target else "OVER TARGET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    raw, zipped = shell_bytes()
    print(f"shell (HTML+JS+CSS): {raw:,} bytes uncompressed ({raw / 1024:.1f} KB), {zipped:,} gzipped "
          f"-> {verdict(raw, 100 * 1024)} (target < 100 KB)")

    database_url, _ = temp_sqlite_url()
    app = migrated_app(database_url)
    add_officer(app, EMAIL, "BENCH")
    with gunicorn(database_url) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        transferred, count, active = first_visit(browser, base)
        print(f"first visit (page + service worker install): {transferred:,} bytes transferred "
              f"({transferred / 1024:.1f} KB) in {count} requests; worker active: {active}")
        page = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True).new_page()
        sign_in(page, base)

        renders = offline_first_render(page, args.runs)
        for key in ("response_end", "dom_content_loaded", "first_contentful_paint", "app_ready"):
            values = [run[key] for run in renders if run[key] is not None]
            print(f"offline reload {key:>22}: median {statistics.median(values):6.1f} ms  (max {max(values):.1f})")
        ready = statistics.median(run["app_ready"] for run in renders)
        print(f"offline first render (app ready, home drawn from IndexedDB): {ready:.1f} ms "
              f"-> {verdict(ready, TARGETS_MS['offline first render'])} (target < 300 ms); "
              f"served by the service worker: {all(run['from_service_worker'] for run in renders)}")

        saves = page.evaluate(SAVES_JS, [args.saves, 1])
        median_save = statistics.median(saves)
        print(f"save one record (record + outbox, one transaction): median {median_save:.1f} ms, "
              f"p95 {p95(saves):.1f} ms over {args.saves} -> {verdict(median_save, TARGETS_MS['save'])} (target < 50 ms)")

        more = max(0, args.records - args.saves)
        page.evaluate(SAVES_JS, [more, 1])
        lists = render_list(page, args.records, args.runs)
        built = statistics.median(run["built"] for run in lists)
        painted = statistics.median(run["painted"] for run in lists)
        print(f"list of {args.records:,} records: built {built:.1f} ms, to next paint {painted:.1f} ms (median of "
              f"{args.runs}) -> {verdict(painted, TARGETS_MS['list'])} (target < 200 ms)")
        browser.close()


if __name__ == "__main__":
    main()
