"""The Alembic chain upgrades an empty database on this engine, and the models match it."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from server import create_app
from server.extensions import db
from server.models import ChangeCounter

APP_TABLES = {
    "schools", "school_terms", "non_school_days", "users", "officer_assignments", "principal_schools",
    "supervisions", "records", "record_revisions", "applied_mutations", "change_counter", "audit_events",
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
