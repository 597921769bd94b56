"""Shared fixtures: database_url -> app -> client, and live_server for browser and load tests.

The engine comes from tests/settings.py's test_database_engine():
  SRO_TEST_DB=sqlite (default)  a migrated SQLite template file, copied for each test;
  SRO_TEST_DB=postgresql        a PostgreSQL server this suite starts on 127.0.0.1 (or the
                                database in TEST_DATABASE_URL, which it EMPTIES), tables
                                truncated before each test.
In CI (CI=true) a missing PostgreSQL or browser fails the run; locally it skips.
Factories for users, schools and sign-in live in tests/factories.py; `world` (two schools, their
officers and principals, a supervisor, an admin) is built by tests/sync_support.py's build_world.
"""

import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from server import create_app
from server.extensions import db
from tests.db_support import DatabaseUnavailable, PostgresServer, SqliteTemplate, free_port
from tests.settings import running_in_ci, subprocess_environment, test_database_engine, test_database_url
from tests.sync_support import World, build_world

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
LIVE_SERVER_START_SECONDS = 30


def unavailable(message: str):
    """Skip locally; in CI a missing dependency is a failure, never a skip."""
    if running_in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def pytest_report_header(config):
    return f"database engine: {test_database_engine()} (SRO_TEST_DB); CI: {running_in_ci()}"


# Two app nodes share one database: SQLite is a file on one machine, so the cluster test
# (scripts/cluster.sh, which starts its own PostgreSQL and Redis) runs in the PostgreSQL pass only.
NOT_ON_SQLITE = ("the two-node cluster shares one PostgreSQL and one Redis; "
                 "it runs in the PostgreSQL pass (SRO_TEST_DB=postgresql)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.path).replace("\\", "/")
        if "/e2e/" in path:
            item.add_marker(pytest.mark.e2e)
        if "/tests/cluster/" in path and test_database_engine() != "postgresql":
            item.add_marker(pytest.mark.skip(reason=NOT_ON_SQLITE))


# --- databases -------------------------------------------------------------------

@pytest.fixture(scope="session")
def database_server(tmp_path_factory):
    """The session's migrated database template (SQLite) or server (PostgreSQL)."""
    engine = test_database_engine()
    try:
        if engine == "postgresql":
            server = PostgresServer(external_url=test_database_url())
        else:
            server = SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))
    except DatabaseUnavailable as error:
        unavailable(str(error))
    yield server
    server.stop()


@pytest.fixture
def database_url(database_server, tmp_path) -> str:
    """URL of this test's own empty, migrated database (SQLAlchemy form)."""
    return database_server.fresh(tmp_path)


@pytest.fixture
def empty_database_url(database_server, tmp_path):
    """A database with no tables at all, on the suite's engine (for migration tests)."""
    url = database_server.empty(tmp_path)
    yield url
    database_server.drop(url)


@pytest.fixture
def db_engine_name() -> str:
    return test_database_engine()


# --- the server's clock ------------------------------------------------------------------

@pytest.fixture
def default_frozen_now() -> str | None:
    """None: the real time. tests/e2e overrides it, so every browser test runs on one day."""
    return None


@pytest.fixture
def frozen_now(request, default_frozen_now) -> str | None:
    """The moment the server's clock (server/clock.py) is pinned to for this test: its
    frozen_now("2026-11-30T10:00:00-06:00") marker (on the test, its class or module), else the default."""
    marker = request.node.get_closest_marker("frozen_now")
    return marker.args[0] if marker else default_frozen_now


# --- the app ------------------------------------------------------------------------

@pytest.fixture
def app(database_url, frozen_now):
    """The app on this test's database, configured for testing (like the Flask tutorial's test_config)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "FROZEN_NOW": frozen_now})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(app) -> World:
    """Two schools (no calendar), an officer at each, their principals, a supervisor of officer A only, an admin."""
    return build_world(app)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- a real server ---------------------------------------------------------------------

@pytest.fixture
def live_server(request, database_url, frozen_now, tmp_path):
    """gunicorn (2 workers, 127.0.0.1, a free port) on this test's database, its clock pinned to
    frozen_now; yields its base URL. A test marked server_env(NAME="value") runs it with those settings too."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "gunicorn.log"
    environment = subprocess_environment(
        SRO_ENV="testing", DATABASE_URL=database_url, SECRET_KEY="live-server-test-secret",
        SESSION_COOKIE_SECURE="0", PYTHONUNBUFFERED="1",
        RATELIMIT_ENABLED="0",  # browser tests sign in often from one address; limits have their own tests
        SRO_FROZEN_NOW=frozen_now,  # None: the real time, whatever the developer's shell has set
        **_marked_server_env(request),
    )
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--no-control-socket", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5", "wsgi:app"],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, base_url, log_path)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _marked_server_env(request) -> dict[str, str]:
    marker = request.node.get_closest_marker("server_env")
    return dict(marker.kwargs) if marker else {}


def _wait_until_serving(process: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + LIVE_SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(f"{base_url}/api/openapi.json", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # refused, or accepted before a worker was ready
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"gunicorn did not start at {base_url}:\n{log_path.read_text()[-3000:]}", pytrace=False)


# --- browser (pytest-playwright) -------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a browser downloaded by `playwright install`."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing; `make test` installs it with apt-get install chromium.")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }
