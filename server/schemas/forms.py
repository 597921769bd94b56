from marshmallow import Schema, fields

from server.schemas.fields import Text


class ChoiceSchema(Schema):
    value = Text()
    label = Text()


class FormFieldSchema(Schema):
    name = Text()
    type = Text(metadata={"description": "datetime, integer, list or string"})
    widget = Text(metadata={"description": "school, datetime, counter, number, select, checkboxes, text, textarea"})
    label = Text()
    hint = Text(allow_none=True)
    required = fields.Boolean()
    choices = fields.List(fields.Nested(ChoiceSchema), allow_none=True)
    min = fields.Integer()
    max = fields.Integer()
    min_length = fields.Integer()
    max_length = fields.Integer()


class KindFormSchema(Schema):
    kind = Text()
    label = Text()
    subtype_field = Text(metadata={"description": "The field reports group this kind by."})
    quantity_field = Text(allow_none=True, metadata={"description": "The number reports sum, if any."})
    fields = fields.List(fields.Nested(FormFieldSchema))


class FormsSchema(Schema):
    kinds = fields.List(fields.Nested(KindFormSchema))
