"""The supervisor and the principal confirm or dispute a semester review they took part in (KY 8)."""

import uuid

from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import conflict_error, json_error
from server.schemas.participation import ParticipationDecisionSchema, ParticipationResultSchema
from server.security import roles_required
from server.services.sync import confirmation, participation

blp = Blueprint("participation", __name__, url_prefix="/api/records",
                description="Semester review: the supervisor's and the principal's confirmation")


@blp.route("/<uuid:record_id>/participation", methods=["POST"])
@roles_required(*participation.PARTIES)
@blp.arguments(ParticipationDecisionSchema)
@blp.response(200, ParticipationResultSchema)
def decide(decision, record_id: uuid.UUID):
    """Confirm taking part in a semester review, or dispute it with a comment. The caller's role
    is their part: the officer's supervisor, or the principal of the review's school."""
    try:
        return participation.decide(
            current_user._get_current_object(), record_id, decision["decision"], decision["comment"],
            base_version=decision["base_version"], mutation_id=decision["mutation_id"],
            device_id=decision["device_id"],
        )
    except participation.ReviewNotFound:
        return json_error(404, "No such semester review that you took part in.")
    except confirmation.DecisionConflict as conflict:
        return conflict_error(conflict)
