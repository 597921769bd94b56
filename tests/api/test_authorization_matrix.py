"""Who may call what, for EVERY /api route, from one table (PRODUCT.md "Who may see what").

Denied calls answer 401 (signed out), 403 (wrong role) or 404 (someone else's object) and
change nothing; allowed calls get past the gate (their own behaviour is tested elsewhere).
A new route missing from the table fails the suite.
"""

import uuid

import pytest
from sqlalchemy import func, select, text

from server.extensions import db
from tests.sync_support import mutation

PUBLIC, SIGNED_IN = "public", "signed in"
ANYONE_SIGNED_IN = ("officer", "principal", "supervisor", "admin")
ROLES = ANYONE_SIGNED_IN
ADMIN = ("admin",)
SECOND_FACTOR = ("supervisor", "admin")

# (method, rule) -> who gets past the gate.
ACCESS = {
    ("POST", "/api/auth/login"): PUBLIC,
    ("GET", "/api/openapi.json"): PUBLIC,
    ("POST", "/api/auth/logout"): SIGNED_IN,
    ("GET", "/api/auth/csrf"): SIGNED_IN,
    ("GET", "/api/me"): SIGNED_IN,
    ("GET", "/api/auth/second-factor"): SECOND_FACTOR,
    ("POST", "/api/auth/second-factor/setup"): SECOND_FACTOR,
    ("POST", "/api/auth/second-factor/enable"): SECOND_FACTOR,
    ("POST", "/api/auth/second-factor/recovery-codes"): SECOND_FACTOR,
    ("POST", "/api/auth/second-factor/disable"): SECOND_FACTOR,
    ("GET", "/api/forms"): SIGNED_IN,
    ("GET", "/api/sync/pull"): SIGNED_IN,
    ("POST", "/api/sync/push"): ("officer",),
    ("POST", "/api/meetings/<uuid:meeting_id>/confirmation"): ("principal",),
    ("POST", "/api/records/<uuid:record_id>/participation"): ("principal", "supervisor"),
    ("GET", "/api/me/program"): ("officer",),
    ("POST", "/api/feedback"): ("principal",),
    ("GET", "/api/feedback"): ("principal", "supervisor", "admin"),
    ("POST", "/api/records/<uuid:record_id>/review"): SECOND_FACTOR,
    ("POST", "/api/reviews"): SECOND_FACTOR,
    ("POST", "/api/signoffs"): SECOND_FACTOR,
    ("GET", "/api/signoffs"): SECOND_FACTOR,
    ("GET", "/api/signoffs/<int:signoff_id>"): SECOND_FACTOR,
    ("GET", "/api/records"): ANYONE_SIGNED_IN,
    ("GET", "/api/records/<uuid:record_id>/history"): ANYONE_SIGNED_IN,
    ("GET", "/api/reports/compliance"): ANYONE_SIGNED_IN,
    ("GET", "/api/reports/monthly"): ANYONE_SIGNED_IN,
    ("GET", "/api/reports/monthly.csv"): ANYONE_SIGNED_IN,
    ("GET", "/api/reports/involvements"): ANYONE_SIGNED_IN,
    ("GET", "/api/reports/public"): ANYONE_SIGNED_IN,
    ("GET", "/api/reports/public.csv"): ANYONE_SIGNED_IN,
    ("GET", "/api/public/releases"): PUBLIC,
    ("GET", "/api/public/releases/<int:release_id>"): PUBLIC,
    ("GET", "/api/public/releases/<int:release_id>.csv"): PUBLIC,
    ("POST", "/api/admin/releases"): ADMIN,
    ("POST", "/api/admin/releases/preview"): ADMIN,
    ("GET", "/api/admin/audit"): ADMIN,
    ("GET", "/api/admin/audit.csv"): ADMIN,
    **{(method, rule): ADMIN for method, rule in [
        ("GET", "/api/admin/schools"), ("POST", "/api/admin/schools"),
        ("PATCH", "/api/admin/schools/<int:school_id>"), ("DELETE", "/api/admin/schools/<int:school_id>"),
        ("GET", "/api/admin/schools/<int:school_id>/terms"), ("POST", "/api/admin/schools/<int:school_id>/terms"),
        ("PATCH", "/api/admin/terms/<int:term_id>"), ("DELETE", "/api/admin/terms/<int:term_id>"),
        ("GET", "/api/admin/schools/<int:school_id>/non-school-days"),
        ("POST", "/api/admin/schools/<int:school_id>/non-school-days"),
        ("DELETE", "/api/admin/non-school-days/<int:day_id>"),
        ("GET", "/api/admin/users"), ("POST", "/api/admin/users"), ("GET", "/api/admin/users/<int:user_id>"),
        ("PATCH", "/api/admin/users/<int:user_id>"), ("POST", "/api/admin/users/<int:user_id>/password"),
        ("POST", "/api/admin/users/<int:user_id>/deactivate"),
        ("POST", "/api/admin/users/<int:user_id>/reactivate"),
        ("DELETE", "/api/admin/users/<int:user_id>/second-factor"),
        ("GET", "/api/admin/assignments"), ("POST", "/api/admin/assignments"),
        ("PATCH", "/api/admin/assignments/<int:assignment_id>"),
        ("DELETE", "/api/admin/assignments/<int:assignment_id>"),
        ("POST", "/api/admin/officers/<int:officer_id>/training"),
        ("GET", "/api/admin/principal-schools"), ("POST", "/api/admin/principal-schools"),
        ("DELETE", "/api/admin/principal-schools/<int:link_id>"),
        ("GET", "/api/admin/supervisions"), ("POST", "/api/admin/supervisions"),
        ("DELETE", "/api/admin/supervisions/<int:link_id>"),
    ]},
}
PLACEHOLDER_VALUES = {"uuid": lambda: str(uuid.uuid4()), "int": lambda: "1"}


