"""Sign-in, lockout, sessions and CSRF, exactly as PRODUCT.md's stable interface says."""

import time

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.factories import assign_officer, login, make_school, make_user, post_json

BAD = "Email or password is incorrect."


@pytest.fixture
def officer(app):
    school = make_school(app, "NHS", "Northside High School")
    user = make_user(app, "officer", email="Officer.Ellis@PD.example", name="Officer Jordan Ellis")
    assign_officer(app, user, school)
    return user


def audit(app, action: str | None = None) -> list[tuple[str, str, str | None]]:
    with app.app_context():
        query = select(AuditEvent.action, AuditEvent.outcome, AuditEvent.actor_email).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return [tuple(row) for row in db.session.execute(query)]


def test_sign_in_returns_the_user_with_schools_a_csrf_token_and_a_safe_cookie(app, client, officer):
    response = client.post("/api/auth/login", json={"email": " officer.ellis@pd.EXAMPLE ", "password": officer.password})
    assert response.status_code == 200
    body = response.get_json()
    assert body["csrf_token"]
    assert body["user"]["id"] == officer.id
    assert body["user"]["role"] == "officer"
    assert body["user"]["name"] == "Officer Jordan Ellis"
    assert [school["code"] for school in body["user"]["schools"]] == ["NHS"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "password" not in str(body).lower()
    me = client.get("/api/me")
    assert me.status_code == 200
    assert me.get_json()["user"]["email"] == "officer.ellis@pd.example"
    assert audit(app, "auth.login") == [("auth.login", "success", "officer.ellis@pd.example")]


def test_wrong_email_and_wrong_password_get_the_same_401(app, client, officer):
    wrong_password = client.post("/api/auth/login", json={"email": officer.email, "password": "not-the-password"})
    wrong_email = client.post("/api/auth/login", json={"email": "nobody@pd.example", "password": officer.password})
    assert wrong_password.status_code == wrong_email.status_code == 401
    assert wrong_password.get_json() == wrong_email.get_json() == {"error": {"code": "unauthorized", "message": BAD}}
    assert client.get("/api/me").status_code == 401
    assert audit(app, "auth.login") == [("auth.login", "failure", officer.email),
                                        ("auth.login", "failure", "nobody@pd.example")]


def test_five_failures_lock_the_account_for_15_minutes(app, client, officer):
    for _ in range(4):
        assert client.post("/api/auth/login", json={"email": officer.email, "password": "wrong-guess"}).status_code == 401
    fifth = client.post("/api/auth/login", json={"email": officer.email, "password": "wrong-guess"})
    assert fifth.status_code == 401
    locked = client.post("/api/auth/login", json={"email": officer.email, "password": officer.password})
    assert locked.status_code == 429
    assert locked.get_json()["error"]["code"] == "too_many_requests"
    assert "15 minutes" in locked.get_json()["error"]["message"]
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert audit(app, "account.locked") == [("account.locked", "success", officer.email)]
    failures = [event for event in audit(app, "auth.login") if event[1] == "failure"]
    assert len(failures) == 6  # five bad passwords, then the refused correct one


def test_the_lock_ends_after_15_minutes(app, client, officer, monkeypatch):
    from datetime import timedelta

    import server.services.identity.lockout as lockout

    for _ in range(5):
        client.post("/api/auth/login", json={"email": officer.email, "password": "wrong-guess"})
    later = lockout.utcnow() + timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(lockout, "utcnow", lambda: later)
    assert client.post("/api/auth/login", json={"email": officer.email, "password": officer.password}).status_code == 200


def test_a_deactivated_user_cannot_sign_in(app, client):
    user = make_user(app, "supervisor", active=False)
    response = client.post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == BAD


def test_logout_needs_the_csrf_header(app, client, officer):
    token = login(client, officer)
    refused = client.post("/api/auth/logout")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.get("/api/me").status_code == 200  # still signed in
    assert post_json(client, "/api/auth/logout", token=token).status_code == 204
    assert client.get("/api/me").status_code == 401
    assert ("auth.logout", "success", officer.email) in audit(app)


@pytest.mark.parametrize("path", ["/api/sync/push", "/api/meetings/7b0c1d8e-3f0a-4c8e-9d2a-1b2c3d4e5f60/confirmation"])
def test_every_state_changing_api_request_needs_the_csrf_header(app, client, officer, path):
    login(client, officer)
    response = client.post(path, json={})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_the_csrf_token_can_be_fetched_again_after_a_reload(client, app, officer):
    token = login(client, officer)
    assert client.get("/api/auth/csrf").get_json() == {"csrf_token": token}
    assert client.get("/api/me").get_json()["csrf_token"] == token


def test_a_session_idle_for_more_than_30_minutes_is_locked(client, app, officer):
    login(client, officer)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 31 * 60
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_activity_keeps_the_session_alive(client, app, officer):
    login(client, officer)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 29 * 60
    assert client.get("/api/me").status_code == 200
    with client.session_transaction() as session:
        assert session["seen_at"] >= int(time.time()) - 5


def test_a_new_sign_in_starts_a_new_session(client, app, officer):
    first = login(client, officer)
    second = login(client, officer)
    assert first != second


def test_a_copied_session_cookie_stops_working_at_sign_out(app):
    officer = make_user(app, "officer")
    phone = app.test_client()
    token = login(phone, officer)
    stolen = phone.get_cookie("sro_session").value
    assert post_json(phone, "/api/auth/logout", token=token).status_code == 204
    thief = app.test_client()
    thief.set_cookie("sro_session", stolen)
    assert thief.get("/api/me").status_code == 401


def test_signing_out_on_one_device_keeps_the_others(app):
    officer = make_user(app, "officer")
    phone, desktop = app.test_client(), app.test_client()
    phone_token = login(phone, officer)
    login(desktop, officer)
    post_json(phone, "/api/auth/logout", token=phone_token)
    assert phone.get("/api/me").status_code == 401
    assert desktop.get("/api/me").status_code == 200


# --- the lockout tells nobody which emails have an account (issue 11) -------------------------

def _six_wrong_sign_ins(client, email: str) -> list:
    return [client.post("/api/auth/login", json={"email": email, "password": "wrong-password-123"})
            for _ in range(6)]


def _answer_shape(response) -> tuple:
    headers = tuple(sorted(name for name in response.headers.keys() if name not in {"Content-Length"}))
    return response.status_code, response.get_json(), headers


def test_known_and_unknown_emails_answer_alike_through_the_lockout(app, officer):
    known = _six_wrong_sign_ins(app.test_client(), officer.email)
    unknown = _six_wrong_sign_ins(app.test_client(), "nobody-here@pd.example")
    assert [_answer_shape(r) for r in known] == [_answer_shape(r) for r in unknown]
    assert [r.status_code for r in unknown] == [401] * 5 + [429]
    assert abs(int(known[-1].headers["Retry-After"]) - int(unknown[-1].headers["Retry-After"])) <= 1


def test_an_inactive_account_locks_like_an_unknown_email(app, officer):
    from server.models import User

    with app.app_context():
        db.session.get(User, officer.id).active = False
        db.session.commit()
    inactive = _six_wrong_sign_ins(app.test_client(), officer.email)
    assert [r.status_code for r in inactive] == [401] * 5 + [429]


def test_known_and_unknown_emails_hash_the_password_the_same_number_of_times(app, officer, monkeypatch):
    import server.models.user as user_model
    import server.services.identity.auth as auth_service

    calls = []
    for module in (user_model, auth_service):
        real = module.check_password_hash
        monkeypatch.setattr(module, "check_password_hash",
                            lambda stored, password, real=real: calls.append(stored.split("$")[0]) or real(stored, password))
    for email in (officer.email, "nobody-here@pd.example"):
        calls.clear()
        _six_wrong_sign_ins(app.test_client(), email)
        assert calls == [app.config["PASSWORD_HASH_METHOD"]] * 6, email


def test_unknown_emails_are_counted_by_hash_not_kept(app):
    from server.models import UnknownEmailLockout

    _six_wrong_sign_ins(app.test_client(), "typed-a-secret@pd.example")
    with app.app_context():
        [row] = db.session.scalars(select(UnknownEmailLockout)).all()
    assert "typed-a-secret" not in row.email_hash and len(row.email_hash) == 64
