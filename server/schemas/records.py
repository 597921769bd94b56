"""What an officer may write in each record kind, as marshmallow schemas.

The kinds and their fields are declared once, in server/domain/record_kinds.py; the
schemas below are built from that declaration. The server validates pushes with them,
and the PWA's forms are described from them (server/services/forms.py), so the phone
and the server apply the same rules.
"""

from datetime import datetime, timedelta, timezone

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates, validates_schema

from server import clock
from server.domain.record_kinds import KINDS, Field, Kind, values
from server.schemas.fields import MAX_DATABASE_INT, Text

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


def _school(*, required: bool) -> fields.Integer:
    """Every kind's school; only a kind declared school_optional (training) may leave it out."""
    optional = {} if required else {"allow_none": True, "load_default": None}
    return fields.Integer(
        required=required, strict=True, validate=validate.Range(min=1, max=MAX_DATABASE_INT),
        metadata={"label": "School", "widget": "school"}, **optional,
    )


class RecordDataSchema(Schema):
    """Fields every record kind has."""

    class Meta:
        unknown = RAISE
        ordered = True

    school_id = _school(required=True)
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


def _several(label: str, choices: tuple[str, ...]) -> fields.List:
    return fields.List(
        Text(validate=validate.OneOf(choices)),
        load_default=list,
        validate=validate.Length(max=len(choices)),
        metadata={"label": label, "widget": "checkboxes", "choices": list(choices)},
    )


def _number(label: str, *, required: bool, maximum: float) -> fields.Float:
    return fields.Float(
        required=required,
        allow_none=not required,
        allow_nan=False,
        validate=validate.Range(min=0, min_inclusive=False, max=maximum),
        metadata={"label": label, "widget": "decimal"},
    )


def _flag(label: str, *, conditional: bool = False) -> fields.Boolean:
    # Only true and false: "yes" or 1 from a client is a mistake, not a tick. A flag asked for only
    # under a condition (required_when) has no default: left out, it is not added to every other
    # record of the kind, and when the condition holds its requirement names it.
    default = {"allow_none": True} if conditional else {"load_default": False}
    return fields.Boolean(truthy={True}, falsy={False}, metadata={"label": label, "widget": "checkbox"}, **default)


def _schema_field(field: Field) -> fields.Field:
    if field.type == "text":
        return _text(field.label, field.max_length, required=field.required)
    if field.type == "choice":
        return _choice(field.label, values(field.choices), required=field.required)
    if field.type == "choices":
        return _several(field.label, values(field.choices))
    if field.type == "count":
        return _count(field.label, required=field.required, minimum=field.minimum)
    if field.type == "number":
        return _number(field.label, required=field.required, maximum=field.maximum)
    if field.type == "flag":
        return _flag(field.label)
    raise ValueError(f"No schema field for type {field.type!r}")


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def _requirements_check(kind: Kind):
    """The kind's conditional requirements (record_kinds.Requirement), each error keyed by its field."""

    @validates_schema
    def check_requirements(self, data, **kwargs):
        errors = {requirement.field: [requirement.message()] for requirement in kind.requirements
                  if requirement.applies(data) and _blank(data.get(requirement.field))}
        if errors:
            raise ValidationError(errors)

    return check_requirements


def _kind_schema(kind: Kind) -> type[RecordDataSchema]:
    name = "".join(part.capitalize() for part in kind.name.split("_")) + "Schema"
    declared: dict = {field.name: _schema_field(field) for field in kind.fields}
    if kind.school_optional:
        declared["school_id"] = _school(required=False)
    for requirement in kind.requirements:
        if kind.field(requirement.field).type == "flag":
            declared[requirement.field] = _flag(kind.field(requirement.field).label, conditional=True)
    if kind.requirements:
        declared["check_requirements"] = _requirements_check(kind)
    return RecordDataSchema.from_dict(declared, name=name)


DATA_SCHEMAS: dict[str, type[RecordDataSchema]] = {kind.name: _kind_schema(kind) for kind in KINDS}
COMMON_FIELDS = tuple(RecordDataSchema._declared_fields)


# Loading is stateless, so one instance per kind serves every request (building one is slow).
_SCHEMA_INSTANCES = {kind: schema() for kind, schema in DATA_SCHEMAS.items()}


def data_schema_for(kind: str) -> RecordDataSchema:
    return _SCHEMA_INSTANCES[kind]
