"""Request and response shapes of supervisor review (POST /api/records/<id>/review, /api/reviews)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.models.record import REVIEW_STATES
from server.schemas.fields import MAX_DATABASE_INT, Text, id_field
from server.schemas.meetings import DecisionResultSchema

DECISIONS = ("approved", "needs_correction")
MAX_PERIOD_DAYS = 31  # an officer-week or an officer-month


class _NeedsCorrectionComment:
    @validates_schema
    def correction_needs_comment(self, data, **kwargs):
        if data.get("decision") == "needs_correction" and not (data.get("comment") or "").strip():
            raise ValidationError("Required when a record needs correction: say what to correct.",
                                  field_name="comment")


class ReviewSchema(_NeedsCorrectionComment, Schema):
    decision = Text(required=True, validate=validate.OneOf(DECISIONS))
    comment = Text(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    base_version = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=MAX_DATABASE_INT),
        metadata={"description": "The record version the reviewer read; a newer one answers 409."},
    )
    mutation_id = fields.UUID(allow_none=True, load_default=None,
                              metadata={"description": "Makes a retried decision apply once."})
    base_review_status = Text(
        allow_none=True, load_default=None, validate=validate.OneOf(REVIEW_STATES),
        metadata={"description": "The review status the reviewer read; when another reviewer has "
                                 "decided since, 409 with the record as it is now. Omitted: the "
                                 "later decision stands."})


# The same shape as a meeting decision's answer.
ReviewResultSchema = DecisionResultSchema


class PeriodReviewSchema(_NeedsCorrectionComment, Schema):
    officer_id = id_field(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    decision = Text(required=True, validate=validate.OneOf(DECISIONS))
    comment = Text(allow_none=True, load_default=None, validate=validate.Length(max=2000))

    @validates_schema
    def period_is_a_week_or_month(self, data, **kwargs):
        starts, ends = data.get("period_start"), data.get("period_end")
        if starts and ends and starts > ends:
            raise ValidationError("Must be on or after period_start.", field_name="period_end")
        if starts and ends and (ends - starts).days >= MAX_PERIOD_DAYS:
            raise ValidationError(f"A period of at most {MAX_PERIOD_DAYS} days (a week or a month).",
                                  field_name="period_end")


class PeriodReviewResultSchema(Schema):
    decision = Text()
    officer_id = fields.Integer()
    period_start = fields.Date()
    period_end = fields.Date()
    reviewed = fields.Integer(metadata={"description": "Records decided: those still submitted."})
    record_ids = fields.List(Text())
