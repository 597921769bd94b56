"""Sync throughput: push 10,000 records in batches of 500 through gunicorn (2 workers),
then pull them all into a fresh device; compare with raw sqlite3 writing and reading
the same rows (records, revisions, applied mutations) in one transaction per batch.

    .venv/bin/python bench/sync_bench.py                  # SQLite, 3 runs
    .venv/bin/python bench/sync_bench.py --postgresql     # a throwaway PostgreSQL server, 3 runs
    .venv/bin/python bench/sync_bench.py [--records 10000] [--batch 500] [--runs 3]
                                         [--database-url URL (an empty database: one run)]

Each run measures the floor, then 1 and 2 devices pushing at once; the summary gives each
figure as min / median / max over the runs, next to its target and the floor of the same runs.
Before each timed section the bench collects and freezes its own heap (common.settle_heap), so
the client's garbage collection is not counted as the server's time.
"""

import argparse
import json
import logging
import sqlite3
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from common import add_officer, database_urls, gunicorn, migrated_app, settle_heap, signed_in, temp_sqlite_url

START = datetime(2026, 9, 1, 7, 30, tzinfo=timezone(timedelta(hours=-5)))
TARGETS = {"push": 10_000, "pull": 30_000}  # records/s on SQLite (issue 16); PostgreSQL: 60% of SQLite's
DEVICES = (1, 2)


def make_mutations(count: int) -> list[dict]:
    kinds = [
        ("activity", lambda i: {"activity_type": "classroom_presentation", "count": 1 + i % 30, "topic": "Safety"}),
        ("extracurricular_contact", lambda i: {"event_name": "Friday game", "event_type": "athletic",
                                               "students_contacted": i % 200, "adults_contacted": i % 20}),
        ("introduction", lambda i: {"audience": "new_students", "format": "classroom", "people_count": i % 40}),
        ("principal_meeting", lambda i: {"attendee_name": "Dr. Rivera", "attendee_role": "principal",
                                         "topics": ["safety_concerns", "upcoming_events"], "summary": "Weekly check-in"}),
    ]
    mutations = []
    for i in range(count):
        kind, fields = kinds[i % len(kinds)]
        data = {"school_id": 1, "occurred_at": (START + timedelta(minutes=5 * i)).isoformat(),
                "duration_minutes": 30, "notes": "Bench record", **fields(i)}
        mutations.append({"mutation_id": str(uuid.uuid4()), "id": str(uuid.uuid4()), "kind": kind,
                          "base_version": None, "data": data, "voided": False, "void_reason": None})
    return mutations


def push_from_device(base: str, email: str, device_id: str, mutations: list[dict], batch: int) -> None:
    session, token = signed_in(base, email)
    for first in range(0, len(mutations), batch):
        response = session.post(f"{base}/api/sync/push", headers={"X-CSRF-Token": token},
                                json={"device_id": device_id, "mutations": mutations[first:first + batch]})
        response.raise_for_status()
        statuses = {result["status"] for result in response.json()["results"]}
        assert statuses == {"applied"}, statuses


def bench_push(base: str, email: str, mutations: list[dict], batch: int, devices: int) -> float:
    """Seconds to push every mutation, split across `devices` phones pushing at once."""
    shares = [mutations[index::devices] for index in range(devices)]
    settle_heap()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=devices) as pool:
        futures = [pool.submit(push_from_device, base, email, f"bench-device-{index}", share, batch)
                   for index, share in enumerate(shares)]
        for future in futures:
            future.result()
    return time.perf_counter() - started


def bench_pull(base: str, email: str, expected: int) -> float:
    session, _ = signed_in(base, email)
    settle_heap()
    started = time.perf_counter()
    cursor, seen = None, 0
    while True:
        params = {"limit": 1000, **({"since": cursor} if cursor else {})}
        body = session.get(f"{base}/api/sync/pull", params=params).json()
        seen += len(body["changes"])
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    elapsed = time.perf_counter() - started
    assert seen == expected, (seen, expected)
    return elapsed


def floor_rows(mutations: list[dict]) -> list[tuple]:
    rows = []
    for seq, mutation in enumerate(mutations, start=1):
        data = mutation["data"]
        record_id = uuid.UUID(mutation["id"]).hex
        extra = {key: value for key, value in data.items()
                 if key not in ("school_id", "occurred_at", "duration_minutes", "notes")}
        rows.append((record_id, uuid.UUID(mutation["mutation_id"]).hex, mutation["kind"], data["occurred_at"],
                     data["notes"], json.dumps(extra), json.dumps(data), seq))
    return rows


