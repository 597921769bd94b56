"""An officer's own standing in the program, for "My program" on the phone."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.schemas.program import ProgramSchema
from server.security import roles_required
from server.services.reporting.program import officer_program

blp = Blueprint("program", __name__, url_prefix="/api/me", description="The officer's own program standing")


@blp.route("/program", methods=["GET"])
@roles_required("officer")
@blp.response(200, ProgramSchema)
def my_program():
    """This school year's standing of the signed-in officer at each of their schools (KY 20, 5, 3, 8),
    their training (KY 22) and the principals' feedback on them (KY 25, 26)."""
    return officer_program(current_user._get_current_object())
