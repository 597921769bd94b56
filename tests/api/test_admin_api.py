"""/api/admin: admin role only, every change audited, refusals as 4xx naming the field and rule."""

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from tests.sync_support import email_of

NEW_PASSWORD = "river-otter-lantern"


@pytest.fixture
def admin(world):
    return world.client(world.admin)


def call(client, method: str, url: str, body=None):
    kwargs = {"headers": {"X-CSRF-Token": client.token}}
    if body is not None:
        kwargs["json"] = body
    return getattr(client.client, method.lower())(url, **kwargs)


def audit_actions(app, actor_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        return [(row.action, row.outcome) for row in db.session.execute(
            select(AuditEvent.action, AuditEvent.outcome).where(AuditEvent.actor_id == actor_id,
                                                                AuditEvent.action.like("admin.%"))
            .order_by(AuditEvent.id))]


ENDPOINTS = [
    ("GET", "/api/admin/schools"), ("POST", "/api/admin/schools"), ("PATCH", "/api/admin/schools/1"),
    ("DELETE", "/api/admin/schools/1"), ("GET", "/api/admin/schools/1/terms"),
    ("POST", "/api/admin/schools/1/terms"), ("PATCH", "/api/admin/terms/1"), ("DELETE", "/api/admin/terms/1"),
    ("GET", "/api/admin/schools/1/non-school-days"), ("POST", "/api/admin/schools/1/non-school-days"),
    ("DELETE", "/api/admin/non-school-days/1"), ("GET", "/api/admin/users"), ("POST", "/api/admin/users"),
    ("GET", "/api/admin/users/1"), ("PATCH", "/api/admin/users/1"), ("POST", "/api/admin/users/1/password"),
    ("POST", "/api/admin/users/1/deactivate"), ("POST", "/api/admin/users/1/reactivate"),
    ("GET", "/api/admin/assignments"), ("POST", "/api/admin/assignments"), ("PATCH", "/api/admin/assignments/1"),
    ("DELETE", "/api/admin/assignments/1"), ("GET", "/api/admin/principal-schools"),
    ("POST", "/api/admin/principal-schools"), ("DELETE", "/api/admin/principal-schools/1"),
    ("GET", "/api/admin/supervisions"), ("POST", "/api/admin/supervisions"),
    ("DELETE", "/api/admin/supervisions/1"), ("GET", "/api/admin/audit"),
]


@pytest.mark.parametrize("role", ["officer_a", "principal_a", "supervisor"])
def test_every_admin_endpoint_refuses_other_roles(world, role):
    client = world.client(getattr(world, role))
    for method, url in ENDPOINTS:
        response = call(client, method, url, {} if method in {"POST", "PATCH"} else None)
        assert response.status_code == 403, (method, url, response.get_json())


def test_every_admin_endpoint_needs_sign_in(client):
    for method, url in ENDPOINTS:
        assert getattr(client, method.lower())(url).status_code == 401, (method, url)


def test_writes_need_the_csrf_token(world, admin):
    response = admin.client.post("/api/admin/schools", json={"name": "X", "code": "X"})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "csrf_failed"


# --- schools and calendars ----------------------------------------------------------------

def test_school_and_calendar_crud_is_audited(app, world, admin):
    created = call(admin, "POST", "/api/admin/schools", {"name": "East High", "code": "EHS"})
    assert created.status_code == 201
    school = created.get_json()
    assert school["timezone"] == "America/Chicago"
    assert call(admin, "PATCH", f"/api/admin/schools/{school['id']}", {"name": "East High School"}).get_json()[
        "name"] == "East High School"
    term = call(admin, "POST", f"/api/admin/schools/{school['id']}/terms",
                {"school_year": "2026-2027", "name": "Fall", "starts_on": "2026-08-19", "ends_on": "2026-12-18"})
    assert term.status_code == 201
    term_id = term.get_json()["id"]
    assert call(admin, "PATCH", f"/api/admin/terms/{term_id}", {"ends_on": "2026-12-17"}).get_json()[
        "ends_on"] == "2026-12-17"
    day = call(admin, "POST", f"/api/admin/schools/{school['id']}/non-school-days",
               {"day": "2026-11-26", "description": "Thanksgiving"})
    assert day.status_code == 201
    listed = call(admin, "GET", f"/api/admin/schools/{school['id']}/non-school-days?school_year=2026-2027")
    assert [d["day"] for d in listed.get_json()] == ["2026-11-26"]
    assert call(admin, "GET", f"/api/admin/schools/{school['id']}/terms").get_json()[0]["name"] == "Fall"
    assert call(admin, "DELETE", f"/api/admin/non-school-days/{day.get_json()['id']}").status_code == 204
    assert call(admin, "DELETE", f"/api/admin/terms/{term_id}").status_code == 204
    assert call(admin, "DELETE", f"/api/admin/schools/{school['id']}").status_code == 204
    assert audit_actions(app, world.admin) == [
        ("admin.school_create", "success"), ("admin.school_update", "success"), ("admin.term_create", "success"),
        ("admin.term_update", "success"), ("admin.closed_day_create", "success"),
        ("admin.closed_day_delete", "success"), ("admin.term_delete", "success"),
        ("admin.school_delete", "success")]


@pytest.mark.parametrize("body, status, field", [
    ({"name": "Dup", "code": "NHS"}, 409, "code"),
    ({"name": "Tz", "code": "TZ1", "timezone": "Mars/Olympus"}, 422, "timezone"),
    ({"code": "NONAME"}, 422, "name"),
    ({"name": "Bad", "code": "has space"}, 422, "code"),
    ({"name": "Extra", "code": "EX", "colour": "red"}, 422, "colour"),
])
def test_bad_schools_are_refused_naming_the_field(world, admin, body, status, field):
    response = call(admin, "POST", "/api/admin/schools", body)
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("body, status, field", [
    ({"school_year": "2026-27", "name": "T", "starts_on": "2026-08-19", "ends_on": "2026-12-18"}, 422, "school_year"),
    ({"school_year": "2026-2027", "name": "T", "starts_on": "2026-12-18", "ends_on": "2026-08-19"}, 422, "ends_on"),
    ({"school_year": "2026-2027", "name": "T", "starts_on": "2026-06-01", "ends_on": "2026-08-19"}, 422, "starts_on"),
    ({"school_year": "2026-2027", "name": "T", "starts_on": "2026-08-19", "ends_on": "2026-13-01"}, 422, "ends_on"),
    ({"school_year": "2026-2027", "name": "Fall", "starts_on": "2027-01-05", "ends_on": "2027-05-01"}, 409, "name"),
    ({"school_year": "2026-2027", "name": "Late fall", "starts_on": "2026-12-01", "ends_on": "2027-01-30"}, 409,
     "starts_on"),
])
def test_bad_terms_are_refused_naming_the_field(world, admin, body, status, field):
    url = f"/api/admin/schools/{world.school_a}/terms"
    assert call(admin, "POST", url, {"school_year": "2026-2027", "name": "Fall", "starts_on": "2026-08-19",
                                     "ends_on": "2026-12-18"}).status_code == 201
    response = call(admin, "POST", url, body)
    assert response.status_code == status, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_a_weekend_is_never_a_non_school_day(world, admin):
    response = call(admin, "POST", f"/api/admin/schools/{world.school_a}/non-school-days", {"day": "2026-11-28"})
    assert response.status_code == 422 and "day" in response.get_json()["error"]["fields"]


def test_unknown_ids_are_404(world, admin):
    assert call(admin, "PATCH", "/api/admin/schools/999", {"name": "x"}).status_code == 404
    assert call(admin, "GET", "/api/admin/users/999").status_code == 404
    assert call(admin, "GET", "/api/admin/schools/999/terms").status_code == 404


# --- users -------------------------------------------------------------------------------------

def sign_in(app, email, password):
    return app.test_client().post("/api/auth/login", json={"email": email, "password": password})


def test_create_deactivate_reset_and_change_role(app, world, admin):
    created = call(admin, "POST", "/api/admin/users", {"email": "New.Officer@Test.Example", "name": "New Officer",
                                                       "role": "officer", "password": NEW_PASSWORD})
    assert created.status_code == 201
    user = created.get_json()
    assert user["email"] == "new.officer@test.example" and user["active"] is True
    assert "password" not in user and "password_hash" not in user
    assert sign_in(app, "new.officer@test.example", NEW_PASSWORD).status_code == 200

    assert call(admin, "PATCH", f"/api/admin/users/{user['id']}", {"role": "supervisor"}).get_json()[
        "role"] == "supervisor"
    assert call(admin, "POST", f"/api/admin/users/{user['id']}/deactivate").get_json()["active"] is False
    assert sign_in(app, "new.officer@test.example", NEW_PASSWORD).status_code != 200
    assert call(admin, "POST", f"/api/admin/users/{user['id']}/reactivate").get_json()["active"] is True
    assert call(admin, "POST", f"/api/admin/users/{user['id']}/password",
                {"password": "quiet-maple-harbor"}).status_code == 200
    assert sign_in(app, "new.officer@test.example", NEW_PASSWORD).status_code != 200
    assert sign_in(app, "new.officer@test.example", "quiet-maple-harbor").status_code == 200
    supervisors = {u["id"] for u in call(admin, "GET", "/api/admin/users?role=supervisor").get_json()}
    assert supervisors == {user["id"], world.supervisor}
    actions = [action for action, _ in audit_actions(app, world.admin)]
    assert actions == ["admin.user_create", "admin.user_update", "admin.user_deactivate",
                       "admin.user_reactivate", "admin.user_reset_password"]
    with app.app_context():
        details = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "admin.user_create")).one()
        assert NEW_PASSWORD not in str(details)