def bench_floor(mutations: list[dict], batch: int) -> tuple[float, float]:
    """Raw sqlite3 writing and reading the same rows into the same schema."""
    url, path = temp_sqlite_url()
    migrated_app(url)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("INSERT INTO schools (name, code, timezone, created_at) VALUES ('S', 'S', 'UTC', '2026-01-01')")
    connection.execute(
        "INSERT INTO users (email, name, role, password_hash, active, failed_logins, session_epoch, created_at) "
        "VALUES ('o@b', 'o', 'officer', 'x', 1, 0, 0, '2026-01-01')")
    rows = floor_rows(mutations)
    now = "2026-11-23 12:00:00.000000"
    settle_heap()
    started = time.perf_counter()
    for first in range(0, len(rows), batch):
        chunk = rows[first:first + batch]
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO records (id, kind, owner_id, school_id, occurred_at, occurred_on, utc_offset_minutes, "
            "duration_minutes, notes, data, version, voided, created_at, updated_at, change_seq) "
            "VALUES (?, ?, 1, 1, ?, '2026-09-01', -300, 30, ?, ?, 1, 0, ?, ?, ?)",
            [(r[0], r[2], r[3], r[4], r[5], now, now, r[7]) for r in chunk])
        connection.executemany(
            "INSERT INTO record_revisions (record_id, version, outcome, action, actor_id, device_id, mutation_id, "
            "snapshot, created_at) VALUES (?, 1, 'accepted', 'create', 1, 'bench', ?, ?, ?)",
            [(r[0], r[1], r[6], now) for r in chunk])
        connection.executemany(
            "INSERT INTO applied_mutations (mutation_id, user_id, device_id, record_id, status, version, result, "
            "created_at) VALUES (?, 1, 'bench', ?, 'applied', 1, '{}', ?)",
            [(r[1], r[0], now) for r in chunk])
        connection.execute("UPDATE change_counter SET value = ? WHERE id = 1", (chunk[-1][7],))
        connection.execute("COMMIT")
    write_seconds = time.perf_counter() - started
    settle_heap()
    started = time.perf_counter()
    since, seen = 0, 0
    while True:
        page = connection.execute(
            "SELECT id, kind, version, data, voided, void_reason, owner_id, occurred_at, notes, updated_at, "
            "change_seq FROM records WHERE owner_id = 1 AND change_seq > ? ORDER BY change_seq LIMIT 1000", (since,)
        ).fetchall()
        if not page:
            break
        for row in page:
            json.loads(row[3])
        seen += len(page)
        since = page[-1][-1]
    read_seconds = time.perf_counter() - started
    assert seen == len(rows)
    return write_seconds, read_seconds


def run_server_side(url: str, records: int, batch: int, devices: int) -> tuple[float, float]:
    app = migrated_app(url)
    add_officer(app, "bench@demo.test", "BENCH")
    mutations = make_mutations(records)
    with gunicorn(url, workers=2) as base:
        push_seconds = bench_push(base, "bench@demo.test", mutations, batch, devices)
        pull_seconds = bench_pull(base, "bench@demo.test", records)
    return push_seconds, pull_seconds


def one_run(new_database, records: int, batch: int, devices: tuple[int, ...]) -> dict:
    """records/s of the floor and of each (figure, devices) in one run, printed as it goes."""
    floor_write, floor_read = bench_floor(make_mutations(records), batch)
    rates = {"floor write": records / floor_write, "floor read": records / floor_read}
    print(f"  floor: raw sqlite3, same rows, one transaction per batch: write {rates['floor write']:8.0f} records/s, "
          f"read {rates['floor read']:8.0f} records/s")
    for count in devices:
        plural = "s" if count > 1 else ""
        url = new_database()
        push_seconds, pull_seconds = run_server_side(url, records, batch, count)
        rates[f"push, {count} device{plural}"], rates[f"pull, {count} device{plural}"] = records / push_seconds, records / pull_seconds
        print(f"  [{url.split(':', 1)[0]}, {count} device{plural} pushing] "
              f"push {records / push_seconds:7.0f} records/s ({push_seconds:.2f} s, {floor_write / push_seconds:.3f} of "
              f"floor)  pull into a fresh device {records / pull_seconds:7.0f} records/s ({pull_seconds:.2f} s, "
              f"{floor_read / pull_seconds:.3f} of floor)")
    return rates


def summary(runs: list[dict], postgresql: bool) -> None:
    share = 0.6 if postgresql else 1.0
    print(f"summary over {len(runs)} run(s): min / median / max records/s")
    for name in runs[0]:
        values = [run[name] for run in runs]
        figure = name.split(",")[0]
        target = f"target >= {TARGETS[figure] * share:,.0f}" if figure in TARGETS else "floor"
        print(f"  {name:17} {min(values):8,.0f} / {statistics.median(values):8,.0f} / {max(values):8,.0f}   {target}")
    if postgresql:
        print("  (PostgreSQL's target: 60% of SQLite's; run this bench without --postgresql for those figures)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgresql", action="store_true", help="push and pull on a throwaway PostgreSQL server")
    parser.add_argument("--database-url", default=None, help="an existing, empty database (one run, one device)")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the migrations' progress lines would bury the figures

    runs = 1 if args.database_url else args.runs
    devices = DEVICES[:1] if args.database_url else DEVICES
    print(f"records: {args.records}  batch: {args.batch}  gunicorn workers: 2  runs: {runs}")
    with database_urls(args.database_url, args.postgresql) as new_database:
        results = []
        for number in range(1, runs + 1):
            print(f"run {number}:")
            results.append(one_run(new_database, args.records, args.batch, devices))
    summary(results, args.postgresql or (args.database_url or "").startswith("postgres"))


if __name__ == "__main__":
    main()
