"""Issue 13: an admin enters an officer's 120-hour basic course from the review screens.

The record is the officer's, written through the one push path: it reaches their phone, obeys
every training rule, names the admin in its history, is audited, and a retry never duplicates."""

import uuid

from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, Record, RecordRevision
from tests.sync_support import mutation


def basic_course(**fields) -> dict:
    entry = mutation(kind="training", hours=120, basic_course=True, course="Basic SRO course",
                     provider="state_academy", topics=["de_escalation", "implicit_bias"], **fields)
    entry["data"]["school_id"] = None
    return {"mutation_id": entry["mutation_id"], "id": entry["id"], "data": entry["data"]}


def enter(world, officer_id: int, entry: dict, as_user: int | None = None):
    admin = world.client(as_user or world.admin)
    return admin.client.post(f"/api/admin/officers/{officer_id}/training", json=entry,
                             headers={"X-CSRF-Token": admin.token})


def test_the_course_is_the_officers_record_and_reaches_their_phone(world):
    entry = basic_course()
    answer = enter(world, world.officer_a, entry)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["status"] == "applied"
    pulled, _ = world.client(world.officer_a).pull_all()
    [course] = [change for change in pulled if change["id"] == entry["id"]]
    assert (course["owner_id"], course["kind"], course["data"]["basic_course"]) == (world.officer_a, "training", True)
    with world.app.app_context():
        actors = db.session.scalars(select(RecordRevision.actor_id).where(
            RecordRevision.record_id == uuid.UUID(entry["id"]))).all()
        assert actors == [world.admin]
        assert db.session.scalar(select(AuditEvent.target).where(
            AuditEvent.action == "training.entered_for_officer", AuditEvent.outcome == "success")) == f"record:{entry['id']}"


def test_the_basic_course_meets_the_compliance_rule(world):
    enter(world, world.officer_a, basic_course())
    answer = world.client(world.admin).client.get("/api/reports/compliance?school_year=2026-2027")
    assert answer.status_code == 200, answer.get_json()
    report = answer.get_json()
    [officer] = [entry for entry in report["training"] if entry["officer"]["id"] == world.officer_a]
    assert officer["basic_course"]["status"] == "met"


def test_a_retry_is_answered_duplicate_and_writes_nothing_more(world):
    entry = basic_course()
    assert enter(world, world.officer_a, entry).status_code == 201
    again = enter(world, world.officer_a, entry)
    assert (again.status_code, again.get_json()["status"]) == (200, "duplicate")
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Record)) == 1


def test_bad_fields_are_named_and_nothing_is_written(world):
    entry = basic_course()
    entry["data"]["hours"] = 0
    answer = enter(world, world.officer_a, entry)
    assert answer.status_code == 422
    assert "hours" in answer.get_json()["error"]["fields"]
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Record)) == 0
        assert db.session.scalar(select(AuditEvent.outcome).where(
            AuditEvent.action == "training.entered_for_officer")) == "failure"


def test_only_an_officer_can_be_given_a_course(world):
    for not_an_officer in (world.principal_a, world.supervisor, world.admin, 999_999):
        answer = enter(world, not_an_officer, basic_course())
        assert answer.status_code == 404, not_an_officer
        assert "officer_id" in answer.get_json()["error"]["fields"]


def test_an_existing_id_is_a_conflict_not_an_overwrite(world):
    entry = basic_course()
    enter(world, world.officer_a, entry)
    again = {**basic_course(), "id": entry["id"]}
    answer = enter(world, world.officer_a, again)
    assert answer.status_code == 409
    assert "id" in answer.get_json()["error"]["fields"]


def test_the_officer_cannot_replay_the_admins_mutation_id(world):
    entry = basic_course()
    enter(world, world.officer_a, entry)
    replay = mutation(kind="training", hours=8)
    replay["data"]["school_id"] = None
    replay.update(mutation_id=entry["mutation_id"], id=entry["id"])
    [result] = world.client(world.officer_a).push_ok([replay])
    assert result["status"] == "rejected"
    assert "mutation_id" in result["errors"]
