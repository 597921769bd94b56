from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.school import School
from server.models.user import User


class OfficerAssignment(db.Model):
    """An officer works at a school from starts_on to ends_on (open-ended when null)."""

    __tablename__ = "officer_assignments"
    __table_args__ = (CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)

    officer: Mapped[User] = relationship()
    school: Mapped[School] = relationship()


class PrincipalSchool(db.Model):
    """A principal or designee (role principal) acts for a school."""

    __tablename__ = "principal_schools"
    __table_args__ = (UniqueConstraint("principal_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)

    principal: Mapped[User] = relationship()
    school: Mapped[School] = relationship()


class Supervision(db.Model):
    __tablename__ = "supervisions"
    __table_args__ = (UniqueConstraint("supervisor_id", "officer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    officer: Mapped[User] = relationship(foreign_keys=[officer_id])
