"""A principal's semester feedback on the officers serving their school (KY 25, 26)."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import refusals_as_errors
from server.schemas.feedback import FeedbackAnswerSchema, FeedbackArgsSchema, FeedbackGivenSchema, FeedbackListSchema
from server.security import roles_required
from server.services import feedback

blp = Blueprint("feedback", __name__, url_prefix="/api/feedback", description="Principal's semester feedback")


@blp.route("", methods=["POST"])
@roles_required("principal")
@refusals_as_errors(feedback.FeedbackRefused)
@blp.arguments(FeedbackAnswerSchema)
@blp.response(200, FeedbackGivenSchema)
def give(answer):
    """Give this semester's feedback on an officer serving the principal's school; a second
    answer in the same semester replaces the first (`replaced: true`)."""
    return feedback.give_feedback(current_user._get_current_object(), answer)


@blp.route("", methods=["GET"])
@roles_required("principal", "supervisor", "admin")
@blp.arguments(FeedbackArgsSchema, location="query")
@blp.response(200, FeedbackListSchema)
def answers(args):
    """The answers the caller may read (a principal their own, a supervisor those on their
    officers, an admin all), and for a principal the officers due an answer this semester."""
    return feedback.read_feedback(current_user._get_current_object(), args["officer_id"], args["school_year"])
