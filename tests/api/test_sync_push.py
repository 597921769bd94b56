"""POST /api/sync/push: every status, authorisation per mutation, history kept."""

import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AppliedMutation, Record, RecordRevision
from server.schemas.sync import PushResultSchema
from tests.sync_support import mutation, record_data


@pytest.fixture
def officer(world):
    return world.client(world.officer_a)


def revisions(app, record_id: str) -> list[RecordRevision]:
    with app.app_context():
        return list(db.session.scalars(
            select(RecordRevision).where(RecordRevision.record_id == uuid.UUID(record_id)).order_by(RecordRevision.id)
        ))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("kind", ["extracurricular_contact", "introduction", "principal_meeting", "activity"])
def test_every_kind_is_created_at_version_1(app, world, officer, kind):
    created = mutation(kind=kind, school_id=world.school_a)
    [result] = officer.push_ok([created])
    assert result == {"mutation_id": created["mutation_id"], "id": created["id"], "status": "applied", "version": 1}
    [change] = officer.pull_all()[0]
    assert change["kind"] == kind
    assert change["owner_id"] == world.officer_a
    assert change["data"] == created["data"]


def test_retry_after_a_lost_response_is_a_duplicate_and_changes_nothing(app, world, officer):
    created = mutation(school_id=world.school_a)
    officer.push_ok([created])  # the phone never saw this answer
    [retry] = officer.push_ok([created])
    assert retry["status"] == "duplicate"
    assert retry["version"] == 1
    assert count(app, Record) == 1
    assert len(revisions(app, created["id"])) == 1
    assert count(app, AppliedMutation) == 1


def test_the_same_mutation_twice_in_one_batch_applies_once(app, world, officer):
    created = mutation(school_id=world.school_a)
    first, second = officer.push_ok([created, created])
    assert (first["status"], second["status"]) == ("applied", "duplicate")
    assert count(app, Record) == 1


def test_create_then_edit_then_void_in_one_batch(app, world, officer):
    created = mutation(school_id=world.school_a)
    edited = mutation(created["id"], base_version=1, school_id=world.school_a, count=3)
    voided = mutation(created["id"], base_version=2, data={}, voided=True, void_reason="Entered twice")
    results = officer.push_ok([created, edited, voided])
    assert [(r["status"], r["version"]) for r in results] == [("applied", 1), ("applied", 2), ("applied", 3)]
    [change] = officer.pull_all()[0]
    assert change["voided"] is True
    assert change["void_reason"] == "Entered twice"
    assert change["data"]["count"] == 3  # a void keeps the content
    assert [r.action for r in revisions(app, created["id"])] == ["create", "update", "void"]


def test_stale_base_version_is_a_conflict_and_the_losing_proposal_is_kept(app, world, officer):
    phone, tablet = officer, world.client(world.officer_a)
    created = mutation(school_id=world.school_a)
    phone.push_ok([created])
    phone.push_ok([mutation(created["id"], base_version=1, school_id=world.school_a, count=5)])
    stale = mutation(created["id"], base_version=1, school_id=world.school_a, count=9)
    [result] = tablet.push_ok([stale])
    assert result["status"] == "conflict"
    assert result["version"] == 2
    assert result["record"]["data"]["count"] == 5
    history = revisions(app, created["id"])
    assert [(r.outcome, r.version) for r in history] == [("accepted", 1), ("accepted", 2), ("rejected_conflict", None)]
    assert history[-1].snapshot["data"]["count"] == 9
    assert history[-1].device_id == tablet.device_id
    [retry] = tablet.push_ok([stale])
    assert retry["status"] == "conflict"
    assert len(revisions(app, created["id"])) == 3  # the retry stores nothing new


def test_the_answer_matches_its_documented_schema(world, officer):
    """The view sends what the service built without dumping it again: every status, the
    conflicting record and the errors must still be exactly PushResultSchema's shape."""
    created = mutation(kind="principal_meeting", school_id=world.school_a)
    officer.push_ok([created])
    bad = mutation(school_id=world.school_a, count=0)
    response = officer.push([created, mutation(created["id"], kind="principal_meeting", school_id=world.school_a),
                             bad, mutation(school_id=world.school_a)])
    body = response.get_json()
    assert [result["status"] for result in body["results"]] == ["duplicate", "conflict", "rejected", "applied"]
    assert PushResultSchema().dump(body) == body  # nothing undocumented, same values
    # Every documented key too: dump() leaves out a missing one. A result has all of its schema's
    # fields but the two documented as conditional: `record` (a conflict's) and `errors` (a rejection's).
    schema = PushResultSchema()
    assert set(body) == set(schema.fields)
    result_fields = schema.fields["results"].inner.schema.fields
    optional = {"record", "errors"}
    for result, present in zip(body["results"], [set(), {"record"}, {"errors"}, set()]):
        assert set(result) == set(result_fields) - optional | present, result
    # The conflicting record (a principal meeting) is a whole ChangeSchema: all but the semester
    # review's parties, with its confirmation and review in full.
    record = body["results"][1]["record"]
    change_fields = result_fields["record"].schema.fields
    assert set(record) == set(change_fields) - {"participation"}, record
    for nested in ("confirmation", "review"):
        assert set(record[nested]) == set(change_fields[nested].schema.fields), record[nested]


