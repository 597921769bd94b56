"""A principal's semester feedback on an officer (KY 25, 26): what is asked, what is answered."""

from marshmallow import Schema, fields, validate

from server.models.feedback import DISCIPLINE_ANSWERS
from server.schemas.fields import Text, id_field
from server.schemas.reports import PersonRefSchema, school_year_field

COMMENT_MAX = 2000


def _rating(label: str) -> fields.Integer:
    return fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5),
                          metadata={"description": f"{label}: 1 (poor) to 5 (excellent)."})


class FeedbackAnswerSchema(Schema):
    officer_id = id_field(required=True)
    school_id = id_field(required=True)
    relationships = _rating("How well the officer builds relationships")
    responsiveness = _rating("How responsive the officer is")
    stayed_out_of_discipline = Text(required=True, validate=validate.OneOf(DISCIPLINE_ANSWERS),
                                    metadata={"description": "Whether the officer stayed out of school discipline."})
    comment = Text(allow_none=True, load_default=None, validate=validate.Length(max=COMMENT_MAX))


class FeedbackArgsSchema(Schema):
    officer_id = id_field(load_default=None)
    school_year = school_year_field(load_default=None)


class FeedbackSchema(Schema):
    id = fields.Integer()
    officer = fields.Nested(PersonRefSchema)
    school = fields.Nested(PersonRefSchema)
    principal = fields.Nested(PersonRefSchema, metadata={"description": "Left out of what the officer sees."})
    school_year = Text()
    term = Text(metadata={"description": "The school's semester the answer is for."})
    relationships = fields.Integer()
    responsiveness = fields.Integer()
    stayed_out_of_discipline = Text(metadata={"enum": list(DISCIPLINE_ANSWERS)})
    comment = Text(allow_none=True)
    given_at = Text(metadata={"format": "date-time", "description": "When last given or replaced."})


class FeedbackGivenSchema(Schema):
    feedback = fields.Nested(FeedbackSchema)
    replaced = fields.Boolean(metadata={"description": "True when it replaced this semester's earlier answer."})


class FeedbackDueSchema(Schema):
    officer = fields.Nested(PersonRefSchema)
    school = fields.Nested(PersonRefSchema)
    school_year = Text()
    term = Text()
    feedback_id = fields.Integer(allow_none=True, metadata={"description": "This semester's answer, if given."})


class FeedbackListSchema(Schema):
    answers = fields.List(fields.Nested(FeedbackSchema))
    due = fields.List(fields.Nested(FeedbackDueSchema), metadata={
        "description": "Principals only: each officer serving their schools this semester."})
