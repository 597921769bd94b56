"""The second factor for supervisors and admins: an authenticator app (TOTP, RFC 6238) and
one-time recovery codes for when the phone is lost.

A code is checked against the server's clock with one 30-second step either side for a phone
that drifts; a step that was accepted once is never accepted again, so a code read over a
shoulder or out of a proxy log cannot be replayed. Recovery codes are random (about 79 bits),
shown once, and stored as hashes.
"""

import hashlib
import hmac
import re
import secrets

import pyotp
import segno
from flask import current_app, session
from sqlalchemy import delete, func, select, update

from server import clock
from server.database import write_transaction
from server.extensions import db
from server.models import RecoveryCode, User, UserSession
from server.models.base import utcnow
from server.services.audit import log_event
from server.services.identity.lockout import current_lock, record_failed_attempt

ISSUER = "SRO Field Log"
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 16
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o or 1/i/l to misread
TOTP_CODE = re.compile(r"\d{6}")
SEPARATORS = re.compile(r"[\s-]")


class SecondFactorRefused(Exception):
    """The change cannot be made: status 409/422/429, and the field it is about."""

    def __init__(self, status: int, message: str, field: str | None = None, *, retry_after: int | None = None,
                 counts_as_failure: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.retry_after = retry_after
        self.counts_as_failure = counts_as_failure


# --- policy -------------------------------------------------------------------------------

def required_for(user: User) -> bool:
    return bool(current_app.config["SECOND_FACTOR_REQUIRED"]) and user.may_use_second_factor


def must_enrol(user: User) -> bool:
    """Signed in with a password only, where the policy asks for more: set-up comes first."""
    return required_for(user) and not user.has_second_factor


def status(user: User) -> dict:
    return {
        "available": user.may_use_second_factor,
        "enabled": user.has_second_factor,
        "required": required_for(user),
        "enabled_at": user.totp_enabled_at,
        "recovery_codes_left": recovery_codes_left(user) if user.has_second_factor else 0,
    }


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode)
                             .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


# --- checking codes -------------------------------------------------------------------------

def _normalise(code: str) -> str:
    return SEPARATORS.sub("", code).lower()


def _hash(recovery_code: str) -> str:
    return hashlib.sha256(recovery_code.encode()).hexdigest()


