from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import utcnow

DISCIPLINE_ANSWERS = ("yes", "mostly", "no")


class PrincipalFeedback(db.Model):
    """A principal's semester feedback on an officer serving their school (KY 25, 26): one answer
    per principal, officer, school and semester (an officer shared by two of a principal's schools
    is due one answer at each); answering again replaces it (docs/program.md)."""

    __tablename__ = "principal_feedback"
    __table_args__ = (
        CheckConstraint("relationships BETWEEN 1 AND 5", name="relationships_range"),
        CheckConstraint("responsiveness BETWEEN 1 AND 5", name="responsiveness_range"),
        CheckConstraint("stayed_out_of_discipline IN ('yes', 'mostly', 'no')", name="discipline_known"),
        UniqueConstraint("principal_id", "officer_id", "school_id", "school_year", "term"),
        Index("ix_principal_feedback_officer_year", "officer_id", "school_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    school_year: Mapped[str] = mapped_column(String(9))
    term: Mapped[str] = mapped_column(String(60))  # the school's semester (term) name
    relationships: Mapped[int]
    responsiveness: Mapped[int]
    stayed_out_of_discipline: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
