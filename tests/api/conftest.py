"""Fixtures shared by the API tests of issue 14's officer-facing features (My program, feedback)."""

from dataclasses import dataclass

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
    built = factories.make_beat(app, other_officer=True)
    return Beat(app, built.school, built.officer, built.other_officer, built.principal, built.supervisor)