def test_deactivation_ends_open_sessions(app, world, admin):
    officer = world.client(world.officer_b)
    assert officer.client.get("/api/me").status_code == 200
    assert call(admin, "POST", f"/api/admin/users/{world.officer_b}/deactivate").status_code == 200
    assert officer.client.get("/api/me").status_code == 401


@pytest.mark.parametrize("password, rule", [("short", "at least 8"), ("password123", "common")])
def test_weak_passwords_are_422_naming_password(world, admin, password, rule):
    response = call(admin, "POST", "/api/admin/users", {"email": "p@test.example", "name": "P", "role": "officer",
                                                        "password": password})
    assert response.status_code == 422
    messages = " ".join(response.get_json()["error"]["fields"]["password"])
    assert rule in messages.lower()


def test_user_refusals(app, world, admin):
    duplicate = call(admin, "POST", "/api/admin/users", {"email": email_of(app, world.officer_a), "name": "Dup",
                                                         "role": "officer", "password": NEW_PASSWORD})
    assert duplicate.status_code == 409 and "email" in duplicate.get_json()["error"]["fields"]
    bad_role = call(admin, "POST", "/api/admin/users", {"email": "r@test.example", "name": "R", "role": "chief",
                                                        "password": NEW_PASSWORD})
    assert bad_role.status_code == 422 and "role" in bad_role.get_json()["error"]["fields"]
    bad_email = call(admin, "POST", "/api/admin/users", {"email": "not-an-email", "name": "R", "role": "officer",
                                                         "password": NEW_PASSWORD})
    assert bad_email.status_code == 422 and "email" in bad_email.get_json()["error"]["fields"]
    assert call(admin, "POST", f"/api/admin/users/{world.admin}/deactivate").status_code == 409
    assert call(admin, "PATCH", f"/api/admin/users/{world.admin}", {"role": "officer"}).status_code == 409
    linked = call(admin, "PATCH", f"/api/admin/users/{world.officer_a}", {"role": "principal"})
    assert linked.status_code == 409 and "role" in linked.get_json()["error"]["fields"]
    assert ("admin.user_create", "failure") in audit_actions(app, world.admin)
    assert ("admin.user_deactivate", "failure") in audit_actions(app, world.admin)


