"""POST /api/meetings/<id>/confirmation: who may decide, stale versions, idempotent retries."""

import uuid

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Record, RecordRevision
from tests.factories import make_principal_for, make_user
from tests.sync_support import mutation


@pytest.fixture
def meeting(world):
    created = mutation(kind="principal_meeting", school_id=world.school_a)
    world.client(world.officer_a).push_ok([created])
    return created["id"]


def status_of(app, record_id: str) -> str:
    with app.app_context():
        return db.session.get(Record, uuid.UUID(record_id)).confirmation_status


def test_the_schools_principal_confirms(app, world, meeting):
    response = world.client(world.principal_a).confirm(meeting, base_version=1)
    assert response.status_code == 200
    body = response.get_json()
    assert body["record"]["confirmation"]["status"] == "confirmed"
    assert body["record"]["confirmation"]["by_id"] == world.principal_a
    assert status_of(app, meeting) == "confirmed"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "meeting.confirmed"))


def test_a_designee_at_the_same_school_confirms_and_the_record_says_who(app, world, meeting):
    designee = make_user(app, "principal").id
    make_principal_for(app, world.school_a, designee)
    body = world.client(designee).confirm(meeting).get_json()
    assert body["record"]["confirmation"]["by_id"] == designee


def test_a_principal_of_another_school_gets_404(app, world, meeting):
    response = world.client(world.principal_b).confirm(meeting)
    assert response.status_code == 404
    assert status_of(app, meeting) == "pending"


def test_unknown_meeting_is_404(world):
    assert world.client(world.principal_a).confirm(str(uuid.uuid4())).status_code == 404


def test_other_kinds_are_not_meetings(world):
    activity = mutation(school_id=world.school_a)
    world.client(world.officer_a).push_ok([activity])
    assert world.client(world.principal_a).confirm(activity["id"]).status_code == 404


@pytest.mark.parametrize("role", ["officer_a", "supervisor", "admin"])
def test_only_principals_decide(app, world, meeting, role):
    assert world.client(getattr(world, role)).confirm(meeting).status_code == 403
    assert status_of(app, meeting) == "pending"


def test_a_dispute_needs_a_comment(app, world, meeting):
    response = world.client(world.principal_a).confirm(meeting, decision="disputed", comment="  ")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"comment": ["Required when disputing a meeting."]}
    assert status_of(app, meeting) == "pending"


def test_bad_decision_is_422(world, meeting):
    response = world.client(world.principal_a).confirm(meeting, decision="maybe")
    assert response.status_code == 422
    assert "decision" in response.get_json()["error"]["fields"]


def test_deciding_on_a_stale_version_is_409_with_the_new_version(app, world, meeting):
    world.client(world.officer_a).push_ok([
        mutation(meeting, kind="principal_meeting", base_version=1, school_id=world.school_a, summary="Corrected")])
    response = world.client(world.principal_a).confirm(meeting, base_version=1)
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "conflict"
    assert body["record"]["version"] == 2
    assert body["record"]["data"]["summary"] == "Corrected"
    assert status_of(app, meeting) == "pending"


def test_a_queued_decision_retried_applies_once(app, world, meeting):
    principal = world.client(world.principal_a)
    decision_id = str(uuid.uuid4())
    first = principal.confirm(meeting, base_version=1, mutation_id=decision_id).get_json()
    retry = principal.confirm(meeting, base_version=1, mutation_id=decision_id).get_json()
    assert (first["duplicate"], retry["duplicate"]) == (False, True)
    with app.app_context():
        decisions = db.session.scalars(select(RecordRevision).where(
            RecordRevision.record_id == uuid.UUID(meeting), RecordRevision.action == "confirm")).all()
    assert len(decisions) == 1


def test_a_voided_meeting_cannot_be_confirmed(app, world, meeting):
    world.client(world.officer_a).push_ok([
        mutation(meeting, kind="principal_meeting", base_version=1, data={}, voided=True, void_reason="Duplicate")])
    assert world.client(world.principal_a).confirm(meeting).status_code == 409


# --- replays are bound to the record and the caller's scope (issue 11) ------------------------

@pytest.fixture
def contact_at_the_same_school(world):
    created = mutation(kind="extracurricular_contact", school_id=world.school_a, notes="Private notes")
    world.client(world.officer_a).push_ok([created])
    return created["id"]


def test_replaying_a_decision_id_against_another_record_shows_nothing_of_it(
        world, meeting, contact_at_the_same_school):
    principal = world.client(world.principal_a)
    decision_id = str(uuid.uuid4())
    assert principal.confirm(meeting, mutation_id=decision_id).status_code == 200
    response = principal.confirm(contact_at_the_same_school, mutation_id=decision_id)
    assert response.status_code == 404
    assert "record" not in response.get_json()
    assert "Private notes" not in response.get_data(as_text=True)


def test_replaying_a_decision_id_against_an_unknown_record_is_404_not_a_null_record(world, meeting):
    principal = world.client(world.principal_a)
    decision_id = str(uuid.uuid4())
    principal.confirm(meeting, mutation_id=decision_id)
    response = principal.confirm(str(uuid.uuid4()), mutation_id=decision_id)
    assert response.status_code == 404
    assert "record" not in response.get_json()


def test_replaying_a_decision_id_against_another_meeting_in_scope_is_409(app, world, meeting):
    second = mutation(kind="principal_meeting", school_id=world.school_a)
    world.client(world.officer_a).push_ok([second])
    principal = world.client(world.principal_a)
    decision_id = str(uuid.uuid4())
    principal.confirm(meeting, mutation_id=decision_id)
    response = principal.confirm(second["id"], mutation_id=decision_id)
    assert response.status_code == 409
    assert "record" not in response.get_json()
    assert status_of(app, second["id"]) == "pending"


def test_a_replay_after_losing_the_school_is_404(app, world, meeting):
    from server.models import PrincipalSchool

    decision_id = str(uuid.uuid4())
    world.client(world.principal_a).confirm(meeting, mutation_id=decision_id)
    with app.app_context():
        db.session.query(PrincipalSchool).filter_by(principal_id=world.principal_a).delete()
        db.session.commit()
    assert world.client(world.principal_a).confirm(meeting, mutation_id=decision_id).status_code == 404
