"""Issue 12: each admin rule holds on every path that writes (admin API, command line, database, demo seeder)."""

from datetime import date

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models import AuditEvent, NonSchoolDay, OfficerAssignment, School, SchoolTerm, User
from server.services.admin import service
from tests.factories import login, make_school, make_user, post_json

pytestmark = pytest.mark.frozen_now("2026-11-30T10:00:00-06:00")

# make_school's default calendar has "Fall semester" 2026-08-19 to 2026-12-18 in 2026-2027.
LATE_FALL = {"school_year": "2026-2027", "name": "Late fall", "starts_on": "2026-12-01", "ends_on": "2027-01-30"}


@pytest.fixture
def school(app):
    return make_school(app, "NHS")


@pytest.fixture
def admin_api(app):
    """POST to /api/admin as a signed-in admin."""
    admin = make_user(app, "admin", email="admin@pd.example")
    client = app.test_client()
    token = login(client, admin)
    return lambda url, body: post_json(client, url, body, token)


def cli(runner, *args):
    return runner.invoke(args=list(args))


def refused_on_both(api_response, cli_result, status: int, field: str, words: str) -> None:
    assert api_response.status_code == status, api_response.get_json()
    assert field in api_response.get_json()["error"]["fields"]
    assert cli_result.exit_code != 0
    assert words in cli_result.output, cli_result.output


def failures(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.outcome == "failure"))


# --- terms --------------------------------------------------------------------------------

def test_an_overlapping_term_is_refused_by_the_api_and_the_command_line(app, runner, school, admin_api):
    api = admin_api(f"/api/admin/schools/{school.id}/terms", LATE_FALL)
    command = cli(runner, "schools", "add-term", "--school", "NHS", "--year", "2026-2027", "--name", "Late fall",
                  "--start", "2026-12-01", "--end", "2027-01-30")
    refused_on_both(api, command, 409, "starts_on", "Overlaps the term 'Fall semester'")
    assert failures(app, "admin.term_add") == 1


def test_a_term_outside_its_school_year_is_refused_by_the_api_and_the_command_line(app, runner, school, admin_api):
    body = {**LATE_FALL, "name": "Summer", "starts_on": "2027-06-14", "ends_on": "2027-07-30"}
    api = admin_api(f"/api/admin/schools/{school.id}/terms", body)
    command = cli(runner, "schools", "add-term", "--school", "NHS", "--year", "2026-2027", "--name", "Summer",
                  "--start", "2027-06-14", "--end", "2027-07-30")
    refused_on_both(api, command, 422, "ends_on", "inside the school year 2026-2027")


def _raw_term(school_id: int, name: str, starts_on: date, ends_on: date) -> None:
    db.session.execute(insert(SchoolTerm).values(school_id=school_id, school_year="2026-2027", name=name,
                                                 starts_on=starts_on, ends_on=ends_on))
    db.session.commit()


def test_the_database_refuses_an_overlapping_term_written_past_the_service(app, school):
    other = make_school(app, "LMS", terms=())
    with app.app_context():
        with pytest.raises(IntegrityError, match="school_terms_overlap"):
            _raw_term(school.id, "Late fall", date(2026, 12, 1), date(2027, 1, 5))
        db.session.rollback()
        with pytest.raises(IntegrityError, match="school_terms_overlap"):
            db.session.execute(update(SchoolTerm).where(SchoolTerm.school_id == school.id,
                                                        SchoolTerm.name == "Spring semester")
                               .values(starts_on=date(2026, 12, 18)))
            db.session.commit()
        db.session.rollback()
        # Touching days are not shared days; other schools and other years are not in the way.
        _raw_term(school.id, "Winter session", date(2026, 12, 19), date(2027, 1, 5))
        _raw_term(other.id, "Late fall", date(2026, 12, 1), date(2027, 1, 5))
        db.session.execute(insert(SchoolTerm).values(school_id=school.id, school_year="2027-2028", name="Fall",
                                                     starts_on=date(2027, 8, 18), ends_on=date(2027, 12, 17)))
        db.session.execute(update(SchoolTerm).where(SchoolTerm.school_id == school.id,
                                                    SchoolTerm.name == "Fall semester").values(name="Autumn"))
        db.session.commit()


