"""Shared bench plumbing: a migrated database, a gunicorn server, demo users."""

import contextlib
import gc
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import create_app  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import OfficerAssignment, School, User  # noqa: E402

PASSWORD = "bench-pass-2026"


def settle_heap() -> None:
    """Collect this process's garbage, then freeze what it still holds, just before a timed
    section: otherwise the client's own full collection (over the prepared mutations and the
    pages already read: 100-130 ms) can land inside it and be counted as the server's time."""
    gc.collect()
    gc.freeze()


def spread(values: list[float]) -> str:
    """min / median / max of a bench's timings, in milliseconds."""
    return f"{min(values):7.1f} / {statistics.median(values):7.1f} / {max(values):7.1f} ms"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def migrated_app(database_url: str):
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
    return app


def add_officer(app, email: str, school_code: str) -> None:
    with app.app_context():
        school = db.session.query(School).filter_by(code=school_code).one_or_none()
        if school is None:
            school = School(name=f"School {school_code}", code=school_code)
            db.session.add(school)
        officer = User(email=email, name=email.split("@")[0], role="officer")
        officer.set_password(PASSWORD)
        db.session.add(officer)
        db.session.flush()
        db.session.add(OfficerAssignment(officer_id=officer.id, school_id=school.id, starts_on=date(2026, 8, 1)))
        db.session.commit()


@contextlib.contextmanager
def gunicorn(database_url: str, workers: int = 2):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SRO_ENV": "development", "SECRET_KEY": "bench",
           "SESSION_COOKIE_SECURE": "0",
           # every simulated phone signs in from 127.0.0.1: a per-address sign-in limit would throttle them all
           "RATELIMIT_ENABLED": "0"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(f"{base}/api/openapi.json", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.05)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def signed_in(base: str, email: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    response = session.post(f"{base}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
    response.raise_for_status()
    return session, response.json()["csrf_token"]


@contextlib.contextmanager
def database_urls(database_url: str | None, postgresql: bool):
    """Yields a function giving a new, empty database URL per call: a new SQLite file (default), a
    new database on a throwaway PostgreSQL server started like the test suite's
    (tests/db_support.py: 127.0.0.1, a free port, fsync off) with `postgresql`, or always the
    given `database_url` (which must then be empty, so one run only)."""
    if database_url:
        yield lambda: database_url
    elif postgresql:
        from tests.db_support import PostgresServer

        server = PostgresServer()
        try:
            yield lambda: server.empty(None)
        finally:
            server.stop()
    else:
        yield lambda: temp_sqlite_url()[0]


def temp_sqlite_url() -> tuple[str, str]:
    folder = tempfile.mkdtemp(prefix="sro-bench-")
    path = os.path.join(folder, "bench.sqlite")
    return f"sqlite:///{path}", path
