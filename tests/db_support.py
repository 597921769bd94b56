"""Test databases: a migrated SQLite template copied per test, or a PostgreSQL server of our own.

tests/conftest.py picks the engine with tests/settings.py's test_database_engine()
(SRO_TEST_DB=sqlite|postgresql). Both run the real Alembic migrations once per
session; each test then starts from an empty, migrated database.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from server import create_app
from server.extensions import db

# Every table the app owns; alembic_version is kept so the schema stays "at head".
KEEP_TABLES = {"alembic_version"}


class DatabaseUnavailable(RuntimeError):
    """The engine the suite was asked for cannot be started on this machine."""


def migrate(url: str) -> None:
    """Run the real Alembic migration chain against `url`, then drop every pooled connection."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


class HeldLock:
    """The connection of hold_the_write_lock: statements inside its transaction, and its COMMIT."""

    def __init__(self, connection):
        self.connection = connection
        self.open = True

    def execute(self, statement, *args, **kwargs):
        return self.connection.execute(statement, *args, **kwargs)

    def commit(self) -> None:
        self.connection.exec_driver_sql("COMMIT")
        self.open = False


@contextmanager
def hold_the_write_lock(database_url: str, lock_sql: str) -> Iterator[HeldLock]:
    """Another connection's open write transaction, for tests of what the app does while it waits:
    on SQLite BEGIN IMMEDIATE (the one write lock), on PostgreSQL BEGIN and `lock_sql` (say
    "SELECT ... FOR UPDATE" of the row the app must wait for). Unless the body committed, the
    transaction is rolled back on the way out, whatever the body raised; the engine is always disposed."""
    engine = create_engine(database_url)
    try:
        connection = engine.connect()
        try:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("BEGIN")
                connection.exec_driver_sql(lock_sql)
            held = HeldLock(connection)
            try:
                yield held
            finally:
                if held.open:
                    connection.exec_driver_sql("ROLLBACK")
        finally:
            connection.close()
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- SQLite -------------------------------------------------------------------

class SqliteTemplate:
    """One migrated file per session; every test gets its own copy (WAL needs a real file)."""

    def __init__(self, folder: Path):
        self.path = folder / "template.sqlite"
        migrate(f"sqlite:///{self.path}")
        # Fold the WAL back into the main file so a plain copy is complete.
        engine = create_engine(f"sqlite:///{self.path}")
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()

    def fresh(self, folder: Path) -> str:
        target = folder / "test.sqlite"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def empty(self, folder: Path) -> str:
        return f"sqlite:///{folder / f'empty-{uuid.uuid4().hex[:8]}.sqlite'}"

    def drop(self, url: str) -> None:
        Path(make_url(url).database).unlink(missing_ok=True)

    def stop(self) -> None:
        pass


# --- PostgreSQL -------------------------------------------------------------------

def find_pg_bin() -> Path | None:
    """The newest installed PostgreSQL server binaries (Debian layout first, then PATH)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda path: int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0)
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1 and a free port, run as user postgres when we are root.

    Or, given `external_url`, an existing database (which the suite empties).
    """

    DATABASE = "sro_test"
    PASSWORD = "sro-test-only"

    def __init__(self, external_url: str | None = None):
        self.external = external_url is not None
        self.folder: Path | None = None
        if external_url:
            self.url = external_url
            self.admin_url = make_url(self._libpq(external_url)).set(database="postgres").render_as_string(
                hide_password=False)
        else:
            self._start()
            self.admin_url = self._libpq(self._url("postgres"))
            self._create_database(self.DATABASE)
            self.url = self._url(self.DATABASE)
        migrate(self.url)
        engine = create_engine(self._sqlalchemy_url(self.url))
        with engine.connect() as connection:
            names = [row[0] for row in connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))]
        engine.dispose()
        tables = ", ".join(f'"{name}"' for name in sorted(set(names) - KEEP_TABLES))
        self._reset_sql = f"TRUNCATE {tables} RESTART IDENTITY CASCADE"

    # -- server lifecycle
    def _run_as_owner(self, *command: str, **kwargs) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)

    def _start(self) -> None:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise DatabaseUnavailable(
                "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH); "
                "`make test` installs it with apt-get install postgresql.")
        # pytest's own tmp folders are private to root: postgres could not reach a data folder inside them.
        self.folder = Path(tempfile.mkdtemp(prefix="sro-test-pg-"))
        data, sockets, pwfile = self.folder / "data", self.folder / "sockets", self.folder / "pwfile"
        sockets.mkdir()
        pwfile.write_text(self.PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(sockets, "postgres")
            shutil.chown(pwfile, "postgres")
        self.port = free_port()
        self.pg_ctl = str(bin_dir / "pg_ctl")
        self.data = data
        try:
            self._run_as_owner(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
                               "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256",
                               f"--pwfile={pwfile}", "--no-sync")
            options = " ".join([
                "-c listen_addresses=127.0.0.1", f"-p {self.port}", f"-c unix_socket_directories={sockets}",
                # A throwaway cluster: durability costs time and buys nothing.
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c max_connections=200",
            ])
            self._run_as_owner(self.pg_ctl, "start", "-w", "-t", "60", "-D", str(data),
                               "-l", str(self.folder / "server.log"), "-o", options)
        except subprocess.CalledProcessError as error:
            log = self.folder / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise DatabaseUnavailable(
                f"Could not start PostgreSQL: {' '.join(error.cmd)}\n{error.stdout}\n{error.stderr}\n{tail}") from error

    def _url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres:{self.PASSWORD}@127.0.0.1:{self.port}/{database}"

    @staticmethod
    def _sqlalchemy_url(url: str) -> str:
        from server.config import normalise_database_url

        return normalise_database_url(url)

    @staticmethod
    def _libpq(url: str) -> str:
        return make_url(PostgresServer._sqlalchemy_url(url)).set(drivername="postgresql").render_as_string(
            hide_password=False)

    def _create_database(self, name: str) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    # -- per test
    def fresh(self, _folder: Path) -> str:
        """Empty every app table (keeping the schema) and put back the change counter row."""
        with psycopg.connect(self._libpq(self.url), autocommit=True) as connection:
            if not self.external:
                # A connection a test leaked (idle in a transaction) would block TRUNCATE forever.
                connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            connection.execute("SET lock_timeout = '20s'")
            with connection.transaction():
                connection.execute(self._reset_sql)
                connection.execute("INSERT INTO change_counter (id, value) VALUES (1, 0)")
        return self.url

    def empty(self, _folder: Path) -> str:
        name = f"sro_empty_{uuid.uuid4().hex[:10]}"
        self._create_database(name)
        return str(make_url(self._sqlalchemy_url(self.url)).set(database=name).render_as_string(hide_password=False))

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.external or self.folder is None:
            return
        try:
            self._run_as_owner(self.pg_ctl, "stop", "-D", str(self.data), "-m", "immediate", "-w")
        except subprocess.CalledProcessError:
            pass
        for _ in range(50):
            try:
                shutil.rmtree(self.folder)
                return
            except OSError:
                time.sleep(0.1)
