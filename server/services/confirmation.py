"""A principal (or designee) confirms or disputes a weekly meeting.

A decision is made on one version of the meeting: when the officer changed
it since, the principal gets a conflict and sees the new version first. The
decision does not bump the record's version (that is the officer's content
version) but does take a change number, so it reaches the officer's phone on
the next pull, and appends a revision, so it stays in the meeting's history.
"""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import aliased

from server.database import write_transaction
from server.extensions import db
from server.models import AppliedMutation, Record, RecordRevision, User
from server.models.base import utcnow
from server.services.audit import log_event
from server.services.directory import principal_school_ids
from server.services.record_shapes import change_of
from server.services.sync import advance_change_counter, lock_change_counter, snapshot_of

RECORDS = Record.__table__


class MeetingNotFound(LookupError):
    """No meeting this principal may decide on (other schools' meetings look absent)."""


class DecisionConflict(Exception):
    def __init__(self, message: str, record: dict):
        super().__init__(message)
        self.message = message
        self.record = record


def current_change(record_id: uuid.UUID) -> dict | None:
    owner, confirmer = aliased(User), aliased(User)
    row = db.session.execute(
        select(RECORDS, owner.name.label("owner_name"), confirmer.name.label("confirmer_name"))
        .join(owner, owner.id == RECORDS.c.owner_id)
        .outerjoin(confirmer, confirmer.id == RECORDS.c.confirmed_by_id)
        .where(RECORDS.c.id == record_id)
    ).first()
    return None if row is None else change_of(row._mapping, row.owner_name, row.confirmer_name)


def _meeting_for(principal: User, record_id: uuid.UUID) -> Record:
    record = db.session.get(Record, record_id)
    if (record is None or record.kind != "principal_meeting"
            or record.school_id not in principal_school_ids(principal.id)):
        raise MeetingNotFound(str(record_id))
    return record


def _earlier_decision(principal: User, mutation_id: uuid.UUID | None) -> dict | None:
    if mutation_id is None:
        return None
    earlier = db.session.get(AppliedMutation, mutation_id)
    if earlier is None:
        return None
    if earlier.user_id != principal.id:
        raise DecisionConflict("This mutation_id was already used by another account.", {})
    return earlier.result


def decide(principal: User, record_id: uuid.UUID, decision: str, comment: str | None,
           base_version: int | None = None, mutation_id: uuid.UUID | None = None,
           device_id: str | None = None) -> dict:
    """Record a decision; returns the meeting as pull shows it. Idempotent by mutation_id."""
    with write_transaction():
        counter = lock_change_counter()
        earlier = _earlier_decision(principal, mutation_id)
        if earlier is not None:
            return {**earlier, "duplicate": True, "record": current_change(record_id)}
        record = _meeting_for(principal, record_id)
        if record.voided:
            raise DecisionConflict("This meeting was voided by the officer.", current_change(record_id))
        if base_version is not None and base_version != record.version:
            raise DecisionConflict(
                f"The officer changed this meeting (now version {record.version}); review it before deciding.",
                current_change(record_id),
            )
        now = utcnow()
        record.confirmation_status = decision
        record.confirmation_comment = (comment or "").strip() or None
        record.confirmed_by_id = principal.id
        record.confirmed_at = now
        record.confirmed_version = record.version
        record.updated_at = now
        record.change_seq = advance_change_counter(counter, 1)
        db.session.flush()
        change = current_change(record_id)
        db.session.add(RecordRevision(
            record_id=record_id, version=record.version, base_version=base_version, outcome="accepted",
            action="confirm" if decision == "confirmed" else "dispute", actor_id=principal.id,
            device_id=device_id, mutation_id=mutation_id, snapshot=snapshot_of(change), created_at=now,
        ))
        result = {"decision": decision, "version": record.version}
        if mutation_id is not None:
            db.session.add(AppliedMutation(
                mutation_id=mutation_id, user_id=principal.id, device_id=device_id or "", record_id=record_id,
                status="applied", version=record.version, result=result, created_at=now,
            ))
        log_event(f"meeting.{decision}", "success", actor=principal, target=f"record:{record_id}",
                  details={"version": record.version})
    return {**result, "duplicate": False, "record": change}
