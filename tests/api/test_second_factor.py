"""The second factor for supervisors and admins: set-up, sign-in with a code or a recovery code,
replay and guessing refused, the setting that makes it mandatory, and the ways back in."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from types import SimpleNamespace

import pyotp
import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, User
from server.services.identity import second_factor
from tests.factories import login, make_school, make_user, post_json

START = 1_900_000_020.0  # on a 30-second step boundary
RECOVERY_CODE = re.compile(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}")


@pytest.fixture
def clock(app):
    """The server's clock (server/clock.py) pinned, and moved by the test: each sign-in can use the
    next time step. A pinned clock runs on from each pin, well inside one 30-second step here."""
    now = SimpleNamespace(value=START)

    def advance(seconds: float = 30) -> None:
        now.value += seconds
        app.config["FROZEN_NOW"] = datetime.fromtimestamp(now.value, timezone.utc)

    advance(0)
    now.advance = advance
    return now


@pytest.fixture
def supervisor(app):
    return make_user(app, "supervisor")


def code_at(secret: str, moment: float) -> str:
    return pyotp.TOTP(secret).at(moment)


def sign_in(client, user, otp=None):
    body = {"email": user.email, "password": user.password}
    if otp is not None:
        body["otp"] = otp
    return client.post("/api/auth/login", json=body)


def enrol(client, token, user, clock) -> tuple[str, list[str]]:
    """Set up and confirm an authenticator app; returns its secret and the recovery codes."""
    setup = post_json(client, "/api/auth/second-factor/setup", token=token)
    assert setup.status_code == 200, setup.get_json()
    secret = setup.get_json()["secret"]
    enabled = post_json(client, "/api/auth/second-factor/enable",
                        {"code": code_at(secret, clock.value), "password": user.password}, token=token)
    assert enabled.status_code == 200, enabled.get_json()
    return secret, enabled.get_json()["recovery_codes"]


@pytest.fixture
def enrolled(app, supervisor, clock):
    """A supervisor with an authenticator app, signed out again; the clock is one step on."""
    client = app.test_client()
    token = login(client, supervisor)
    secret, codes = enrol(client, token, supervisor, clock)
    post_json(client, "/api/auth/logout", token=token)
    clock.advance()
    return SimpleNamespace(user=supervisor, secret=secret, codes=codes)


def audit_reasons(app, action: str) -> list[tuple[str, str | None]]:
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.outcome, AuditEvent.details).where(AuditEvent.action == action)
                                  .order_by(AuditEvent.id))
        return [(outcome, (details or {}).get("reason") or (details or {}).get("second_factor"))
                for outcome, details in rows]


def stored(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


# --- set-up ------------------------------------------------------------------------------------

def test_setup_gives_a_secret_uri_and_qr_code_and_changes_nothing_until_confirmed(app, client, supervisor, clock):
    token = login(client, supervisor)
    response = post_json(client, "/api/auth/second-factor/setup", token=token)
    assert response.status_code == 200
    body = response.get_json()
    assert re.fullmatch(r"[A-Z2-7]{32}", body["secret"])
    assert body["otpauth_uri"].startswith("otpauth://totp/SRO%20Field%20Log:")
    assert f"secret={body['secret']}" in body["otpauth_uri"] and "issuer=SRO%20Field%20Log" in body["otpauth_uri"]
    assert 21 <= body["qr"]["size"] <= 177 and body["qr"]["path"].startswith("M")
    assert client.get("/api/auth/second-factor").get_json()["enabled"] is False
    # Not confirmed: signing in still needs the password only.
    assert sign_in(app.test_client(), supervisor).status_code == 200


def test_enable_needs_the_password_and_a_code_from_the_app(app, client, supervisor, clock):
    token = login(client, supervisor)
    secret = post_json(client, "/api/auth/second-factor/setup", token=token).get_json()["secret"]
    right = code_at(secret, clock.value)
    wrong_password = post_json(client, "/api/auth/second-factor/enable",
                               {"code": right, "password": "not-my-password"}, token=token)
    assert wrong_password.status_code == 422
    assert "password" in wrong_password.get_json()["error"]["fields"]
    wrong_code = post_json(client, "/api/auth/second-factor/enable",
                           {"code": code_at(secret, clock.value + 300), "password": supervisor.password}, token=token)
    assert wrong_code.status_code == 422
    assert "code" in wrong_code.get_json()["error"]["fields"]
    assert stored(app, supervisor.id).totp_secret is None

    enabled = post_json(client, "/api/auth/second-factor/enable",
                        {"code": right, "password": supervisor.password}, token=token)
    assert enabled.status_code == 200
    codes = enabled.get_json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(RECOVERY_CODE.fullmatch(code) for code in codes)
    status = client.get("/api/auth/second-factor").get_json()
    assert status["enabled"] is True and status["recovery_codes_left"] == 10 and status["enabled_at"]
    assert client.get("/api/me").get_json()["user"]["second_factor"]["enabled"] is True
    assert audit_reasons(app, "auth.second_factor_enable") == [
        ("failure", "Password is incorrect."),
        ("failure", "That code does not match. Check that the phone's clock is right, then enter the newest code."),
        ("success", None),
    ]
    again = post_json(client, "/api/auth/second-factor/setup", token=token)
    assert again.status_code == 409


def test_only_hashes_of_recovery_codes_are_stored(app, enrolled):
    with app.app_context():
        stored_hashes = db.session.scalars(select(second_factor.RecoveryCode.code_hash)).all()
    assert len(stored_hashes) == 10
    plain = {code.replace("-", "") for code in enrolled.codes}
    assert not plain & set(stored_hashes)


def test_officers_and_principals_have_no_second_factor(app, client):
    officer = make_user(app, "officer")
    token = login(client, officer)
    assert client.get("/api/me").get_json()["user"]["second_factor"]["available"] is False
    assert post_json(client, "/api/auth/second-factor/setup", token=token).status_code == 403


# --- signing in ----------------------------------------------------------------------------------

def test_sign_in_asks_for_the_code_after_the_password(app, enrolled, clock):
    client = app.test_client()
    asked = sign_in(client, enrolled.user)
    assert asked.status_code == 401
    assert asked.get_json()["error"]["code"] == "second_factor_required"
    assert client.get("/api/me").status_code == 401  # no session yet
    wrong_password = sign_in(client, replace(enrolled.user, password="wrong-password"),
                             otp=code_at(enrolled.secret, clock.value))
    assert wrong_password.get_json()["error"]["code"] == "unauthorized"  # a code never reveals the password
    signed = sign_in(client, enrolled.user, otp=code_at(enrolled.secret, clock.value))
    assert signed.status_code == 200
    assert client.get("/api/me").status_code == 200
    assert audit_reasons(app, "auth.login")[-3:] == [
        ("failure", "second_factor_missing"), ("failure", "bad_password"), ("success", "totp")]


def test_a_code_is_accepted_once_and_within_one_step_of_drift(app, enrolled, clock):
    code = code_at(enrolled.secret, clock.value)
    assert sign_in(app.test_client(), enrolled.user, otp=code).status_code == 200
    replay = sign_in(app.test_client(), enrolled.user, otp=code)
    assert replay.status_code == 401 and replay.get_json()["error"]["code"] == "second_factor_invalid"
    clock.advance(60)
    phone_behind = code_at(enrolled.secret, clock.value - 30)
    assert sign_in(app.test_client(), enrolled.user, otp=f"{phone_behind[:3]} {phone_behind[3:]}").status_code == 200
    clock.advance(60)
    too_old = code_at(enrolled.secret, clock.value - 60)
    assert sign_in(app.test_client(), enrolled.user, otp=too_old).status_code == 401


def test_guessing_codes_locks_the_account(app, enrolled, clock):
    right = code_at(enrolled.secret, clock.value)
    window = {code_at(enrolled.secret, clock.value + drift) for drift in (-30, 0, 30)}
    wrong = [code for code in (f"{n:06d}" for n in range(10)) if code not in window][:5]
    answers = [sign_in(app.test_client(), enrolled.user, otp=code).status_code for code in wrong]
    assert answers == [401] * 5
    locked = sign_in(app.test_client(), enrolled.user, otp=right)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_a_recovery_code_signs_in_once(app, enrolled):
    code = enrolled.codes[0]
    typed = f"  {code.upper()} "
    assert sign_in(app.test_client(), enrolled.user, otp=typed).status_code == 200
    again = sign_in(app.test_client(), enrolled.user, otp=code)
    assert again.status_code == 401
    client = app.test_client()
    assert sign_in(client, enrolled.user, otp=enrolled.codes[1].replace("-", "")).status_code == 200
    assert client.get("/api/auth/second-factor").get_json()["recovery_codes_left"] == 8
    assert audit_reasons(app, "auth.login")[-3:] == [
        ("success", "recovery_code"), ("failure", "bad_second_factor"), ("success", "recovery_code")]


def test_new_recovery_codes_replace_the_old_ones(app, enrolled, clock):
    client = app.test_client()
    token = sign_in(client, enrolled.user, otp=code_at(enrolled.secret, clock.value)).get_json()["csrf_token"]
    clock.advance()
    refused = post_json(client, "/api/auth/second-factor/recovery-codes",
                        {"code": "123456", "password": enrolled.user.password}, token=token)
    assert refused.status_code == 422 and "code" in refused.get_json()["error"]["fields"]
    fresh = post_json(client, "/api/auth/second-factor/recovery-codes",
                      {"code": code_at(enrolled.secret, clock.value), "password": enrolled.user.password}, token=token)
    assert fresh.status_code == 200
    new_codes = fresh.get_json()["recovery_codes"]
    assert not set(new_codes) & set(enrolled.codes)
    assert sign_in(app.test_client(), enrolled.user, otp=enrolled.codes[2]).status_code == 401
    assert sign_in(app.test_client(), enrolled.user, otp=new_codes[0]).status_code == 200


def test_turning_it_off_needs_the_password_and_a_code(app, enrolled, clock):
    client = app.test_client()
    token = sign_in(client, enrolled.user, otp=enrolled.codes[0]).get_json()["csrf_token"]
    wrong = post_json(client, "/api/auth/second-factor/disable",
                      {"code": code_at(enrolled.secret, clock.value), "password": "guess-number-one"}, token=token)
    assert wrong.status_code == 422 and "password" in wrong.get_json()["error"]["fields"]
    assert stored(app, enrolled.user.id).failed_logins == 1  # counted like a failed sign-in
    off = post_json(client, "/api/auth/second-factor/disable",
                    {"code": code_at(enrolled.secret, clock.value), "password": enrolled.user.password}, token=token)
    assert off.status_code == 200 and off.get_json()["enabled"] is False
    assert sign_in(app.test_client(), enrolled.user).status_code == 200
    assert [outcome for outcome, _ in audit_reasons(app, "auth.second_factor_disable")] == ["failure", "success"]


def test_enabling_ends_the_accounts_other_sessions(app, supervisor, clock):
    here, elsewhere = app.test_client(), app.test_client()
    token = login(here, supervisor)
    login(elsewhere, supervisor)
    enrol(here, token, supervisor, clock)
    assert here.get("/api/me").status_code == 200
    assert elsewhere.get("/api/me").status_code == 401


# --- the setting that makes it mandatory --------------------------------------------------------

@pytest.fixture
def required(app):
    app.config["SECOND_FACTOR_REQUIRED"] = True
    return app


def test_when_required_a_supervisor_must_set_it_up_before_anything_else(required, supervisor, clock):
    client = required.test_client()
    token = login(client, supervisor)
    me = client.get("/api/me").get_json()["user"]["second_factor"]
    assert me == {"available": True, "enabled": False, "required": True, "enabled_at": None, "recovery_codes_left": 0}
    blocked = client.get("/api/records")
    assert blocked.status_code == 403
    assert blocked.get_json()["error"]["code"] == "second_factor_setup_required"
    secret, _codes = enrol(client, token, supervisor, clock)
    assert client.get("/api/records").status_code == 200
    # Moving to a new phone: turning it off puts the account back to set-up only.
    clock.advance()
    off = post_json(client, "/api/auth/second-factor/disable",
                    {"code": code_at(secret, clock.value), "password": supervisor.password}, token=token)
    assert off.status_code == 200 and off.get_json()["required"] is True
    assert client.get("/api/records").status_code == 403


def test_when_required_officers_and_principals_are_unaffected(required):
    school = make_school(required)
    for role in ("officer", "principal"):
        client = required.test_client()
        login(client, make_user(required, role))
        assert client.get("/api/reports/compliance", query_string={"school_id": school.id}).status_code != 403
        assert client.get("/api/me").get_json()["user"]["second_factor"]["required"] is False


# --- the ways back in -------------------------------------------------------------------------------

def test_an_admin_resets_a_lost_phone(app, enrolled, clock):
    admin = make_user(app, "admin")
    victim_session = app.test_client()
    sign_in(victim_session, enrolled.user, otp=enrolled.codes[0])
    client = app.test_client()
    token = login(client, admin)
    url = f"/api/admin/users/{enrolled.user.id}/second-factor"
    reset = client.delete(url, headers={"X-CSRF-Token": token})
    assert reset.status_code == 200 and reset.get_json()["second_factor_enabled"] is False
    assert victim_session.get("/api/me").status_code == 401  # their sessions ended
    assert sign_in(app.test_client(), enrolled.user).status_code == 200  # password only, then set up again
    assert client.delete(url, headers={"X-CSRF-Token": token}).status_code == 409
    own = client.delete(f"/api/admin/users/{admin.id}/second-factor", headers={"X-CSRF-Token": token})
    assert own.status_code == 409
    assert [outcome for outcome, _ in audit_reasons(app, "admin.user_second_factor_reset")] == [
        "success", "failure", "failure"]


def test_the_command_line_resets_the_last_admins_phone(app, runner, clock):
    admin = make_user(app, "admin")
    client = app.test_client()
    enrol(client, login(client, admin), admin, clock)
    result = runner.invoke(args=["users", "reset-second-factor", "--email", admin.email])
    assert result.exit_code == 0, result.output
    assert "Authenticator app removed" in result.output
    assert stored(app, admin.id).totp_secret is None
    again = runner.invoke(args=["users", "reset-second-factor", "--email", admin.email])
    assert again.exit_code != 0 and "no authenticator app" in again.output


def test_one_code_sent_twice_at_once_signs_in_once(app, enrolled, clock, monkeypatch):
    """Sign-ins racing with the same code (a replayed request): the user row is locked while the
    code is spent, so exactly one wins, on either engine."""
    code = code_at(enrolled.secret, clock.value)
    start = threading.Barrier(4)
    checking = second_factor._matching_step

    def slow_check(*args):  # widen the window between reading the last step and storing the new one
        time.sleep(0.15)
        return checking(*args)

    monkeypatch.setattr(second_factor, "_matching_step", slow_check)

    def attempt(_):
        client = app.test_client()
        start.wait()
        return sign_in(client, enrolled.user, otp=code).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = sorted(pool.map(attempt, range(4)))
    assert answers == [200, 401, 401, 401]
