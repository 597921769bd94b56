"""Security headers on every response, and the Origin check beside the CSRF token."""

import pytest

from tests.factories import login, make_user, post_json


@pytest.mark.parametrize("path", ["/api/openapi.json", "/api/me", "/api/nowhere", "/"])
def test_every_response_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def test_api_answers_are_not_cached(client):
    assert client.get("/api/me").headers["Cache-Control"] == "no-store"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/api/openapi.json").headers
    secure = client.get("/api/openapi.json", base_url="https://sro.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_write_from_another_origin_is_refused_even_with_the_token(app, client):
    officer = make_user(app, "officer")
    token = login(client, officer)
    refused = post_json(client, "/api/auth/logout", token=token, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "origin_refused"
    assert client.get("/api/me").status_code == 200  # still signed in: nothing happened
    same_site = post_json(client, "/api/auth/logout", token=token, headers={"Origin": "http://localhost"})
    assert same_site.status_code == 204


def test_sign_in_from_another_origin_is_refused(app, client):
    officer = make_user(app, "officer")
    response = client.post("/api/auth/login", json={"email": officer.email, "password": officer.password},
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_behind_a_trusted_proxy_the_browser_origin_is_ours(database_url):
    from server import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "PROXY_HOPS": 1})
    client = app.test_client()
    officer = make_user(app, "officer")
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "sro.example.org"}
    response = client.post("/api/auth/login", json={"email": officer.email, "password": officer.password},
                           headers={**forwarded, "Origin": "https://sro.example.org"})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
