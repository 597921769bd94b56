import uuid
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import utcnow


class MonthSignoff(db.Model):
    """A supervisor's sign-off of one officer's month: the figures as they stood, never updated.
    Signing off again after amendments adds the next `sequence`; the older snapshot stays."""

    __tablename__ = "month_signoffs"
    __table_args__ = (
        CheckConstraint("sequence >= 1", name="sequence_positive"),
        UniqueConstraint("officer_id", "month", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    sequence: Mapped[int]
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    figures: Mapped[dict] = mapped_column(JSON)


class SignoffAmendment(db.Model):
    """A record the officer changed, voided or added after a sign-off of its month, or moved out
    of a signed-off month: one row per sign-off and record, so a record moved from one signed-off
    month to another is listed and counted by both (services/sync/review.py `officer_changed`).

    `record_id` has no foreign key, like a revision's: the row is written while the push is
    decided, before the change log inserts a record created in the same push."""

    __tablename__ = "month_signoff_amendments"

    signoff_id: Mapped[int] = mapped_column(ForeignKey("month_signoffs.id"), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