def test_the_databases_refusal_in_a_race_becomes_the_usual_409(app, school, monkeypatch):
    """Two admins at once: the service's check passed (the other term was not there yet), the database's did not."""
    monkeypatch.setattr(service, "overlapping_term", lambda term, others: None)
    with app.app_context():
        with pytest.raises(service.AdminRefused) as refused:
            service.create_term("cli:test", school.id, {"school_year": "2026-2027", "name": "Late fall",
                                                        "starts_on": date(2026, 12, 1), "ends_on": date(2027, 1, 5)})
    assert refused.value.status == 409 and refused.value.field == "starts_on"
    assert failures(app, "admin.term_create") == 1


# --- non-school days, time zones, passwords, assignments -----------------------------------

def test_a_weekend_non_school_day_is_refused_by_the_api_and_the_command_line(app, runner, school, admin_api):
    api = admin_api(f"/api/admin/schools/{school.id}/non-school-days", {"day": "2026-11-28"})
    command = cli(runner, "schools", "add-closed-day", "--school", "NHS", "--day", "2026-11-28")
    refused_on_both(api, command, 422, "day", "Must be a weekday")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(NonSchoolDay).where(
            NonSchoolDay.day == date(2026, 11, 28))) == 0
    assert failures(app, "admin.closed_day_add") == 1


def test_an_unknown_time_zone_is_refused_by_the_api_and_the_command_line(app, runner, admin_api):
    api = admin_api("/api/admin/schools", {"name": "Tz", "code": "TZ", "timezone": "Mars/Olympus"})
    command = cli(runner, "schools", "create", "--name", "Tz", "--code", "TZ", "--timezone", "Mars/Olympus")
    refused_on_both(api, command, 422, "timezone", "Unknown time zone 'Mars/Olympus'")
    with app.app_context():
        assert db.session.scalar(select(School.id).where(School.code == "TZ")) is None


@pytest.mark.parametrize("password, words", [("password123", "common"), ("jo@pd.example", "email address")])
def test_a_weak_password_is_refused_by_the_api_and_the_command_line(app, runner, admin_api, password, words):
    api = admin_api("/api/admin/users", {"email": "jo@pd.example", "name": "Jo", "role": "officer",
                                         "password": password})
    command = cli(runner, "users", "create", "--email", "jo@pd.example", "--name", "Jo", "--role", "officer",
                  "--password", password)
    refused_on_both(api, command, 422, "password", words)
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.email == "jo@pd.example")) is None


def test_an_overlapping_assignment_is_refused_by_the_api_and_the_command_line(app, runner, school, admin_api):
    officer = make_user(app, "officer", email="officer@pd.example")
    assert cli(runner, "assign", "--officer", officer.email, "--school", "NHS", "--from", "2026-08-01",
               "--until", "2026-12-31").exit_code == 0
    api = admin_api("/api/admin/assignments", {"officer_id": officer.id, "school_id": school.id,
                                               "starts_on": "2026-12-31"})
    command = cli(runner, "assign", "--officer", officer.email, "--school", "NHS", "--from", "2026-06-01",
                  "--until", "2026-08-01")
    refused_on_both(api, command, 409, "starts_on", "already assigned")
    # The day after the period ends is free.
    assert cli(runner, "assign", "--officer", officer.email, "--school", "NHS", "--from", "2027-01-01").exit_code == 0


# --- the demo seeder -------------------------------------------------------------------------

def test_the_demo_is_written_through_the_admin_service_and_keeps_its_rules(app, runner):
    result = cli(runner, "seed-demo")
    assert result.exit_code == 0, result.output
    with app.app_context():
        actions = dict(db.session.execute(
            select(AuditEvent.action, func.count()).where(AuditEvent.actor_email == "system:seed-demo",
                                                          AuditEvent.outcome == "success")
            .group_by(AuditEvent.action)).all())
        assert actions["admin.school_create"] == 2 and actions["admin.user_create"] == 6
        assert actions["admin.term_create"] == 4 and actions["admin.assignment_create"] == 2
        assert actions["admin.closed_day_create"] == db.session.scalar(select(func.count()).select_from(NonSchoolDay))
        assert all(day.weekday() < 5 for day in db.session.scalars(select(NonSchoolDay.day)))
        for term in db.session.scalars(select(SchoolTerm)):
            service._check_term(db.session, term)  # inside its year, no overlap: raises otherwise
        for row in db.session.scalars(select(OfficerAssignment)):
            service._check_assignment(db.session, row)
