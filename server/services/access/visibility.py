"""Who may see which records (PRODUCT.md "Who may see what"): the one place for it."""

from sqlalchemy import and_, false, or_, true

from server.domain.record_kinds import SEMESTER_REVIEW
from server.models import PrincipalFeedback, Record, User
from server.services.access.directory import principal_school_ids, supervised_officer_ids

RECORDS = Record.__table__
FEEDBACK = PrincipalFeedback.__table__


def records_visible_to(user: User):
    """A WHERE clause on the records table for what `user` may read."""
    if user.role == "officer":
        return RECORDS.c.owner_id == user.id
    if user.role == "supervisor":
        return RECORDS.c.owner_id.in_(supervised_officer_ids(user.id))
    if user.role == "principal":
        # Principals confirm meetings and the semester reviews they took part in (KY 8); every
        # other record reaches them only as counts.
        return and_(or_(RECORDS.c.kind == "principal_meeting",
                        and_(RECORDS.c.kind == "activity", RECORDS.c.subtype == SEMESTER_REVIEW)),
                    RECORDS.c.school_id.in_(principal_school_ids(user.id)))
    if user.role == "admin":
        return true()
    return false()


def readable_owner_ids(user: User) -> frozenset[int] | None:
    """The officers whose records `user` may read, when that is decided by owner alone (an
    officer: their own; a supervisor: their officers); None for anyone else."""
    if user.role == "officer":
        return frozenset({user.id})
    if user.role == "supervisor":
        return frozenset(supervised_officer_ids(user.id))
    return None


def records_reviewable_by(user: User):
    """A WHERE clause for the records `user` may approve or send back: those of the officers
    `user` reviews (officers_reviewed_by: a supervisor's officers, all for an admin, else none)."""
    return officers_reviewed_by(user, RECORDS.c.owner_id)


def sees_review_state(user: User) -> bool:
    """Review is between the police and their officer: a principal sees no record's review state
    (data minimisation, PRODUCT.md), whatever kinds of record reach them."""
    return user.role != "principal"


def reviews_officer(user: User, officer_id: int) -> bool:
    """Whether `user` may review this officer's records and sign off their months."""
    if user.role == "supervisor":
        return officer_id in supervised_officer_ids(user.id)
    return user.role == "admin"


def officers_reviewed_by(user: User, officer_column):
    """A WHERE clause on a column of officer ids: the officers whose records `user` reviews."""
    if user.role == "supervisor":
        return officer_column.in_(supervised_officer_ids(user.id))
    if user.role == "admin":
        return true()
    return false()


def feedback_visible_to(user: User):
    """A WHERE clause on principal_feedback for what `user` may read (KY 25, 26): a principal their
    own answers, a supervisor the answers on their officers, an admin all. An officer reads the
    answers on themself only through their own program (services/reporting/program.py), without
    the principal's name."""
    if user.role == "officer":
        return FEEDBACK.c.officer_id == user.id
    if user.role == "principal":
        return FEEDBACK.c.principal_id == user.id
    if user.role == "supervisor":
        return FEEDBACK.c.officer_id.in_(supervised_officer_ids(user.id))
    if user.role == "admin":
        return true()
    return false()
