from marshmallow import Schema, fields

from server.schemas.fields import Text


class ChoiceSchema(Schema):
    value = Text()
    label = Text()


class FormFieldSchema(Schema):
    name = Text()
    type = Text(metadata={"description": "datetime, integer, number (decimal), boolean, list or string"})
    widget = Text(metadata={"description": "school, datetime, counter, number, select, checkboxes, text, textarea"})
    label = Text()
    hint = Text(allow_none=True)
    required = fields.Boolean()
    choices = fields.List(fields.Nested(ChoiceSchema), allow_none=True)
    min = fields.Integer()
    max = fields.Integer()
    min_exclusive = fields.Boolean(metadata={"description": "The value must be more than min, not equal to it."})
    required_when = fields.Dict(keys=Text(), values=fields.List(Text()), metadata={
        "description": "Required (though `required` is false) when every named field holds one of its values, "
                       'e.g. {"basis": ["imminent_threat"]}.'})
    min_length = fields.Integer()
    max_length = fields.Integer()
    earliest = Text(metadata={"description": "datetime fields: the earliest moment allowed (ISO 8601)."})
    max_future_days = fields.Float(metadata={"description": "datetime fields: at most this many days after now."})


class KindFormSchema(Schema):
    kind = Text()
    label = Text()
    subtype_field = Text(metadata={"description": "The field reports group this kind by."})
    quantity_field = Text(allow_none=True, metadata={"description": "The number reports sum, if any."})
    fields = fields.List(fields.Nested(FormFieldSchema))


class FormsSchema(Schema):
    kinds = fields.List(fields.Nested(KindFormSchema))
