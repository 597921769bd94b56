"""Faults in the middle of a push: the client's retry must apply everything exactly once."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from server.extensions import db
from server.models import AppliedMutation, Record, RecordRevision
from tests.db_support import free_port
from tests.factories import PASSWORD, email_of
from tests.settings import subprocess_environment
from tests.sync_support import build_world, mutation

ROOT = Path(__file__).resolve().parents[2]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def one_worker_server(database_url, tmp_path):
    """gunicorn with ONE worker, so killing "the worker" kills the one serving the push."""
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "wb")
    master = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--no-control-socket", "--workers", "1", "--timeout", "60",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env=subprocess_environment(SRO_ENV="testing", DATABASE_URL=database_url, SECRET_KEY="fault-test",
                                   SESSION_COOKIE_SECURE="0", RATELIMIT_ENABLED="0"),
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(base)
    yield base, master
    master.terminate()
    master.wait(timeout=20)
    log.close()


def wait_until_serving(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/api/openapi.json", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.1)
    raise AssertionError(f"{base} did not start")


def kill_workers_after(master: subprocess.Popen, delay: float) -> threading.Thread:
    def kill():
        time.sleep(delay)
        for worker in children_of(master.pid):
            os.kill(worker, signal.SIGKILL)

    thread = threading.Thread(target=kill)
    thread.start()
    return thread


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Record, RecordRevision, AppliedMutation))


@pytest.mark.parametrize("delay", [0.02, 0.1, 0.3])
def test_a_worker_killed_mid_push_loses_and_duplicates_nothing(app, one_worker_server, delay):
    base, master = one_worker_server
    world = build_world(app)
    session = requests.Session()
    token = session.post(f"{base}/api/auth/login", timeout=30,
                         json={"email": email_of(app, world.officer_a), "password": PASSWORD}).json()["csrf_token"]
    batch = [mutation(school_id=world.school_a) for _ in range(500)]
    body = {"device_id": "phone", "mutations": batch}

    killer = kill_workers_after(master, delay)
    try:
        first = session.post(f"{base}/api/sync/push", json=body, headers={"X-CSRF-Token": token}, timeout=60)
        first_outcome = first.status_code
    except requests.ConnectionError:
        first_outcome = "connection dropped"
    killer.join()
    assert counts(app)[0] in (0, 500), "a push is all or nothing"

    wait_until_serving(base)  # gunicorn's master starts a new worker
    retry = session.post(f"{base}/api/sync/push", json=body, headers={"X-CSRF-Token": token}, timeout=60)
    assert retry.status_code == 200, (first_outcome, retry.text)
    statuses = {result["status"] for result in retry.json()["results"]}
    assert statuses <= {"applied", "duplicate"} and len(statuses) == 1
    assert counts(app) == (500, 500, 500)


def test_a_response_dropped_after_commit_is_answered_duplicate_on_retry(app, live_server):
    world = build_world(app)
    session = requests.Session()
    token = session.post(f"{live_server}/api/auth/login", timeout=30,
                         json={"email": email_of(app, world.officer_a), "password": PASSWORD}).json()["csrf_token"]
    batch = [mutation(school_id=world.school_a) for _ in range(50)]
    body = {"device_id": "phone", "mutations": batch}
    with pytest.raises(requests.Timeout):
        # The server commits, but the phone stops listening before the answer comes back.
        session.post(f"{live_server}/api/sync/push", json=body, headers={"X-CSRF-Token": token}, timeout=(5, 0.0001))
    deadline = time.monotonic() + 10
    while counts(app)[0] < 50 and time.monotonic() < deadline:
        time.sleep(0.05)
    retry = session.post(f"{live_server}/api/sync/push", json=body, headers={"X-CSRF-Token": token}, timeout=30)
    assert {result["status"] for result in retry.json()["results"]} == {"duplicate"}
    assert counts(app) == (50, 50, 50)
