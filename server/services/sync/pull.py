"""Pull: the changes a user may see after a cursor, oldest first, gap-free (docs/sync.md)."""

import base64
import binascii
import uuid

from sqlalchemy import select
from sqlalchemy.orm import aliased

from server.extensions import db
from server.models import Record, User
from server.services.access.visibility import records_visible_to
from server.services.audit import log_records_read
from server.services.sync.record_shapes import change_of

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


def _with_names():
    """Records with their owner's and confirmer's names: what `_change` shows."""
    owner, confirmer = aliased(User), aliased(User)
    return (
        select(RECORD_TABLE, owner.name.label("owner_name"), confirmer.name.label("confirmer_name"))
        .join(owner, owner.id == RECORD_TABLE.c.owner_id)
        .outerjoin(confirmer, confirmer.id == RECORD_TABLE.c.confirmed_by_id)
    )


def _change(row) -> dict:
    return change_of(row._mapping, row.owner_name, row.confirmer_name)


def current_change(record_id: uuid.UUID) -> dict | None:
    """One record as pull shows it (whoever asks: the caller checks they may see it)."""
    row = db.session.execute(_with_names().where(RECORD_TABLE.c.id == record_id)).first()
    return None if row is None else _change(row)


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
        _with_names()
        .where(records_visible_to(user), RECORD_TABLE.c.change_seq > since)
        .order_by(RECORD_TABLE.c.change_seq)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    last_seq = page[-1].change_seq if page else since
    log_records_read("records.pull", user, "success", filters=filters, rows=len(page), has_more=len(rows) > limit)
    return {
        "changes": [_change(row) for row in page],
        "cursor": encode_cursor(last_seq),
        "has_more": len(rows) > limit,
    }
