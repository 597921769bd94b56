"""Sync throughput: push 10,000 records in batches of 500 through gunicorn (2 workers),
then pull them all into a fresh device; compare with raw sqlite3 writing and reading
the same rows (records, revisions, applied mutations) in one transaction per batch.

    .venv/bin/python bench/sync_bench.py [--records 10000] [--batch 500] [--database-url URL]
"""

import argparse
import json
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from common import add_officer, gunicorn, migrated_app, signed_in, temp_sqlite_url

START = datetime(2026, 9, 1, 7, 30, tzinfo=timezone(timedelta(hours=-5)))


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
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=devices) as pool:
        futures = [pool.submit(push_from_device, base, email, f"bench-device-{index}", share, batch)
                   for index, share in enumerate(shares)]
        for future in futures:
            future.result()
    return time.perf_counter() - started


def bench_pull(base: str, email: str, expected: int) -> float:
    session, _ = signed_in(base, email)
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


def run_server_side(records: int, batch: int, devices: int, database_url: str | None) -> tuple[str, float, float]:
    url = database_url or temp_sqlite_url()[0]
    app = migrated_app(url)
    add_officer(app, "bench@demo.test", "BENCH")
    mutations = make_mutations(records)
    with gunicorn(url, workers=2) as base:
        push_seconds = bench_push(base, "bench@demo.test", mutations, batch, devices)
        pull_seconds = bench_pull(base, "bench@demo.test", records)
    return url.split(":", 1)[0], push_seconds, pull_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file per run")
    args = parser.parse_args()

    n = args.records
    floor_write, floor_read = bench_floor(make_mutations(n), args.batch)
    print(f"records: {n}  batch: {args.batch}  gunicorn workers: 2")
    print(f"floor: raw sqlite3, same rows, one transaction per batch: write {n / floor_write:8.0f} records/s, "
          f"read {n / floor_read:8.0f} records/s")
    for devices in (1, 2):
        engine, push_seconds, pull_seconds = run_server_side(n, args.batch, devices, args.database_url)
        print(f"[{engine}, {devices} device{'s' if devices > 1 else ''} pushing] "
              f"push {n / push_seconds:7.0f} records/s ({push_seconds:.2f} s, {floor_write / push_seconds:.3f} of floor)  "
              f"pull into a fresh device {n / pull_seconds:7.0f} records/s ({pull_seconds:.2f} s, "
              f"{floor_read / pull_seconds:.3f} of floor)")
        if args.database_url:
            break
    print("targets: push >= 5000 records/s, pull >= 15000 records/s")


if __name__ == "__main__":
    main()
