"""What an officer may write in each record kind: the one place for these rules.

The server validates pushes with these schemas, and the PWA's forms are
generated from them (see server/services/forms.py), so the phone and the
server apply the same rules.
"""

from datetime import datetime, timedelta, timezone

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates

from server import clock
from server.schemas.fields import MAX_DATABASE_INT, Text

EVENT_TYPES = ("athletic", "arts", "club", "dance", "field_trip", "assembly", "community", "other")
AUDIENCES = ("new_students", "all_students", "faculty", "support_staff", "parents", "other")
INTRODUCTION_FORMATS = ("classroom", "assembly", "orientation", "faculty_meeting", "one_on_one", "other")
ATTENDEE_ROLES = ("principal", "designee")
MEETING_TOPICS = (
    "safety_concerns", "problem_areas", "upcoming_events", "investigations_notice", "training", "other",
)
ACTIVITY_TYPES = (
    "counseling_student", "counseling_parent", "classroom_presentation", "safety_audit", "investigation",
    "arrest", "search", "faculty_meeting", "semester_review", "community_presentation",
    "resource_referral", "emergency_drill", "other",
)

# Fields the server owns; a client echoing them back is ignored, never trusted.
SERVER_MANAGED = frozenset({
    "id", "kind", "owner_id", "version", "created_at", "updated_at", "voided", "void_reason",
    "confirmation", "confirmation_status", "confirmed_by", "confirmed_at", "change_seq",
})
EARLIEST_OCCURRED = datetime(2000, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(days=1)
MAX_COUNT = 100_000
NOTES_MAX = 2000
NOTES_HINT = "Do not enter a student's name or any detail that identifies a student."


def _count(label: str, *, required: bool, minimum: int = 0) -> fields.Integer:
    return fields.Integer(
        required=required,
        allow_none=not required,
        strict=True,
        validate=validate.Range(min=minimum, max=MAX_COUNT),
        metadata={"label": label, "widget": "counter"},
    )


def _choice(label: str, choices: tuple[str, ...], *, required: bool = True) -> Text:
    return Text(
        required=required,
        allow_none=not required,
        validate=validate.OneOf(choices),
        metadata={"label": label},
    )


def _text(label: str, max_length: int, *, required: bool = False) -> Text:
    rule = validate.Length(min=1, max=max_length) if required else validate.Length(max=max_length)
    return Text(required=required, allow_none=not required, validate=rule, metadata={"label": label})


class RecordDataSchema(Schema):
    """Fields every record kind has."""

    class Meta:
        unknown = RAISE
        ordered = True

    school_id = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=MAX_DATABASE_INT),
        metadata={"label": "School", "widget": "school"},
    )
    occurred_at = fields.AwareDateTime(
        required=True, format="iso", metadata={"label": "When", "widget": "datetime"}
    )
    duration_minutes = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=0, max=1440),
        metadata={"label": "Duration (minutes)"},
    )
    notes = Text(
        allow_none=True, validate=validate.Length(max=NOTES_MAX),
        metadata={"label": "Notes", "widget": "textarea", "hint": NOTES_HINT},
    )

    @pre_load
    def drop_server_managed(self, data, **kwargs):
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if key not in SERVER_MANAGED}
        return data

    @validates("occurred_at")
    def occurred_at_is_plausible(self, value: datetime, data_key: str) -> None:
        now = clock.now()
        if value < EARLIEST_OCCURRED:
            raise ValidationError("Must be in the year 2000 or later.")
        if value > now + FUTURE_SLACK:
            raise ValidationError("Must not be more than a day in the future.")


class ExtracurricularContactSchema(RecordDataSchema):
    event_name = _text("Event name", 200, required=True)
    event_type = _choice("Event type", EVENT_TYPES)
    location = _text("Location", 200)
    students_contacted = _count("Students contacted (approximate)", required=True)
    adults_contacted = _count("Adults contacted", required=False)


class IntroductionSchema(RecordDataSchema):
    audience = _choice("Audience", AUDIENCES)
    format = _choice("Format", INTRODUCTION_FORMATS)
    people_count = _count("People present", required=True)


class PrincipalMeetingSchema(RecordDataSchema):
    attendee_name = _text("Met with (name)", 200, required=True)
    attendee_role = _choice("Their role", ATTENDEE_ROLES)
    topics = fields.List(
        Text(validate=validate.OneOf(MEETING_TOPICS)),
        load_default=list,
        validate=validate.Length(max=len(MEETING_TOPICS)),
        metadata={"label": "Topics", "widget": "checkboxes", "choices": list(MEETING_TOPICS)},
    )
    summary = _text("Summary", 2000)


class ActivitySchema(RecordDataSchema):
    activity_type = _choice("Activity type", ACTIVITY_TYPES)
    count = _count("How many", required=True, minimum=1)
    topic = _text("Topic", 200)


DATA_SCHEMAS: dict[str, type[RecordDataSchema]] = {
    "extracurricular_contact": ExtracurricularContactSchema,
    "introduction": IntroductionSchema,
    "principal_meeting": PrincipalMeetingSchema,
    "activity": ActivitySchema,
}

# The kind-specific field that reports group by, and the one they sum.
SUBTYPE_FIELD = {
    "extracurricular_contact": "event_type",
    "introduction": "audience",
    "principal_meeting": "attendee_role",
    "activity": "activity_type",
}
QUANTITY_FIELD = {
    "extracurricular_contact": "students_contacted",
    "introduction": "people_count",
    "principal_meeting": None,
    "activity": "count",
}
COMMON_FIELDS = tuple(RecordDataSchema._declared_fields)


# Loading is stateless, so one instance per kind serves every request (building one is slow).
_SCHEMA_INSTANCES = {kind: schema() for kind, schema in DATA_SCHEMAS.items()}


def data_schema_for(kind: str) -> RecordDataSchema:
    return _SCHEMA_INSTANCES[kind]
