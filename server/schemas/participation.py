"""A supervisor's or principal's part in a semester review (KY 8)."""

from marshmallow import Schema, ValidationError, fields, validates_schema

from server.schemas.fields import Text
from server.schemas.meetings import DecisionSchema
from server.schemas.sync import ChangeSchema


class ParticipationDecisionSchema(DecisionSchema):
    """{decision: confirmed|disputed, comment, base_version, mutation_id, device_id}, as for a meeting."""

    # Same name as DecisionSchema's hook, so this one replaces it (the message names the record).
    @validates_schema
    def dispute_needs_comment(self, data, **kwargs):
        if data.get("decision") == "disputed" and not (data.get("comment") or "").strip():
            raise ValidationError("Required when disputing a semester review.", field_name="comment")


class ParticipationResultSchema(Schema):
    decision = Text()
    party = Text(metadata={"enum": ["principal", "supervisor"]})
    version = fields.Integer()
    duplicate = fields.Boolean()
    record = fields.Nested(ChangeSchema)
