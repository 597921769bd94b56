"""Engine tuning and write transactions, the same contract on SQLite and PostgreSQL."""

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from server.extensions import db

_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


class DatabaseBusy(RuntimeError):
    """The database stayed locked past the busy timeout; the client should retry."""


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name == "postgresql":
        _configure_postgresql(engine, busy_timeout_ms)
    elif engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout_ms)


def _configure_postgresql(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "begin")
    def bound_lock_waits(connection):
        # The same promise as SQLite's busy timeout: a writer waits this long for
        # the change counter, then the client gets 503 + Retry-After.
        if _write_intent.get():
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(busy_timeout_ms)}ms'")


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def set_sqlite_pragmas(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below issue BEGIN, not pysqlite.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin_transaction(connection):
        # A write transaction takes the write lock up front: a deferred one that
        # upgrades later fails at once with SQLITE_BUSY instead of waiting.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def is_lock_timeout(error: OperationalError) -> bool:
    message = str(error.orig).lower() if error.orig is not None else str(error).lower()
    return "database is locked" in message or "database is busy" in message or "lock timeout" in message


@contextmanager
def write_transaction():
    """One committed unit of work; the caller's session starts clean.

    Services own their commit: everything inside commits together or not at all.
    """
    session = db.session
    session.rollback()  # end any read transaction begun while loading the user
    token = _write_intent.set(True)
    try:
        yield session
        session.commit()
    except OperationalError as error:
        session.rollback()
        if is_lock_timeout(error):
            raise DatabaseBusy(str(error)) from error
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        _write_intent.reset(token)
