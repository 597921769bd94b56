"""flask --app wsgi seed-demo | users | schools | assign, run through Flask's CLI runner."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import (
    AppliedMutation, AuditEvent, ChangeCounter, NonSchoolDay, OfficerAssignment, PrincipalSchool, Record,
    RecordRevision, School, SchoolTerm, Supervision, User,
)
from server.seed.demo import ACCOUNTS, DEMO_PASSWORD
from tests.factories import login, make_school, make_user, post_json

# seed-demo makes the school year of "today": with the server's clock pinned these tests see the
# same year on any real date (tests/unit/test_any_day.py seeds the demo on other days).
pytestmark = pytest.mark.frozen_now("2026-11-30T10:00:00-06:00")

ALL_TABLES = (School, SchoolTerm, NonSchoolDay, User, OfficerAssignment, PrincipalSchool, Supervision, Record,
              RecordRevision, AppliedMutation, AuditEvent)


def snapshot(app) -> dict:
    with app.app_context():
        counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in ALL_TABLES}
        counts["change_counter"] = db.session.scalar(select(ChangeCounter.value))
        counts["hashes"] = tuple(db.session.scalars(select(User.password_hash).order_by(User.id)))
        return counts


def cli(runner, *args, input=None):
    return runner.invoke(args=list(args), input=input)


@pytest.fixture
def seeded(app, runner):
    result = cli(runner, "seed-demo")
    assert result.exit_code == 0, result.output
    return result


# --- seed-demo --------------------------------------------------------------------------

def test_seed_demo_twice_changes_nothing_the_second_time(app, runner, seeded):
    assert "Demo data added" in seeded.output
    before = snapshot(app)
    again = cli(runner, "seed-demo")
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    assert snapshot(app) == before
    for account in ACCOUNTS:
        assert account.email in again.output
    assert DEMO_PASSWORD in again.output


def test_every_demo_account_signs_in_through_the_api(app, seeded):
    for account in ACCOUNTS:
        client = app.test_client()
        response = client.post("/api/auth/login", json={"email": account.email, "password": DEMO_PASSWORD})
        assert response.status_code == 200, (account.email, response.get_json())
        user = response.get_json()["user"]
        assert user["role"] == account.role
    schools = {}
    for email in ("officer@demo.test", "officer2@demo.test", "principal@demo.test", "principal2@demo.test"):
        client = app.test_client()
        body = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD}).get_json()
        schools[email] = [school["code"] for school in body["user"]["schools"]]
    assert schools == {"officer@demo.test": ["NHS"], "officer2@demo.test": ["LMS"],
                       "principal@demo.test": ["NHS"], "principal2@demo.test": ["LMS"]}


def test_the_demo_year_is_realistic_and_written_through_sync(app, seeded):
    with app.app_context():
        schools = {school.code: school for school in db.session.scalars(select(School))}
        assert set(schools) == {"NHS", "LMS"}
        for school in schools.values():
            assert [term.name for term in school.terms] == ["Fall semester", "Spring semester"]
            assert len(school.closed_days) >= 5
            assert all(day.day.weekday() < 5 for day in school.closed_days)
            assert any("Thanksgiving" in day.description for day in school.closed_days)
        for email in ("officer@demo.test", "officer2@demo.test"):
            officer = db.session.scalar(select(User).where(User.email == email))
            records = list(db.session.scalars(select(Record).where(Record.owner_id == officer.id)))
            kinds = Counter(record.kind for record in records)
            assert kinds["principal_meeting"] >= 8
            assert kinds["introduction"] >= 5 and kinds["extracurricular_contact"] >= 8 and kinds["activity"] >= 20
            meetings = Counter(r.confirmation_status for r in records if r.kind == "principal_meeting")
            assert meetings["confirmed"] > meetings["pending"] >= 1
            disputed = [r for r in records if r.confirmation_status == "disputed"]
            assert len(disputed) == 1 and disputed[0].confirmation_comment
            audiences = {r.subtype for r in records if r.kind == "introduction"}
            assert {"new_students", "faculty", "support_staff"} <= audiences
            activity_types = Counter(r.subtype for r in records if r.kind == "activity")
            assert activity_types["faculty_meeting"] >= 2
            assert {"counseling_student", "classroom_presentation", "emergency_drill", "resource_referral"} <= set(activity_types)
            assert {"athletic", "dance", "field_trip"} <= {r.subtype for r in records if r.kind == "extracurricular_contact"}
            assert all(r.last_device_id and r.change_seq for r in records)
        # Written through the sync service: every change numbered, every version has its revision.
        assert db.session.scalar(select(ChangeCounter.value)) == db.session.scalar(select(func.max(Record.change_seq)))
        assert db.session.scalar(select(func.count(func.distinct(Record.change_seq)))) == \
            db.session.scalar(select(func.count()).select_from(Record))
        accepted = db.session.scalar(select(func.count()).select_from(RecordRevision)
                                     .where(RecordRevision.outcome == "accepted"))
        versions = db.session.scalar(select(func.sum(Record.version)))
        decisions = db.session.scalar(select(func.count()).select_from(Record)
                                      .where(Record.confirmation_status.in_(("confirmed", "disputed"))))
        parties = [part for (participation,) in db.session.execute(select(Record.participation))
                   for part in (participation or {}).values() if part["status"] != "pending"]
        assert len(parties) == 2  # Northside's semester review: the principal and the supervisor took part
        assert accepted == versions + decisions + len(parties)
        assert db.session.scalar(select(func.count()).select_from(Record).where(Record.voided.is_(True))) >= 1
        assert db.session.scalar(select(func.max(Record.version))) >= 2


def test_the_demo_has_only_its_few_deliberate_late_entries(app, seeded):
    """Each week's records reach the server as of that week (a phone syncing weekly), so late
    entries are only the three the demo logs days later on purpose."""
    with app.app_context():
        late = db.session.execute(select(Record.data["event_name"].as_string(), Record.occurred_at, Record.created_at)
                                  .where(Record.late_entry.is_(True))).all()
        on_time = db.session.execute(select(Record.occurred_at, Record.created_at)
                                     .where(Record.late_entry.is_(False))).all()
    assert sorted(name for name, _, _ in late) == ["Cross-country meet", "Trunk-or-treat",
                                                   "Varsity football vs. Lincoln Park"]
    assert all(timedelta(days=9) <= created - occurred < timedelta(days=17) for _, occurred, created in late)
    assert all(created > occurred for occurred, created in on_time)  # saved after it happened, as a phone would


def test_the_supervisor_sees_both_officers_and_a_principal_only_their_school(app, seeded):
    def pull(email: str) -> list[dict]:
        client = app.test_client()
        login(client, email, DEMO_PASSWORD)
        changes, cursor = [], None
        while True:
            body = client.get("/api/sync/pull", query_string={"limit": 500, **({"since": cursor} if cursor else {})}).get_json()
            changes += body["changes"]
            cursor = body["cursor"]
            if not body["has_more"]:
                return changes

    with app.app_context():
        ids = dict(db.session.execute(select(User.email, User.id)).all())
        nhs = db.session.scalar(select(School.id).where(School.code == "NHS"))
    assert {change["owner_id"] for change in pull("supervisor@demo.test")} == {ids["officer@demo.test"],
                                                                               ids["officer2@demo.test"]}
    principal_sees = pull("principal@demo.test")
    assert principal_sees and {change["data"]["school_id"] for change in principal_sees} == {nhs}


def test_seed_demo_with_a_chosen_password(app, runner):
    result = cli(runner, "seed-demo", "--password", "another-demo-pass")
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "admin@demo.test", "another-demo-pass")


def test_seed_demo_refuses_a_weak_password(app, runner):
    result = cli(runner, "seed-demo", "--password", "short")
    assert result.exit_code != 0
    assert "at least 8" in result.output
    assert snapshot(app)["users"] == 0


def test_seed_demo_if_empty_leaves_a_database_with_users_alone(app, runner):
    make_user(app, "admin", email="chief@pd.example")
    result = cli(runner, "seed-demo", "--if-empty")
    assert result.exit_code == 0
    assert "not added" in result.output
    assert snapshot(app)["users"] == 1 and snapshot(app)["records"] == 0


# --- users --------------------------------------------------------------------------------

def audit_actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(AuditEvent.action, AuditEvent.outcome).where(AuditEvent.action.like("admin.%")).order_by(AuditEvent.id))]


def test_users_create_then_sign_in(app, runner):
    result = cli(runner, "users", "create", "--email", "J.Ellis@PD.example", "--name", "Officer Jordan Ellis",
                 "--role", "officer", "--password", "long-enough-2026")
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "j.ellis@pd.example", "long-enough-2026")
    assert audit_actions(app) == [("admin.user_create", "success")]
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "admin.user_create"))
        assert event.actor_email.startswith("cli:") and event.target == "user:j.ellis@pd.example"
        assert "long-enough-2026" not in str(event.details)


def test_users_create_prompts_for_the_password(app, runner):
    result = cli(runner, "users", "create", "--email", "p@pd.example", "--name", "P", "--role", "principal",
                 input="prompted-pass-2026\nprompted-pass-2026\n")
    assert result.exit_code == 0, result.output
    assert login(app.test_client(), "p@pd.example", "prompted-pass-2026")


@pytest.mark.parametrize("password, why", [("short", "at least 8"), ("password123", "common")])
def test_users_create_refuses_weak_passwords_and_audits_the_refusal(app, runner, password, why):
    result = cli(runner, "users", "create", "--email", "x@pd.example", "--name", "X", "--role", "admin",
                 "--password", password)
    assert result.exit_code != 0
    assert why in result.output
    assert snapshot(app)["users"] == 0
    assert audit_actions(app) == [("admin.user_create", "failure")]


def test_users_create_refuses_a_duplicate_email_and_an_unknown_role(app, runner):
    make_user(app, "officer", email="taken@pd.example")
    duplicate = cli(runner, "users", "create", "--email", "TAKEN@pd.example", "--name", "T", "--role", "officer",
                    "--password", "long-enough-2026")
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    unknown = cli(runner, "users", "create", "--email", "n@pd.example", "--name", "N", "--role", "chief",
                  "--password", "long-enough-2026")
    assert unknown.exit_code != 0


def test_set_password_ends_open_sessions_and_clears_a_lock(app, runner):
    user = make_user(app, "officer")
    client = app.test_client()
    login(client, user)
    for _ in range(5):
        app.test_client().post("/api/auth/login", json={"email": user.email, "password": "wrong-guess"})
    result = cli(runner, "users", "set-password", "--email", user.email, "--password", "brand-new-pass-2026")
    assert result.exit_code == 0, result.output
    assert client.get("/api/me").status_code == 401
    assert login(app.test_client(), user.email, "brand-new-pass-2026")
    assert ("admin.user_set_password", "success") in audit_actions(app)


def test_deactivate_stops_sign_in_and_open_sessions(app, runner):
    user = make_user(app, "supervisor")
    client = app.test_client()
    token = login(client, user)
    result = cli(runner, "users", "deactivate", "--email", user.email)
    assert result.exit_code == 0, result.output
    assert client.get("/api/me").status_code == 401
    assert post_json(client, "/api/auth/logout", token=token).status_code == 401
    refused = app.test_client().post("/api/auth/login", json={"email": user.email, "password": user.password})
    assert refused.status_code == 401
    again = cli(runner, "users", "deactivate", "--email", user.email)
    assert again.exit_code != 0
    assert audit_actions(app) == [("admin.user_deactivate", "success"), ("admin.user_deactivate", "failure")]


def test_unknown_user_is_a_clear_error(runner):
    result = cli(runner, "users", "set-password", "--email", "ghost@pd.example", "--password", "long-enough-2026")
    assert result.exit_code != 0
    assert "No user with email ghost@pd.example" in result.output


# --- schools and assign ------------------------------------------------------------------

def test_schools_terms_and_assignments_shape_what_sign_in_returns(app, runner):
    officer = make_user(app, "officer", email="officer@pd.example")
    principal = make_user(app, "principal", email="principal@pd.example")
    supervisor = make_user(app, "supervisor", email="sgt@pd.example")
    steps = [
        ("schools", "create", "--name", "Eastwood High School", "--code", "EHS", "--timezone", "America/New_York"),
        ("schools", "add-term", "--school", "EHS", "--year", "2026-2027", "--name", "Fall semester",
         "--start", "2026-08-19", "--end", "2026-12-18"),
        ("schools", "add-closed-day", "--school", "EHS", "--day", "2026-09-07", "--description", "Labor Day"),
        ("assign", "--officer", officer.email, "--school", "EHS", "--from", "2026-08-01"),
        ("assign", "--principal", principal.email, "--school", "EHS"),
        ("assign", "--supervisor", supervisor.email, "--officer", officer.email),
    ]
    for step in steps:
        result = cli(runner, *step)
        assert result.exit_code == 0, (step, result.output)
    for user in (officer, principal, supervisor):
        body = app.test_client().post("/api/auth/login", json={"email": user.email, "password": user.password}).get_json()
        assert [school["code"] for school in body["user"]["schools"]] == ["EHS"], user.role
    assert audit_actions(app) == [
        ("admin.school_create", "success"), ("admin.term_add", "success"), ("admin.closed_day_add", "success"),
        ("admin.assign_officer", "success"), ("admin.assign_principal", "success"),
        ("admin.assign_supervisor", "success"),
    ]
    listing = cli(runner, "schools", "list")
    assert "Eastwood High School" in listing.output and "2026-08-19" in listing.output


@pytest.mark.parametrize("args, message", [
    (("schools", "create", "--name", "Dup", "--code", "NHS"), "already exists"),
    (("schools", "create", "--name", "Tz", "--code", "TZ", "--timezone", "Mars/Olympus"), "Unknown time zone"),
    (("schools", "add-term", "--school", "NHS", "--year", "2026", "--name", "Fall", "--start", "2026-08-19",
      "--end", "2026-12-18"), "2026-2027"),
    (("schools", "add-term", "--school", "NHS", "--year", "2026-2027", "--name", "Fall", "--start", "2026-12-19",
      "--end", "2026-12-18"), "end on or after"),
    (("assign", "--officer", "nobody@pd.example", "--school", "NHS", "--from", "2026-08-01"), "No user"),
    (("assign", "--officer", "officer@pd.example", "--school", "NOPE", "--from", "2026-08-01"), "No school"),
    (("assign", "--principal", "officer@pd.example", "--school", "NHS"), "not a principal"),
    (("assign", "--supervisor", "officer@pd.example", "--officer", "officer@pd.example"), "not a supervisor"),
    (("assign", "--school", "NHS"), "Give --officer"),
    (("assign", "--officer", "officer@pd.example", "--school", "NHS"), "--from"),
])
def test_admin_commands_refuse_bad_input_clearly(app, runner, args, message):
    make_school(app, "NHS")
    make_user(app, "officer", email="officer@pd.example")
    result = cli(runner, *args)
    assert result.exit_code != 0
    assert message in result.output


def test_overlapping_assignment_is_refused_but_a_second_school_is_allowed(app, runner):
    make_school(app, "NHS")
    make_school(app, "LMS")
    officer = make_user(app, "officer", email="officer@pd.example")
    assert cli(runner, "assign", "--officer", officer.email, "--school", "NHS", "--from", "2026-08-01").exit_code == 0
    overlap = cli(runner, "assign", "--officer", officer.email, "--school", "NHS", "--from", "2026-09-01")
    assert overlap.exit_code != 0 and "already assigned" in overlap.output
    # KY 9: more than one school is flagged in reports, not forbidden.
    assert cli(runner, "assign", "--officer", officer.email, "--school", "LMS", "--from", "2026-08-01").exit_code == 0


# --- seed-demo and production (issue 11) --------------------------------------------------------

@pytest.fixture
def production_runner(database_url):
    from server import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "ENV_NAME": "production"})
    return app, app.test_cli_runner()


def test_seed_demo_refuses_a_production_server(production_runner):
    app, runner = production_runner
    before = snapshot(app)
    result = cli(runner, "seed-demo")
    assert result.exit_code != 0
    assert "production" in result.output and "--force" in result.output
    assert snapshot(app) == before


def test_seed_demo_in_production_needs_force(production_runner):
    app, runner = production_runner
    result = cli(runner, "seed-demo", "--force", "--if-empty")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "admin@demo.test"))
