"""One JSON error envelope for every /api error, never an HTML page."""

import uuid

import pytest

from tests.factories import login, make_user, post_json


def assert_envelope(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    assert b"<html" not in response.get_data().lower()
    error = response.get_json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["code"], str)
    if code:
        assert error["code"] == code
    return error


def test_400_for_malformed_json(client):
    response = client.post("/api/auth/login", data="{not json", content_type="application/json")
    assert_envelope(response, 400, "bad_request")


def test_401_when_not_signed_in(client):
    assert_envelope(client.get("/api/me"), 401, "unauthorized")


def test_403_for_a_role_that_may_not(app, client):
    officer = make_user(app, "officer")
    token = login(client, officer)
    response = post_json(client, f"/api/meetings/{uuid.uuid4()}/confirmation", {"decision": "confirmed"}, token)
    assert_envelope(response, 403, "forbidden")


def test_404_for_an_unknown_api_path(client):
    assert_envelope(client.get("/api/no-such-thing"), 404, "not_found")


@pytest.mark.parametrize("method, path", [("DELETE", "/api/auth/login"), ("PUT", "/api/sync/push"),
                                          ("POST", "/api/me")])
def test_405_for_a_wrong_method(app, client, method, path):
    token = login(client, make_user(app, "officer"))
    response = client.open(path, method=method, json={}, headers={"X-CSRF-Token": token})
    assert_envelope(response, 405, "method_not_allowed")
    assert method not in response.headers["Allow"]


def test_409_when_a_decision_races_an_edit(app, client):
    """A principal deciding on an old version of a meeting gets the conflict envelope and the record."""
    from tests.sync_support import build_world, mutation

    world = build_world(app)
    officer = world.client(world.officer_a)
    meeting = mutation(kind="principal_meeting", school_id=world.school_a)
    officer.push_ok([meeting])
    officer.push_ok([mutation(meeting["id"], kind="principal_meeting", base_version=1, school_id=world.school_a,
                              summary="Edited")])
    principal = world.client(world.principal_a)
    response = principal.client.post(f"/api/meetings/{meeting['id']}/confirmation",
                                     json={"decision": "confirmed", "comment": None, "base_version": 1},
                                     headers={"X-CSRF-Token": principal.token})
    assert_envelope(response, 409, "conflict")
    assert response.get_json()["record"]["version"] == 2


def test_413_for_a_body_over_2_mb(client):
    response = client.post("/api/auth/login", data=b"x" * (2 * 1024 * 1024 + 1), content_type="application/json")
    assert_envelope(response, 413, "payload_too_large")


@pytest.mark.parametrize("body, field", [({"password": "x"}, "email"), ({"email": "a@b.example"}, "password")])
def test_422_names_the_field(client, body, field):
    error = assert_envelope(client.post("/api/auth/login", json=body), 422, "validation_error")
    assert field in error["fields"]
    assert field in error["message"]


def test_the_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/auth/login" in response.get_json()["paths"]


# Ids are INTEGER columns, 32 bits on PostgreSQL: one past the largest is simply not there.
@pytest.mark.parametrize("path", [f"/api/public/releases/{2**31}", f"/api/public/releases/{2**40}"])
def test_an_id_past_the_integer_column_is_a_404_not_an_overflow(client, path):
    assert_envelope(client.get(path), 404)


def test_an_admin_id_past_the_integer_column_is_a_404_not_an_overflow(app, client):
    admin = make_user(app, "admin")
    login(client, admin)
    assert_envelope(client.get(f"/api/admin/users/{2**31}"), 404)
