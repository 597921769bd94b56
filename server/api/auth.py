"""Sign-in, sign-out and who am I."""

import math
import time

from flask import current_app, request
from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import json_error
from server.extensions import limiter
from server.schemas.auth import CsrfSchema, LoginSchema, SessionSchema
from server.security import csrf_token, roles_required
from server.services import auth as auth_service
from server.services.directory import schools_for

blp = Blueprint("auth", __name__, url_prefix="/api", description="Sign-in and session")


def session_payload(user, token: str) -> dict:
    return {
        "user": {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
                 "schools": schools_for(user)},
        "csrf_token": token,
    }


def _account_key() -> str:
    """Attempts on one account, from any address."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return "account:" + (email.strip().lower() if isinstance(email, str) else "")


def _too_many_attempts(request_limit):
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
        signed_in = auth_service.sign_in(credentials["email"], credentials["password"])
    except auth_service.SignInRefused as refused:
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
        return json_error(refused.status, refused.message, headers=headers)
    return session_payload(signed_in.user, signed_in.csrf_token)


@blp.route("/auth/logout", methods=["POST"])
@roles_required()
@blp.response(204)
def logout():
    """End the session."""
    auth_service.sign_out(current_user._get_current_object())


@blp.route("/auth/csrf", methods=["GET"])
@roles_required()
@blp.response(200, CsrfSchema)
def csrf():
    """The session's CSRF token, for a client that reloaded."""
    return {"csrf_token": csrf_token()}


@blp.route("/me", methods=["GET"])
@roles_required()
@blp.response(200, SessionSchema)
def me():
    """The signed-in user, their schools and the session's CSRF token."""
    return session_payload(current_user, csrf_token())
