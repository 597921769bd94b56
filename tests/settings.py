"""The test suite's own settings, read from the environment here (server/config.py reads the app's).

SRO_TEST_DB        sqlite (default) or postgresql: the engine the suite runs on.
TEST_DATABASE_URL  an existing, disposable database the suite EMPTIES, instead of making its own.
CI                 true: a missing PostgreSQL, chromium or redis-server fails the run instead of skipping.
"""

import os

from server.config import ConfigError


def test_database_url() -> str | None:
    """An existing database for the test suite to use: TEST_DATABASE_URL only.

    Never DATABASE_URL, which may name a real deployment: whatever this names is
    EMPTIED by the suite. None: the suite makes its own (a SQLite file, or a
    PostgreSQL server it starts).
    """
    return os.environ.get("TEST_DATABASE_URL") or None


def test_database_engine() -> str:
    """Which engine the test suite runs on: "sqlite" (default) or "postgresql".

    SRO_TEST_DB=postgresql selects PostgreSQL; so does a PostgreSQL test_database_url().
    """
    chosen = (os.environ.get("SRO_TEST_DB") or "").strip().lower()
    if chosen in {"postgresql", "postgres", "pg"}:
        return "postgresql"
    if chosen in {"sqlite", ""}:
        url = test_database_url() or ""
        if not chosen and url.startswith(("postgres://", "postgresql")):
            return "postgresql"
        return "sqlite"
    raise ConfigError(f"SRO_TEST_DB must be sqlite or postgresql, not {chosen!r}.")


def running_in_ci() -> bool:
    return (os.environ.get("CI") or "").strip().lower() in {"1", "true", "yes", "on"}


def subprocess_environment(**overrides: str | None) -> dict[str, str]:
    """The current environment plus overrides (None removes a name), for a child process (a test server, a CLI run)."""
    environment = dict(os.environ)
    for name, value in overrides.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment
