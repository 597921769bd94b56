"""Sign-in throttling per address and per account (flask-limiter), beside the account lockout."""

import pytest

from server import create_app
from tests.factories import make_user


@pytest.fixture
def limited_app(database_url):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                       "LOGIN_LIMIT_PER_ADDRESS": "4 per minute", "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute"})


def attempt(app, email: str, address: str, password: str = "wrong-password-1"):
    return app.test_client().post("/api/auth/login", json={"email": email, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


def test_one_address_spraying_many_accounts_is_throttled(limited_app):
    answers = [attempt(limited_app, f"person{n}@test.example", "10.0.0.7").status_code for n in range(5)]
    assert answers == [401, 401, 401, 401, 429]
    other_address = attempt(limited_app, "person9@test.example", "10.0.0.8")
    assert other_address.status_code == 401


def test_one_account_tried_from_many_addresses_is_throttled(limited_app):
    officer = make_user(limited_app, "officer")
    answers = [attempt(limited_app, officer.email, f"10.0.1.{n}").status_code for n in range(4)]
    assert answers == [401, 401, 401, 429]
    throttled = attempt(limited_app, officer.email.upper(), "10.0.1.99", officer.password)
    assert throttled.status_code == 429  # even the right password waits: the limit is on attempts
    body = throttled.get_json()
    assert body["error"]["code"] == "too_many_requests"
    assert 1 <= int(throttled.headers["Retry-After"]) <= 61


def test_limits_are_off_in_the_suites_default_config(app):
    officer = make_user(app, "officer")
    assert all(attempt(app, officer.email, "10.0.2.1", officer.password).status_code == 200 for _ in range(40))
