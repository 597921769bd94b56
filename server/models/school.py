from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import utcnow


class School(db.Model):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    terms: Mapped[list["SchoolTerm"]] = relationship(
        back_populates="school", order_by="SchoolTerm.starts_on", cascade="all, delete-orphan"
    )
    closed_days: Mapped[list["NonSchoolDay"]] = relationship(
        back_populates="school", order_by="NonSchoolDay.day", cascade="all, delete-orphan"
    )


class SchoolTerm(db.Model):
    """A term (semester) of a school year: the weeks "in term" come from these dates."""

    __tablename__ = "school_terms"
    __table_args__ = (
        UniqueConstraint("school_id", "school_year", "name"),
        CheckConstraint("ends_on >= starts_on", name="term_dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    school_year: Mapped[str] = mapped_column(String(9))  # "2026-2027"
    name: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    school: Mapped[School] = relationship(back_populates="terms")


class NonSchoolDay(db.Model):
    """A weekday inside a term with no school (holiday, in-service day)."""

    __tablename__ = "non_school_days"
    __table_args__ = (UniqueConstraint("school_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(200), default="")

    school: Mapped[School] = relationship(back_populates="closed_days")