def test_a_new_record_whose_id_exists_is_a_conflict(app, world, officer):
    created = mutation(school_id=world.school_a)
    officer.push_ok([created])
    again = mutation(created["id"], school_id=world.school_a)
    [result] = officer.push_ok([again])
    assert result["status"] == "conflict"


def test_rejected_mutations_name_field_and_rule_and_never_block_the_batch(app, world, officer):
    bad = mutation(school_id=world.school_a, count=0)
    del bad["data"]["activity_type"]
    good = mutation(school_id=world.school_a)
    rejected, applied = officer.push_ok([bad, good])
    assert rejected["status"] == "rejected"
    assert rejected["errors"] == {
        "activity_type": ["Missing data for required field."],
        "count": ["Must be greater than or equal to 1 and less than or equal to 100000."],
    }
    assert applied["status"] == "applied"
    assert count(app, Record) == 1


@pytest.mark.parametrize("envelope, field", [
    ({"mutation_id": "not-a-uuid"}, "mutation_id"),
    ({"id": 42}, "id"),
    ({"kind": "arrest_report"}, "kind"),
    ({"base_version": 0}, "base_version"),
    ({"base_version": "1"}, "base_version"),
    ({"voided": "yes"}, "voided"),
    ({"voided": True, "void_reason": ""}, "void_reason"),
    ({"data": ["not", "an", "object"]}, "data"),
])
def test_malformed_envelopes_are_rejected_one_by_one(app, world, officer, envelope, field):
    bad = {**mutation(school_id=world.school_a), **envelope}
    results = officer.push_ok([bad, mutation(school_id=world.school_a)])
    assert results[0]["status"] == "rejected"
    assert field in results[0]["errors"]
    assert results[1]["status"] == "applied"


def test_a_mutation_that_is_not_an_object_is_rejected_alone(app, world, officer):
    results = officer.push_ok(["junk", mutation(school_id=world.school_a)])
    assert [r["status"] for r in results] == ["rejected", "applied"]


@pytest.mark.parametrize("data_change, field", [
    ({"occurred_at": "2026-11-13T19:00:00"}, "occurred_at"),  # no offset
    ({"occurred_at": "2031-01-01T00:00:00+00:00"}, "occurred_at"),  # far future
    ({"notes": "x" * 2001}, "notes"),
    ({"duration_minutes": -5}, "duration_minutes"),
    ({"student_name": "Jane Doe"}, "student_name"),  # data minimisation: no such field
    ({"count": "3"}, "count"),
])
def test_data_rules(app, world, officer, data_change, field):
    bad = mutation(school_id=world.school_a)
    bad["data"].update(data_change)
    [result] = officer.push_ok([bad])
    assert result["status"] == "rejected"
    assert list(result["errors"]) == [field]


def test_owner_and_version_in_data_are_ignored(app, world, officer):
    sneaky = mutation(school_id=world.school_a)
    sneaky["data"].update(owner_id=world.officer_b, version=99)
    [result] = officer.push_ok([sneaky])
    assert result["status"] == "applied"
    assert result["version"] == 1
    with app.app_context():
        assert db.session.get(Record, uuid.UUID(sneaky["id"])).owner_id == world.officer_a


def test_an_officer_cannot_write_another_officers_record(app, world, officer):
    theirs = mutation(school_id=world.school_b)
    world.client(world.officer_b).push_ok([theirs])
    takeover = mutation(theirs["id"], base_version=1, school_id=world.school_a)
    [result] = officer.push_ok([takeover])
    assert result["status"] == "rejected"
    assert "id" in result["errors"]
    assert len(revisions(app, theirs["id"])) == 1


