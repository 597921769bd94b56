"""Request and response shapes of the admin API (/api/admin)."""

from datetime import timezone

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.models import ROLES
from server.schemas.fields import EmailAddress, Text, UtcDateTime, id_field, offset_field
from server.schemas.reports import school_year_field
from server.domain.passwords import MAX_LENGTH, MIN_LENGTH

NAME = validate.Length(min=1, max=200)
SCHOOL_CODE = [validate.Length(min=1, max=40),
               validate.Regexp(r"^[A-Za-z0-9_-]+$", error="Letters, digits, - and _ only.")]
TIMEZONE = validate.Length(min=1, max=64)
TERM_NAME = validate.Length(min=1, max=60)


def _password(**kwargs) -> Text:
    return Text(required=True, load_only=True, validate=validate.Length(
        min=MIN_LENGTH, max=MAX_LENGTH, error="Must be at least {min} characters and at most {max}."),
                metadata={"description": f"At least {MIN_LENGTH} characters; common or breached "
                                         "passwords are refused. No composition rules."}, **kwargs)


# --- schools and calendars ------------------------------------------------------------------

class SchoolSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, validate=NAME)
    code = Text(required=True, validate=SCHOOL_CODE)
    timezone = Text(load_default="America/Chicago", validate=TIMEZONE,
                    metadata={"description": "IANA time zone name"})


class SchoolUpdateSchema(Schema):
    """Only the fields sent change."""

    name = Text(validate=NAME)
    code = Text(validate=SCHOOL_CODE)
    timezone = Text(validate=TIMEZONE)


class SchoolYearQuerySchema(Schema):
    school_year = school_year_field(load_default=None)


class TermSchema(Schema):
    id = fields.Integer(dump_only=True)
    school_id = fields.Integer(dump_only=True)
    school_year = school_year_field(required=True)
    name = Text(required=True, validate=TERM_NAME)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)

    @validates_schema
    def ordered(self, data, **kwargs):
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("Must be on or after starts_on.", field_name="ends_on")


class TermUpdateSchema(Schema):
    """Only the fields sent change; the service checks the resulting term as a whole."""

    school_year = school_year_field()
    name = Text(validate=TERM_NAME)
    starts_on = fields.Date()
    ends_on = fields.Date()


class ClosedDaySchema(Schema):
    id = fields.Integer(dump_only=True)
    school_id = fields.Integer(dump_only=True)
    day = fields.Date(required=True)
    description = Text(load_default="", validate=validate.Length(max=200))


# --- users -------------------------------------------------------------------------------

class AdminUserSchema(Schema):
    id = fields.Integer()
    email = Text()
    name = Text()
    role = Text(metadata={"enum": list(ROLES)})
    active = fields.Boolean()
    locked_until = UtcDateTime(allow_none=True)
    last_login_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    second_factor_enabled = fields.Boolean()


class UserCreateSchema(Schema):
    email = EmailAddress(required=True, validate=validate.Length(max=254))
    name = Text(required=True, validate=NAME)
    role = Text(required=True, validate=validate.OneOf(ROLES))
    password = _password()


class UserUpdateSchema(Schema):
    name = Text(validate=NAME)
    role = Text(validate=validate.OneOf(ROLES))
    active = fields.Boolean()


class PasswordResetSchema(Schema):
    password = _password()


class UserQuerySchema(Schema):
    role = Text(load_default=None, validate=validate.OneOf(ROLES))
    active = fields.Boolean(load_default=None)


# --- links -------------------------------------------------------------------------------

class AssignmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    officer_id = id_field(required=True)
    school_id = id_field(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True, load_default=None,
                          metadata={"description": "Last day at the school; null while it lasts."})

    @validates_schema
    def ordered(self, data, **kwargs):
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("Must be on or after starts_on.", field_name="ends_on")


class AssignmentUpdateSchema(Schema):
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)


class AssignmentQuerySchema(Schema):
    officer_id = id_field(load_default=None)
    school_id = id_field(load_default=None)


class PrincipalSchoolSchema(Schema):
    id = fields.Integer(dump_only=True)
    principal_id = id_field(required=True)
    school_id = id_field(required=True)


class PrincipalQuerySchema(Schema):
    school_id = id_field(load_default=None)


class SupervisionSchema(Schema):
    id = fields.Integer(dump_only=True)
    supervisor_id = id_field(required=True)
    officer_id = id_field(required=True)


class SupervisionQuerySchema(Schema):
    supervisor_id = id_field(load_default=None)


# --- the audit log -------------------------------------------------------------------------

class AuditQuerySchema(Schema):
    action = Text(load_default=None, validate=validate.Length(max=60))
    actor_id = id_field(load_default=None)
    # An offset is converted to UTC; a time without one is read as UTC (how events are stored).
    since = fields.NaiveDateTime(load_default=None, timezone=timezone.utc, metadata={"description": "ISO 8601"})
    until = fields.NaiveDateTime(load_default=None, timezone=timezone.utc, metadata={"description": "ISO 8601"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = offset_field(load_default=0)


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = UtcDateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_email = Text(allow_none=True)
    action = Text()
    target = Text(allow_none=True)
    outcome = Text()
    ip = Text(allow_none=True)
    details = fields.Dict()
    # The people and schools the ids stand for, looked up when the page is read.
    actor_name = Text(allow_none=True)
    target_name = Text(allow_none=True, metadata={"description": "who or what `target` names, e.g. a user's name and email"})
    detail_names = fields.Dict(keys=fields.String(), values=fields.String(),
                               metadata={"description": "names for the ids in details, e.g. officer_id"})


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEventSchema))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


class TrainingEntrySchema(Schema):
    """A course an admin enters for an officer: one new training record (its fields: /api/forms)."""

    mutation_id = fields.UUID(required=True, metadata={"description": "Made by the screen; a retry sends it again."})
    id = fields.UUID(required=True, metadata={"description": "The new record's UUID."})
    data = fields.Dict(required=True, metadata={"description": "The training record's fields, as a phone sends them."})
