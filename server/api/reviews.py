"""Supervisors (and admins) review officers' records: one at a time, or an officer's week or month."""

import uuid

from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import conflict_error, json_error
from server.schemas.reviews import PeriodReviewResultSchema, PeriodReviewSchema, ReviewResultSchema, ReviewSchema
from server.security import roles_required
from server.services.sync import review

blp = Blueprint("reviews", __name__, url_prefix="/api", description="Record review")


@blp.route("/records/<uuid:record_id>/review", methods=["POST"])
@roles_required("supervisor", "admin")
@blp.arguments(ReviewSchema)
@blp.response(200, ReviewResultSchema)
def review_record(args, record_id: uuid.UUID):
    """Approve a record, or mark it needs_correction with a comment, on the version read."""
    try:
        return review.review(current_user._get_current_object(), record_id, review.Decision(
            args["decision"], args["comment"], args["base_version"], args["mutation_id"],
            args["base_review_status"]))
    except review.RecordNotReviewable:
        return json_error(404, "No such record among those you review.")
    except review.DecisionConflict as conflict:
        return conflict_error(conflict)


@blp.route("/reviews", methods=["POST"])
@roles_required("supervisor", "admin")
@blp.arguments(PeriodReviewSchema)
@blp.response(200, PeriodReviewResultSchema)
def review_period(args):
    """One decision on every record of an officer's week or month still waiting for review."""
    return review.review_period(current_user._get_current_object(), args["officer_id"], args["period_start"],
                                args["period_end"], args["decision"], args["comment"])
