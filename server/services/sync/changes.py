"""The change log: the one writer of records, their revisions and the answers to mutations.

Every change to a record, an officer's pushed mutation or a principal's decision on a meeting,
goes through one ChangeLog inside a write transaction (`in_write_transaction`). Opening it locks
the records the changes may touch (SQLite: the whole database, BEGIN IMMEDIATE; PostgreSQL:
SELECT ... FOR UPDATE on those rows, in id order), so every look-up after it is authoritative
for them. The changes are collected in memory and written set-based by `write()`, which takes
the change counter LAST, numbers each changed record once, in the order of its latest change,
and keeps the counter until commit: change numbers become visible strictly in order, so a pull
cursor can never step over a change that commits later (docs/sync.md), while writers on
PostgreSQL decide their batches side by side and queue only for that short last step.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import JSON, DateTime, Table, bindparam, insert, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError

from server.database import write_transaction
from server.extensions import db
from server.models import AppliedMutation, ChangeCounter, Record, RecordRevision

RECORDS = Record.__table__
ANSWERS = AppliedMutation.__table__
COUNTER = ChangeCounter.__table__
RECORD_COLUMNS = tuple(column.name for column in RECORDS.columns)

# Built once: building a statement costs more than running it for a push of a few records, and
# every push runs each of these.
TAKE_NUMBERS = (update(COUNTER).where(COUNTER.c.id == 1).values(value=COUNTER.c.value + bindparam("count"))
                .returning(COUNTER.c.value))
LOCK_RECORDS = (select(RECORDS).where(RECORDS.c.id.in_(bindparam("ids", expanding=True)))
                .order_by(RECORDS.c.id).with_for_update())
LOAD_ANSWERS = (select(ANSWERS.c.mutation_id, ANSWERS.c.user_id, ANSWERS.c.status, ANSWERS.c.record_id,
                       ANSWERS.c.result)
                .where(ANSWERS.c.mutation_id.in_(bindparam("mutation_ids", expanding=True))))
UPDATE_RECORDS = update(RECORDS).where(RECORDS.c.id == bindparam("record_id"))


class DriverInsert:
    """An INSERT of many rows handed to the driver through the session's connection (its
    transaction, its events, its error translation), without SQLAlchemy's per-row parameter
    handling, which cost a push more than running the statements.

    A row is a tuple in `columns` order (the table's order) of the values SQLAlchemy would be
    given, except that JSON columns come already encoded (`encode_json`): push encodes each
    document once. The other values go through their column type's own bind processor for the
    engine, so both engines store exactly what SQLAlchemy would.

    SQLite's executemany runs in C. psycopg's runs a pipeline costing tens of microseconds of
    Python per row, so on PostgreSQL the rows go as one array per column, unnested in order by
    one INSERT ... SELECT."""

    def __init__(self, table: Table, columns: tuple[str, ...]):
        self.table = table
        self.columns = tuple(column.name for column in table.columns if column.name in columns)
        if self.columns != columns:
            raise ValueError(f"columns not in {table.name}'s order: {columns}")
        self._prepared: dict[str, _Prepared] = {}

    def run(self, rows: list[tuple]) -> None:
        connection = db.session.connection()
        prepared = self._prepared.get(connection.dialect.name)
        if prepared is None:
            prepared = self._prepared[connection.dialect.name] = self._prepare(connection.dialect)
        converted = [prepared.convert(row) for row in rows]
        if prepared.by_column:
            connection.exec_driver_sql(prepared.sql, tuple(list(column) for column in zip(*converted)))
        else:
            connection.exec_driver_sql(prepared.sql, converted)

    def _prepare(self, dialect: Dialect) -> "_Prepared":
        processors = tuple(
            (index, process) for index, process in enumerate(
                None if isinstance(self.table.c[name].type, JSON) else _bind_processor(self.table.c[name].type, dialect)
                for name in self.columns)
            if process is not None
        )

        def convert(row: tuple) -> tuple:
            if not processors:
                return row
            values = list(row)
            for index, process in processors:
                values[index] = process(values[index])
            return tuple(values)

        if dialect.name == "postgresql":
            return _Prepared(self._unnest_sql(dialect), convert, by_column=True)
        if not dialect.positional:
            raise ValueError(f"no positional INSERT for {dialect.name}")
        sql = insert(self.table).compile(dialect=dialect, column_keys=list(self.columns), for_executemany=True)
        if tuple(sql.positiontup) != self.columns:
            raise ValueError(f"{sql.string} does not take {self.columns} in order")
        return _Prepared(sql.string, convert, by_column=False)

    def _unnest_sql(self, dialect: Dialect) -> str:
        """INSERT ... SELECT from one array parameter per column, each cast to its column's type,
        in the rows' order (WITH ORDINALITY): revisions take their ids in the order they were made."""
        quote = dialect.identifier_preparer.quote
        names = ", ".join(quote(name) for name in self.columns)
        arrays = ", ".join(f"%b::{self.table.c[name].type.compile(dialect=dialect)}[]" for name in self.columns)
        return (f"INSERT INTO {dialect.identifier_preparer.format_table(self.table)} ({names}) SELECT {names} "
                f"FROM unnest({arrays}) WITH ORDINALITY AS batch({names}, position) ORDER BY position")


@dataclass(frozen=True)
class _Prepared:
    """A DriverInsert's statement for one engine, its row converter, and whether it takes the
    rows as one array per column (else one parameter tuple per row, to executemany)."""

    sql: str
    convert: Callable[[tuple], tuple]
    by_column: bool


def _bind_processor(column_type, dialect: Dialect) -> Callable | None:
    process = column_type._cached_bind_processor(dialect)
    if process is not None and isinstance(column_type, DateTime):
        # Every row of a batch carries the same `now` (created, updated, revised, answered).
        return lru_cache(maxsize=64)(process)
    return process


# json.dumps's own encoder, less its search for circular references: a document here is a tree
# of the record's plain values, and the search costs a fifth of encoding it.
_ENCODE = json.JSONEncoder(check_circular=False).encode


def encode_json(document) -> str | None:
    """A JSON column's value as the driver takes it; None is SQL NULL (the model's
    `none_as_null`). The engine has no JSON serializer of its own: this is what it would store."""
    return None if document is None else _ENCODE(document)


REVISION_COLUMNS = ("record_id", "version", "base_version", "outcome", "action", "actor_id", "device_id",
                    "mutation_id", "snapshot", "created_at")
ANSWER_COLUMNS = ("mutation_id", "user_id", "device_id", "record_id", "status", "version", "result", "created_at")
RECORD_JSON_COLUMNS = tuple(index for index, name in enumerate(RECORD_COLUMNS) if isinstance(RECORDS.c[name].type, JSON))
INSERT_RECORDS = DriverInsert(RECORDS, RECORD_COLUMNS)
INSERT_REVISIONS = DriverInsert(RecordRevision.__table__, REVISION_COLUMNS)
INSERT_ANSWERS = DriverInsert(ANSWERS, ANSWER_COLUMNS)


def _take_change_numbers(count: int) -> int:
    """Advance the change counter by `count` in one statement, which also locks its row until
    commit; the value before, after which this transaction's numbers follow."""
    return db.session.execute(TAKE_NUMBERS, {"count": count}).scalar_one() - count


def _load_records(ids: set[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """The stored records, locked until commit: a concurrent change to one of them waits, and
    reads it again once this transaction is done. Locked in id order, so two batches touching
    the same records never wait for each other in a circle."""
    if not ids:
        return {}
    rows = db.session.execute(LOCK_RECORDS, {"ids": list(ids)})
    return {row.id: dict(row._mapping) for row in rows}


def _load_answers(mutation_ids: set[uuid.UUID]) -> dict[uuid.UUID, dict]:
    if not mutation_ids:
        return {}
    rows = db.session.execute(LOAD_ANSWERS, {"mutation_ids": list(mutation_ids)})
    return {row.mutation_id: dict(row._mapping) for row in rows}


@dataclass
class ChangeLog:
    """One write transaction's changes. `records` and `answers` start as stored and follow the
    changes made so far, so later changes in the same transaction see earlier ones."""

    records: dict[uuid.UUID, dict]  # record id -> its columns, as changed so far
    answers: dict[uuid.UUID, dict]  # mutation_id -> {user_id, status, record_id, result}
    changed: dict[uuid.UUID, bool] = field(default_factory=dict)  # id -> created here; in order of latest put
    revisions: list[tuple] = field(default_factory=list)  # rows of INSERT_REVISIONS
    new_answers: list[tuple] = field(default_factory=list)  # rows of INSERT_ANSWERS

    @classmethod
    def open(cls, record_ids: set[uuid.UUID], mutation_ids: set[uuid.UUID]) -> "ChangeLog":
        """Inside a write transaction: the rows these changes may touch. The records first: once
        their locks are held, the answers read next include any a concurrent writer of the same
        records committed while this one waited."""
        records = _load_records(record_ids)
        return cls(records=records, answers=_load_answers(mutation_ids))

    def put(self, state: dict, *, created: bool = False) -> None:
        """The record's new columns (all of them); its change number follows its latest put."""
        record_id = state["id"]
        self.records[record_id] = state
        created_before = self.changed.pop(record_id, False)
        self.changed[record_id] = created or created_before

    def revise(self, *, record_id: uuid.UUID, version: int | None, base_version: int | None, outcome: str,
               action: str, actor_id: int, device_id: str | None, mutation_id: uuid.UUID | None,
               snapshot: dict, created_at) -> None:
        """Append a revision. Revisions are never changed afterwards, so the row is made now, its
        snapshot encoded once."""
        self.revisions.append(  # in REVISION_COLUMNS order
            (record_id, version, base_version, outcome, action, actor_id, device_id, mutation_id,
             encode_json(snapshot), created_at))

    def answer(self, mutation_id: uuid.UUID, *, user_id: int, device_id: str | None, record_id: uuid.UUID,
               status: str, version: int | None, result: dict, now) -> None:
        """Keep the answer to a mutation, so that its retry gets the same answer and changes nothing."""
        self.answers[mutation_id] = {"user_id": user_id, "status": status, "record_id": record_id, "result": result}
        self.new_answers.append(  # in ANSWER_COLUMNS order
            (mutation_id, user_id, device_id or "", record_id, status, version, encode_json(result), now))

    def write(self) -> None:
        """Write everything set-based: revisions and answers first, then, holding the change
        counter from here to commit, the changed records numbered after it."""
        if self.revisions:
            INSERT_REVISIONS.run(self.revisions)
        if self.new_answers:
            # In id order: two batches answering the same new mutation_ids wait in one direction.
            INSERT_ANSWERS.run(sorted(self.new_answers, key=lambda answer: answer[0].int))
        if not self.changed:
            return
        counter = _take_change_numbers(len(self.changed))
        new_rows, changed_rows = self._numbered_rows(counter)
        if new_rows:
            INSERT_RECORDS.run(new_rows)
        if changed_rows:
            db.session.connection().execute(UPDATE_RECORDS, changed_rows)

    def _numbered_rows(self, counter: int) -> tuple[list[tuple], list[dict]]:
        """The changed records' rows after `counter`: those to insert (rows of INSERT_RECORDS),
        and those to update (keyed by record_id, a bind name apart from the id column)."""
        new_rows, changed_rows = [], []
        for offset, (record_id, created) in enumerate(self.changed.items()):
            record = self.records[record_id]
            record["change_seq"] = counter + 1 + offset
            if created:
                new_rows.append(_record_row(record))
            else:
                row = {name: record.get(name) for name in RECORD_COLUMNS}
                row["record_id"] = row.pop("id")
                changed_rows.append(row)
        return new_rows, changed_rows


def _record_row(record: dict) -> tuple:
    """A new record's row of INSERT_RECORDS (a column it lacks is NULL), its JSON encoded."""
    values = list(map(record.get, RECORD_COLUMNS))
    for index in RECORD_JSON_COLUMNS:
        values[index] = encode_json(values[index])
    return tuple(values)


Result = TypeVar("Result")
# Batches that decided at once to create the same record or answer the same mutation_id: more
# than this many in a row would mean something else is wrong.
RACE_ATTEMPTS = 3


def _lost_a_race(error: IntegrityError) -> bool:
    """A primary key another transaction committed first (PostgreSQL's unique_violation).
    SQLite runs one writer at a time, so there it is never a race."""
    return getattr(error.orig, "sqlstate", None) == "23505"


def in_write_transaction(work: Callable[[], Result]) -> Result:
    """Run `work` (which opens a ChangeLog and writes it) in one write transaction.

    On PostgreSQL two batches may decide at the same time to create the same record or answer
    the same mutation_id (a phone retrying a push still in flight): the later insert then fails
    on the primary key once the first commits. Everything is rolled back and decided again; the
    look-ups now find the first batch's rows, so the answer is the one a serialised writer would
    have given (duplicate, conflict), never an error.
    """
    attempt = 1
    while True:
        try:
            with write_transaction():
                return work()
        except IntegrityError as error:
            if attempt == RACE_ATTEMPTS or not _lost_a_race(error):
                raise
            attempt += 1
