"""Request and response shapes of the reports (docs/reports.md)."""

from marshmallow import Schema, ValidationError, fields

from server.schemas.fields import Text, id_field
from server.domain.calendar import BadSchoolYear, parse_school_year

STATUS_DOC = "A status word; `text` says the same in a sentence, so no screen relies on colour alone."


def iso_date(**kwargs) -> Text:
    """A date as the compliance service already writes it (YYYY-MM-DD)."""
    metadata = {"format": "date", **kwargs.pop("metadata", {})}
    return Text(metadata=metadata, **kwargs)


def validate_school_year(value: str) -> None:
    try:
        parse_school_year(value)
    except BadSchoolYear as error:
        raise ValidationError(str(error)) from error


def school_year_field(**kwargs) -> Text:
    return Text(validate=validate_school_year,
                metadata={"description": "School year, like 2026-2027 (1 July to 30 June).",
                          "example": "2026-2027"}, **kwargs)


class ReportArgsSchema(Schema):
    school_year = school_year_field(required=True)
    officer_id = id_field(load_default=None)
    school_id = id_field(load_default=None)


class ComplianceArgsSchema(ReportArgsSchema):
    as_of = fields.Date(load_default=None, metadata={
        "description": "Measure as on this day (default today): weeks after it are upcoming, not missing."})


# --- compliance ------------------------------------------------------------------------

class StatusSchema(Schema):
    status = Text(metadata={"description": STATUS_DOC})
    text = Text()


class PersonRefSchema(Schema):
    id = fields.Integer()
    name = Text()


class NamedSchema(PersonRefSchema):
    code = Text()


class PeriodSchema(Schema):
    from_ = iso_date(data_key="from", attribute="from")
    until = iso_date(allow_none=True)


class CalendarTermSchema(Schema):
    name = Text()
    starts_on = iso_date()
    ends_on = iso_date()


class CalendarSummarySchema(StatusSchema):
    terms = fields.List(fields.Nested(CalendarTermSchema))
    school_days = fields.Integer()


class WeekSchema(StatusSchema):
    week_of = iso_date(metadata={"description": "The week's Monday."})
    ends_on = iso_date(metadata={"description": "The week's Friday."})
    term = Text()
    school_days = fields.Integer()
    meetings = fields.Integer()


class WeeklyMeetingsSchema(StatusSchema):
    summary = fields.Dict(keys=Text(), values=fields.Integer())
    weeks = fields.List(fields.Nested(WeekSchema))


class WindowSchema(Schema):
    from_ = iso_date(data_key="from", attribute="from")
    to = iso_date()
    school_days = fields.Integer()


class AudienceSchema(StatusSchema):
    audience = Text()
    first_on = iso_date(allow_none=True)
    records = fields.Integer()


class IntroductionsSchema(StatusSchema):
    window = fields.Nested(WindowSchema, allow_none=True)
    audiences = fields.List(fields.Nested(AudienceSchema))


class FacultyMeetingsSchema(StatusSchema):
    count = fields.Integer()
    target = fields.Integer()


class ReviewPartySchema(StatusSchema):
    comment = Text(allow_none=True)
    by_name = Text(allow_none=True)


class TermReviewRecordSchema(Schema):
    """The term's semester review that counts (the most confirmed), with each party's decision."""

    id = Text()
    version = fields.Integer()
    occurred_on = iso_date()
    principal = fields.Nested(ReviewPartySchema)
    supervisor = fields.Nested(ReviewPartySchema)


class TermReviewSchema(StatusSchema):
    term = Text()
    starts_on = iso_date()
    ends_on = iso_date()
    reviews = fields.Integer()
    review = fields.Nested(TermReviewRecordSchema, allow_none=True,
                           metadata={"description": "KY 8 is met only when both parties confirmed."})


class SemesterReviewsSchema(StatusSchema):
    terms = fields.List(fields.Nested(TermReviewSchema))


class MonthContactsSchema(StatusSchema):
    month = Text(metadata={"example": "2026-09"})
    events = fields.Integer()
    students = fields.Integer()


class ExtracurricularSchema(StatusSchema):
    events = fields.Integer()
    students = fields.Integer()
    months = fields.List(fields.Nested(MonthContactsSchema))


class MultipleSchoolsSchema(StatusSchema):
    schools = fields.List(Text())


class ComplianceUnitSchema(Schema):
    officer = fields.Nested(PersonRefSchema)
    school = fields.Nested(NamedSchema)
    assigned = fields.List(fields.Nested(PeriodSchema))
    calendar = fields.Nested(CalendarSummarySchema)
    weekly_meetings = fields.Nested(WeeklyMeetingsSchema, metadata={"description": "KY 20"})
    introductions = fields.Nested(IntroductionsSchema, metadata={"description": "KY 5"})
    faculty_meetings = fields.Nested(FacultyMeetingsSchema, metadata={"description": "KY 3"})
    semester_reviews = fields.Nested(SemesterReviewsSchema, metadata={"description": "KY 8"})
    extracurricular = fields.Nested(ExtracurricularSchema, metadata={"description": "KY 17"})
    multiple_schools = fields.Nested(MultipleSchoolsSchema, metadata={"description": "KY 9"})


