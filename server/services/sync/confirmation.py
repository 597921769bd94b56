"""A principal (or designee) confirms or disputes a weekly meeting.

A decision is a mutation like an officer's, written through the same change log
(server/services/sync/changes.py): idempotent by mutation_id, made on one version of
the meeting (when the officer changed it since, the principal gets a conflict
and sees the new version first). It does not bump the record's version (that is
the officer's content version) but takes a change number, so it reaches the
officer's phone on the next pull, and appends a revision to the meeting's history.
"""

import uuid

from server.database import write_transaction
from server.extensions import db
from server.models import User
from server.models.base import utcnow
from server.services.audit import log_event
from server.services.access.directory import principal_school_ids
from server.services.sync.changes import ChangeLog
from server.services.sync.pull import current_change
from server.services.sync.record_shapes import change_of, revision_snapshot, without_review


class MeetingNotFound(LookupError):
    """No meeting this principal may decide on (other schools' meetings look absent)."""


class DecisionConflict(Exception):
    """409: `record` is the meeting as it now is, or None when the caller may not be shown one."""

    def __init__(self, message: str, record: dict | None = None):
        super().__init__(message)
        self.message = message
        self.record = record


def _as_principal_sees(change: dict) -> dict:
    """Principals see no review states (access/visibility.py sees_review_state)."""
    return without_review(change)


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


def decide(principal: User, record_id: uuid.UUID, decision: str, comment: str | None,
           base_version: int | None = None, mutation_id: uuid.UUID | None = None,
           device_id: str | None = None) -> dict:
    """Record a decision; returns the meeting as pull shows it. Idempotent by mutation_id."""
    with write_transaction():
        log = ChangeLog.open({record_id}, {mutation_id} if mutation_id else set())
        # Scope first: a replay must never show what a fresh decision could not reach.
        meeting = _meeting_in_scope(principal, log.records.get(record_id), record_id)
        earlier = earlier_decision(principal, log.answers.get(mutation_id), record_id)
        if earlier is not None:
            return {**earlier, "duplicate": True, "record": _as_principal_sees(current_change(record_id))}
        if meeting["voided"]:
            raise DecisionConflict("This meeting was voided by the officer.",
                                   _as_principal_sees(current_change(record_id)))
        if base_version is not None and base_version != meeting["version"]:
            raise DecisionConflict(
                f"The officer changed this meeting (now version {meeting['version']}); review it before deciding.",
                _as_principal_sees(current_change(record_id)),
            )
        now = utcnow()
        state = _decided(meeting, principal, decision, comment, now)
        log.put(state)
        change = change_of(state, db.session.get(User, meeting["owner_id"]).name, principal.name)
        log.revise(
            record_id=record_id, version=meeting["version"], base_version=base_version, outcome="accepted",
            action="confirm" if decision == "confirmed" else "dispute", actor_id=principal.id,
            device_id=device_id, mutation_id=mutation_id, snapshot=revision_snapshot(state, principal.name), created_at=now,
        )
        result = {"decision": decision, "version": meeting["version"]}
        if mutation_id is not None:
            log.answer(mutation_id, user_id=principal.id, device_id=device_id, record_id=record_id,
                       status="applied", version=meeting["version"], result=result, now=now)
        log.write()
        log_event(f"meeting.{decision}", "success", actor=principal, target=f"record:{record_id}",
                  details={"version": meeting["version"]})
    return {**result, "duplicate": False, "record": _as_principal_sees(change)}
