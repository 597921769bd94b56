"""Request and response shapes of the sync protocol (docs/sync.md)."""

from marshmallow import Schema, fields, validate

from server.models import RECORD_KINDS
from server.models.record import REVIEW_STATES
from server.schemas.fields import Text


class ConfirmationSchema(Schema):
    status = Text(metadata={"enum": ["pending", "confirmed", "disputed"]})
    comment = Text(allow_none=True)
    by_id = fields.Integer(allow_none=True)
    by_name = Text(allow_none=True)
    at = Text(allow_none=True, metadata={"format": "date-time"})
    version = fields.Integer(allow_none=True, metadata={"description": "The record version decided on."})


class ParticipationSchema(Schema):
    """A semester review's confirmations (KY 8): met once both parties have confirmed."""

    principal = fields.Nested(ConfirmationSchema)
    supervisor = fields.Nested(ConfirmationSchema)


class ReviewStateSchema(Schema):
    status = Text(metadata={"enum": list(REVIEW_STATES)})
    comment = Text(allow_none=True)
    by_id = fields.Integer(allow_none=True)
    by = Text(allow_none=True, metadata={"description": "The reviewer's name."})
    at = Text(allow_none=True, metadata={"format": "date-time"})


class ChangeSchema(Schema):
    id = fields.UUID()
    kind = Text(metadata={"enum": list(RECORD_KINDS)})
    version = fields.Integer()
    data = fields.Dict(metadata={"description": "school_id, occurred_at, duration_minutes, notes and the kind's fields."})
    voided = fields.Boolean()
    void_reason = Text(allow_none=True)
    owner_id = fields.Integer()
    owner_name = Text(allow_none=True)
    created_at = Text(metadata={"format": "date-time"})
    updated_at = Text(metadata={"format": "date-time"})
    confirmation = fields.Nested(ConfirmationSchema, metadata={"description": "principal_meeting only."})
    participation = fields.Nested(ParticipationSchema, metadata={"description": "semester reviews only."})
    review = fields.Nested(ReviewStateSchema, metadata={"description": "A supervisor's review; never sent to principals."})


class PushSchema(Schema):
    device_id = Text(required=True, validate=validate.Length(min=1, max=100))
    # Items are checked one by one by the sync service, so a malformed one is
    # answered `rejected` on its own instead of failing the whole batch.
    mutations = fields.List(
        fields.Raw(),
        required=True,
        metadata={"description": (
            "Each {mutation_id, id, kind, base_version, data, voided, void_reason}; each is "
            "validated on its own, so one bad mutation never rejects the rest."
        )},
    )


class MutationResultSchema(Schema):
    mutation_id = Text(allow_none=True)
    id = Text(allow_none=True)
    status = Text(metadata={"enum": ["applied", "duplicate", "conflict", "rejected"]})
    version = fields.Integer(allow_none=True)
    record = fields.Nested(ChangeSchema)
    errors = fields.Dict(keys=Text(), values=fields.Raw())


class PushResultSchema(Schema):
    results = fields.List(fields.Nested(MutationResultSchema))


class PullArgsSchema(Schema):
    since = Text(load_default=None, validate=validate.Length(max=100))
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class PullResultSchema(Schema):
    changes = fields.List(fields.Nested(ChangeSchema))
    cursor = Text()
    has_more = fields.Boolean()
