"""The record forms, described for the PWA."""

from flask_smorest import Blueprint

from server.schemas.forms import FormsSchema
from server.security import roles_required
from server.services.forms import form_description

blp = Blueprint("forms", __name__, url_prefix="/api", description="Record form descriptions")


@blp.route("/forms", methods=["GET"])
@roles_required()
@blp.response(200, FormsSchema)
def forms():
    """Every record kind's fields, choices and rules, generated from the validation schemas."""
    return form_description()
