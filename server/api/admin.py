"""Admin API: schools, term calendars, non-school days, users, assignments, supervision, audit log.

Admin role only. Every change is written with its audit event (server/services/admin/service.py).
"""

from flask_login import current_user
from flask_smorest import Blueprint

from server import clock
from server.api.reports import csv_download
from server.errors import invalid_fields_message, json_error, refusals_as_errors
from server.schemas.sync import MutationResultSchema
from server.schemas.admin import (
    AdminUserSchema, AssignmentQuerySchema, AssignmentSchema, AssignmentUpdateSchema, AuditPageSchema,
    AuditQuerySchema, ClosedDaySchema, PasswordResetSchema, PrincipalQuerySchema, PrincipalSchoolSchema,
    SchoolSchema, SchoolUpdateSchema, SchoolYearQuerySchema, SupervisionQuerySchema, SupervisionSchema,
    TermSchema, TermUpdateSchema, TrainingEntrySchema, UserCreateSchema, UserQuerySchema, UserUpdateSchema,
)
from server.security import roles_required
from server.services.admin import service
from server.services.sync import entered_for

blp = Blueprint("admin", __name__, url_prefix="/api/admin", description="Administration (admin role only)")


def admin_action(view):
    """Admin role only; a refused change becomes a 4xx naming the field and the rule."""
    return roles_required("admin")(refusals_as_errors(service.AdminRefused)(view))


def actor():
    return current_user._get_current_object()


# --- schools and calendars -------------------------------------------------------------------

@blp.route("/schools", methods=["GET"])
@admin_action
@blp.response(200, SchoolSchema(many=True))
def schools():
    """All schools."""
    return service.list_schools()


@blp.route("/schools", methods=["POST"])
@admin_action
@blp.arguments(SchoolSchema)
@blp.response(201, SchoolSchema)
def create_school(values):
    """Add a school."""
    return service.create_school(actor(), values)


@blp.route("/schools/<int:school_id>", methods=["PATCH"])
@admin_action
@blp.arguments(SchoolUpdateSchema)
@blp.response(200, SchoolSchema)
def update_school(values, school_id: int):
    """Rename a school or change its code or time zone."""
    return service.update_school(actor(), school_id, values)


@blp.route("/schools/<int:school_id>", methods=["DELETE"])
@admin_action
@blp.response(204)
def delete_school(school_id: int):
    """Delete a school that has no records (with its calendar and links)."""
    service.delete_school(actor(), school_id)


@blp.route("/schools/<int:school_id>/terms", methods=["GET"])
@admin_action
@blp.arguments(SchoolYearQuerySchema, location="query")
@blp.response(200, TermSchema(many=True))
def terms(args, school_id: int):
    """A school's terms (semesters), optionally of one school year."""
    return service.list_terms(school_id, args["school_year"])


@blp.route("/schools/<int:school_id>/terms", methods=["POST"])
@admin_action
@blp.arguments(TermSchema)
@blp.response(201, TermSchema)
def create_term(values, school_id: int):
    """Add a term; it must fall inside its school year and not overlap another term."""
    return service.create_term(actor(), school_id, values)


@blp.route("/terms/<int:term_id>", methods=["PATCH"])
@admin_action
@blp.arguments(TermUpdateSchema)
@blp.response(200, TermSchema)
def update_term(values, term_id: int):
    """Change a term's name or dates."""
    return service.update_term(actor(), term_id, values)


@blp.route("/terms/<int:term_id>", methods=["DELETE"])
@admin_action
@blp.response(204)
def delete_term(term_id: int):
    """Delete a term."""
    service.delete_term(actor(), term_id)


@blp.route("/schools/<int:school_id>/non-school-days", methods=["GET"])
@admin_action
@blp.arguments(SchoolYearQuerySchema, location="query")
@blp.response(200, ClosedDaySchema(many=True))
def closed_days(args, school_id: int):
    """A school's non-school weekdays (holidays, in-service days)."""
    return service.list_closed_days(school_id, args["school_year"])


@blp.route("/schools/<int:school_id>/non-school-days", methods=["POST"])
@admin_action
@blp.arguments(ClosedDaySchema)
@blp.response(201, ClosedDaySchema)
def create_closed_day(values, school_id: int):
    """Add a non-school weekday."""
    return service.create_closed_day(actor(), school_id, values)


@blp.route("/non-school-days/<int:day_id>", methods=["DELETE"])
@admin_action
@blp.response(204)
def delete_closed_day(day_id: int):
    """Remove a non-school day."""
    service.delete_closed_day(actor(), day_id)


# --- users -------------------------------------------------------------------------------------

@blp.route("/users", methods=["GET"])
@admin_action
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, AdminUserSchema(many=True))
def users(args):
    """Users, optionally by role and active state."""
    return service.list_users(args["role"], args["active"])


@blp.route("/users", methods=["POST"])
@admin_action
@blp.arguments(UserCreateSchema)
@blp.response(201, AdminUserSchema)
def create_user(values):
    """Create an active user."""
    return service.create_user(actor(), values)


@blp.route("/users/<int:user_id>", methods=["GET"])
@admin_action
@blp.response(200, AdminUserSchema)
def user(user_id: int):
    """One user."""
    return service.get_user(user_id)


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@admin_action
@blp.arguments(UserUpdateSchema)
@blp.response(200, AdminUserSchema)
def update_user(values, user_id: int):
    """Rename, change role (ends their sessions), activate or deactivate."""
    return service.update_user(actor(), user_id, values)


