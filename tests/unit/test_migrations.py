"""The Alembic chain upgrades an empty database on this engine, and the models match it."""

import uuid
from datetime import datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import (JSON, Boolean, Date, DateTime, Integer, MetaData, String, Uuid, column, inspect, select,
                        table, text)
from sqlalchemy.event import listen

from server import create_app
from server.extensions import db
from server.models import ChangeCounter

APP_TABLES = {
    "schools", "school_terms", "non_school_days", "users", "officer_assignments", "principal_schools",
    "supervisions", "records", "record_revisions", "applied_mutations", "change_counter", "audit_events",
    "month_signoffs", "month_signoff_amendments",
}


def test_upgrade_from_empty_creates_every_table_and_the_change_counter(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert APP_TABLES <= tables
        assert "alembic_version" in tables
        assert db.session.execute(select(ChangeCounter.id, ChangeCounter.value)).all() == [(1, 0)]
        indexes = {index["name"] for index in inspect(db.engine).get_indexes("records")}
        assert {"ix_records_owner_occurred", "ix_records_school_occurred", "ix_records_report"} <= indexes
        db.session.remove()
        db.engine.dispose()


def test_models_match_the_migrations(empty_database_url):
    """`flask db migrate` would generate nothing: the models and the migration chain agree."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                   "compare_server_default": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(empty_database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert APP_TABLES <= set(inspect(db.engine).get_table_names())
        db.session.remove()
        db.engine.dispose()


def test_0010_judges_the_existing_records_late_after_seven_days(empty_database_url):
    """Records saved before 0010 are judged in the database, in one UPDATE: late when first saved
    more than 7 days after the event, to the second (the setting's default when 0010 was written)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    saved = datetime(2026, 10, 20, 12, 0, 0)
    offsets = {  # how long after its event each record was first saved
        "same_day": timedelta(hours=3), "a_week": timedelta(days=7), "a_week_and_a_second": timedelta(days=7, seconds=1),
        "a_month": timedelta(days=31), "saved_before_the_event": -timedelta(days=2),
    }
    ids = {name: uuid.uuid4() for name in offsets}
    with app.app_context():
        upgrade(revision="0009")
        tables = MetaData()
        tables.reflect(db.engine, only=("users",))
        users = tables.tables["users"]
        # Typed as the model types them (reflection on SQLite would see CHAR(32) for the UUID).
        records = table("records", *(column(name, kind) for name, kind in (
            ("id", Uuid()), ("kind", String()), ("owner_id", Integer()), ("occurred_at", DateTime()),
            ("occurred_on", Date()), ("utc_offset_minutes", Integer()), ("data", JSON()), ("version", Integer()),
            ("voided", Boolean()), ("created_at", DateTime()), ("updated_at", DateTime()),
            ("change_seq", Integer()))))
        with db.engine.begin() as connection:
            owner = connection.execute(users.insert().values(
                email="officer@example.org", name="Officer", role="officer", password_hash="x", active=True,
                failed_logins=0, session_epoch=0, created_at=saved)).inserted_primary_key[0]
            connection.execute(records.insert(), [
                {"id": ids[name], "kind": "activity", "owner_id": owner, "occurred_at": saved - offset,
                 "occurred_on": (saved - offset).date(), "utc_offset_minutes": 0, "data": {}, "version": 1,
                 "voided": False, "created_at": saved, "updated_at": saved, "change_seq": number}
                for number, (name, offset) in enumerate(offsets.items(), start=1)])
        statements: list[str] = []
        listen(db.engine, "before_cursor_execute",
               lambda _conn, _cursor, statement, *_: statements.append(" ".join(statement.split()).lower()))
        upgrade(revision="0010")
        # Set-based: one UPDATE for the whole table, not one per late record (tens of millions at
        # state scale), and no record streamed through Python.
        assert len([one for one in statements if one.startswith("update records")]) == 1
        assert not [one for one in statements if one.startswith("select records.id")]
        with db.engine.connect() as connection:
            late = dict(connection.execute(select(records.c.id, text("late_entry")).select_from(records)).all())
        db.session.remove()
        db.engine.dispose()
    assert {name: bool(late[ids[name]]) for name in offsets} == {
        "same_day": False, "a_week": False, "a_week_and_a_second": True, "a_month": True,
        "saved_before_the_event": False}


def test_0013_stores_no_participation_as_sql_null_and_back(empty_database_url):
    """Records without participation held the JSON document null before 0013 and SQL NULL after
    it (a pull decodes nothing for them); a semester review's participation is kept as it was."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    saved = datetime(2026, 10, 20, 12, 0, 0)
    part = {"principal": {"status": "confirmed"}}
    plain, review = uuid.uuid4(), uuid.uuid4()
    with app.app_context():
        upgrade(revision="0012")
        tables = MetaData()
        tables.reflect(db.engine, only=("users",))
        # Typed as the model typed them before 0013: None written as JSON null.
        records = table("records", *(column(name, kind) for name, kind in (
            ("id", Uuid()), ("kind", String()), ("owner_id", Integer()), ("occurred_at", DateTime()),
            ("occurred_on", Date()), ("utc_offset_minutes", Integer()), ("data", JSON()), ("version", Integer()),
            ("voided", Boolean()), ("participation", JSON()), ("created_at", DateTime()), ("updated_at", DateTime()),
            ("change_seq", Integer()))))
        with db.engine.begin() as connection:
            owner = connection.execute(tables.tables["users"].insert().values(
                email="officer@example.org", name="Officer", role="officer", password_hash="x", active=True,
                failed_logins=0, session_epoch=0, created_at=saved)).inserted_primary_key[0]
            connection.execute(records.insert(), [
                {"id": record_id, "kind": "activity", "owner_id": owner, "occurred_at": saved,
                 "occurred_on": saved.date(), "utc_offset_minutes": 0, "data": {}, "version": 1, "voided": False,
                 "participation": participation, "created_at": saved, "updated_at": saved, "change_seq": number}
                for number, (record_id, participation) in enumerate(((plain, None), (review, part)), start=1)])

        def stored() -> dict:
            query = select(records.c.id, text("participation IS NULL"), text("CAST(participation AS TEXT)"))
            with db.engine.connect() as connection:
                return {row[0]: (bool(row[1]), row[2]) for row in connection.execute(query.select_from(records))}

        assert stored()[plain] == (False, "null")
        upgrade(revision="0013")
        after = stored()
        downgrade(revision="0012")
        before = stored()
        db.session.remove()
        db.engine.dispose()
    assert after[plain] == (True, None) and before[plain] == (False, "null")
    assert after[review] == before[review] == (False, '{"principal": {"status": "confirmed"}}')
