from marshmallow import Schema, fields


class ChoiceSchema(Schema):
    value = fields.String()
    label = fields.String()


class FormFieldSchema(Schema):
    name = fields.String()
    type = fields.String(metadata={"description": "datetime, integer, list or string"})
    widget = fields.String(metadata={"description": "school, datetime, counter, number, select, checkboxes, text, textarea"})
    label = fields.String()
    hint = fields.String(allow_none=True)
    required = fields.Boolean()
    choices = fields.List(fields.Nested(ChoiceSchema), allow_none=True)
    min = fields.Integer()
    max = fields.Integer()
    min_length = fields.Integer()
    max_length = fields.Integer()


class KindFormSchema(Schema):
    kind = fields.String()
    label = fields.String()
    fields = fields.List(fields.Nested(FormFieldSchema))


class FormsSchema(Schema):
    kinds = fields.List(fields.Nested(KindFormSchema))
