"""The one error envelope, as documented in the OpenAPI document."""

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Machine-readable: validation_error, conflict, ..."})
    message = fields.String(required=True, metadata={"description": "What went wrong, for a person."})
    fields = fields.Dict(
        keys=fields.String(), values=fields.Raw(),
        metadata={"description": "Each field that broke a rule, with the rules it broke."},
    )


class ErrorEnvelopeSchema(Schema):
    error = fields.Nested(ErrorSchema, required=True)
    record = fields.Dict(metadata={"description": "On a conflict: the server's current record."})
