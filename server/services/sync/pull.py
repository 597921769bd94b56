"""Pull: the changes a user may see after a cursor, oldest first, gap-free (docs/sync.md)."""

import base64
import binascii
import json
import uuid

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import aliased

from server.extensions import db
from server.models import Record, User
from server.services.access.visibility import records_visible_to
from server.services.audit import log_records_read
from server.services.sync.record_shapes import as_seen_by, change_of

RECORD_TABLE = Record.__table__
CURSOR_PREFIX = "v1:"


class BadCursor(ValueError):
    """The `since` value is not a cursor this server issued."""


def encode_cursor(change_seq: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{change_seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor(cursor) from error
    if not text.startswith(CURSOR_PREFIX) or not text[len(CURSOR_PREFIX):].isdigit():
        raise BadCursor(cursor)
    return int(text[len(CURSOR_PREFIX):])


# The columns `change_of` reads, and change_seq for the cursor: a page of a thousand rows
# converts no column it does not show. `data` comes last, as its stored JSON text (below).
SHOWN_COLUMNS = ("id", "kind", "version", "school_id", "occurred_at", "utc_offset_minutes", "duration_minutes",
                 "notes", "voided", "void_reason", "owner_id", "created_at", "updated_at", "confirmation_status",
                 "confirmation_comment", "confirmed_by_id", "confirmed_at", "confirmed_version", "participation",
                 "review_status", "review_comment", "reviewed_by_id", "reviewed_at", "change_seq")
NAMES = ("owner_name", "confirmer_name", "reviewer_name")
ROW_KEYS = (*SHOWN_COLUMNS, *NAMES, "data")


def _with_names():
    """Records with their owner's, confirmer's and reviewer's names, in ROW_KEYS order: what
    `change_of` shows."""
    owner, confirmer, reviewer = aliased(User), aliased(User), aliased(User)
    return (
        select(*(RECORD_TABLE.c[name] for name in SHOWN_COLUMNS), owner.name.label("owner_name"),
               confirmer.name.label("confirmer_name"), reviewer.name.label("reviewer_name"),
               cast(RECORD_TABLE.c.data, Text).label("data"))
        .join(owner, owner.id == RECORD_TABLE.c.owner_id)
        .outerjoin(confirmer, confirmer.id == RECORD_TABLE.c.confirmed_by_id)
        .outerjoin(reviewer, reviewer.id == RECORD_TABLE.c.reviewed_by_id)
    )


# Built once, like push's statements: building it cost a pull page more than a millisecond.
WITH_NAMES = _with_names()


def _changes(rows) -> list[dict]:
    """The rows of WITH_NAMES as pull shows them. Their `data` is decoded in one call for
    them all (a JSON array of the stored texts), not one call per row, the larger cost of a page."""
    records = [dict(zip(ROW_KEYS, row)) for row in rows]
    documents = json.loads("[" + ",".join(record["data"] or "null" for record in records) + "]")
    changes = []
    for record, data in zip(records, documents):
        record["data"] = data
        changes.append(change_of(record, record["owner_name"], record["confirmer_name"]))
    return changes


def current_change(record_id: uuid.UUID) -> dict | None:
    """One record as pull shows it (whoever asks: the caller checks they may see it)."""
    row = db.session.execute(WITH_NAMES.where(RECORD_TABLE.c.id == record_id)).first()
    return None if row is None else _changes([row])[0]


def pull(user: User, cursor: str | None, limit: int) -> dict:
    """Changes visible to `user` after `cursor`, oldest first, each record once in its latest state.
    A pull by anyone but an officer (their own records) is audited as `records.pull`."""
    filters = {"since": cursor, "limit": limit}
    try:
        since = decode_cursor(cursor)
    except BadCursor:
        log_records_read("records.pull", user, "failure", filters=filters, rows=0, reason="bad cursor")
        raise
    rows = db.session.connection().execute(
        WITH_NAMES
        .where(records_visible_to(user), RECORD_TABLE.c.change_seq > since)
        .order_by(RECORD_TABLE.c.change_seq)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    last_seq = page[-1].change_seq if page else since
    log_records_read("records.pull", user, "success", filters=filters, rows=len(page), has_more=len(rows) > limit)
    changes = _changes(page)
    return {
        "changes": [as_seen_by(user, change) for change in changes],
        "cursor": encode_cursor(last_seq),
        "has_more": len(rows) > limit,
    }
