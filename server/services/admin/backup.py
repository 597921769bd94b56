"""Consistent copies of a SQLite database while the app keeps serving.

SQLite's online backup API copies page by page under the database's own locks,
so the copy is a snapshot even with writers running; a plain file copy of a WAL
database is not. PostgreSQL deployments back up with pg_dump (docs/operations.md).
"""

import sqlite3
from pathlib import Path

from server.database import write_transaction
from server.extensions import db
from server.services.audit import log_event


class BackupRefused(RuntimeError):
    """This database cannot be backed up by this command; the message says what to do."""


def backup_sqlite(target: Path, *, actor: str) -> int:
    """Write a snapshot of the app's SQLite database to `target`; returns its size in bytes."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise BackupRefused(
            f"backup copies SQLite databases; this one is {url.get_backend_name()}. "
            "For PostgreSQL use pg_dump --format=custom (see docs/operations.md).")
    if target.exists():
        raise BackupRefused(f"{target} exists; choose a new file so no backup is overwritten.")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(url.database)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination, pages=1024)
    finally:
        destination.close()
        source.close()
    size = target.stat().st_size
    with write_transaction():
        log_event("database.backup", "success", email=actor, target=str(target), details={"bytes": size})
    return size