class BasicCourseSchema(StatusSchema):
    completed_on = iso_date(allow_none=True)


class YearlyCourseSchema(StatusSchema):
    courses = fields.Integer()
    hours = fields.Float()


class TopicSchema(Schema):
    topic = Text()
    label = Text()
    status = Text(metadata={"enum": ["covered", "gap"]})
    last_on = iso_date(allow_none=True)


class TopicsSchema(StatusSchema):
    topics = fields.List(fields.Nested(TopicSchema))


class TrainingSchema(Schema):
    officer = fields.Nested(PersonRefSchema)
    basic_course = fields.Nested(BasicCourseSchema, metadata={"description": "KY 22: the 120-hour basic SRO course"})
    yearly_course = fields.Nested(YearlyCourseSchema, metadata={"description": "KY 22: a course each school year"})
    topics = fields.Nested(TopicsSchema, metadata={"description": "The Chicago brief's training topics"})


class ComplianceSchema(Schema):
    school_year = Text()
    as_of = iso_date()
    units = fields.List(fields.Nested(ComplianceUnitSchema))
    training = fields.List(fields.Nested(TrainingSchema), metadata={
        "description": "Per officer measured; empty for principals."})


# --- monthly and public --------------------------------------------------------------------

class MonthlyRowSchema(Schema):
    category = Text(metadata={"description": "kind, kind.subtype, kind.students/people, "
                                             "principal_meeting.topic.<topic>, minutes.<school code> "
                                             "or late_entries"})
    label = Text()
    kind = Text(allow_none=True, metadata={"description": "null for minutes rows (every kind at a school)"})
    subtype = Text(allow_none=True)
    measure = Text(metadata={"enum": ["records", "quantity", "minutes"]})
    months = fields.Dict(keys=Text(), values=fields.Integer())
    total = fields.Integer()


class MonthlyFiltersSchema(Schema):
    officer_id = fields.Integer(allow_none=True)
    school_id = fields.Integer(allow_none=True)


class TimeShareSchema(Schema):
    category = Text(metadata={"description": "The minutes row: minutes.<school code>."})
    label = Text()
    minutes = fields.Integer()
    share = fields.Float(allow_none=True, metadata={
        "description": "This school's minutes / all minutes in the report (3 decimals); null when none."})


class MonthlySchema(Schema):
    school_year = Text()
    filters = fields.Nested(MonthlyFiltersSchema)
    months = fields.List(Text())
    rows = fields.List(fields.Nested(MonthlyRowSchema))
    time_by_school = fields.List(fields.Nested(TimeShareSchema))
    training = fields.List(fields.Nested(TrainingSchema), metadata={
        "description": "Training compliance (KY 22) of the officers the report covers, measured today; "
                       "empty for principals."})


class PublicRowSchema(Schema):
    category = Text()
    label = Text()
    months = fields.Dict(keys=Text(), values=fields.Raw(), metadata={
        "description": 'A count, or "<5" for every count from 1 to 4.'})


class PublicSchoolSchema(Schema):
    school = fields.Nested(NamedSchema)
    rows = fields.List(fields.Nested(PublicRowSchema))


class PublicSchema(Schema):
    school_year = Text()
    months = fields.List(Text())
    suppressed_below = fields.Integer()
    note = Text()
    schools = fields.List(fields.Nested(PublicSchoolSchema))


# --- involvements --------------------------------------------------------------------------

class BasisActionSchema(Schema):
    basis = Text()
    action = Text()
    months = fields.Dict(keys=Text(), values=fields.Integer())
    total = fields.Integer()


class DisciplineShareSchema(Schema):
    requests = fields.Integer(metadata={"description": "Involvements on a discipline basis."})
    returned_to_staff = fields.Integer()
    share = fields.Float(allow_none=True, metadata={
        "description": "returned_to_staff / requests (3 decimals); null when there were none."})


class ThreatWeekSchema(Schema):
    week = iso_date(metadata={"description": "The Monday of the week."})
    threats = fields.Integer()


class InvolvementSchoolSchema(Schema):
    school = fields.Nested(NamedSchema)
    by_basis_action = fields.List(fields.Nested(BasisActionSchema))
    total = fields.Integer()
    discipline = fields.Nested(DisciplineShareSchema)
    threat_weeks = fields.List(fields.Nested(ThreatWeekSchema))


class InvolvementExceptionSchema(Schema):
    record_id = Text()
    date = iso_date()
    school = fields.Nested(NamedSchema)
    officer = fields.Nested(PersonRefSchema)
    basis = Text()
    action = Text()
    reason = Text(allow_none=True)


class InvolvementsSchema(Schema):
    school_year = Text()
    filters = fields.Nested(MonthlyFiltersSchema)
    months = fields.List(Text())
    schools = fields.List(fields.Nested(InvolvementSchoolSchema))
    discipline = fields.Nested(DisciplineShareSchema)
    exceptions = fields.List(fields.Nested(InvolvementExceptionSchema), allow_none=True, metadata={
        "description": "Police actions on discipline or classroom-disorder requests; null for principals."})
