"""Fixtures shared by the API tests of issue 14's officer-facing features (My program, feedback)."""

from dataclasses import dataclass
from datetime import date

import pytest

from tests import factories
from tests.sync_support import signed_in


@dataclass
class Beat:
    app: object
    school: factories.SchoolInfo
    officer: factories.UserInfo
    other_officer: factories.UserInfo
    principal: factories.UserInfo
    supervisor: factories.UserInfo

    def client(self, user):
        return signed_in(self.app, user.email)


@pytest.fixture
def beat(app) -> Beat:
    """A school on the 2026-2027 calendar, two officers there since 1 August, its principal and
    the first officer's supervisor."""
    school = factories.make_school(app, name="Northside High")
    officer = factories.make_user(app, "officer", name="Officer Dana Reyes")
    other = factories.make_user(app, "officer", name="Officer Sam Ortiz")
    for one in (officer, other):
        factories.assign_officer(app, one, school, date(2026, 8, 1))
    principal = factories.make_user(app, "principal", name="Dr. Maria Alvarez")
    factories.make_principal_for(app, school, principal)
    supervisor = factories.make_user(app, "supervisor", name="Sgt. Lee Kim")
    factories.supervise(app, supervisor, officer)
    return Beat(app, school, officer, other, principal, supervisor)
