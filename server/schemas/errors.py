"""The one error envelope, as documented in the OpenAPI document."""

from marshmallow import Schema, fields
from server.schemas.fields import Text


class ErrorSchema(Schema):
    code = Text(required=True, metadata={"description": "Machine-readable: validation_error, conflict, ..."})
    message = Text(required=True, metadata={"description": "What went wrong, for a person."})
    fields = fields.Dict(
        keys=Text(), values=fields.Raw(),
        metadata={"description": "Each field that broke a rule, with the rules it broke."},
    )


class ErrorEnvelopeSchema(Schema):
    error = fields.Nested(ErrorSchema, required=True)
    record = fields.Dict(metadata={"description": "On a conflict: the server's current record."})
