"""Sign-in throttling per address and per account (flask-limiter), beside the account lockout."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from server import create_app
from server.extensions import limiter
from tests.conftest import unavailable
from tests.db_support import free_port
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


@pytest.fixture
def redis_url(tmp_path):
    """A redis-server of the test's own on 127.0.0.1 (Debian's package; make test installs it)."""
    server = shutil.which("redis-server")
    if server is None:
        unavailable("redis-server is not installed (Debian package redis-server; make test installs it)")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def app_server(database_url: str, storage: str):
    """One of several app servers behind a load balancer, sharing the database and the limiter storage."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": storage, "LOGIN_LIMIT_PER_ADDRESS": "100 per minute",
                       "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute"})


def test_with_redis_several_app_servers_count_one_accounts_attempts_together(database_url, redis_url):
    servers = [app_server(database_url, redis_url) for _ in range(2)]
    officer = make_user(servers[0], "officer")
    answers = [attempt(servers[n % 2], officer.email, f"10.0.3.{n}").status_code for n in range(4)]
    assert answers == [401, 401, 401, 429]
    # The counts live in Redis, not in a worker's memory: emptied there, the account may try again.
    store = redis.Redis.from_url(redis_url)
    assert any(officer.email in key.decode() for key in store.keys("*"))
    store.flushall()
    assert attempt(servers[1], officer.email, "10.0.3.9").status_code == 401


def store_down_app(database_url):
    """An app whose limit store (Redis) cannot be reached: nothing listens on the port."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{free_port()}/0"})


def test_an_unreachable_limit_store_refuses_sign_in_with_503_not_500(database_url):
    """Several nodes share the limits in Redis: when it is down, sign-in fails closed, and says so."""
    app = store_down_app(database_url)
    officer = make_user(app, "officer")
    answer = attempt(app, officer.email, "10.0.3.1", officer.password)
    assert answer.status_code == 503
    assert answer.get_json()["error"]["code"] == "limit_store_unreachable"
    assert int(answer.headers["Retry-After"]) >= 1
    assert "Set-Cookie" not in answer.headers


def test_an_unreachable_limit_store_lets_public_reads_through_uncounted(database_url):
    # Readers are not signing in: with nothing to count them in, the public site and its API still
    # answer (docs/deployment.md "If Redis is down"), more often than the limit allows.
    client = store_down_app(database_url).test_client()
    for path in ("/public/", "/public/method", "/api/public/releases"):
        answers = {client.get(path, environ_base={"REMOTE_ADDR": "10.0.4.1"}).status_code for _ in range(3)}
        assert answers == {200}, path


@pytest.fixture
def store_fails_after_its_check(database_url, monkeypatch):
    """The store answers the health check, then fails on the count (it went down in between)."""
    app = store_down_app(database_url)
    monkeypatch.setattr(limiter.storage, "check", lambda: True)
    return app


@pytest.mark.parametrize("lang, words", [("en", "briefly unavailable"), ("es", "no está disponible")])
def test_a_store_failing_on_a_public_page_answers_the_sites_page_not_sign_in(store_fails_after_its_check, lang,
                                                                               words):
    # A reader of the public site is not signing in: the answer is the site's own error page, in
    # the reader's language, and keeps out of shared caches.
    answer = store_fails_after_its_check.test_client().get(
        "/public/", headers={"Accept-Language": lang}, environ_base={"REMOTE_ADDR": "10.0.4.1"})
    assert answer.status_code == 503
    assert answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert words in page and "Sign-in" not in page and "sesión" not in page
    assert int(answer.headers["Retry-After"]) >= 1
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers


def test_a_store_failing_on_the_public_api_answers_json_not_about_sign_in(store_fails_after_its_check):
    answer = store_fails_after_its_check.test_client().get(
        "/api/public/releases", environ_base={"REMOTE_ADDR": "10.0.4.2"})
    assert answer.status_code == 503
    error = answer.get_json()["error"]
    assert error["code"] == "limit_store_unreachable"
    assert "public figures" in error["message"] and "Sign-in" not in error["message"]
    assert int(answer.headers["Retry-After"]) >= 1
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers
