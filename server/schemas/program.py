"""An officer's own standing ("My program", GET /api/me/program)."""

from marshmallow import Schema, fields

from server.schemas.feedback import FeedbackSchema
from server.schemas.reports import (
    FacultyMeetingsSchema, IntroductionsSchema, NamedSchema, SemesterReviewsSchema, TrainingSchema, WeekSchema,
    WeeklyMeetingsSchema, iso_date,
)
from server.schemas.fields import Text


class ProgramIntroductionsSchema(IntroductionsSchema):
    school_days_left = fields.Integer(metadata={"description": "School days left in the window, today counted."})


class SchoolStandingSchema(Schema):
    school = fields.Nested(NamedSchema)
    this_week = fields.Nested(WeekSchema, allow_none=True, metadata={
        "description": "This week's cell of the grid; null when this week is not a school week in term."})
    weekly_meetings = fields.Nested(WeeklyMeetingsSchema, metadata={"description": "KY 20"})
    introductions = fields.Nested(ProgramIntroductionsSchema, metadata={"description": "KY 5"})
    faculty_meetings = fields.Nested(FacultyMeetingsSchema, metadata={"description": "KY 3"})
    semester_reviews = fields.Nested(SemesterReviewsSchema, metadata={"description": "KY 8"})


class OwnFeedbackSchema(FeedbackSchema):
    class Meta:
        exclude = ("principal",)


class ProgramSchema(Schema):
    school_year = Text()
    as_of = iso_date()
    generated_at = Text(metadata={"format": "date-time", "description": "When the server measured it."})
    schools = fields.List(fields.Nested(SchoolStandingSchema))
    training = fields.Nested(TrainingSchema, allow_none=True, metadata={"description": "KY 22"})
    feedback = fields.List(fields.Nested(OwnFeedbackSchema), metadata={
        "description": "KY 25, 26: principals' semester feedback on the officer, without their names."})
