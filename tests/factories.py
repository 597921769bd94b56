"""Plain factory functions for tests: schools with a term calendar, users, links, sign-in.

Each takes the Flask `app`, commits in its own app context and returns a small
frozen snapshot (ids and names), never a live ORM object that would outlive its session.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from server.extensions import db
from server.models import NonSchoolDay, OfficerAssignment, PrincipalSchool, School, SchoolTerm, Supervision, User

PASSWORD = "factory-pass-2026"
CSRF_HEADER = "X-CSRF-Token"

# School year 2026-2027: two semesters, holidays on weekdays inside the terms.
DEFAULT_TERMS = (
    ("Fall semester", date(2026, 8, 19), date(2026, 12, 18)),
    ("Spring semester", date(2027, 1, 6), date(2027, 5, 27)),
)
DEFAULT_CLOSED_DAYS = (
    (date(2026, 9, 7), "Labor Day"),
    (date(2026, 11, 25), "Thanksgiving break"),
    (date(2026, 11, 26), "Thanksgiving"),
    (date(2026, 11, 27), "Thanksgiving break"),
    (date(2027, 1, 18), "Martin Luther King Jr. Day"),
)


@dataclass(frozen=True)
class SchoolInfo:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    name: str
    role: str
    password: str = PASSWORD


def _id(thing) -> int:
    """Factories take a snapshot (SchoolInfo, UserInfo) or a bare id."""
    return thing if isinstance(thing, int) else thing.id


def _unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def make_school(app, code: str | None = None, name: str | None = None, *, school_year: str = "2026-2027",
                terms=DEFAULT_TERMS, closed_days=DEFAULT_CLOSED_DAYS, timezone: str = "America/Chicago") -> SchoolInfo:
    code = code or _unique("S").upper()
    with app.app_context():
        school = School(name=name or f"{code} High School", code=code, timezone=timezone)
        school.terms = [SchoolTerm(school_year=school_year, name=term, starts_on=starts, ends_on=ends)
                        for term, starts, ends in terms]
        school.closed_days = [NonSchoolDay(day=day, description=why) for day, why in closed_days]
        db.session.add(school)
        db.session.commit()
        return SchoolInfo(school.id, school.code, school.name)


def make_user(app, role: str = "officer", *, email: str | None = None, name: str | None = None,
              password: str = PASSWORD, active: bool = True) -> UserInfo:
    email = email or f"{_unique(role + '-')}@test.example"
    with app.app_context():
        user = User(email=User.normalise_email(email), name=name or f"Test {role.title()}", role=role, active=active)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return UserInfo(user.id, user.email, user.name, user.role, password)


def assign_officer(app, officer: UserInfo | int, school: SchoolInfo | int, starts_on: date = date(2026, 8, 1),
                   ends_on: date | None = None) -> None:
    with app.app_context():
        db.session.add(OfficerAssignment(officer_id=_id(officer), school_id=_id(school), starts_on=starts_on,
                                         ends_on=ends_on))
        db.session.commit()


def make_principal_for(app, school: SchoolInfo | int, principal: UserInfo | int | None = None) -> UserInfo | int:
    principal = principal or make_user(app, "principal")
    with app.app_context():
        db.session.add(PrincipalSchool(principal_id=_id(principal), school_id=_id(school)))
        db.session.commit()
    return principal


def supervise(app, supervisor: UserInfo | int, officer: UserInfo | int) -> None:
    with app.app_context():
        db.session.add(Supervision(supervisor_id=_id(supervisor), officer_id=_id(officer)))
        db.session.commit()


@dataclass(frozen=True)
class BeatInfo:
    """One officer's beat (tests/api/conftest.py's and tests/e2e/conftest.py's `beat`,
    tests/e2e/test_principal_pwa.py's `school`): what make_beat was asked to build, None for the rest."""

    school: SchoolInfo
    officer: UserInfo
    principal: UserInfo
    supervisor: UserInfo | None = None
    other_officer: UserInfo | None = None
    other_school: SchoolInfo | None = None
    other_principal: UserInfo | None = None


def make_beat(app, *, password: str = PASSWORD, officer_since: date = date(2026, 8, 1), supervisor: bool = True,
              other_officer: bool = False, other_school: bool = False) -> BeatInfo:
    """Northside High on the default calendar; Officer Dana Reyes assigned there since `officer_since`
    (and Officer Sam Ortiz with `other_officer`); its principal Dr. Maria Alvarez; Dana's supervisor
    Sgt. Lee Kim (`supervisor`); with `other_school`, Southside High and its principal Dr. Ken Lowe.
    Every user's password is `password`."""
    school = make_school(app, name="Northside High")
    southside = make_school(app, name="Southside High") if other_school else None
    officer = make_user(app, "officer", name="Officer Dana Reyes", password=password)
    second = make_user(app, "officer", name="Officer Sam Ortiz", password=password) if other_officer else None
    for one in (officer, second):
        if one is not None:
            assign_officer(app, one, school, officer_since)
    principal = make_principal_for(app, school, make_user(app, "principal", name="Dr. Maria Alvarez",
                                                          password=password))
    southside_principal = (make_principal_for(app, southside, make_user(app, "principal", name="Dr. Ken Lowe",
                                                                        password=password))
                           if other_school else None)
    lee = make_user(app, "supervisor", name="Sgt. Lee Kim", password=password) if supervisor else None
    if lee is not None:
        supervise(app, lee, officer)
    return BeatInfo(school, officer, principal, lee, second, southside, southside_principal)


def email_of(app, user: UserInfo | int) -> str:
    """The sign-in email of a user, given its snapshot or its id."""
    if isinstance(user, UserInfo):
        return user.email
    with app.app_context():
        return db.session.get(User, user).email


def login(client, user: UserInfo | str, password: str | None = None) -> str:
    """Sign in through POST /api/auth/login; returns the session's CSRF token."""
    email = user if isinstance(user, str) else user.email
    password = password or (PASSWORD if isinstance(user, str) else user.password)
    response = client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["csrf_token"]


def post_json(client, url: str, body=None, token: str | None = None, **kwargs):
    """POST JSON with the X-CSRF-Token header every state-changing request needs."""
    headers = dict(kwargs.pop("headers", {}) or {})
    if token is not None:
        headers[CSRF_HEADER] = token
    return client.post(url, json=body if body is not None else {}, headers=headers, **kwargs)
