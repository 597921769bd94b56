"""Sessions, CSRF and the one role decorator."""

import hmac
import secrets
from functools import wraps

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, logout_user
from sqlalchemy import bindparam, select

from server import clock
from server.errors import json_error
from server.extensions import db, login_manager
from server.models import User, UserSession
from server.public_http import is_public_path
from server.services.identity import second_factor

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Sign-in cannot carry a token it has not been given yet; SameSite=Lax covers it.
CSRF_EXEMPT = {"/api/auth/login"}
CSRF_HEADER = "X-CSRF-Token"


class SessionInterface(SecureCookieSessionInterface):
    """The public report never opens the session: a signed-in reader's cookie is neither read
    nor refreshed there, so public responses carry no Set-Cookie and a CDN may share them."""

    def open_session(self, app, request):
        if is_public_path(request.path):
            return self.make_null_session(app)
        return super().open_session(app, request)


# One query per request: the user, only while this sign-in is still open. Built once: every
# signed-in request runs it, and building it cost more than running it.
SIGNED_IN_USER = (
    select(User).join(UserSession, UserSession.user_id == User.id)
    .where(User.id == bindparam("user_id"), UserSession.id == bindparam("session_id"), UserSession.ended_at.is_(None))
)


@login_manager.user_loader
def load_user(session_user_id: str) -> User | None:
    try:
        user_id, epoch = (int(part) for part in session_user_id.split(":"))
    except ValueError:
        return None
    user = db.session.scalar(SIGNED_IN_USER, {"user_id": user_id, "session_id": session.get("sid", "")})
    if user is None or user.session_epoch != epoch or not user.active:
        return None
    return user


@login_manager.unauthorized_handler
def unauthorized():
    return json_error(401, "Sign in first.")


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def start_session(user: User, session_id: str) -> str:
    """Fresh session for a signed-in user (its UserSession row already stored); returns its CSRF token."""
    session.clear()
    session.permanent = True
    session["sid"] = session_id
    now = int(clock.now().timestamp())
    session["login_at"] = now
    session["seen_at"] = now
    session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def session_expired(now: int) -> bool:
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    seen_at = session.get("seen_at", 0)
    login_at = session.get("login_at", 0)
    return now - seen_at > idle or now - login_at > absolute


def _origin_mismatch() -> bool:
    """A browser names the page that sent a write; it must be this site."""
    origin = request.headers.get("Origin")
    return bool(origin) and origin.rstrip("/") != request.host_url.rstrip("/")


def enforce_session_and_csrf():
    """before_request: end stale sessions, then demand the CSRF token (and our Origin) on writes."""
    if "_user_id" in session:
        now = int(clock.now().timestamp())
        if session_expired(now):
            logout_user()
            session.clear()
        else:
            session["seen_at"] = now
    if request.method not in STATE_CHANGING or not request.path.startswith("/api/"):
        return None
    if _origin_mismatch():
        return json_error(403, "This request came from another site.", code="origin_refused")
    if request.path in CSRF_EXEMPT:
        return None
    if not current_user.is_authenticated:
        return json_error(401, "Sign in first.")
    sent = request.headers.get(CSRF_HEADER, "")
    expected = session.get("csrf", "")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        return json_error(403, f"Missing or wrong {CSRF_HEADER} header.", code="csrf_failed")
    return None


ENROL_FIRST = ("Set up an authenticator app first: your organisation requires a second factor for "
               "supervisors and admins.")


def roles_required(*roles: str, before_second_factor: bool = False):
    """The one permission gate: signed in (401), one of these roles (403), and, where the policy
    requires a second factor, one set up (403), unless the view is part of setting it up."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return json_error(401, "Sign in first.")
            if roles and current_user.role not in roles:
                return json_error(403, "Your role does not allow this.")
            if not before_second_factor and second_factor.must_enrol(current_user):
                return json_error(403, ENROL_FIRST, code="second_factor_setup_required")
            return view(*args, **kwargs)

        return wrapped

    return decorator


# Set on every response unless a view chose its own (the PWA shell sets a policy for pages).
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", API_CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")  # police records stay out of shared caches
    return response
