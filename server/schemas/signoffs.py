"""Request and response shapes of month sign-off (/api/signoffs)."""

from marshmallow import Schema, fields, validate

from server.models.record import REVIEW_STATES
from server.schemas.fields import Text, UtcDateTime, id_field
from server.schemas.reports import PersonRefSchema

# ASCII digits only and no trailing line break (\Z, not $); years a school calendar can have.
MONTH = validate.Regexp(r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])\Z", error="Must be a month like 2026-11.")


class SignoffRequestSchema(Schema):
    officer_id = id_field(required=True)
    month = Text(required=True, validate=MONTH)


class SignoffQuerySchema(Schema):
    officer_id = id_field(load_default=None)
    month = Text(load_default=None, validate=MONTH)


class SignoffSchema(Schema):
    id = fields.Integer()
    officer_id = fields.Integer()
    officer_name = Text()
    month = Text(metadata={"description": "YYYY-MM"})
    sequence = fields.Integer(metadata={"description": "1, then 2 for a re-sign-off after amendments, ..."})
    signed_by = fields.Nested(PersonRefSchema)
    signed_at = UtcDateTime()
    amended_records = fields.Integer(metadata={"description": "Records changed, voided, added or moved out since this sign-off."})


class SignoffListSchema(Schema):
    items = fields.List(fields.Nested(SignoffSchema))


class FigureSchema(Schema):
    category = Text()
    label = Text()
    measure = Text()
    signed_off = fields.Integer()
    current = fields.Integer()
    difference = fields.Integer()


class AmendedRecordSchema(Schema):
    id = Text()
    kind = Text()
    occurred_on = fields.Date()
    version = fields.Integer()
    voided = fields.Boolean()
    updated_at = UtcDateTime()
    review = Text(metadata={"enum": list(REVIEW_STATES)})


class SignoffComparisonSchema(SignoffSchema):
    rows = fields.List(fields.Nested(FigureSchema))
    records = fields.List(fields.Nested(AmendedRecordSchema))