def test_school_must_be_assigned_on_the_day_it_happened(app, world, officer):
    [other_school] = officer.push_ok([mutation(school_id=world.school_b)])
    assert other_school["errors"] == {
        "school_id": [f"You are not assigned to school {world.school_b} on 2026-11-13."]}
    july = datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc)  # the assignment starts on 1 August
    [early] = officer.push_ok([mutation(data=record_data(school_id=world.school_a, when=july))])
    assert early["status"] == "rejected"
    assert "school_id" in early["errors"]


def test_void_needs_a_reason_and_an_existing_record(app, world, officer):
    [no_record] = officer.push_ok([mutation(data={}, voided=True, void_reason="typo")])
    assert no_record["status"] == "rejected"
    assert "id" in no_record["errors"]


def test_a_void_record_cannot_be_edited(app, world, officer):
    created = mutation(school_id=world.school_a)
    officer.push_ok([created, mutation(created["id"], base_version=1, data={}, voided=True, void_reason="dup")])
    [edit] = officer.push_ok([mutation(created["id"], base_version=2, school_id=world.school_a)])
    assert edit["status"] == "rejected"
    assert "voided" in edit["errors"]


def test_kind_cannot_change(app, world, officer):
    created = mutation(school_id=world.school_a)
    officer.push_ok([created])
    [result] = officer.push_ok([mutation(created["id"], kind="introduction", base_version=1, school_id=world.school_a)])
    assert result["status"] == "rejected"
    assert "kind" in result["errors"]


def test_more_than_500_mutations_is_413_and_changes_nothing(app, world, officer):
    response = officer.push([mutation(school_id=world.school_a) for _ in range(501)])
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"
    assert count(app, Record) == 0


def test_a_too_old_client_gets_426(app, world, officer):
    response = officer.push([mutation(school_id=world.school_a)], **{"X-Client-Version": "0.9.0"})
    assert response.status_code == 426
    assert "too old" in response.get_json()["error"]["message"]
    assert count(app, Record) == 0
    assert officer.push([mutation(school_id=world.school_a)], **{"X-Client-Version": "1.0.0"}).status_code == 200


def test_envelope_errors_are_422(app, world, officer):
    response = officer.client.post("/api/sync/push", json={"mutations": []}, headers={"X-CSRF-Token": officer.token})
    assert response.status_code == 422
    assert "device_id" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("role", ["principal_a", "supervisor", "admin"])
def test_only_officers_push(app, world, role):
    response = world.client(getattr(world, role)).push([mutation(school_id=world.school_a)])
    assert response.status_code == 403
    assert count(app, Record) == 0


def test_push_needs_sign_in_and_csrf(app, world, officer):
    assert app.test_client().post("/api/sync/push", json={"device_id": "d", "mutations": []}).status_code == 401
    no_token = officer.client.post("/api/sync/push", json={"device_id": "d", "mutations": [mutation()]})
    assert no_token.status_code == 403
    assert no_token.get_json()["error"]["code"] == "csrf_failed"
    assert count(app, Record) == 0


def test_editing_a_confirmed_meeting_returns_it_to_pending(app, world, officer):
    meeting = mutation(kind="principal_meeting", school_id=world.school_a)
    officer.push_ok([meeting])
    assert world.client(world.principal_a).confirm(meeting["id"], base_version=1).status_code == 200
    [confirmed] = officer.pull_all()[0]
    assert confirmed["confirmation"]["status"] == "confirmed"
    officer.push_ok([mutation(meeting["id"], kind="principal_meeting", base_version=1, school_id=world.school_a,
                              summary="Added: parking lot lighting")])
    [edited] = officer.pull_all()[0]
    assert edited["version"] == 2
    assert edited["confirmation"]["status"] == "pending"
    history = revisions(app, meeting["id"])
    assert [r.action for r in history] == ["create", "confirm", "update"]
    assert history[1].snapshot["confirmation"]["status"] == "confirmed"


def test_deeply_nested_data_is_rejected_alone(app, world, officer):
    deep = mutation(school_id=world.school_a)
    deep["data"]["notes"] = [[[["too deep"]]]]
    results = officer.push_ok([deep, mutation(school_id=world.school_a)])
    assert results[0]["status"] == "rejected"
    assert results[0]["errors"] == {"data": ["Nested more than 3 levels deep."]}
    assert results[1]["status"] == "applied"


def test_a_body_nested_past_the_parser_is_400_not_500(app, world, officer):
    body = '{"device_id": "d", "mutations": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    response = officer.client.post("/api/sync/push", data=body, content_type="application/json",
                                   headers={"X-CSRF-Token": officer.token})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "The request body is nested too deeply."
    assert count(app, Record) == 0
