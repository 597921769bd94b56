"""Phone-sized Playwright fixtures for the officer PWA, on top of tests/conftest.py's live_server."""

import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
import requests
from playwright.sync_api import BrowserContext

from server import create_app
from server.extensions import db
from server.models import OfficerAssignment, School, Supervision, User
from tests import factories
from tests.db_support import free_port
from tests.settings import subprocess_environment

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-pass-2026-long"
PHONE = {"width": 360, "height": 740}
# The browser tests' "now", whatever the real date: a Monday in the fall term of the 2026-2027
# calendar they build. A test or module marked frozen_now("…") runs at another moment.
E2E_NOW = "2026-11-30T10:00:00-06:00"


@pytest.fixture
def default_frozen_now() -> str:
    return E2E_NOW


def pin_clock(context: BrowserContext, moment: str | None) -> BrowserContext:
    """Start the context's page clock at the server's pinned moment; it runs on, timers too
    (Playwright's clock.install), so the PWA's "today" is the server's. None keeps the real time."""
    if moment is not None:
        context.clock.install(time=datetime.fromisoformat(moment))
    return context


@pytest.fixture
def new_context(new_context, frozen_now):
    """pytest-playwright's contexts (so `context` and `page` too), their clock pinned like the server's."""
    return lambda **kwargs: pin_clock(new_context(**kwargs), frozen_now)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
            "locale": "en-US", "timezone_id": "America/Chicago"}


@dataclass
class Person:
    id: int
    email: str
    name: str


@dataclass
class World:
    school_id: int
    school_name: str
    officer: Person
    officer2: Person
    supervisor: Person


def _person(role: str, name: str) -> User:
    user = User(email=f"{role}-{uuid.uuid4().hex[:10]}@e2e.test", name=name, role=role)
    user.set_password(PASSWORD)
    db.session.add(user)
    return user


@pytest.fixture
def world(database_url, live_server) -> World:
    """A school, two officers assigned since 1 Sept 2026, and a supervisor of both; fresh per test."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        code = uuid.uuid4().hex[:8].upper()
        school = School(name=f"Northside High {code[:3]}", code=code)
        db.session.add(school)
        officer = _person("officer", "Officer Dana Reyes")
        officer2 = _person("officer", "Officer Sam Ortiz")
        supervisor = _person("supervisor", "Sgt. Lee Kim")
        db.session.flush()
        for one in (officer, officer2):
            db.session.add(OfficerAssignment(officer_id=one.id, school_id=school.id, starts_on=date(2026, 9, 1)))
            db.session.add(Supervision(supervisor_id=supervisor.id, officer_id=one.id))
        db.session.commit()
        people = [Person(u.id, u.email, u.name) for u in (officer, officer2, supervisor)]
        world = World(school.id, school.name, *people)
    with app.app_context():
        db.engine.dispose()
    return world


class Shots:
    """Phone-size screenshots of each screen a test passes, for people to look at."""

    def __init__(self, folder: Path, name: str):
        self.folder = folder
        self.prefix = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.count = 0

    def __call__(self, page, label: str, full_page: bool = False) -> Path:
        self.count += 1
        path = self.folder / f"{self.prefix}-{self.count:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def screenshots(pytestconfig) -> Path:
    """Saved beside pytest-playwright's other artifacts: test-results/screenshots/ unless --output says otherwise."""
    folder = ROOT / pytestconfig.getoption("--output") / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def shots(request, screenshots) -> Shots:
    return Shots(screenshots, request.node.name.removeprefix("test_"))


def api_session(base_url: str, email: str) -> requests.Session:
    session = requests.Session()
    response = session.post(f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
    response.raise_for_status()
    session.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return session


def push(base_url: str, email: str, mutations: list[dict], device_id: str = "e2e-seed") -> list[dict]:
    """Mutations sent through POST /api/sync/push as the user's other phone would; every one must apply."""
    response = api_session(base_url, email).post(f"{base_url}/api/sync/push", timeout=30,
                                                 json={"device_id": device_id, "mutations": mutations})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [result["status"] for result in results] == ["applied"] * len(mutations), results
    return results


def pull_everything(base_url: str, email: str) -> list[dict]:
    """Every record the user may see, as pull returns it (the supervisor's view through the API)."""
    session = api_session(base_url, email)
    changes, cursor = [], None
    while True:
        params = {"limit": 500, **({"since": cursor} if cursor else {})}
        page = session.get(f"{base_url}/api/sync/pull", params=params, timeout=10).json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes


def owned_by(changes: list[dict], user_id: int) -> list[dict]:
    return [change for change in changes if change["owner_id"] == user_id]


@pytest.fixture
def shell_server(database_url, frozen_now, tmp_path):
    """A second server whose pwa/ is a copy the test may change: a new app version, deployed."""
    shell = tmp_path / "pwa"
    shutil.copytree(ROOT / "pwa", shell)
    port = free_port()
    env = subprocess_environment(SRO_ENV="testing", DATABASE_URL=database_url, SECRET_KEY="shell-server-test-secret",
                                 SESSION_COOKIE_SECURE="0", SRO_FROZEN_NOW=frozen_now)
    factory = f"server:create_app({{'PWA_DIR': {str(shell)!r}}})"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--no-control-socket", "--workers", "1", "--bind", f"127.0.0.1:{port}", factory],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base_url}/sw.js", timeout=2).ok:
                break
        except requests.RequestException:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("The shell test server did not start.")
    yield base_url, shell
    process.terminate()
    process.wait(timeout=10)


@dataclass
class Beat:
    """One school's officer, principal and the officer's supervisor (issue 14's browser tests)."""

    school: factories.SchoolInfo
    officer: factories.UserInfo
    principal: factories.UserInfo
    supervisor: factories.UserInfo


@pytest.fixture
def beat(database_url, live_server) -> Beat:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    built = factories.make_beat(app, password=PASSWORD)
    with app.app_context():
        db.engine.dispose()
    return Beat(built.school, built.officer, built.principal, built.supervisor)
