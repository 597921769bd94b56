"""Sign-in rules: one answer for any wrong email or password, lockout after repeated failures."""

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_login import login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from server.extensions import db
from server.models import User
from server.models.base import utcnow
from server.security import start_session
from server.services.audit import log_event

# Checked when the email is unknown, so both failures take the same time.
_UNKNOWN_USER_HASH = generate_password_hash("no-such-user-password")


class SignInRefused(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass
class SignedIn:
    user: User
    csrf_token: str


BAD_CREDENTIALS = "Email or password is incorrect."


def _seconds_left(user: User) -> int:
    return max(1, math.ceil((user.locked_until - utcnow()).total_seconds()))


def _record_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
        user.locked_until = utcnow() + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        log_event("account.locked", "success", actor=user, target=f"user:{user.id}")


def sign_in(email: str, password: str) -> SignedIn:
    address = User.normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        log_event("auth.login", "failure", email=address, details={"reason": "unknown_email"})
        db.session.commit()
        raise SignInRefused(401, BAD_CREDENTIALS)
    if user.locked_until and user.locked_until > utcnow():
        seconds = _seconds_left(user)
        log_event("auth.login", "failure", actor=user, details={"reason": "locked"})
        db.session.commit()
        minutes = math.ceil(seconds / 60)
        raise SignInRefused(
            429, f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            retry_after=seconds,
        )
    if not user.check_password(password) or not user.active:
        reason = "bad_password" if user.active else "inactive"
        if user.active:
            _record_failure(user)
        log_event("auth.login", "failure", actor=user, details={"reason": reason})
        db.session.commit()
        raise SignInRefused(401, BAD_CREDENTIALS)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    log_event("auth.login", "success", actor=user)
    db.session.commit()
    token = start_session(user)  # a new session, against fixation
    login_user(user)
    return SignedIn(user=user, csrf_token=token)


def sign_out(user: User) -> None:
    log_event("auth.logout", "success", actor=user)
    db.session.commit()
    logout_user()
