"""Month sign-off: supervisors (and admins) freeze an officer's month and compare it later."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import refusals_as_errors
from server.schemas.signoffs import (
    SignoffComparisonSchema, SignoffListSchema, SignoffQuerySchema, SignoffRequestSchema, SignoffSchema,
)
from server.security import roles_required
from server.services.reporting import signoffs

blp = Blueprint("signoffs", __name__, url_prefix="/api/signoffs", description="Month sign-off")


@blp.route("", methods=["POST"])
@roles_required("supervisor", "admin")
@refusals_as_errors(signoffs.SignoffRefused)
@blp.arguments(SignoffRequestSchema)
@blp.response(201, SignoffSchema)
def sign_off(args):
    """Freeze an officer's month (the monthly report's figures); a second sign-off of the same
    month is a 409 unless records were amended or its figures changed since, then it is a new snapshot."""
    return signoffs.sign_off(current_user._get_current_object(), args["officer_id"], args["month"])


@blp.route("", methods=["GET"])
@roles_required("supervisor", "admin")
@blp.arguments(SignoffQuerySchema, location="query")
@blp.response(200, SignoffListSchema)
def list_signoffs(args):
    """Sign-offs of the officers the caller reviews, newest month first."""
    return {"items": signoffs.list_signoffs(current_user._get_current_object(), args["officer_id"], args["month"])}


@blp.route("/<int:signoff_id>", methods=["GET"])
@roles_required("supervisor", "admin")
@refusals_as_errors(signoffs.SignoffRefused)
@blp.response(200, SignoffComparisonSchema)
def comparison(signoff_id: int):
    """The snapshot beside today's figures with the difference, and the records amended since."""
    return signoffs.comparison(current_user._get_current_object(), signoff_id)
