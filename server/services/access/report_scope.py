"""Whose activity a user's reports may count (PRODUCT.md "Who may see what", column "reports").

Individual records are scoped by server.services.access.visibility.records_visible_to;
reports reuse it for officers (own), supervisors (their officers) and admins
(all). Principals are the one difference: they read individual records only for
meetings, but a report counts every kind at their own schools, as aggregate
numbers (never a contact record).
"""

from dataclasses import dataclass

from sqlalchemy import and_, false, true

from server.domain.record_kinds import KINDS
from server.models import OfficerAssignment, Record, User
from server.services.access.directory import principal_school_ids
from server.services.access.visibility import readable_owner_ids, records_visible_to

RECORDS = Record.__table__
PRINCIPAL_OFFICER_FILTER = "Principals see school totals only: officer_id is not allowed."
# Kinds a principal's counts leave out (training is the officer's, not the school's).
PRINCIPAL_HIDDEN_KINDS = tuple(kind.name for kind in KINDS if not kind.principal_counts)


class OutOfScope(Exception):
    """A filter names an officer or school the user may not report on."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ReportScope:
    """What a report may cover: None means "any".

    `readable` is the set of officers whose records the user may read when owner alone decides
    it (an officer: themself; a supervisor: their officers; visibility.readable_owner_ids), looked
    up once by report_scope(), which keeps officer_ids within it. None for anyone else, and for a
    scope built without it: its records_clause then falls back to records_visible_to."""

    user: User
    officer_ids: frozenset[int] | None
    school_ids: frozenset[int] | None
    readable: frozenset[int] | None = None

    def records_clause(self):
        """WHERE clause on the records table: the user's report scope narrowed by the filters."""
        if self.user.role == "principal":
            base = and_(RECORDS.c.school_id.in_(sorted(principal_school_ids(self.user.id))),
                        RECORDS.c.kind.not_in(PRINCIPAL_HIDDEN_KINDS))
        elif self.readable is not None:
            # ONE owner_id IN list, the filter within what the user may read: the visibility list
            # and the filter's, both written, make PostgreSQL multiply their selectivities, expect
            # one row and pick a poor index (bench/scale_bench.py: 50 ms instead of 2 ms a query).
            # report_scope() keeps officer_ids within readable; the intersection holds any other.
            allowed = self.readable if self.officer_ids is None else self.officer_ids & self.readable
            base = RECORDS.c.owner_id.in_(sorted(allowed)) if allowed else false()
        else:
            base = records_visible_to(self.user)
        parts = [base]
        if self.officer_ids is not None and self.readable is None:
            parts.append(RECORDS.c.owner_id.in_(sorted(self.officer_ids)) if self.officer_ids else false())
        if self.school_ids is not None:
            parts.append(RECORDS.c.school_id.in_(sorted(self.school_ids)) if self.school_ids else false())
        return and_(*parts)

    def filters(self) -> dict:
        """The officer and school a report is narrowed to, as its answer echoes them (None: not one)."""
        return {"officer_id": _single(self.officer_ids), "school_id": _single(self.school_ids)}

    def assignments_clause(self):
        """WHERE clause on officer_assignments: the (officer, school) pairs the user may report on."""
        parts = [true()]
        if self.officer_ids is not None:
            parts.append(OfficerAssignment.officer_id.in_(sorted(self.officer_ids)) if self.officer_ids else false())
        if self.school_ids is not None:
            parts.append(OfficerAssignment.school_id.in_(sorted(self.school_ids)) if self.school_ids else false())
        return and_(*parts)


def _single(ids) -> int | None:
    return next(iter(ids)) if ids is not None and len(ids) == 1 else None


def report_scope(user: User, officer_id: int | None = None, school_id: int | None = None) -> ReportScope:
    """The user's report scope, narrowed by optional filters; a filter outside it raises OutOfScope."""
    officers: frozenset[int] | None
    schools: frozenset[int] | None
    # Looked up once for every query the report runs (ReportScope.records_clause).
    readable = readable_owner_ids(user)
    if readable is not None:  # an officer (themself), a supervisor (their officers)
        officers, schools = readable, None
    elif user.role == "principal":
        if officer_id is not None:
            # A per-officer count at a small school can single out one arrest or one student contact.
            raise OutOfScope("officer_id", PRINCIPAL_OFFICER_FILTER)
        officers, schools = None, frozenset(principal_school_ids(user.id))
    elif user.role == "admin":
        officers, schools = None, None
    else:
        officers, schools = frozenset(), frozenset()

    if officer_id is not None:
        if officers is not None and officer_id not in officers:
            raise OutOfScope("officer_id", "You may not report on this officer."
                             if user.role != "officer" else "Officers see reports of their own records only.")
        officers = frozenset({officer_id})
    if school_id is not None:
        if schools is not None and school_id not in schools:
            raise OutOfScope("school_id", "You may report on your own school only.")
        schools = frozenset({school_id})
    # Invariant: when readable is not None, officers ⊆ readable (it started as readable and a
    # filter outside it was refused above).
    return ReportScope(user, officers, schools, readable)
