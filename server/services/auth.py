"""Sign-in rules: one answer for any wrong email or password, lockout after repeated failures."""

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from server.database import write_transaction
from server.extensions import db
from server.models import User, UserSession
from server.models.base import utcnow
from server.security import new_session_id, start_session
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


def _locked_refusal(user: User) -> SignInRefused:
    seconds = _seconds_left(user)
    minutes = math.ceil(seconds / 60)
    return SignInRefused(
        429, f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        retry_after=seconds,
    )


def _is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def _find_user(address: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == address))


def _password_matches(user: User | None, password: str) -> bool:
    """Checked before any write lock is taken: hashing is deliberately slow."""
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)  # same time as a known email
        return False
    return user.check_password(password)


def sign_in(email: str, password: str) -> SignedIn:
    address = User.normalise_email(email)
    matches = _password_matches(_find_user(address), password)
    refusal = None
    with write_transaction():
        user = _find_user(address)  # fresh, inside the write lock: failure counts never race
        if user is None:
            log_event("auth.login", "failure", email=address, details={"reason": "unknown_email"})
            refusal = SignInRefused(401, BAD_CREDENTIALS)
        elif _is_locked(user):
            log_event("auth.login", "failure", actor=user, details={"reason": "locked"})
            refusal = _locked_refusal(user)
        elif not matches or not user.active:
            if user.active:
                _record_failure(user)
            log_event("auth.login", "failure", actor=user,
                      details={"reason": "bad_password" if user.active else "inactive"})
            refusal = SignInRefused(401, BAD_CREDENTIALS)
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = utcnow()
            session_id = new_session_id()
            db.session.add(UserSession(id=session_id, user_id=user.id))
            log_event("auth.login", "success", actor=user)
    if refusal is not None:
        raise refusal
    token = start_session(user, session_id)  # a new session, against fixation
    login_user(user)
    return SignedIn(user=user, csrf_token=token)


def sign_out(user: User) -> None:
    with write_transaction():
        db.session.execute(update(UserSession).where(UserSession.id == session.get("sid", ""))
                           .values(ended_at=utcnow(), ended_reason="signed_out"))
        log_event("auth.logout", "success", actor=user)
    logout_user()
    session.clear()
