"""The server's one clock: every "now" and "today" the server decides with comes from here.

now() is an aware UTC datetime, utcnow() the naive UTC the models store, today() the UTC date.

The FROZEN_NOW setting pins it (SRO_FROZEN_NOW, honoured in development and testing only:
server/config.py). A pinned clock is not stopped: it starts at the pinned moment when the app is
created, or when a test pins a new moment, and runs on with the process's monotonic clock. Idle
sessions, lockouts and authenticator codes then move as they do in real life, while "today"
stays the pinned day for any run shorter than what is left of it (pin a morning). Each gunicorn
worker creates its app at start-up, so the workers of one server agree to within that start-up.
Outside an app context, or with nothing pinned, it is the real time.
"""

import time
from datetime import date, datetime, timedelta, timezone

from flask import Flask, current_app, has_app_context

_STARTED = "clock.started"  # app.extensions key: (the pinned moment, time.monotonic() when pinned)


def init_app(app: Flask) -> None:
    if app.config.get("FROZEN_NOW") is not None:
        _started(app, app.config["FROZEN_NOW"])


def _started(app: Flask, pinned: datetime) -> float:
    started = app.extensions.get(_STARTED)
    if started is None or started[0] != pinned:
        started = app.extensions[_STARTED] = (pinned, time.monotonic())
    return started[1]


def now() -> datetime:
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
