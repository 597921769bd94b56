from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.schemas.fields import MAX_DATABASE_INT, Text
from server.schemas.sync import ChangeSchema


class DecisionSchema(Schema):
    # What is disputed, as the comment's message names it.
    disputed_noun = "a meeting"

    decision = Text(required=True, validate=validate.OneOf(["confirmed", "disputed"]))
    comment = Text(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    base_version = fields.Integer(
        allow_none=True, load_default=None, strict=True, validate=validate.Range(min=1, max=MAX_DATABASE_INT),
        metadata={"description": "The meeting version the principal read; a newer one answers 409."},
    )
    mutation_id = fields.UUID(allow_none=True, load_default=None,
                              metadata={"description": "Makes a queued, retried decision apply once."})
    device_id = Text(allow_none=True, load_default=None, validate=validate.Length(max=100))

    @validates_schema
    def dispute_needs_comment(self, data, **kwargs):
        if data.get("decision") == "disputed" and not (data.get("comment") or "").strip():
            raise ValidationError(f"Required when disputing {self.disputed_noun}.", field_name="comment")


class DecisionResultSchema(Schema):
    decision = Text()
    version = fields.Integer()
    duplicate = fields.Boolean()
    record = fields.Nested(ChangeSchema)
