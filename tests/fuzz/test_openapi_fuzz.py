"""schemathesis against /api/openapi.json, signed in as each role: never a 5xx, and every
documented response matches its schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from tests.factories import email_of
from tests.sync_support import build_world, mutation, signed_in

ROLES = ("officer_a", "principal_a", "supervisor", "admin")
EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def role_headers(app):
    """Session cookie and CSRF header of one signed-in user per role, over a little real data."""
    world = build_world(app)
    officer = world.client(world.officer_a)
    officer.push_ok([mutation(kind="principal_meeting", school_id=world.school_a), mutation(school_id=world.school_a)])
    headers = {}
    for role in ROLES:
        client = signed_in(app, email_of(app, getattr(world, role)))
        cookie = client.client.get_cookie("sro_session")
        headers[role] = {"headers": {"X-CSRF-Token": client.token}, "cookies": {"sro_session": cookie.value}}
    return headers


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(operation, headers: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case):
        for role in ROLES:
            case.call_and_validate(**headers[role], checks=CHECKS)

    run()


def test_no_server_errors_and_documented_shapes(app, role_headers):
    failures = []
    for operation in operations(app):
        try:
            fuzz(operation, role_headers)
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
