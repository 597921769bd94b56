"""The change log: the one writer of records, their revisions and the answers to mutations.

Every change to a record, an officer's pushed mutation or a principal's decision on a meeting,
goes through one ChangeLog inside a write transaction. Opening it takes the change counter
first (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE), so writers are serialised,
every look-up after it is authoritative, and change numbers become visible strictly in order:
a pull cursor can never step over a change that commits later (docs/sync.md). The changes are
collected in memory and written set-based by `write()`, each changed record numbered once, in
the order of its latest change.
"""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, select, update

from server.extensions import db
from server.models import AppliedMutation, ChangeCounter, Record, RecordRevision

RECORDS = Record.__table__
RECORD_COLUMNS = tuple(column.name for column in RECORDS.columns)


def snapshot_of(change: dict) -> dict:
    """What a revision keeps: the record as clients see it, without the bookkeeping."""
    return {key: change[key] for key in ("kind", "version", "data", "voided", "void_reason", "confirmation")
            if key in change}


def _lock_change_counter() -> int:
    return db.session.execute(
        select(ChangeCounter.value).where(ChangeCounter.id == 1).with_for_update()
    ).scalar_one()


def _load_records(ids: set[uuid.UUID]) -> dict[uuid.UUID, dict]:
    if not ids:
        return {}
    rows = db.session.execute(select(RECORDS).where(RECORDS.c.id.in_(ids)))
    return {row.id: dict(row._mapping) for row in rows}


def _load_answers(mutation_ids: set[uuid.UUID]) -> dict[uuid.UUID, dict]:
    if not mutation_ids:
        return {}
    rows = db.session.execute(
        select(AppliedMutation.mutation_id, AppliedMutation.user_id, AppliedMutation.status,
               AppliedMutation.record_id, AppliedMutation.result)
        .where(AppliedMutation.mutation_id.in_(mutation_ids))
    )
    return {row.mutation_id: dict(row._mapping) for row in rows}


@dataclass
class ChangeLog:
    """One write transaction's changes. `records` and `answers` start as stored and follow the
    changes made so far, so later changes in the same transaction see earlier ones."""

    counter: int
    records: dict[uuid.UUID, dict]  # record id -> its columns, as changed so far
    answers: dict[uuid.UUID, dict]  # mutation_id -> {user_id, status, record_id, result}
    created: set[uuid.UUID] = field(default_factory=set)
    changed: dict[uuid.UUID, None] = field(default_factory=dict)  # an ordered set
    revisions: list[dict] = field(default_factory=list)
    new_answers: list[dict] = field(default_factory=list)

    @classmethod
    def open(cls, record_ids: set[uuid.UUID], mutation_ids: set[uuid.UUID]) -> "ChangeLog":
        """Inside a write transaction: the counter, then the rows these changes may touch."""
        counter = _lock_change_counter()
        return cls(counter=counter, records=_load_records(record_ids), answers=_load_answers(mutation_ids))

    def put(self, state: dict, *, created: bool = False) -> None:
        """The record's new columns (all of them); its change number follows its latest put."""
        record_id = state["id"]
        self.records[record_id] = state
        if created:
            self.created.add(record_id)
        self.changed.pop(record_id, None)
        self.changed[record_id] = None

    def revise(self, **revision) -> None:
        """Append a revision: record_id, version, base_version, outcome, action, actor_id,
        device_id, mutation_id, snapshot, created_at. Revisions are never changed afterwards."""
        self.revisions.append(revision)

    def answer(self, mutation_id: uuid.UUID, *, user_id: int, device_id: str | None, record_id: uuid.UUID,
               status: str, version: int | None, result: dict, now) -> None:
        """Keep the answer to a mutation, so that its retry gets the same answer and changes nothing."""
        self.answers[mutation_id] = {"user_id": user_id, "status": status, "record_id": record_id, "result": result}
        self.new_answers.append({
            "mutation_id": mutation_id, "user_id": user_id, "device_id": device_id or "", "record_id": record_id,
            "status": status, "version": version, "result": result, "created_at": now,
        })

    def write(self) -> None:
        """Number the changed records after the counter and write everything, set-based."""
        for offset, record_id in enumerate(self.changed):
            self.records[record_id]["change_seq"] = self.counter + 1 + offset
        rows = [{name: self.records[rid].get(name) for name in RECORD_COLUMNS} for rid in self.changed]
        new_rows = [row for row in rows if row["id"] in self.created]
        changed_rows = [
            {**{key: value for key, value in row.items() if key != "id"}, "record_id": row["id"]}
            for row in rows if row["id"] not in self.created
        ]
        if new_rows:
            db.session.execute(insert(RECORDS), new_rows)
        if changed_rows:
            db.session.connection().execute(
                update(RECORDS).where(RECORDS.c.id == bindparam("record_id")), changed_rows
            )
        if self.revisions:
            db.session.execute(insert(RecordRevision.__table__), self.revisions)
        if self.new_answers:
            db.session.execute(insert(AppliedMutation.__table__), self.new_answers)
        if self.changed:
            db.session.execute(update(ChangeCounter).where(ChangeCounter.id == 1)
                               .values(value=self.counter + len(self.changed)))
