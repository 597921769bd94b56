from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import utcnow


class Release(db.Model):
    """A published public report: its figures are stored as computed and never recomputed or
    updated, so what the public read on the day stays what it reads later. A correction is a
    new row naming the one it supersedes (at most one correction per release)."""

    __tablename__ = "releases"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), unique=True)
    method_version: Mapped[str] = mapped_column(String(20))
    released_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    figures: Mapped[dict] = mapped_column(JSON)