@blp.route("/users/<int:user_id>/password", methods=["POST"])
@admin_action
@blp.arguments(PasswordResetSchema)
@blp.response(200, AdminUserSchema)
def reset_password(values, user_id: int):
    """Set a new password; ends the user's sessions and clears a lockout."""
    return service.reset_password(actor(), user_id, values["password"])


@blp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@admin_action
@blp.response(200, AdminUserSchema)
def deactivate_user(user_id: int):
    """Stop a user signing in (their records stay); ends their sessions."""
    return service.set_active(actor(), user_id, False)


@blp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@admin_action
@blp.response(200, AdminUserSchema)
def reactivate_user(user_id: int):
    """Let a deactivated user sign in again."""
    return service.set_active(actor(), user_id, True)


@blp.route("/users/<int:user_id>/second-factor", methods=["DELETE"])
@admin_action
@blp.response(200, AdminUserSchema)
def reset_second_factor(user_id: int):
    """Remove a user's authenticator app and recovery codes (a lost phone); ends their sessions."""
    return service.reset_second_factor(actor(), user_id)


# --- assignments and links -------------------------------------------------------------------------

@blp.route("/assignments", methods=["GET"])
@admin_action
@blp.arguments(AssignmentQuerySchema, location="query")
@blp.response(200, AssignmentSchema(many=True))
def assignments(args):
    """Officer-to-school assignments."""
    return service.list_assignments(args["officer_id"], args["school_id"])


@blp.route("/assignments", methods=["POST"])
@admin_action
@blp.arguments(AssignmentSchema)
@blp.response(201, AssignmentSchema)
def create_assignment(values):
    """Assign an officer to a school from a date (a second school is allowed and flagged, KY 9)."""
    return service.create_assignment(actor(), values)


@blp.route("/assignments/<int:assignment_id>", methods=["PATCH"])
@admin_action
@blp.arguments(AssignmentUpdateSchema)
@blp.response(200, AssignmentSchema)
def update_assignment(values, assignment_id: int):
    """Change an assignment's dates (end it for a reassignment)."""
    return service.update_assignment(actor(), assignment_id, values)


@blp.route("/assignments/<int:assignment_id>", methods=["DELETE"])
@admin_action
@blp.response(204)
def delete_assignment(assignment_id: int):
    """Delete an assignment made in error (end it instead when the officer moves)."""
    service.delete_assignment(actor(), assignment_id)


@blp.route("/officers/<int:officer_id>/training", methods=["POST"])
@admin_action
@blp.arguments(TrainingEntrySchema)
@blp.response(201, MutationResultSchema)
@blp.alt_response(200, schema=MutationResultSchema, description="A retry of an entry already made.")
def enter_training(entry, officer_id: int):
    """Enter a training course (e.g. the 120-hour basic course) for an officer; it is the officer's record."""
    result = entered_for.enter_training(actor(), officer_id, entry)
    if result["status"] == "conflict":
        return json_error(409, "A record with this id already exists; make a new id.",
                          fields={"id": ["A record with this id already exists."]})
    if result["status"] == "rejected":
        return json_error(422, invalid_fields_message(result["errors"]), fields=result["errors"])
    return result, 200 if result["status"] == "duplicate" else 201


@blp.route("/principal-schools", methods=["GET"])
@admin_action
@blp.arguments(PrincipalQuerySchema, location="query")
@blp.response(200, PrincipalSchoolSchema(many=True))
def principal_schools(args):
    """Which principal (or designee) acts for which school."""
    return service.list_principal_schools(args["school_id"])


@blp.route("/principal-schools", methods=["POST"])
@admin_action
@blp.arguments(PrincipalSchoolSchema)
@blp.response(201, PrincipalSchoolSchema)
def create_principal_school(values):
    """Let a principal act for a school."""
    return service.create_principal_school(actor(), values)


@blp.route("/principal-schools/<int:link_id>", methods=["DELETE"])
@admin_action
@blp.response(204)
def delete_principal_school(link_id: int):
    """Remove a principal from a school."""
    service.delete_principal_school(actor(), link_id)


@blp.route("/supervisions", methods=["GET"])
@admin_action
@blp.arguments(SupervisionQuerySchema, location="query")
@blp.response(200, SupervisionSchema(many=True))
def supervisions(args):
    """Which supervisor supervises which officer."""
    return service.list_supervisions(args["supervisor_id"])


@blp.route("/supervisions", methods=["POST"])
@admin_action
@blp.arguments(SupervisionSchema)
@blp.response(201, SupervisionSchema)
def create_supervision(values):
    """Let a supervisor review an officer's records and reports."""
    return service.create_supervision(actor(), values)


@blp.route("/supervisions/<int:link_id>", methods=["DELETE"])
@admin_action
@blp.response(204)
def delete_supervision(link_id: int):
    """End a supervision."""
    service.delete_supervision(actor(), link_id)


# --- the audit log -------------------------------------------------------------------------------

@blp.route("/audit", methods=["GET"])
@admin_action
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditPageSchema)
def audit(args):
    """The audit log, newest first, one page at a time."""
    return service.audit_page(args)


@blp.route("/audit.csv", methods=["GET"])
@admin_action
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, content_type="text/csv", description=",".join(service.AUDIT_COLUMNS))
def audit_csv(args):
    """The filtered audit log as CSV (up to 100,000 events, newest first); the export is audited."""
    return csv_download(service.audit_csv(actor(), args), f"sro-audit-{clock.today().isoformat()}.csv")
