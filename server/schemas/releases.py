"""Request and response shapes of published releases (docs/reports.md "Releases")."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.domain.release_periods import period_errors
from server.schemas.fields import Text, UtcDateTime, id_field

CELL_DOC = 'A count; "<5" for a count from 1 to 4; "x" where a figure is withheld so that a "<5" cannot be worked out.'


class ReleaseCreateSchema(Schema):
    period_start = fields.Date(required=True, metadata={"description": "The first day of a month."})
    period_end = fields.Date(required=True, metadata={
        "description": "The last day of a month, in the same school year (a month, a quarter or a school year)."})
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    notes = Text(load_default="", validate=validate.Length(max=5000))
    supersedes = id_field(load_default=None, metadata={"description": "The release this one corrects."})
    changes = Text(load_default=None, validate=validate.Length(min=1, max=5000),
                   metadata={"description": "What changed: required with `supersedes`, refused without."})
    figures_digest = Text(load_default=None, validate=validate.Length(equal=64), metadata={
        "description": "The preview's figures_digest: publishing is refused (409) when the figures are no "
                       "longer those previewed."})

    @validates_schema
    def period_is_releasable(self, data, **_kwargs):
        errors = period_errors(data["period_start"], data["period_end"])
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})

    @validates_schema
    def changes_go_with_supersedes(self, data, **_kwargs):
        if data.get("supersedes") and not data.get("changes"):
            raise ValidationError({"changes": ["Required with supersedes: say what changed."]})
        if data.get("changes") and not data.get("supersedes"):
            raise ValidationError({"changes": ["Only a correction (with supersedes) has changes."]})


class CellRowSchema(Schema):
    category = Text()
    label = Text()
    months = fields.Dict(keys=Text(), values=fields.Raw(), metadata={"description": CELL_DOC})


class ReleaseSchoolRefSchema(Schema):
    code = Text()
    name = Text()


class ReleaseSchoolSchema(Schema):
    school = fields.Nested(ReleaseSchoolRefSchema)
    rows = fields.List(fields.Nested(CellRowSchema))


class ReleaseInvolvementRowSchema(CellRowSchema):
    basis = Text(allow_none=True, metadata={"description": "None in a row that adds up every basis."})
    action = Text(allow_none=True, metadata={"description": "None in a row that adds up every action."})


class ReleaseInvolvementSchoolSchema(Schema):
    school = fields.Nested(ReleaseSchoolRefSchema)
    rows = fields.List(fields.Nested(ReleaseInvolvementRowSchema))


class ReleaseInvolvementTableSchema(Schema):
    schools = fields.List(fields.Nested(ReleaseInvolvementSchoolSchema),
                          metadata={"description": "The schools with involvements in the period."})
    program = fields.List(fields.Nested(ReleaseInvolvementRowSchema), metadata={"description": "Program-wide: all schools."})


class TrainingRoundingSchema(Schema):
    officers = fields.Integer(metadata={"description": "The officers are rounded to the nearest multiple of this."})
    percent = fields.Integer(metadata={"description": "The percentages are rounded to the nearest multiple of this."})


class ReleaseTrainingSchema(Schema):
    as_of = Text(metadata={"description": "The day training is measured on (ISO date): the school year's last day."})
    school_year = Text()
    officers = fields.Raw(metadata={
        "description": 'Officers assigned during the period (method 3: the school year, to the nearest 5); '
                       '"<5" for 1 to 4.'})
    basic_course_percent = fields.Raw(metadata={
        "description": 'Percent with the 120-hour basic course (method 3: to the nearest 10); "x" unless the '
                       "officers it counts and those it leaves out are each none or at least 5."})
    course_this_year_percent = fields.Raw(metadata={
        "description": 'Percent with an SRO course this school year; rounded and withheld ("x") by the same rule.'})
    rounding = fields.Nested(TrainingRoundingSchema, metadata={"description": "Method 3 and later."})


class FiguresSchema(Schema):
    months = fields.List(Text())
    schools = fields.List(fields.Nested(ReleaseSchoolSchema))
    program = fields.List(fields.Nested(CellRowSchema), metadata={"description": "Program-wide: all schools."})
    involvements = fields.Nested(ReleaseInvolvementTableSchema, metadata={
        "description": "Involvements by basis x action, per month, with basis, action and grand totals "
                       "(method version 2 and later)."})
    training = fields.Nested(ReleaseTrainingSchema, allow_none=True, metadata={
        "description": "Method version 2 and later. Method 3: only in a release of a whole school year that "
                       "has ended, the same in every release of that year (null in any other)."})
    suppression = fields.Dict(keys=Text(), values=fields.Raw())


class ReleaseSummarySchema(Schema):
    id = fields.Integer(allow_none=True, metadata={"description": "None in a preview."})
    title = Text()
    notes = Text()
    period_start = fields.Date()
    period_end = fields.Date()
    released_at = UtcDateTime(allow_none=True)
    method_version = Text()
    supersedes = fields.Integer(allow_none=True)
    superseded_by = fields.Integer(allow_none=True)
    changes = Text(allow_none=True)


class ReleaseSchema(ReleaseSummarySchema):
    figures = fields.Nested(FiguresSchema)


class AdminReleaseSchema(ReleaseSchema):
    released_by = fields.Dict(keys=Text(), values=fields.Raw(), allow_none=True)
    figures_digest = Text(metadata={"description": "SHA-256 of the figures (send it back to publish them)."})


class ReleaseListSchema(Schema):
    releases = fields.List(fields.Nested(ReleaseSummarySchema))
