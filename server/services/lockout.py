"""The account lockout: after LOGIN_MAX_FAILURES wrong passwords or codes in a row, no sign-in
(and no change that asks for the password again) for LOGIN_LOCK_MINUTES."""

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from server.models import User
from server.models.base import utcnow
from server.services.audit import log_event


@dataclass
class Lock:
    message: str
    retry_after: int  # seconds


def current_lock(user: User) -> Lock | None:
    if user.locked_until is None or user.locked_until <= utcnow():
        return None
    seconds = max(1, math.ceil((user.locked_until - utcnow()).total_seconds()))
    minutes = math.ceil(seconds / 60)
    return Lock(f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}.", seconds)


def record_failed_attempt(user: User) -> None:
    """Inside the caller's write transaction, on a freshly read user: failure counts never race."""
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = utcnow() + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        log_event("account.locked", "success", actor=user, target=f"user:{user.id}")


def clear_failures(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
