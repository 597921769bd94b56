"""Sign-in, sign-out and who am I."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import json_error
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


@blp.route("/auth/login", methods=["POST"])
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
