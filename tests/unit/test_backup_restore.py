"""Restore drill: a backup taken while officers push holds every record and revision."""

import threading

import pytest
from sqlalchemy import select

from server import create_app
from server.extensions import db
from server.models import AuditEvent, Record, RecordRevision
from tests.db_support import migrate
from tests.sync_support import build_world, mutation


def rows(app, model) -> list[tuple]:
    table = model.__table__
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))]


@pytest.fixture
def sqlite_app(tmp_path):
    """`backup` is SQLite's (PostgreSQL uses pg_dump), so the drill has a SQLite database of
    its own and runs in both suite runs."""
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    migrate(url)
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})


def test_a_backup_taken_during_pushes_restores_every_record_and_revision(sqlite_app, tmp_path):
    app, runner = sqlite_app, sqlite_app.test_cli_runner()
    world = build_world(app)
    officer = world.client(world.officer_a)
    first = [mutation(school_id=world.school_a) for _ in range(40)]
    officer.push_ok(first)
    officer.push_ok([mutation(m["id"], base_version=1, school_id=world.school_a, count=9) for m in first[:10]])
    busy = threading.Thread(target=lambda: [officer.push_ok([mutation(school_id=world.school_a)]) for _ in range(20)])
    busy.start()
    target = tmp_path / "backups" / "field-log.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    busy.join()
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output

    restored = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{target}"})
    saved_records, saved_revisions = rows(restored, Record), rows(restored, RecordRevision)
    live_records = {row[0]: row for row in rows(app, Record)}
    assert len(saved_records) >= 40  # a snapshot: everything committed before it, whole
    for row in saved_records:
        live = live_records[row[0]]
        assert row == live or row[-1] < live[-1]  # same row, or an older committed state of it
    assert rows(app, RecordRevision)[:len(saved_revisions)] == saved_revisions
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "database.backup"))


def test_backup_never_overwrites_and_refuses_postgresql_clearly(app, runner, db_engine_name, tmp_path):
    target = tmp_path / "exists.sqlite"
    target.write_bytes(b"keep me")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    expected = "exists" if db_engine_name == "sqlite" else "pg_dump"
    assert expected in result.output
    assert target.read_bytes() == b"keep me"
