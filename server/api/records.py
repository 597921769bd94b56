"""The log browser: synced records, filtered and paginated, and each record's full history."""

import uuid

from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import json_error
from server.schemas.log_browser import RecordHistorySchema, RecordPageSchema, RecordQuerySchema
from server.security import roles_required
from server.services.reporting import log_browser
from server.services.access.report_scope import OutOfScope

blp = Blueprint("records", __name__, url_prefix="/api/records", description="Log browser")


@blp.route("", methods=["GET"])
@roles_required("officer", "principal", "supervisor", "admin")
@blp.arguments(RecordQuerySchema, location="query")
@blp.response(200, RecordPageSchema)
def browse(args):
    """Records the caller may read (officers: own; principals: meetings at their schools;
    supervisors: their officers'; admins: all), filtered, sorted, one page at a time. A search by
    anyone but an officer is audited as `records.browse`; a principal's officer filter, or another
    school, is a 403 naming the filter."""
    try:
        return log_browser.browse(current_user._get_current_object(), args)
    except OutOfScope as refusal:
        return json_error(403, refusal.message, fields={refusal.field: [refusal.message]})


@blp.route("/<uuid:record_id>/history", methods=["GET"])
@roles_required("officer", "principal", "supervisor", "admin")
@blp.response(200, RecordHistorySchema)
def history(record_id: uuid.UUID):
    """Every revision: who, when, which device, what changed; rejected conflicting proposals included.
    A view by anyone but an officer is audited as `records.history`."""
    try:
        return log_browser.history(current_user._get_current_object(), record_id)
    except log_browser.RecordNotFound:
        return json_error(404, log_browser.RecordNotFound.message)
