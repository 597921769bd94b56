import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, Uuid, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.domain.record_kinds import KIND_NAMES, kind_check_sql
from server.extensions import db
from server.models.base import utcnow
from server.models.school import School
from server.models.user import User

RECORD_KINDS = KIND_NAMES
CONFIRMATION_STATES = ("pending", "confirmed", "disputed")
REVIEW_STATES = ("submitted", "approved", "needs_correction")

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
        CheckConstraint("review_status IN ('submitted', 'approved', 'needs_correction')", name="review_known"),
        # A supervisor's queue: one officer's records still waiting for (or needing) review.
        Index("ix_records_owner_review", "owner_id", "review_status"),
        Index("ix_records_owner_occurred", "owner_id", "occurred_on"),
        # voided and duration_minutes: the monthly report's minutes per school from the index alone (0012).
        Index("ix_records_school_occurred", "school_id", "occurred_on", "voided", "duration_minutes"),
        # Late entries only, written as each engine writes `late_entry IS true` so its planner uses it (0012).
        Index("ix_records_late_entry", "occurred_on", postgresql_where=text("late_entry IS true"),
              sqlite_where=text("late_entry IS 1")),
        # Covers every column the reports group, filter and sum (migration 0002, docs/reports.md).
        Index("ix_records_report", "kind", "subtype", "occurred_on", "school_id", "owner_id", "voided", "quantity",
              "confirmation_status"),
        # The same columns behind the officer: a supervisor's compliance report (0012).
        Index("ix_records_owner_report", "owner_id", "kind", "subtype", "occurred_on", "school_id", "voided",
              "quantity", "confirmation_status"),
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
    # A semester review's three-party confirmation (KY 8): {"principal": {...}, "supervisor": {...}},
    # each {status, comment, by_id, by_name, at, version} (services/sync/participation.py); None
    # for every other record, stored as SQL NULL (not JSON null: a pull then decodes nothing for it;
    # migration 0013 turned the earlier JSON nulls into NULL).
    participation: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # A supervisor's review (docs/sync.md "Review"): the officer's edit returns it to submitted.
    review_status: Mapped[str] = mapped_column(String(20), default="submitted", server_default="submitted")
    review_comment: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    # First saved more than LATE_ENTRY_DAYS after the event (judged at each officer change).
    late_entry: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The month sign-off in force when the officer last changed or voided the record (its month's,
    # else the month it moved out of); every sign-off it amended is in month_signoff_amendments.
    amended_signoff_id: Mapped[int | None] = mapped_column(ForeignKey("month_signoffs.id"))
    last_device_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    change_seq: Mapped[int] = mapped_column(BigInteger, index=True)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
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
    action: Mapped[str] = mapped_column(String(20))  # create, update, void, confirm, dispute, approve, needs_correction
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
