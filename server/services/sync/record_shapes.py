"""How a stored record is shown to clients: the pull "change" shape and revision snapshots."""

from datetime import datetime, timedelta, timezone
from functools import lru_cache

from server.domain.record_kinds import kind_named
from server.models import User
from server.schemas.records import COMMON_FIELDS
from server.services.access.visibility import sees_review_state


@lru_cache(maxsize=1024)
def iso_utc(moment: datetime | None) -> str | None:
    """A stored naive-UTC moment as RFC 3339 ("…Z"); called for every change a pull sends, whose
    records share their moments (a push stamps its whole batch with one)."""
    return None if moment is None else moment.isoformat() + "Z"


@lru_cache(maxsize=256)
def _offset(offset_minutes: int) -> tuple[timedelta, str]:
    """The shift from UTC and the suffix an aware isoformat() writes for it ("-05:00")."""
    zone = timezone(timedelta(minutes=offset_minutes))
    return zone.utcoffset(None), datetime(2000, 1, 1, tzinfo=zone).isoformat()[len("2000-01-01T00:00:00"):]


def local_occurred_at(occurred_at_utc: datetime, offset_minutes: int) -> str:
    """The moment as the officer wrote it: same instant, same UTC offset. A fixed offset needs no
    time-zone conversion, only the shift and its suffix (called for every change a pull sends)."""
    shift, suffix = _offset(offset_minutes)
    return (occurred_at_utc + shift).isoformat() + suffix


def split_loaded_data(kind: str, loaded: dict) -> dict:
    """Columns for a record from its validated data."""
    occurred_at: datetime = loaded["occurred_at"]
    offset = occurred_at.utcoffset() or timedelta(0)
    extra = {key: value for key, value in loaded.items() if key not in COMMON_FIELDS}
    declared = kind_named(kind)
    return {
        "school_id": loaded.get("school_id"),
        "occurred_at": occurred_at.astimezone(timezone.utc).replace(tzinfo=None),
        "occurred_on": occurred_at.date(),
        "utc_offset_minutes": int(offset.total_seconds() // 60),
        "duration_minutes": loaded.get("duration_minutes"),
        "notes": loaded.get("notes"),
        "subtype": extra.get(declared.subtype),
        "quantity": extra.get(declared.quantity),  # None when the kind sums nothing
        "data": extra,
    }


def client_data(row) -> dict:
    """The `data` object clients send and receive: common fields, then the kind's fields."""
    return {
        "school_id": row["school_id"],
        "occurred_at": local_occurred_at(row["occurred_at"], row["utc_offset_minutes"]),
        "duration_minutes": row["duration_minutes"],
        "notes": row["notes"],
        **(row["data"] or {}),
    }


def confirmation_of(row, confirmer_name: str | None = None) -> dict | None:
    if row["kind"] != "principal_meeting":
        return None
    return {
        "status": row["confirmation_status"] or "pending",
        "comment": row["confirmation_comment"],
        "by_id": row["confirmed_by_id"],
        "by_name": confirmer_name,
        "at": iso_utc(row["confirmed_at"]),
        "version": row["confirmed_version"],
    }


def change_of(row, owner_name: str | None = None, confirmer_name: str | None = None) -> dict:
    """A record as pull returns it (also the `record` of push results)."""
    change = {
        "id": str(row["id"]),
        "kind": row["kind"],
        "version": row["version"],
        "data": client_data(row),
        "voided": row["voided"],
        "void_reason": row["void_reason"],
        "owner_id": row["owner_id"],
        "owner_name": owner_name,
        "created_at": iso_utc(row["created_at"]),
        "updated_at": iso_utc(row["updated_at"]),
    }
    return _with_decisions(change, row, confirmer_name)


def _with_decisions(shape: dict, row, confirmer_name: str | None) -> dict:
    """`shape` with what others decided on the record: the principal's confirmation of a meeting,
    the parties of a semester review, the supervisor's review."""
    confirmation = confirmation_of(row, confirmer_name)
    if confirmation is not None:
        shape["confirmation"] = confirmation
    if row.get("participation") is not None:
        shape["participation"] = row["participation"]
    shape["review"] = review_of(row)
    return shape


def revision_snapshot(row, confirmer_name: str | None = None) -> dict:
    """What a revision keeps: the record as clients see it (change_of), without the bookkeeping
    (id, owner, timestamps). Made straight from the columns: push keeps one per record it changes."""
    snapshot = {"kind": row["kind"], "version": row["version"], "data": client_data(row),
                "voided": row["voided"], "void_reason": row["void_reason"]}
    return _with_decisions(snapshot, row, confirmer_name)


def review_of(row) -> dict:
    """The supervisor's review; `by` is the reviewer's name when the caller read it
    (pull and the log browser join it as `reviewer_name`)."""
    return {
        "status": row.get("review_status") or "submitted",
        "comment": row.get("review_comment"),
        "by_id": row.get("reviewed_by_id"),
        "by": row.get("reviewer_name"),
        "at": iso_utc(row.get("reviewed_at")),
    }


# Supervisor oversight of a record: its review, whether it was saved late, whether it changed
# after its month was signed off. None of it is a principal's to see (PRODUCT.md).
OVERSIGHT_KEYS = frozenset({"review", "late_entry", "amended_after_signoff"})


def without_review(change: dict) -> dict:
    """The change (or a revision snapshot) as shown to a reader who may not see review states
    (visibility.sees_review_state): every answer to a principal is made here."""
    return {key: value for key, value in change.items() if key not in OVERSIGHT_KEYS}


def as_seen_by(user: User, change: dict) -> dict:
    """The change (or a revision snapshot) as `user` may see it: whole, or without review when
    they may not see review states (visibility.sees_review_state)."""
    return change if sees_review_state(user) else without_review(change)
