"""Load: many officers at once, each pushing records in small batches and pulling them back,
against gunicorn (4 workers). Prints p50/p95/p99 latency, throughput and error rate, then the
server time and the app's CPU per push of a small batch, sent one at a time to the idle
server, then checks that nothing was lost or duplicated.

    .venv/bin/python bench/load.py [--officers 200] [--records 20] [--batch 5] [--think 2.0]
                                   [--postgresql | --database-url URL]   (default: a new SQLite file)

--postgresql starts a throwaway PostgreSQL server (as the test suite does) for the run.

Traffic goes to 127.0.0.1 only; every loop is bounded by counts and a deadline.
"""

import argparse
import logging
import os
import random
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import requests
from sqlalchemy import func, select

from common import PASSWORD, database_urls, gunicorn, migrated_app
from server.extensions import db
from server.models import AppliedMutation, OfficerAssignment, Record, School, User

DEADLINE_SECONDS = 600
WHEN = datetime(2026, 10, 2, 19, 0, tzinfo=timezone(timedelta(hours=-5)))


def add_officers(app, count: int) -> list[str]:
    with app.app_context():
        school = School(name="Load Test High", code="LOAD")
        db.session.add(school)
        db.session.flush()
        template = User(email="template@load.test", name="t", role="officer")
        template.set_password(PASSWORD)
        emails = [f"officer{n}@load.test" for n in range(count)]
        officers = [User(email=email, name=email, role="officer", password_hash=template.password_hash)
                    for email in emails]
        db.session.add_all(officers)
        db.session.flush()
        db.session.add_all(OfficerAssignment(officer_id=o.id, school_id=school.id, starts_on=date(2026, 8, 1))
                           for o in officers)
        db.session.commit()
        return emails


def officer_mutations(count: int, school_id: int) -> list[dict]:
    return [{
        "mutation_id": str(uuid.uuid4()), "id": str(uuid.uuid4()), "kind": "extracurricular_contact",
        "base_version": None, "voided": False, "void_reason": None,
        "data": {"school_id": school_id, "occurred_at": (WHEN + timedelta(minutes=n)).isoformat(),
                 "event_name": "Homecoming game", "event_type": "athletic", "students_contacted": 25 + n},
    } for n in range(count)]


def timed(samples: list, kind: str, call):
    started = time.perf_counter()
    try:
        response = call()
    except requests.RequestException:
        samples.append((kind, time.perf_counter() - started, "network"))
        return None
    samples.append((kind, time.perf_counter() - started, response.status_code))
    return response


def sign_in(base: str, email: str) -> dict:
    """Phase 1: every officer signs in (password hashing is deliberately slow, so it is timed apart)."""
    samples: list = []
    session = requests.Session()
    login = timed(samples, "login", lambda: session.post(
        f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=60))
    token = login.json()["csrf_token"] if login is not None and login.status_code == 200 else None
    return {"samples": samples, "session": session, "token": token, "email": email}


def one_officer(base: str, officer: dict, records: int, batch: int, think: float, deadline: float) -> dict:
    """Phase 2: a signed-in officer pushes their records in small batches, pausing between
    them like a phone syncing as records are made, then pulls."""
    samples: list = []
    pause = random.Random(officer["email"])
    session, token, email = officer["session"], officer["token"], officer["email"]
    if token is None:
        return {"samples": samples, "pulled": 0}
    mutations = officer_mutations(records, 1)
    for first in range(0, records, batch):
        time.sleep(pause.uniform(0, 2 * think))
        chunk = mutations[first:first + batch]
        while time.monotonic() < deadline:  # retry the same mutations until answered, like a phone
            response = timed(samples, "push", lambda: session.post(
                f"{base}/api/sync/push", json={"device_id": email, "mutations": chunk},
                headers={"X-CSRF-Token": token}, timeout=30))
            if response is not None and response.status_code == 200:
                break
            time.sleep(float(response.headers.get("Retry-After", 1)) if response is not None else 0.5)
    pulled = timed(samples, "pull", lambda: session.get(f"{base}/api/sync/pull", params={"limit": 1000}, timeout=30))
    count = len(pulled.json()["changes"]) if pulled is not None and pulled.status_code == 200 else 0
    return {"samples": samples, "pulled": count}


QUIET_PUSHES = 100


