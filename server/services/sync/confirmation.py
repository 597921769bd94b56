"""A principal (or designee) confirms or disputes a weekly meeting.

A decision is a mutation like an officer's, written through the same change log
(server/services/sync/changes.py): idempotent by mutation_id, made on one version of
the meeting (when the officer changed it since, the principal gets a conflict
and sees the new version first). It does not bump the record's version (that is
the officer's content version) but takes a change number, so it reaches the
officer's phone on the next pull, and appends a revision to the meeting's history.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from server.extensions import db
from server.models import User
from server.models.base import utcnow
from server.services.audit import log_event
from server.services.access.directory import principal_school_ids
from server.services.sync.changes import ChangeLog, in_write_transaction
from server.services.sync.pull import current_change
from server.services.sync.record_shapes import as_seen_by, change_of, revision_snapshot


class MeetingNotFound(LookupError):
    """No meeting this principal may decide on (other schools' meetings look absent)."""


class DecisionConflict(Exception):
    """409: `record` is the meeting as it now is, or None when the caller may not be shown one."""

    def __init__(self, message: str, record: dict | None = None):
        super().__init__(message)
        self.message = message
        self.record = record


def _meeting_in_scope(principal: User, meeting: dict | None, record_id: uuid.UUID) -> dict:
    if (meeting is None or meeting["kind"] != "principal_meeting"
            or meeting["school_id"] not in principal_school_ids(principal.id)):
        raise MeetingNotFound(str(record_id))
    return meeting


def earlier_decision(principal: User, earlier: dict | None, record_id: uuid.UUID) -> dict | None:
    """The stored answer to a retried decision (a meeting's, a semester review's). A mutation_id is
    bound to the account and the record it was first applied to: reused for anything else it
    answers nothing of either."""
    if earlier is None:
        return None
    if earlier["user_id"] != principal.id:
        raise DecisionConflict("This mutation_id was already used by another account.")
    if earlier["record_id"] != record_id:
        raise DecisionConflict("This mutation_id was already used for a different record.")
    return earlier["result"]


def _decided(meeting: dict, principal: User, decision: str, comment: str | None, now) -> dict:
    return {
        **meeting, "confirmation_status": decision, "confirmation_comment": (comment or "").strip() or None,
        "confirmed_by_id": principal.id, "confirmed_at": now, "confirmed_version": meeting["version"],
        "updated_at": now,
    }


@dataclass(frozen=True)
class DecisionOn:
    """What differs between deciding on one kind of record and another (a weekly meeting here, a
    semester review in sync/participation.py); the flow, `decide_on`, is the same."""

    noun: str  # in the caller's messages: "meeting", "semester review"
    event: str  # the audit event's prefix
    in_scope: Callable[[User, dict | None, uuid.UUID], dict]  # the record, or its NotFound
    decided: Callable[[dict, User, str, str | None, datetime], dict]  # the record's state after
    answer: Callable[[User, str, int], dict]  # the result kept for a retry (decision, version, ...)
    names_the_decider: bool  # the change shows the decider's name (a meeting's confirmation)


def decide_on(kind: DecisionOn, user: User, record_id: uuid.UUID, decision: str, comment: str | None,
              base_version: int | None, mutation_id: uuid.UUID | None, device_id: str | None) -> dict:
    """Record a decision; returns the record as `user` may see it. Idempotent by mutation_id; a
    retry racing its own first attempt is decided again (changes.in_write_transaction): a duplicate."""
    return in_write_transaction(
        lambda: _decide_once(kind, user, record_id, decision, comment, base_version, mutation_id, device_id))


def _decide_once(kind: DecisionOn, user: User, record_id: uuid.UUID, decision: str, comment: str | None,
                 base_version: int | None, mutation_id: uuid.UUID | None, device_id: str | None) -> dict:
    log = ChangeLog.open({record_id}, {mutation_id} if mutation_id else set())
    # Scope first: a replay must never show what a fresh decision could not reach.
    record = kind.in_scope(user, log.records.get(record_id), record_id)
    earlier = earlier_decision(user, log.answers.get(mutation_id), record_id)
    if earlier is not None:
        return {**earlier, "duplicate": True, "record": as_seen_by(user, current_change(record_id))}
    if record["voided"]:
        raise DecisionConflict(f"This {kind.noun} was voided by the officer.",
                               as_seen_by(user, current_change(record_id)))
    if base_version is not None and base_version != record["version"]:
        raise DecisionConflict(
            f"The officer changed this {kind.noun} (now version {record['version']}); "
            "read it again before deciding.", as_seen_by(user, current_change(record_id)))
    now = utcnow()
    state = kind.decided(record, user, decision, comment, now)
    log.put(state)
    decider = user.name if kind.names_the_decider else None
    change = change_of(state, db.session.get(User, record["owner_id"]).name, decider)
    log.revise(
        record_id=record_id, version=record["version"], base_version=base_version, outcome="accepted",
        action="confirm" if decision == "confirmed" else "dispute", actor_id=user.id,
        device_id=device_id, mutation_id=mutation_id, snapshot=revision_snapshot(state, decider), created_at=now,
    )
    result = kind.answer(user, decision, record["version"])
    if mutation_id is not None:
        log.answer(mutation_id, user_id=user.id, device_id=device_id, record_id=record_id,
                   status="applied", version=record["version"], result=result, now=now)
    log.write()
    log_event(f"{kind.event}.{decision}", "success", actor=user, target=f"record:{record_id}",
              details={key: value for key, value in result.items() if key != "decision"})
    return {**result, "duplicate": False, "record": as_seen_by(user, change)}


MEETING = DecisionOn(
    noun="meeting", event="meeting", in_scope=_meeting_in_scope, decided=_decided,
    answer=lambda principal, decision, version: {"decision": decision, "version": version},
    names_the_decider=True,
)


def decide(principal: User, record_id: uuid.UUID, decision: str, comment: str | None,
           base_version: int | None = None, mutation_id: uuid.UUID | None = None,
           device_id: str | None = None) -> dict:
    """A principal confirms or disputes a weekly meeting; returns the meeting as pull shows it."""
    return decide_on(MEETING, principal, record_id, decision, comment, base_version, mutation_id, device_id)
