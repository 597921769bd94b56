"""Sign-in throttling per address and per account (flask-limiter), beside the account lockout."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from server import create_app
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
