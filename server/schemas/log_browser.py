"""Request and response shapes of the log browser (GET /api/records)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.domain.record_kinds import kind_named, values
from server.models import CONFIRMATION_STATES, RECORD_KINDS
from server.models.record import REVIEW_STATES
from server.schemas.fields import Text, id_field, offset_field
from server.schemas.sync import ChangeSchema

MAX_PAGE = 200


# What the log browser sorts by; the service maps each name to its column.
SORT_NAMES = ("occurred_at", "updated_at", "kind", "officer", "school", "confirmation")
# Filters by a kind's category field, each naming the field as the forms do: the filter
# activity_type=arrest means kind activity and subtype arrest (the service reads this map).
SUBTYPE_FILTERS = {kind_named(name).subtype: name for name in ("activity", "involvement", "training")}


def subtype_filter(name: str) -> Text:
    kind = SUBTYPE_FILTERS[name]
    return Text(load_default=None, validate=validate.OneOf(values(kind_named(kind).subtypes)),
                metadata={"description": f"Only {kind} records with this {name}."})


class RecordQuerySchema(Schema):
    officer_id = id_field(load_default=None)
    school_id = id_field(load_default=None)
    kind = Text(load_default=None, validate=validate.OneOf(RECORD_KINDS))
    activity_type = subtype_filter("activity_type")
    basis = subtype_filter("basis")
    provider = subtype_filter("provider")
    subtype = Text(load_default=None, validate=validate.Length(max=40), metadata={
        "description": "The kind's category field: event_type, audience, attendee_role or activity_type."})
    date_from = fields.Date(load_default=None, metadata={"description": "occurred on or after (local date)"})
    date_to = fields.Date(load_default=None, metadata={"description": "occurred on or before (local date)"})
    confirmation = Text(load_default=None, validate=validate.OneOf(CONFIRMATION_STATES))
    voided = fields.Boolean(load_default=None, metadata={"description": "true: only voided; false: only live"})
    review = Text(load_default=None, validate=validate.OneOf(REVIEW_STATES))
    late_entry = fields.Boolean(load_default=None, metadata={"description": "true: only late entries"})
    amended = fields.Boolean(load_default=None, metadata={"description": "true: only records amended after a sign-off"})
    sort = Text(load_default="occurred_at", validate=validate.OneOf(SORT_NAMES))
    order = Text(load_default="desc", validate=validate.OneOf(["asc", "desc"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE))
    offset = offset_field(load_default=0)

    @validates_schema
    def dates_in_order(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("Must be on or after date_from.", field_name="date_to")


class SchoolRefSchema(Schema):
    id = fields.Integer()
    name = Text()
    code = Text()


class BrowsedRecordSchema(ChangeSchema):
    school = fields.Nested(SchoolRefSchema, allow_none=True)  # None: a training record with no school
    occurred_on = fields.Date()
    subtype = Text(allow_none=True)
    quantity = fields.Integer(allow_none=True)
    last_device_id = Text(allow_none=True)
    late_entry = fields.Boolean(metadata={"description": "First saved more than LATE_ENTRY_DAYS after the event."})
    amended_after_signoff = fields.Boolean(metadata={"description": "Changed or voided after its month was signed off."})
    last_device_name = Text(allow_none=True, metadata={"description": "history only: e.g. \"Dana's phone, added 3 Sep\""})


class RecordPageSchema(Schema):
    items = fields.List(fields.Nested(BrowsedRecordSchema))
    total = fields.Integer(metadata={"description": "Matches across all pages."})
    limit = fields.Integer()
    offset = fields.Integer()
    sort = Text()
    order = Text()


class ActorSchema(Schema):
    id = fields.Integer()
    name = Text()
    role = Text()


class FieldChangeSchema(Schema):
    field = Text()
    from_ = fields.Raw(data_key="from", attribute="from", allow_none=True)
    to = fields.Raw(allow_none=True)


class RevisionSchema(Schema):
    id = fields.Integer()
    version = fields.Integer(allow_none=True, metadata={"description": "null for a proposal that lost a conflict"})
    base_version = fields.Integer(allow_none=True)
    outcome = Text(metadata={"enum": ["accepted", "rejected_conflict"]})
    action = Text(metadata={"enum": ["create", "update", "void", "confirm", "dispute", "approve", "needs_correction"]})
    actor = fields.Nested(ActorSchema)
    device_id = Text(allow_none=True)
    device_name = Text(allow_none=True, metadata={"description": "whose device, numbered, and the day of its first sync"})
    mutation_id = Text(allow_none=True)
    at = Text(metadata={"format": "date-time"})
    changes = fields.List(fields.Nested(FieldChangeSchema), metadata={
        "description": "Accepted: against the previous accepted revision. Rejected: against the version it was based on."})
    snapshot = fields.Dict()


class RecordHistorySchema(Schema):
    record = fields.Nested(BrowsedRecordSchema)
    revisions = fields.List(fields.Nested(RevisionSchema))