def api_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def concrete(rule: str) -> str:
    for converter, value in PLACEHOLDER_VALUES.items():
        while f"<{converter}:" in rule:
            start = rule.index(f"<{converter}:")
            rule = rule[:start] + value() + rule[rule.index(">", start) + 1:]
    return rule


def fingerprint(app) -> dict:
    """Row counts of every table but the audit trail (which records refusals too) and the
    sign-ins the test itself makes."""
    with app.app_context():
        tables = [t for t in db.metadata.sorted_tables if t.name not in ("audit_events", "user_sessions")]
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}
        counts["change_counter"] = db.session.execute(text("SELECT value FROM change_counter")).scalar_one()
        return counts


def call(client, token, method: str, url: str):
    return client.open(url, method=method, json={}, headers={"X-CSRF-Token": token} if token else {})


def test_the_table_covers_every_api_route(app):
    assert api_routes(app) == set(ACCESS)


@pytest.mark.parametrize("method, rule", sorted(ACCESS))
def test_roles_at_the_gate(app, world, method, rule):
    allowed = ACCESS[(method, rule)]
    url = concrete(rule)
    before = fingerprint(app)
    anonymous = call(app.test_client(), None, method, url)
    if allowed == PUBLIC:
        assert anonymous.status_code not in (401, 403)
    else:
        assert anonymous.status_code == 401, anonymous.get_json()
    for role in ROLES:
        user = {"officer": world.officer_a, "principal": world.principal_a,
                "supervisor": world.supervisor, "admin": world.admin}[role]
        signed = world.client(user)
        response = call(signed.client, signed.token, method, url)
        if allowed in (PUBLIC, SIGNED_IN) or role in allowed:
            assert response.status_code not in (401, 403), (role, response.get_json())
        else:
            assert response.status_code == 403, (role, response.get_json())
            assert response.get_json()["error"]["code"] == "forbidden"
    if method != "GET" and allowed not in (PUBLIC, SIGNED_IN) and "admin" not in allowed:
        assert fingerprint(app) == before


