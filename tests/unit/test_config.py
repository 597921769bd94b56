"""The app factory and configuration: environment variables are read in server/config.py only."""

import pytest

from server import create_app
from server.config import ConfigError, build_config, normalise_database_url
from server.extensions import db
from tests.settings import subprocess_environment
from tests.settings import test_database_engine as suite_engine

STRONG_SECRET = "9b1d5c0e7f3a4b6c8d2e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c"  # 32 random bytes, hex


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """A clean environment for from_environment(): nothing the developer's shell has set leaks in."""
    for name in ("SRO_ENV", "SECRET_KEY", "DATABASE_URL", "SESSION_COOKIE_SECURE", "SESSION_IDLE_MINUTES",
                 "SESSION_ABSOLUTE_HOURS", "SQLITE_BUSY_TIMEOUT_MS", "MIN_CLIENT_VERSION", "SECOND_FACTOR_REQUIRED",
                 "RATELIMIT_STORAGE_URI", "RATELIMIT_ENABLED", "SRO_FROZEN_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'config.sqlite'}")
    return monkeypatch


def test_missing_secret_key_in_production_stops_start_up_with_a_clear_message(environment):
    environment.setenv("SRO_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set") as refused:
        create_app()
    assert "SRO_ENV=development" in str(refused.value)


def test_production_is_the_default_environment(environment):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("environment_name", ["development", "testing"])
def test_development_starts_without_a_secret_key(environment, environment_name):
    environment.setenv("SRO_ENV", environment_name)
    app = create_app()
    assert app.config["SECRET_KEY"]
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SECOND_FACTOR_REQUIRED"] is False  # the demo's supervisor may skip the app


def test_production_settings_come_from_the_environment(environment):
    environment.setenv("SRO_ENV", "production")
    environment.setenv("SECRET_KEY", STRONG_SECRET)
    environment.setenv("SESSION_IDLE_MINUTES", "20")
    app = create_app()
    assert app.config["SECRET_KEY"] == STRONG_SECRET
    assert app.config["SESSION_COOKIE_SECURE"] is True  # Secure cookies unless told otherwise
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_IDLE_MINUTES"] == 20
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    assert app.config["SECOND_FACTOR_REQUIRED"] is True  # supervisors and admins need an authenticator app


def test_session_cookie_secure_can_be_turned_off_behind_plain_http(environment):
    environment.setenv("SRO_ENV", "production")
    environment.setenv("SECRET_KEY", STRONG_SECRET)
    environment.setenv("SESSION_COOKIE_SECURE", "false")
    assert create_app().config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("url", [
    "postgres://sro:pw@db.internal:5432/sro",
    "postgresql://sro:pw@db.internal:5432/sro",
    "postgresql+psycopg://sro:pw@db.internal:5432/sro",
])
def test_database_url_selects_postgresql_through_psycopg_3(environment, url):
    environment.setenv("SRO_ENV", "production")
    environment.setenv("SECRET_KEY", STRONG_SECRET)
    environment.setenv("DATABASE_URL", url)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://sro:pw@db.internal:5432/sro"
    with app.app_context():  # building the engine does not connect
        assert db.engine.dialect.name == "postgresql"
        assert db.engine.dialect.driver == "psycopg"


def test_sqlite_is_the_default_database(environment):
    environment.delenv("DATABASE_URL")
    environment.setenv("SRO_ENV", "development")
    url = build_config()["SQLALCHEMY_DATABASE_URI"]
    assert url.startswith("sqlite:///") and url.endswith("instance/sro_field_log.sqlite")


def test_test_config_overrides_never_read_the_environment(environment):
    environment.setenv("SRO_ENV", "production")  # no SECRET_KEY: would refuse outside tests
    settings = build_config({"TESTING": True})
    assert settings["ENV_NAME"] == "testing"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_normalise_database_url_leaves_sqlite_alone():
    assert normalise_database_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


@pytest.mark.parametrize("chosen, url, engine", [
    (None, None, "sqlite"),
    ("sqlite", None, "sqlite"),
    ("postgresql", None, "postgresql"),
    (None, "postgresql://u:p@localhost/t", "postgresql"),
])
def test_the_suite_picks_its_engine_from_sro_test_db(monkeypatch, chosen, url, engine):
    for name, value in (("SRO_TEST_DB", chosen), ("TEST_DATABASE_URL", url)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert suite_engine() == engine


def test_the_suite_database_is_tuned_for_its_engine(app, db_engine_name):
    """SQLite: WAL, foreign keys, busy timeout. PostgreSQL: psycopg 3."""
    with app.app_context():
        if db_engine_name == "postgresql":
            assert (db.engine.dialect.name, db.engine.dialect.driver) == ("postgresql", "psycopg")
            return
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


# --- production refuses weak secrets and per-worker sign-in limits (issue 11) -------------------

@pytest.mark.parametrize("secret", ["abc", "x" * 40, "a-long-random-production-secret", "0123456789abcdef" * 2,
                                    "ab" * 40, "correct horse battery staple"])
def test_production_refuses_a_secret_key_of_less_than_32_random_bytes(environment, secret):
    environment.setenv("SRO_ENV", "production")
    environment.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError, match="at least 32 random bytes"):
        create_app()


@pytest.mark.parametrize("secret", [STRONG_SECRET, "kQ3v_8yZ-pL2mX7wR4tN9bC1dF6gH0jK5sA8eU3iO2q"])  # hex, token_urlsafe(32)
def test_production_takes_32_random_bytes_written_as_hex_or_base64(environment, secret):
    environment.setenv("SRO_ENV", "production")
    environment.setenv("SECRET_KEY", secret)
    assert create_app().config["SECRET_KEY"] == secret


def test_development_keeps_its_fixed_key(environment):
    environment.setenv("SRO_ENV", "development")
    environment.setenv("SECRET_KEY", "abc")
    assert create_app().config["SECRET_KEY"] == "abc"


@pytest.mark.parametrize(("settings", "workers", "refused"), [
    ({"SRO_ENV": "production"}, 4, True),
    ({"SRO_ENV": "production", "RATELIMIT_STORAGE_URI": "memory://"}, 2, True),
    ({"SRO_ENV": "production"}, 1, False),
    ({"SRO_ENV": "production", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, 4, False),
    ({"SRO_ENV": "production", "RATELIMIT_ENABLED": "false"}, 4, False),
    ({"SRO_ENV": "development"}, 4, False),
])
def test_several_workers_need_shared_sign_in_counters_in_production(environment, settings, workers, refused):
    from server.config import shared_limits_problem

    for name, value in settings.items():
        environment.setenv(name, value)
    problem = shared_limits_problem(workers)
    assert (problem is not None) == refused
    if refused:
        assert "RATELIMIT_STORAGE_URI=redis://" in problem


def test_gunicorn_refuses_to_start_several_workers_on_memory_counters(environment, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    started = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "3", "-b", "127.0.0.1:0", "wsgi:app"],
        cwd=root, capture_output=True, text=True, timeout=60,
        env=subprocess_environment(SRO_ENV="production", SECRET_KEY=STRONG_SECRET, RATELIMIT_STORAGE_URI=None,
                                   DATABASE_URL=f"sqlite:///{tmp_path / 'refused.sqlite'}"),
    )
    assert started.returncode != 0
    assert "cannot start" in started.stderr and "RATELIMIT_STORAGE_URI" in started.stderr