def app_cpu_seconds(base: str) -> float:
    """CPU time (user + system) used so far by the gunicorn serving `base`: its master and
    workers, found by the bind address on their command line (/proc)."""
    bind = base.removeprefix("http://").encode()
    ticks = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                if bind not in cmdline.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def quiet_pushes(base: str, officer: dict, batch: int) -> tuple[list[float], float]:
    """One officer pushes QUIET_PUSHES small batches back to back on the otherwise idle server:
    the seconds each took, and the app's CPU seconds per push."""
    session, token, email = officer["session"], officer["token"], officer["email"]
    mutations = officer_mutations(QUIET_PUSHES * batch, 1)
    times = []
    cpu_before = app_cpu_seconds(base)
    for first in range(0, len(mutations), batch):
        started = time.perf_counter()
        response = session.post(f"{base}/api/sync/push", headers={"X-CSRF-Token": token}, timeout=30,
                                json={"device_id": email, "mutations": mutations[first:first + batch]})
        times.append(time.perf_counter() - started)
        response.raise_for_status()
        assert {result["status"] for result in response.json()["results"]} == {"applied"}
    return times, (app_cpu_seconds(base) - cpu_before) / QUIET_PUSHES


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def report(samples: list, seconds: float) -> None:
    for kind in sorted({k for k, _, _ in samples}):
        times = [elapsed for k, elapsed, _ in samples if k == kind]
        errors = sum(1 for k, _, status in samples if k == kind and status != 200)
        print(f"{kind:5}  n={len(times):5}  p50 {percentile(times, .5) * 1000:7.1f} ms  "
              f"p95 {percentile(times, .95) * 1000:7.1f} ms  p99 {percentile(times, .99) * 1000:7.1f} ms  "
              f"errors {errors} ({errors / max(1, len(times)):.2%})")
    print(f"throughput: {len(samples) / seconds:.0f} requests/s over {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--records", type=int, default=20)
    parser.add_argument("--batch", type=int, default=5)
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds between one officer's pushes (0: push back to back)")
    parser.add_argument("--postgresql", action="store_true", help="run on a throwaway PostgreSQL server")
    parser.add_argument("--database-url", default=None, help="an existing, empty database")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the migrations' progress lines would bury the figures
    with database_urls(args.database_url, args.postgresql) as new_database:
        run(new_database(), args)


def run(url: str, args) -> None:
    app = migrated_app(url)
    emails = add_officers(app, args.officers)
    with gunicorn(url, workers=4) as base:
        deadline = time.monotonic() + DEADLINE_SECONDS
        with ThreadPoolExecutor(max_workers=args.officers) as pool:  # every officer at once
            started = time.perf_counter()
            officers = list(pool.map(lambda email: sign_in(base, email), emails))
            login_seconds = time.perf_counter() - started
            started = time.perf_counter()
            outcomes = list(pool.map(
                lambda officer: one_officer(base, officer, args.records, args.batch, args.think, deadline),
                officers))
            seconds = time.perf_counter() - started
        quiet_times, cpu_per_push = quiet_pushes(base, officers[0], args.batch)
    print(f"engine: {url.split(':', 1)[0]}  officers: {args.officers} x {args.records} records "
          f"in batches of {args.batch}, all at once, mean pause {args.think} s between pushes, gunicorn workers: 4")
    print("phase 1, sign-in:")
    report([s for officer in officers for s in officer["samples"]], login_seconds)
    print("phase 2, push and pull:")
    report([s for outcome in outcomes for s in outcome["samples"]], seconds)
    print(f"one push of {args.batch} records at a time, idle server, {QUIET_PUSHES} pushes: "
          f"min {min(quiet_times) * 1000:.2f} ms, median {statistics.median(quiet_times) * 1000:.2f} ms, "
          f"p95 {percentile(quiet_times, .95) * 1000:.2f} ms; app CPU {cpu_per_push * 1000:.2f} ms per push")
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Record))
        answered = db.session.scalar(select(func.count()).select_from(AppliedMutation))
    expected = args.officers * args.records + QUIET_PUSHES * args.batch
    short = sum(1 for o in outcomes if o["pulled"] != args.records)
    print(f"records stored {stored} / expected {expected}; mutations answered {answered}; "
          f"officers whose pull differed from what they pushed: {short}")
    print("RESULT:", "nothing lost, nothing duplicated" if stored == answered == expected and not short
          else "MISMATCH")
    print("targets on PostgreSQL (issue 16): push p95 < 250 ms with 200 officers, < 1 s with 600; 0 errors")


if __name__ == "__main__":
    main()
