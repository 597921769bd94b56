"""A supervisor (or admin) reviews an officer's records: approved, or needs correction.

A decision is a mutation through the one change log (server/services/sync/changes.py), exactly
like a principal's meeting confirmation: version-checked (a stale base_version is a 409 with the
record as it is), it keeps the record's version, so the review is not a change of what the
officer recorded: a principal's confirmation of that version stays valid and no version gap tells
anyone that a review happened. It takes a change number (it reaches the officer's phone on the
next pull) and keeps a revision at the same version (the record's history), is idempotent by
mutation_id and audited. An officer's edit made on that version, even one queued offline before
the decision, applies and returns the record to `submitted`: the edit supersedes the decision,
and the supervisor sees the record again (docs/sync.md "Review").

The officer's side of the rule lives here too (`officer_changed`): an edit or void of a record
that was approved or needs correction returns it to `submitted`, like an edit of a confirmed
meeting returns it to pending (docs/sync.md "Review").
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, func, insert, select

from server.database import write_transaction
from server.extensions import db
from server.models import MonthSignoff, Record, SignoffAmendment, User
from server.models.base import utcnow
from server.services.access.visibility import records_reviewable_by, reviews_officer
from server.services.audit import log_event
from server.services.sync.confirmation import DecisionConflict, earlier_decision
from server.services.sync.changes import ChangeLog, in_write_transaction
from server.services.sync.pull import current_change
from server.services.sync.record_shapes import change_of, revision_snapshot

RECORDS = Record.__table__
AMENDMENTS = SignoffAmendment.__table__
ACTIONS = {"approved": "approve", "needs_correction": "needs_correction"}


class RecordNotReviewable(LookupError):
    """No record this user may review (records of other officers look absent)."""


# --- the officer's side: pushed edits ------------------------------------------------

USERS = User.__table__
SIGNOFFS = MonthSignoff.__table__
# Built once: every push runs them.
LOCK_OFFICER = select(USERS.c.id).where(USERS.c.id == bindparam("officer_id")).with_for_update(read=True, key_share=True)
SIGNED_OFF_MONTHS = (select(SIGNOFFS.c.month, func.max(SIGNOFFS.c.id))
                     .where(SIGNOFFS.c.officer_id == bindparam("officer_id")).group_by(SIGNOFFS.c.month))


def signed_off_months(officer_id: int) -> dict[date, int]:
    """The officer's signed-off months -> the id of the latest sign-off of each.

    Read under a key-share lock on the officer's row, which a sign-off takes FOR UPDATE
    (reporting/signoffs.py): on PostgreSQL a push and a sign-off of the same officer then run
    one after the other, so a change is either in the snapshot's figures or marked amended.
    Ordinary updates of the row do not wait for it. Two statements, not one joining both: a
    statement that waited for the lock still reads the other table as it was when it started,
    without the sign-off it waited for (READ COMMITTED)."""
    db.session.execute(LOCK_OFFICER, {"officer_id": officer_id})
    return dict(db.session.execute(SIGNED_OFF_MONTHS, {"officer_id": officer_id}).all())


def late_entry_after() -> timedelta:
    """How long after the event a first save counts as late (the LATE_ENTRY_DAYS setting)."""
    return timedelta(days=current_app.config["LATE_ENTRY_DAYS"])


def is_late(created_at: datetime, occurred_at: datetime, late_after: timedelta) -> bool:
    """First saved (reached the server) more than `late_after` after the event."""
    return created_at - occurred_at > late_after


def officer_changed(state: dict, before: dict | None, signoffs: dict[date, int], late_after: timedelta) -> None:
    """The review bookkeeping of an officer's accepted create, edit or void, in place on `state`;
    `late_after` is late_entry_after(), read once per batch."""
    if before is None:
        state.update(review_status="submitted", review_comment=None, reviewed_by_id=None, reviewed_at=None,
                     amended_signoff_id=None)
    elif before["review_status"] != "submitted":
        # The supervisor decided on what the record said before: they must see it again.
        state.update(review_status="submitted", review_comment=None, reviewed_by_id=None, reviewed_at=None)
    state["late_entry"] = is_late(state["created_at"], state["occurred_at"], late_after)
    # A change to a signed-off month amends its sign-off: the month where the record is now and,
    # when it moved, the month it left, whose figures changed as much.
    months = dict.fromkeys([state["occurred_on"].replace(day=1)]
                           + ([before["occurred_on"].replace(day=1)] if before else []))
    amended = [signoffs[month] for month in months if month in signoffs]
    if amended:
        # The record's own mark names one: its month's sign-off, else the one it moved out of.
        state["amended_signoff_id"] = amended[0]
        _list_amendment(state["id"], amended)


def _list_amendment(record_id: uuid.UUID, signoff_ids: list[int]) -> None:
    """Each sign-off lists the record once, however often it is amended. Inside the push's write
    transaction, with the record locked (or, if new, its id raced on by the same insert), so the
    look-up is authoritative; rare (only changes to signed-off months), so row by row."""
    listed = set(db.session.scalars(select(AMENDMENTS.c.signoff_id).where(
        AMENDMENTS.c.record_id == record_id, AMENDMENTS.c.signoff_id.in_(signoff_ids))))
    new = [{"signoff_id": signoff_id, "record_id": record_id} for signoff_id in signoff_ids if signoff_id not in listed]
    if new:
        db.session.execute(insert(AMENDMENTS), new)


# --- the supervisor's side: decisions ------------------------------------------------

def _reviewable(reviewer: User, log: ChangeLog, record_id: uuid.UUID) -> dict:
    """The record, locked and loaded by the change log, if `reviewer` reviews its officer."""
    record = log.records.get(record_id)
    if record is None or not reviews_officer(reviewer, record["owner_id"]):
        raise RecordNotReviewable(str(record_id))
    return record


@dataclass(frozen=True)
class Decision:
    decision: str
    comment: str | None
    base_version: int
    mutation_id: uuid.UUID | None = None
    base_review_status: str | None = None  # what the reviewer read; None: the later decision stands


def _review_status(record: dict) -> str:
    return record.get("review_status") or "submitted"


def _decide(log: ChangeLog, reviewer: User, record: dict, decision: Decision, now, owner_name: str) -> dict:
    """Apply one decision in the change log, with its revision; returns the record as pull shows it."""
    if record["voided"]:
        raise DecisionConflict("This record was voided by the officer; there is nothing to review.",
                             current_change(record["id"]))
    if decision.base_version != record["version"]:
        raise DecisionConflict(
            f"The record changed since you read it (now version {record['version']}); "
            "read it again before deciding.", current_change(record["id"]))
    if decision.base_review_status not in (None, _review_status(record)):
        raise DecisionConflict(
            f"Another reviewer decided this record since you read it (now {_review_status(record)}); "
            "read it again before deciding.", current_change(record["id"]))
    state = {**record, "review_status": decision.decision,
             "review_comment": (decision.comment or "").strip() or None, "reviewed_by_id": reviewer.id,
             "reviewed_at": now, "updated_at": now, "reviewer_name": reviewer.name}
    log.put(state)
    change = change_of(state, owner_name)
    log.revise(record_id=record["id"], version=state["version"], base_version=decision.base_version,
               outcome="accepted", action=ACTIONS[decision.decision], actor_id=reviewer.id, device_id=None,
               mutation_id=decision.mutation_id, snapshot=revision_snapshot(state), created_at=now)
    return change


def review(reviewer: User, record_id: uuid.UUID, decision: Decision) -> dict:
    """Approve a record or send it back with a comment; idempotent by mutation_id, audited. A
    retry racing its own first attempt is decided again (changes.in_write_transaction): a duplicate."""
    return in_write_transaction(lambda: _review_once(reviewer, record_id, decision))


def _review_once(reviewer: User, record_id: uuid.UUID, decision: Decision) -> dict:
    log = ChangeLog.open({record_id}, {decision.mutation_id} if decision.mutation_id else set())
    # Scope first: a replay must never show what a fresh decision could not reach.
    record = _reviewable(reviewer, log, record_id)
    earlier = earlier_decision(reviewer, log.answers.get(decision.mutation_id), record_id)
    if earlier is not None:
        return {**earlier, "duplicate": True, "record": current_change(record_id)}
    now = utcnow()
    owner_name = db.session.get(User, record["owner_id"]).name
    change = _decide(log, reviewer, record, decision, now, owner_name)
    result = {"decision": decision.decision, "version": change["version"]}
    if decision.mutation_id is not None:
        log.answer(decision.mutation_id, user_id=reviewer.id, device_id=None, record_id=record_id,
                   status="applied", version=change["version"], result=result, now=now)
    log.write()
    log_event(f"record.review.{decision.decision}", "success", actor=reviewer, target=f"record:{record_id}",
              details={"version": change["version"]})
    return {**result, "duplicate": False, "record": change}


# --- bulk: an officer-week or officer-month at once --------------------------------------

def _waiting_ids(reviewer: User, officer_id: int, starts: date, ends: date) -> set[uuid.UUID]:
    return set(db.session.scalars(
        select(RECORDS.c.id).where(and_(
            records_reviewable_by(reviewer), RECORDS.c.owner_id == officer_id, RECORDS.c.voided.is_(False),
            RECORDS.c.review_status == "submitted", RECORDS.c.occurred_on >= starts, RECORDS.c.occurred_on <= ends,
        ))
    ))


def _still_waiting(record: dict, starts: date, ends: date) -> bool:
    """Checked again under the change log's lock: an officer may have voided or moved it since."""
    return (not record["voided"] and record["review_status"] == "submitted"
            and starts <= record["occurred_on"] <= ends)


def review_period(reviewer: User, officer_id: int, starts: date, ends: date, decision: str,
                  comment: str | None) -> dict:
    """One decision on every live record of one officer between two days that is still
    `submitted` (records already decided keep their decision), in one transaction, each through
    the same versioned path, one audit event with the count. An officer the reviewer does not
    supervise looks like one with nothing to review."""
    candidates = _waiting_ids(reviewer, officer_id, starts, ends)
    with write_transaction():
        log = ChangeLog.open(candidates, set())
        waiting = sorted((record for record in log.records.values() if _still_waiting(record, starts, ends)),
                         key=lambda record: (record["occurred_at"], str(record["id"])))
        now = utcnow()
        owner_name = db.session.get(User, officer_id).name if waiting else None
        for record in waiting:
            _decide(log, reviewer, record, Decision(decision, comment, record["version"]), now, owner_name)
        log.write()
        log_event(f"records.review.{decision}", "success", actor=reviewer, target=f"user:{officer_id}",
                  details={"from": starts.isoformat(), "to": ends.isoformat(), "records": len(waiting)})
    return {"decision": decision, "officer_id": officer_id, "period_start": starts, "period_end": ends,
            "reviewed": len(waiting), "record_ids": [str(record["id"]) for record in waiting]}
