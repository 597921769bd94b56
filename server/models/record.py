import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.domain.record_kinds import KIND_NAMES, kind_check_sql
from server.extensions import db
from server.models.base import utcnow
from server.models.school import School
from server.models.user import User

RECORD_KINDS = KIND_NAMES
CONFIRMATION_STATES = ("pending", "confirmed", "disputed")

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigIntId = BigInteger().with_variant(Integer, "sqlite")


class Record(db.Model):
    """One officer record, keyed by the UUID the device made.

    Kind-specific fields live in `data` (validated by the kind's schema);
    `subtype` and `quantity` copy the field reports group and sum by, so
    reports aggregate in SQL on indexed columns.
    """

    __tablename__ = "records"
    __table_args__ = (
        CheckConstraint(kind_check_sql(), name="kind_known"),
        CheckConstraint(
            "confirmation_status IS NULL OR confirmation_status IN ('pending', 'confirmed', 'disputed')",
            name="confirmation_known",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_records_owner_occurred", "owner_id", "occurred_on"),
        Index("ix_records_school_occurred", "school_id", "occurred_on"),
        # Covers every column the reports group, filter and sum (migration 0002, docs/reports.md).
        Index("ix_records_report", "kind", "subtype", "occurred_on", "school_id", "owner_id", "voided", "quantity",
              "confirmation_status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # None only for a kind declared school_optional (training); push checks assignments otherwise.
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    occurred_at: Mapped[datetime]  # naive UTC
    occurred_on: Mapped[date] = mapped_column(Date)  # the calendar day where it happened
    utc_offset_minutes: Mapped[int] = mapped_column(default=0)
    duration_minutes: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    subtype: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[int | None]
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    voided: Mapped[bool] = mapped_column(default=False)
    void_reason: Mapped[str | None] = mapped_column(String(500))
    confirmation_status: Mapped[str | None] = mapped_column(String(10))
    confirmation_comment: Mapped[str | None] = mapped_column(Text)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]
    confirmed_version: Mapped[int | None]
    last_device_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    school: Mapped[School | None] = relationship()


class RecordRevision(db.Model):
    """Append-only history: every accepted change and every rejected proposal."""

    __tablename__ = "record_revisions"
    __table_args__ = (
        CheckConstraint("outcome IN ('accepted', 'rejected_conflict')", name="outcome_known"),
        Index("ix_record_revisions_record", "record_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int | None]  # null for a proposal that lost a conflict
    base_version: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))  # create, update, void, confirm, dispute
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(String(100))
    mutation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    snapshot: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AppliedMutation(db.Model):
    """Every mutation the server has answered, so a retry gets the same answer."""

    __tablename__ = "applied_mutations"

    mutation_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int | None]
    result: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeCounter(db.Model):
    """ONE row: the global change number, bumped inside each writing transaction.

    Writers serialise on this row, so change numbers become visible in order
    and a pull cursor never skips a change committed late.
    """

    __tablename__ = "change_counter"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
