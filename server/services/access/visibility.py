"""Who may see which records (PRODUCT.md "Who may see what"): the one place for it."""

from sqlalchemy import and_, false, true

from server.models import Record, User
from server.services.access.directory import principal_school_ids, supervised_officer_ids

RECORDS = Record.__table__


def records_visible_to(user: User):
    """A WHERE clause on the records table for what `user` may read."""
    if user.role == "officer":
        return RECORDS.c.owner_id == user.id
    if user.role == "supervisor":
        return RECORDS.c.owner_id.in_(supervised_officer_ids(user.id))
    if user.role == "principal":
        # Principals confirm meetings; every other record reaches them only as counts.
        return and_(RECORDS.c.kind == "principal_meeting", RECORDS.c.school_id.in_(principal_school_ids(user.id)))
    if user.role == "admin":
        return true()
    return false()
