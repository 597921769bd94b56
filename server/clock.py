"""The server's one clock: every "now" and "today" the server decides with comes from here.

now() is an aware UTC datetime, utcnow() the naive UTC the models store, today() the UTC date.

The FROZEN_NOW setting pins it (SRO_FROZEN_NOW, honoured in development and testing only:
server/config.py). A pinned clock is not stopped: it starts at the pinned moment when the app is
created, or when a test pins a new moment, and runs on with the process's monotonic clock. Idle
sessions, lockouts and authenticator codes then move as they do in real life, while "today"
stays the pinned day for any run shorter than what is left of it (pin a morning). Each gunicorn
worker creates its app at start-up, so the workers of one server agree to within that start-up.
Outside an app context, or with nothing pinned, it is the real time.

`as_of(moment)` pins it for a block of code instead: the demo seeder writes each week of an
officer's records as of that week, as a phone syncing every week would have. It runs on like
FROZEN_NOW, belongs to the thread (a context variable) that entered it, and is never honoured
while a request is handled: no answer to anyone is made at a pretended time, and a request in
another thread never sees it.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone

from flask import Flask, current_app, has_app_context, has_request_context

_STARTED = "clock.started"  # app.extensions key: (the pinned moment, time.monotonic() when pinned)
# as_of: (the moment, time.monotonic() when the block began), or None outside one.
_AS_OF: ContextVar[tuple[datetime, float] | None] = ContextVar("clock.as_of", default=None)


def init_app(app: Flask) -> None:
    if app.config.get("FROZEN_NOW") is not None:
        _started(app, app.config["FROZEN_NOW"])


def _started(app: Flask, pinned: datetime) -> float:
    started = app.extensions.get(_STARTED)
    if started is None or started[0] != pinned:
        started = app.extensions[_STARTED] = (pinned, time.monotonic())
    return started[1]


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    """Inside the block, "now" starts at `moment` (aware) and runs on; for the seeder, the CLI and
    tests, never for handling a request (refused inside one, and ignored by one)."""
    if moment.tzinfo is None:
        raise ValueError("as_of needs an aware moment: naive times are ambiguous.")
    if has_request_context():
        raise RuntimeError("as_of is for the seeder, the CLI and tests, not for handling a request.")
    token = _AS_OF.set((moment, time.monotonic()))
    try:
        yield
    finally:
        _AS_OF.reset(token)


def now() -> datetime:
    block = _AS_OF.get()
    if block is not None and not has_request_context():
        moment, started = block
        return moment.astimezone(timezone.utc) + timedelta(seconds=time.monotonic() - started)
    pinned = current_app.config.get("FROZEN_NOW") if has_app_context() else None
    if pinned is None:
        return datetime.now(timezone.utc)
    started = _started(current_app, pinned)  # before reading the time: never a moment before the pin
    return pinned.astimezone(timezone.utc) + timedelta(seconds=time.monotonic() - started)


def utcnow() -> datetime:
    """Naive UTC: stored the same way on SQLite and PostgreSQL."""
    return now().replace(tzinfo=None)


def today() -> date:
    return now().date()
