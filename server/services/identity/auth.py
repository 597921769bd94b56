"""Sign-in rules: one answer for any wrong email or password, lockout after repeated failures,
and the authenticator-app code for accounts that have one."""

from dataclasses import dataclass
from functools import cache

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from server.database import write_transaction
from server.extensions import db
from server.models import User, UserSession
from server.models.base import utcnow
from server.security import new_session_id, start_session
from server.services.identity import second_factor
from server.services.audit import log_event
from server.services.identity.lockout import clear_failures, current_lock, record_failed_attempt, unknown_email_counter


@cache
def _unknown_user_hash(method: str) -> str:
    """Checked when the email is unknown, made with the accounts' own method, so that both
    failures cost the same hashing time."""
    return generate_password_hash("no-such-user-password", method=method)


class SignInRefused(Exception):
    def __init__(self, status: int, message: str, retry_after: int | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after
        self.code = code


@dataclass
class SignedIn:
    user: User
    csrf_token: str


BAD_CREDENTIALS = "Email or password is incorrect."
# The right password without the code: the client asks for the code and sends both again.
CODE_NEEDED = "Enter the 6-digit code from your authenticator app, or one of your recovery codes."
BAD_CODE = "That code is not right. Enter the newest code from your authenticator app, or an unused recovery code."


def _find_user(address: str, *, for_update: bool = False) -> User | None:
    query = select(User).where(User.email == address)
    if for_update:  # PostgreSQL: one sign-in at a time per account (a TOTP step is spent once)
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def _password_matches(user: User | None, password: str) -> bool:
    """Checked before any write lock is taken: hashing is deliberately slow."""
    if user is None:
        check_password_hash(_unknown_user_hash(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")), password)
        return False
    return user.check_password(password)


def _password_refusal(user: User | None, address: str, password_matches: bool) -> SignInRefused | None:
    """Why this email and password do not sign in (audited and counted here), or None."""
    if user is None:
        return _unknown_email_refusal(address)
    lock = current_lock(user)
    if lock is not None:
        log_event("auth.login", "failure", actor=user, details={"reason": "locked"})
        return SignInRefused(429, lock.message, retry_after=lock.retry_after)
    if not password_matches or not user.active:
        record_failed_attempt(user)  # inactive accounts too: they must lock like any other email
        log_event("auth.login", "failure", actor=user,
                  details={"reason": "bad_password" if user.active else "inactive"})
        return SignInRefused(401, BAD_CREDENTIALS)
    return None


def _unknown_email_refusal(address: str) -> SignInRefused:
    """The same answers an account gets, lockout included: nobody learns which emails have one."""
    counter = unknown_email_counter(address)
    lock = current_lock(counter)
    if lock is not None:
        log_event("auth.login", "failure", email=address, details={"reason": "unknown_email_locked"})
        return SignInRefused(429, lock.message, retry_after=lock.retry_after)
    record_failed_attempt(counter)
    log_event("auth.login", "failure", email=address, details={"reason": "unknown_email"})
    return SignInRefused(401, BAD_CREDENTIALS)


def _second_factor_refusal(user: User, otp: str | None) -> SignInRefused:
    """The password was right but the code missing or wrong; a wrong code counts toward the lockout,
    so the six digits cannot be guessed."""
    if not otp:
        log_event("auth.login", "failure", actor=user, details={"reason": "second_factor_missing"})
        return SignInRefused(401, CODE_NEEDED, code="second_factor_required")
    record_failed_attempt(user)
    log_event("auth.login", "failure", actor=user, details={"reason": "bad_second_factor"})
    return SignInRefused(401, BAD_CODE, code="second_factor_invalid")


def sign_in(email: str, password: str, otp: str | None = None) -> SignedIn:
    address = User.normalise_email(email)
    matches = _password_matches(_find_user(address), password)
    with write_transaction():
        user = _find_user(address, for_update=True)  # fresh, inside the write lock: failure counts never race
        refusal = _password_refusal(user, address, matches)
        factor = None
        if refusal is None and user.has_second_factor:
            factor = second_factor.use_code(user, otp)
            if factor is None:
                refusal = _second_factor_refusal(user, otp)
        if refusal is None:
            clear_failures(user)
            user.last_login_at = utcnow()
            session_id = new_session_id()
            db.session.add(UserSession(id=session_id, user_id=user.id))
            log_event("auth.login", "success", actor=user, details={"second_factor": factor} if factor else None)
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
