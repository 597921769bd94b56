"""Principals confirm or dispute the meetings officers record."""

import uuid

from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import conflict_error, json_error
from server.schemas.meetings import DecisionResultSchema, DecisionSchema
from server.security import roles_required
from server.services.sync import confirmation

blp = Blueprint("meetings", __name__, url_prefix="/api/meetings", description="Meeting confirmation")


@blp.route("/<uuid:meeting_id>/confirmation", methods=["POST"])
@roles_required("principal")
@blp.arguments(DecisionSchema)
@blp.response(200, DecisionResultSchema)
def confirm(decision, meeting_id: uuid.UUID):
    """Confirm or dispute a meeting at the principal's own school."""
    try:
        return confirmation.decide(
            current_user, meeting_id, decision["decision"], decision["comment"],
            base_version=decision["base_version"], mutation_id=decision["mutation_id"],
            device_id=decision["device_id"],
        )
    except confirmation.MeetingNotFound:
        return json_error(404, "No such meeting at your school.")
    except confirmation.DecisionConflict as conflict:
        return conflict_error(conflict)
