"""Sign-in, sign-out and who am I."""

import math
import time

from flask import current_app, request
from flask_login import current_user
from flask_smorest import Blueprint

from server import clock
from server.errors import json_error, refusals_as_errors
from server.extensions import limiter
from server.models import SECOND_FACTOR_ROLES
from server.schemas.auth import (
    ConfirmSetupSchema, CsrfSchema, LoginSchema, ReauthenticateSchema, RecoveryCodesSchema, SecondFactorSchema,
    SecondFactorSetupSchema, SessionSchema,
)
from server.security import csrf_token, roles_required
from server.services.identity import auth as auth_service
from server.services.identity import second_factor
from server.services.access.directory import schools_for
from server.services.reporting.calendar import current_school_year_on

blp = Blueprint("auth", __name__, url_prefix="/api", description="Sign-in and session")


def session_payload(user, token: str) -> dict:
    return {
        "user": {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
                 "schools": schools_for(user), "second_factor": second_factor.status(user)},
        "csrf_token": token,
        # What the officer app does on its own, offline: lock when idle as long as the server
        # session would end, and keep synced records for this many days (docs/security.md).
        "phone": {"lock_after_minutes": current_app.config["SESSION_IDLE_MINUTES"],
                  "keep_days": current_app.config["PHONE_KEEP_DAYS"]},
        # The year both apps open on: in the summer break, the one that has just ended.
        "school_year": current_school_year_on(clock.today()),
    }


def _account_key() -> str:
    """Attempts on one account, from any address."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "account:" + (email.strip().lower() if isinstance(email, str) else "")


def _too_many_attempts(request_limit):
    # reset_at is on flask-limiter's own clock (the real time), never server/clock.py's pinned one.
    reset_in = max(1, math.ceil(request_limit.reset_at - time.time()))
    return json_error(429, "Too many sign-in attempts. Wait a moment and try again.",
                      headers={"Retry-After": str(reset_in)}, code="too_many_requests")


@blp.route("/auth/login", methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], on_breach=_too_many_attempts)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key,
               on_breach=_too_many_attempts)
@blp.arguments(LoginSchema)
@blp.response(200, SessionSchema)
def login(credentials):
    """Sign in with email and password; sets the session cookie."""
    try:
        signed_in = auth_service.sign_in(credentials["email"], credentials["password"], credentials["otp"])
    except auth_service.SignInRefused as refused:
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
        return json_error(refused.status, refused.message, headers=headers, code=refused.code)
    return session_payload(signed_in.user, signed_in.csrf_token)


@blp.route("/auth/logout", methods=["POST"])
@roles_required(before_second_factor=True)
@blp.response(204)
def logout():
    """End the session."""
    auth_service.sign_out(current_user._get_current_object())


@blp.route("/auth/csrf", methods=["GET"])
@roles_required(before_second_factor=True)
@blp.response(200, CsrfSchema)
def csrf():
    """The session's CSRF token, for a client that reloaded."""
    return {"csrf_token": csrf_token()}


@blp.route("/me", methods=["GET"])
@roles_required(before_second_factor=True)
@blp.response(200, SessionSchema)
def me():
    """The signed-in user, their schools and the session's CSRF token."""
    return session_payload(current_user, csrf_token())


# --- second factor (supervisors and admins) -------------------------------------------------------

# A refused change becomes a 4xx naming the field and the rule (and Retry-After when locked).
second_factor_action = refusals_as_errors(second_factor.SecondFactorRefused)


def _me():
    return current_user._get_current_object()


@blp.route("/auth/second-factor", methods=["GET"])
@roles_required(*SECOND_FACTOR_ROLES, before_second_factor=True)
@blp.response(200, SecondFactorSchema)
def second_factor_status():
    """Whether an authenticator app is set up, required, and how many recovery codes are left."""
    return second_factor.status(_me())


@blp.route("/auth/second-factor/setup", methods=["POST"])
@second_factor_action
@roles_required(*SECOND_FACTOR_ROLES, before_second_factor=True)
@blp.response(200, SecondFactorSetupSchema)
def second_factor_setup():
    """Start setting up an authenticator app: a new secret, as text and as a QR code. Nothing
    changes at sign-in until a code from the app confirms it."""
    return second_factor.begin_setup(_me())


@blp.route("/auth/second-factor/enable", methods=["POST"])
@second_factor_action
@roles_required(*SECOND_FACTOR_ROLES, before_second_factor=True)
@blp.arguments(ConfirmSetupSchema)
@blp.response(200, RecoveryCodesSchema)
def second_factor_enable(values):
    """Confirm the set-up with the app's current code and the password; returns the recovery
    codes (shown only now) and ends the account's other sessions."""
    return {"recovery_codes": second_factor.confirm_setup(_me(), values["code"], values["password"])}


@blp.route("/auth/second-factor/recovery-codes", methods=["POST"])
@second_factor_action
@roles_required(*SECOND_FACTOR_ROLES)
@blp.arguments(ReauthenticateSchema)
@blp.response(200, RecoveryCodesSchema)
def second_factor_recovery_codes(values):
    """New recovery codes; the old ones stop working. Needs the password and a current code."""
    return {"recovery_codes": second_factor.new_recovery_codes(_me(), values["code"], values["password"])}


@blp.route("/auth/second-factor/disable", methods=["POST"])
@second_factor_action
@roles_required(*SECOND_FACTOR_ROLES)
@blp.arguments(ReauthenticateSchema)
@blp.response(200, SecondFactorSchema)
def second_factor_disable(values):
    """Turn the authenticator app off (to move to a new phone). Needs the password and a current
    code; ends the account's other sessions."""
    return second_factor.turn_off(_me(), values["code"], values["password"])
