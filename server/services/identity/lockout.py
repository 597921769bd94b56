"""The account lockout: after LOGIN_MAX_FAILURES wrong passwords or codes in a row, no sign-in
(and no change that asks for the password again) for LOGIN_LOCK_MINUTES."""

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from server.extensions import db
from server.models import UnknownEmailLockout, User
from server.models.base import utcnow
from server.services.audit import log_event


@dataclass
class Lock:
    message: str
    retry_after: int  # seconds


def current_lock(user: User | UnknownEmailLockout) -> Lock | None:
    now = utcnow()
    if user.locked_until is None or user.locked_until <= now:
        return None
    seconds = max(1, math.ceil((user.locked_until - now).total_seconds()))
    minutes = math.ceil(seconds / 60)
    return Lock(f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}.", seconds)


def record_failed_attempt(user: User | UnknownEmailLockout) -> None:
    """Inside the caller's write transaction, on a freshly read row: failure counts never race."""
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = utcnow() + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        if isinstance(user, User):
            log_event("account.locked", "success", actor=user, target=f"user:{user.id}")


def unknown_email_counter(address: str) -> UnknownEmailLockout:
    """The failure count of an email with no account (created at its first failure), locked by the
    same rules as an account so that the answers never tell which emails have one."""
    email_hash = hashlib.sha256(address.encode()).hexdigest()
    # Two first failures at once must not both insert: create it if absent, then lock the row.
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(UnknownEmailLockout).values(email_hash=email_hash, failed_logins=0)
                       .on_conflict_do_nothing(index_elements=["email_hash"]))
    return db.session.get(UnknownEmailLockout, email_hash, with_for_update=True, populate_existing=True)


def clear_failures(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