# --- assignments and links ---------------------------------------------------------------------

def test_assignments_principals_and_supervision(app, world, admin):
    made = call(admin, "POST", "/api/admin/assignments",
                {"officer_id": world.officer_b, "school_id": world.school_a, "starts_on": "2026-09-01"})
    assert made.status_code == 201  # a second school at once is allowed (flagged by compliance, KY 9)
    assignment = made.get_json()
    overlapping = call(admin, "POST", "/api/admin/assignments",
                       {"officer_id": world.officer_b, "school_id": world.school_a, "starts_on": "2026-10-01"})
    assert overlapping.status_code == 409 and "starts_on" in overlapping.get_json()["error"]["fields"]
    not_officer = call(admin, "POST", "/api/admin/assignments",
                       {"officer_id": world.supervisor, "school_id": world.school_a, "starts_on": "2026-10-01"})
    assert not_officer.status_code == 422 and "officer_id" in not_officer.get_json()["error"]["fields"]
    backwards = call(admin, "POST", "/api/admin/assignments", {
        "officer_id": world.officer_b, "school_id": world.school_a, "starts_on": "2027-01-01",
        "ends_on": "2026-01-01"})
    assert backwards.status_code == 422 and "ends_on" in backwards.get_json()["error"]["fields"]
    ended = call(admin, "PATCH", f"/api/admin/assignments/{assignment['id']}", {"ends_on": "2026-12-31"})
    assert ended.get_json()["ends_on"] == "2026-12-31"
    assert len(call(admin, "GET", f"/api/admin/assignments?officer_id={world.officer_b}").get_json()) == 2

    link = call(admin, "POST", "/api/admin/principal-schools",
                {"principal_id": world.principal_b, "school_id": world.school_a})
    assert link.status_code == 201
    again = call(admin, "POST", "/api/admin/principal-schools",
                 {"principal_id": world.principal_b, "school_id": world.school_a})
    assert again.status_code == 409
    supervision = call(admin, "POST", "/api/admin/supervisions",
                       {"supervisor_id": world.supervisor, "officer_id": world.officer_b})
    assert supervision.status_code == 201
    wrong = call(admin, "POST", "/api/admin/supervisions",
                 {"supervisor_id": world.officer_a, "officer_id": world.officer_b})
    assert wrong.status_code == 422 and "supervisor_id" in wrong.get_json()["error"]["fields"]
    # The new supervision is what the supervisor's log browser and reports follow.
    supervisor = world.client(world.supervisor)
    assert supervisor.client.get(f"/api/reports/monthly?school_year=2026-2027&officer_id={world.officer_b}"
                                 ).status_code == 200
    assert call(admin, "DELETE", f"/api/admin/supervisions/{supervision.get_json()['id']}").status_code == 204
    assert supervisor.client.get(f"/api/reports/monthly?school_year=2026-2027&officer_id={world.officer_b}"
                                 ).status_code == 403
    assert call(admin, "DELETE", f"/api/admin/principal-schools/{link.get_json()['id']}").status_code == 204
    assert call(admin, "DELETE", f"/api/admin/assignments/{assignment['id']}").status_code == 204
    successes = [action for action, outcome in audit_actions(app, world.admin) if outcome == "success"]
    assert successes == ["admin.assignment_create", "admin.assignment_update", "admin.principal_school_create",
                         "admin.supervision_create", "admin.supervision_delete", "admin.principal_school_delete",
                         "admin.assignment_delete"]