# Filter scope: (endpoint, who, filter, naming whom) -> status. Principals get school totals: an
# officer filter is refused even for an officer at their school, and so is another school. In the
# log browser a supervisor's or officer's filter beyond their scope simply matches nothing.
REPORTS = ["/api/reports/compliance", "/api/reports/monthly", "/api/reports/monthly.csv",
           "/api/reports/public", "/api/reports/public.csv", "/api/reports/involvements"]
FILTERABLE = [*REPORTS, "/api/records"]
FILTER_SCOPE = [
    *((path, "principal_a", "officer_id", "officer_a", 403) for path in FILTERABLE),
    *((path, "principal_a", "officer_id", "officer_b", 403) for path in FILTERABLE),
    *((path, "principal_a", "school_id", "school_b", 403) for path in FILTERABLE),
    *((path, "principal_a", "school_id", "school_a", 200) for path in FILTERABLE),
    *((path, "supervisor", "officer_id", "officer_a", 200) for path in FILTERABLE),
    *((path, "supervisor", "officer_id", "officer_b", 403) for path in REPORTS),
    ("/api/records", "supervisor", "officer_id", "officer_b", 200),
    *((path, "officer_a", "officer_id", "officer_a", 200) for path in FILTERABLE),
    *((path, "officer_a", "officer_id", "officer_b", 403) for path in REPORTS),
    ("/api/records", "officer_a", "officer_id", "officer_b", 200),
    *((path, "admin", "officer_id", "officer_b", 200) for path in FILTERABLE),
    *((path, "admin", "school_id", "school_b", 200) for path in FILTERABLE),
]


@pytest.mark.parametrize("path, reader, name, whose, status", FILTER_SCOPE)
def test_report_and_log_filters_are_scoped(world, path, reader, name, whose, status):
    query = {name: getattr(world, whose), **({"school_year": "2026-2027"} if path in REPORTS else {})}
    response = world.client(getattr(world, reader)).client.get(path, query_string=query)
    assert response.status_code == status, response.get_json()
    if status == 403:
        assert list(response.get_json()["error"]["fields"]) == [name]


# Object scope: (who, whose record, kind) -> may they read its history / decide on it.
HISTORY_SCOPE = [
    ("officer_a", "officer_a", "activity", 200), ("officer_b", "officer_a", "activity", 404),
    ("principal_a", "officer_a", "principal_meeting", 200), ("principal_a", "officer_a", "activity", 404),
    ("principal_a", "officer_a", "semester_review", 200), ("principal_b", "officer_a", "semester_review", 404),
    ("principal_b", "officer_a", "principal_meeting", 404),
    ("supervisor", "officer_a", "activity", 200), ("supervisor", "officer_b", "activity", 404),
    ("admin", "officer_b", "activity", 200),
]


@pytest.mark.parametrize("reader, owner, kind, status", HISTORY_SCOPE)
def test_record_history_is_scoped(world, reader, owner, kind, status):
    school = world.school_a if owner == "officer_a" else world.school_b
    record = (mutation(school_id=school, activity_type="semester_review", review_outcome="Reviewed",
                       agreement_changes=False)
              if kind == "semester_review" else mutation(kind=kind, school_id=school))
    world.client(getattr(world, owner)).push_ok([record])
    client = world.client(getattr(world, reader))
    assert client.client.get(f"/api/records/{record['id']}/history").status_code == status


@pytest.mark.parametrize("principal, status", [("principal_a", 200), ("principal_b", 404)])
def test_only_the_schools_principal_decides(app, world, principal, status):
    meeting = mutation(kind="principal_meeting", school_id=world.school_a)
    world.client(world.officer_a).push_ok([meeting])
    before = fingerprint(app)
    response = world.client(getattr(world, principal)).confirm(meeting["id"])
    assert response.status_code == status
    if status == 404:
        assert fingerprint(app) == before


