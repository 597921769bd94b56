"""The semester review (KY 8) with three parties: the officer records it, and the officer's
supervisor and the school's principal each confirm they took part, or dispute it with a comment.

A semester review is an `activity` of type semester_review. Its `participation` column holds one
decision per party ({"principal": {...}, "supervisor": {...}}). A decision works like a principal's
decision on a weekly meeting (services/sync/confirmation.py): written through the change log,
idempotent by mutation_id, made on one version of the record (a newer one answers 409 with the
record as it now is), it takes a change number without bumping the officer's content version and
appends a revision. The officer's edit returns both parties to pending (push.py, `participation_after`).
Compliance counts the review as met only once both have confirmed (the rule: domain/semester_review.py).
"""

import uuid

from server.domain.record_kinds import SEMESTER_REVIEW
from server.domain.semester_review import PARTIES
from server.models import User
from server.services.access.directory import principal_school_ids, supervised_officer_ids
from server.services.sync.confirmation import DecisionOn, decide_on
from server.services.sync.record_shapes import iso_utc


class ReviewNotFound(LookupError):
    """No semester review this user takes part in (others' reviews look absent)."""


def is_semester_review(row: dict) -> bool:
    return row["kind"] == "activity" and row.get("subtype") == SEMESTER_REVIEW


def awaiting_both() -> dict:
    return {party: {"status": "pending", "comment": None, "by_id": None, "by_name": None, "at": None,
                    "version": None} for party in PARTIES}


def participation_after(state: dict, content_changed: bool) -> dict | None:
    """The participation a record holds after an officer's change: none unless it is a semester
    review; both pending when it is new or its content changed (they confirmed what it said
    before, so they must see it again); as it was after a void alone."""
    if not is_semester_review(state):
        return None
    if content_changed or state.get("participation") is None:
        return awaiting_both()
    return state["participation"]


def _takes_part(user: User, review: dict) -> bool:
    if user.role == "principal":
        return review["school_id"] in principal_school_ids(user.id)
    if user.role == "supervisor":
        return review["owner_id"] in supervised_officer_ids(user.id)
    return False


def _review_in_scope(user: User, review: dict | None, record_id: uuid.UUID) -> dict:
    if review is None or not is_semester_review(review) or not _takes_part(user, review):
        raise ReviewNotFound(str(record_id))
    return review


def _decided(review: dict, user: User, decision: str, comment: str | None, now) -> dict:
    part = {"status": decision, "comment": (comment or "").strip() or None, "by_id": user.id,
            "by_name": user.name, "at": iso_utc(now), "version": review["version"]}
    participation = {**(review.get("participation") or awaiting_both()), user.role: part}
    return {**review, "participation": participation, "updated_at": now}


SEMESTER_REVIEW_PARTS = DecisionOn(
    noun="semester review", event=SEMESTER_REVIEW, in_scope=_review_in_scope, decided=_decided,
    answer=lambda user, decision, version: {"decision": decision, "party": user.role, "version": version},
    names_the_decider=False,
)


def decide(user: User, record_id: uuid.UUID, decision: str, comment: str | None,
           base_version: int | None = None, mutation_id: uuid.UUID | None = None,
           device_id: str | None = None) -> dict:
    """Record the caller's part (their role is the party); returns the review as pull shows it."""
    return decide_on(SEMESTER_REVIEW_PARTS, user, record_id, decision, comment, base_version, mutation_id,
                     device_id)