# --- the audit log ---------------------------------------------------------------------------------

def test_audit_log_is_paginated_newest_first(app, world, admin):
    for code in ("A1", "A2", "A3"):
        call(admin, "POST", "/api/admin/schools", {"name": code, "code": code})
    page = call(admin, "GET", "/api/admin/audit?action=admin.school_create&limit=2").get_json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert page["items"][0]["id"] > page["items"][1]["id"]
    assert page["items"][0]["actor_id"] == world.admin and page["items"][0]["target"] == "school:A3"
    rest = call(admin, "GET", "/api/admin/audit?action=admin.school_create&limit=2&offset=2").get_json()
    assert [e["target"] for e in rest["items"]] == ["school:A1"]
    everything = call(admin, "GET", "/api/admin/audit").get_json()
    assert everything["total"] > 3  # sign-ins are in the log too
    assert call(admin, "GET", "/api/admin/audit?limit=0").status_code == 422
    assert call(admin, "GET", "/api/admin/audit?since=not-a-time").status_code == 422
    in_window = call(admin, "GET", "/api/admin/audit?since=2000-01-01T00:00:00Z").get_json()
    assert in_window["total"] == everything["total"]


def test_the_audit_filter_takes_an_action_without_its_prefix_and_rows_name_people_and_schools(app, world, admin):
    call(admin, "POST", "/api/admin/schools", {"name": "Audit Named School", "code": "ANS"})
    page = call(admin, "GET", "/api/admin/audit?action=school_create").get_json()
    assert page["total"] == 1 and page["items"][0]["action"] == "admin.school_create"
    assert page["items"][0]["target_name"] == "Audit Named School (ANS)"
    assert page["items"][0]["actor_name"]
    # "_" is not a wildcard: "school_creat_" finds nothing.
    assert call(admin, "GET", "/api/admin/audit?action=school_creat_").get_json()["total"] == 0
    assert call(admin, "GET", "/api/admin/audit?action=admin.school_create").get_json()["total"] == 1


def test_admins_export_the_audit_log_as_csv_and_the_export_is_audited(app, world):
    from tests.sync_support import signed_in

    admin = signed_in(app, email_of(app, world.admin))
    world.client(world.officer_a)  # one more sign-in to find
    response = admin.client.get("/api/admin/audit.csv", query_string={"action": "auth.login"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "id,at,actor_id,actor_email,action,target,outcome,ip,details,actor_name,target_name,detail_names"
    assert len(lines) >= 3 and all(",auth.login," in line for line in lines[1:])
    page = admin.client.get("/api/admin/audit", query_string={"action": "audit.export"}).get_json()
    assert page["total"] == 1
    assert world.client(world.supervisor).client.get("/api/admin/audit.csv").status_code == 403