# A semester review (KY 8): the officer's own supervisor and the school's principal take part;
# everyone else's decision is refused and changes nothing.
@pytest.mark.parametrize("who, status", [
    ("principal_a", 200), ("supervisor", 200), ("principal_b", 404), ("other_supervisor", 404),
    ("officer_a", 403), ("officer_b", 403), ("admin", 403),
])
def test_only_the_review_parties_decide_on_a_semester_review(app, world, who, status):
    from tests.factories import make_user, supervise
    review = mutation(school_id=world.school_a, activity_type="semester_review", review_outcome="Reviewed",
                      agreement_changes=False)
    world.client(world.officer_a).push_ok([review])
    if who == "other_supervisor":
        user = make_user(app, "supervisor").id
        supervise(app, user, world.officer_b)
    else:
        user = getattr(world, who)
    before = fingerprint(app)
    response = world.client(user).participate(review["id"])
    assert response.status_code == status, response.get_json()
    if status != 200:
        assert fingerprint(app) == before


# Review and sign-off (issue 14): a supervisor only for the officers they supervise, an admin for
# all; principals and officers are refused at the gate (403). Out of scope looks absent (404) and
# changes nothing.
@pytest.mark.parametrize("who, owner, status", [
    ("supervisor", "officer_a", 200), ("supervisor", "officer_b", 404), ("admin", "officer_b", 200),
    ("officer_a", "officer_a", 403), ("principal_a", "officer_a", 403),
])
def test_only_the_officers_supervisor_or_an_admin_reviews_a_record(app, world, who, owner, status):
    record = mutation(school_id=world.school_a if owner == "officer_a" else world.school_b)
    world.client(getattr(world, owner)).push_ok([record])
    before = fingerprint(app)
    client = world.client(getattr(world, who))
    response = client.review(record["id"], "approved", base_version=1)
    assert response.status_code == status, response.get_json()
    if status != 200:
        assert fingerprint(app) == before


@pytest.mark.frozen_now("2026-11-20T10:00:00-06:00")
@pytest.mark.parametrize("who, owner, status", [
    ("supervisor", "officer_a", 201), ("supervisor", "officer_b", 404), ("admin", "officer_b", 201),
    ("officer_a", "officer_a", 403), ("principal_a", "officer_a", 403),
])
def test_only_the_officers_supervisor_or_an_admin_signs_off_and_reads_a_month(app, world, who, owner, status):
    officer = getattr(world, owner)
    admin = world.client(world.admin)
    existing = admin.sign_off(officer, "2026-10").get_json()
    before = fingerprint(app)
    client = world.client(getattr(world, who))
    response = client.sign_off(officer, "2026-11")
    assert response.status_code == status, response.get_json()
    if status != 201:
        assert fingerprint(app) == before
    read = client.client.get(f"/api/signoffs/{existing['id']}")
    assert read.status_code == (200 if status == 201 else status)
    listed = client.client.get("/api/signoffs")
    if status == 403:
        assert listed.status_code == 403
    else:
        assert (existing["id"] in [one["id"] for one in listed.get_json()["items"]]) == (status == 201)


# Principals' semester feedback (KY 25, 26): who reads which answers. Officers read theirs only
# through GET /api/me/program, without the principal's name.
FEEDBACK_SCOPE = [
    ("principal_a", {"officer_a"}), ("principal_b", {"officer_b"}), ("supervisor", {"officer_a"}),
    ("admin", {"officer_a", "officer_b"}), ("officer_a", None),
]


@pytest.mark.parametrize("reader, officers", FEEDBACK_SCOPE)
def test_feedback_answers_are_scoped(app, world, reader, officers):
    from server.models import PrincipalFeedback
    with app.app_context():
        for principal, officer, school in (("principal_a", "officer_a", "school_a"),
                                           ("principal_b", "officer_b", "school_b")):
            db.session.add(PrincipalFeedback(
                principal_id=getattr(world, principal), officer_id=getattr(world, officer),
                school_id=getattr(world, school), school_year="2026-2027", term="Fall semester", relationships=4,
                responsiveness=4, stayed_out_of_discipline="yes"))
        db.session.commit()
    response = world.client(getattr(world, reader)).client.get("/api/feedback")
    if officers is None:
        assert response.status_code == 403
        return
    seen = {answer["officer"]["id"] for answer in response.get_json()["answers"]}
    assert seen == {getattr(world, officer) for officer in officers}