def _matching_step(secret: str, code: str, after_step: int | None) -> int | None:
    """The time step whose code this is, if it is within the drift window and newer than after_step."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(clock.now().timestamp())
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if (after_step is None or step > after_step) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_code(user: User, code: str | None) -> str | None:
    """Inside a write transaction, on a freshly locked user: "totp" or "recovery_code" when the
    code is right (and now spent), None when it is not."""
    if not code or not user.has_second_factor:
        return None
    code = _normalise(code)
    if TOTP_CODE.fullmatch(code):
        step = _matching_step(user.totp_secret, code, user.totp_last_step)
        if step is None:
            return None
        user.totp_last_step = step
        return "totp"
    if len(code) == RECOVERY_CODE_LENGTH:
        spent = db.session.execute(
            update(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
                   RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow())
        )
        return "recovery_code" if spent.rowcount == 1 else None
    return None


# --- set-up and changes ------------------------------------------------------------------------

def _locked_user(user_id: int) -> User:
    """The user row, locked for this transaction (PostgreSQL; SQLite's write lock covers it)."""
    return db.session.scalar(select(User).where(User.id == user_id).with_for_update()
                             .execution_options(populate_existing=True))


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    return ["-".join(code[i:i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)) for code in codes]


def _end_other_sessions(user: User) -> None:
    """After a change to how the account signs in, only the session that made it stays open."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.id != session.get("sid", ""),
               UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason="second_factor_changed")
    )


def qr_path(text: str) -> dict:
    """A QR code as one SVG path (a unit square per dark module), so the page draws it without
    inline markup, images from data URLs or any third-party script."""
    matrix = segno.make(text, error="m").matrix
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return {"size": len(matrix), "path": "".join(runs)}


def begin_setup(user: User) -> dict:
    """A new secret, kept aside until a code from the app proves it was stored there."""
    if user.has_second_factor:
        raise SecondFactorRefused(409, "An authenticator app is already set up. Turn it off first to move to "
                                       "another one.")
    secret = pyotp.random_base32()
    with write_transaction():
        _locked_user(user.id).totp_pending_secret = secret
        log_event("auth.second_factor_setup", "success", actor=user, target=f"user:{user.id}")
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return {"secret": secret, "otpauth_uri": uri, "qr": qr_path(uri)}


def _reauthentication_refusal(user: User, password_matches: bool, code: str | None) -> SecondFactorRefused | None:
    """Asked again before a change to how the account signs in: a session left open on a shared
    computer must not be enough to turn the second factor off or read new recovery codes."""
    locked = current_lock(user)
    if locked is not None:
        return SecondFactorRefused(429, locked.message, retry_after=locked.retry_after)
    if not password_matches:
        return SecondFactorRefused(422, "Password is incorrect.", "password", counts_as_failure=True)
    if code is not None and use_code(user, code) is None:
        return SecondFactorRefused(
            422, "That code is not right. Enter the newest code from the app, or an unused recovery code.", "code",
            counts_as_failure=True)
    return None


def _guarded_change(user: User, action: str, *, password: str, code: str | None, check, apply):
    """One write transaction: check(user) may refuse, then the password (and the current code)
    are asked again, then apply(user). A refusal is audited, and a wrong password or code counts
    toward the lockout as a failed sign-in would."""
    password_matches = user.check_password(password)  # slow by design: before the write lock
    with write_transaction():
        fresh = _locked_user(user.id)
        refusal = check(fresh) or _reauthentication_refusal(fresh, password_matches, code)
        if refusal is None:
            result = apply(fresh)
            log_event(action, "success", actor=fresh, target=f"user:{user.id}")
        else:
            if refusal.counts_as_failure:
                record_failed_attempt(fresh)
            log_event(action, "failure", actor=fresh, target=f"user:{user.id}", details={"reason": refusal.message})
    if refusal is not None:
        raise refusal
    return result


def confirm_setup(user: User, code: str, password: str) -> list[str]:
    """Turn the second factor on with a code from the app; returns the recovery codes (shown
    once) and ends the account's other sessions."""
    confirmed_step = None

    def check(fresh: User):
        nonlocal confirmed_step
        if fresh.has_second_factor:
            return SecondFactorRefused(409, "An authenticator app is already set up.")
        if fresh.totp_pending_secret is None:
            return SecondFactorRefused(409, "Start the set-up first: no authenticator app is waiting to be confirmed.")
        confirmed_step = _matching_step(fresh.totp_pending_secret, _normalise(code), None)
        if confirmed_step is None:
            return SecondFactorRefused(422, "That code does not match. Check that the phone's clock is right, then "
                                            "enter the newest code.", "code")
        return None

    def apply(fresh: User) -> list[str]:
        fresh.totp_secret, fresh.totp_pending_secret = fresh.totp_pending_secret, None
        fresh.totp_enabled_at = utcnow()
        fresh.totp_last_step = confirmed_step
        _end_other_sessions(fresh)
        return _new_recovery_codes(fresh)

    return _guarded_change(user, "auth.second_factor_enable", password=password, code=None, check=check, apply=apply)


def _needs_second_factor(fresh: User):
    return None if fresh.has_second_factor else SecondFactorRefused(409, "No authenticator app is set up.")


def new_recovery_codes(user: User, code: str, password: str) -> list[str]:
    """Replace every recovery code (the old ones stop working)."""
    return _guarded_change(user, "auth.recovery_codes_replace", password=password, code=code,
                           check=_needs_second_factor, apply=_new_recovery_codes)


def remove(user: User) -> None:
    """Forget the account's authenticator app and recovery codes (the caller commits)."""
    user.totp_secret = user.totp_pending_secret = None
    user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def reset(user: User) -> None:
    """An admin's reset after a lost phone: forget the app and end every session of the account
    (the caller commits)."""
    remove(user)
    user.session_epoch += 1


def turn_off(user: User, code: str, password: str) -> dict:
    """Turn the second factor off (to move to another phone, say). Where the policy requires
    one, the account must set up a new app before it can do anything else."""

    def apply(fresh: User) -> dict:
        remove(fresh)
        _end_other_sessions(fresh)
        return status(fresh)

    return _guarded_change(user, "auth.second_factor_disable", password=password, code=code,
                           check=_needs_second_factor, apply=apply)
