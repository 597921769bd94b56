"""The semester review (KY 8) with three parties: POST /api/records/<id>/participation.

The officer records it; the officer's supervisor and the school's principal each confirm or
dispute; an edit returns both to pending; compliance counts it only once both confirmed.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Record, RecordRevision
from tests.factories import make_user, supervise
from tests.sync_support import mutation

OUTCOME = "The agreement fits; more presence at dismissal"


def review_mutation(world, **fields) -> dict:
    return mutation(school_id=world.school_a, activity_type="semester_review", count=1,
                    review_outcome=OUTCOME, **{"agreement_changes": False, **fields})


@pytest.fixture
def review(world):
    created = review_mutation(world)
    world.client(world.officer_a).push_ok([created])
    return created


def participation_of(app, record_id: str) -> dict | None:
    with app.app_context():
        return db.session.get(Record, uuid.UUID(record_id)).participation


def statuses(app, record_id: str) -> dict:
    return {party: part["status"] for party, part in participation_of(app, record_id).items()}


# --- the record ---------------------------------------------------------------------------

def test_a_new_review_waits_for_both_parties_and_pull_shows_it(app, world, review):
    assert statuses(app, review["id"]) == {"principal": "pending", "supervisor": "pending"}
    changes, _ = world.client(world.officer_a).pull_all()
    [change] = [c for c in changes if c["id"] == review["id"]]
    assert change["participation"]["principal"]["status"] == "pending"
    assert change["data"]["review_outcome"] == OUTCOME and change["data"]["agreement_changes"] is False


def test_the_outcome_and_the_agreement_answer_are_required_for_a_semester_review_only(app, world):
    officer = world.client(world.officer_a)
    [missing] = officer.push_ok([mutation(school_id=world.school_a, activity_type="semester_review", count=1)])
    assert missing["status"] == "rejected"
    assert missing["errors"] == {"review_outcome": ["Required when activity_type is semester_review."],
                                 "agreement_changes": ["Required when activity_type is semester_review."]}
    [not_a_flag] = officer.push_ok([review_mutation(world, agreement_changes="yes")])
    assert not_a_flag["errors"] == {"agreement_changes": ["Not a valid boolean."]}
    other = mutation(school_id=world.school_a)
    assert officer.push_ok([other])[0]["status"] == "applied"
    assert "agreement_changes" not in participation_of_data(app, other["id"])  # not added to other activities


def participation_of_data(app, record_id: str) -> dict:
    with app.app_context():
        return db.session.get(Record, uuid.UUID(record_id)).data


def test_other_activities_hold_no_participation(app, world):
    other = mutation(school_id=world.school_a)
    world.client(world.officer_a).push_ok([other])
    assert participation_of(app, other["id"]) is None
    assert world.client(world.supervisor).participate(other["id"]).status_code == 404


def test_principal_and_supervisor_confirm_and_each_is_kept(app, world, review):
    principal = world.client(world.principal_a).participate(review["id"], base_version=1)
    assert principal.status_code == 200, principal.get_json()
    assert principal.get_json()["party"] == "principal"
    supervisor = world.client(world.supervisor).participate(review["id"], base_version=1, comment="Good review")
    body = supervisor.get_json()
    assert body["party"] == "supervisor"
    assert body["record"]["participation"]["principal"]["status"] == "confirmed"
    assert body["record"]["participation"]["supervisor"]["comment"] == "Good review"
    assert body["record"]["participation"]["supervisor"]["by_id"] == world.supervisor
    assert body["record"]["version"] == 1  # a decision is not the officer's content
    with app.app_context():
        actions = db.session.scalars(select(RecordRevision.action)
                                     .where(RecordRevision.record_id == uuid.UUID(review["id"]))
                                     .order_by(RecordRevision.id)).all()
        assert actions == ["create", "confirm", "confirm"]
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "semester_review.confirmed"))


def test_the_officer_sees_the_decisions_on_the_next_pull(world, review):
    officer = world.client(world.officer_a)
    _, cursor = officer.pull_all()
    world.client(world.principal_a).participate(review["id"], "disputed", comment="I was not there")
    changes, _ = officer.pull_all(cursor)
    assert changes[0]["participation"]["principal"] == {
        **changes[0]["participation"]["principal"], "status": "disputed", "comment": "I was not there"}


def test_the_principal_pulls_the_review_of_their_school(world, review):
    changes, _ = world.client(world.principal_a).pull_all()
    assert [c["id"] for c in changes] == [review["id"]]
    assert world.client(world.principal_b).pull_all()[0] == []


def test_an_officer_edit_returns_both_to_pending(app, world, review):
    world.client(world.principal_a).participate(review["id"])
    world.client(world.supervisor).participate(review["id"])
    edited = review_mutation(world, record_id=review["id"], base_version=1, agreement_changes=True)
    [result] = world.client(world.officer_a).push_ok([edited])
    assert result["status"] == "applied"
    assert statuses(app, review["id"]) == {"principal": "pending", "supervisor": "pending"}


def test_no_one_decides_on_a_voided_review(app, world, review):
    void = dict(review, mutation_id=str(uuid.uuid4()), base_version=1, voided=True, void_reason="Entered twice")
    world.client(world.officer_a).push_ok([void])
    response = world.client(world.supervisor).participate(review["id"])
    assert response.status_code == 409
    assert response.get_json()["record"]["voided"] is True


def test_a_decision_on_a_stale_version_is_409_with_the_new_version(app, world, review):
    world.client(world.officer_a).push_ok([review_mutation(world, record_id=review["id"], base_version=1,
                                                           agreement_changes=True)])
    response = world.client(world.supervisor).participate(review["id"], base_version=1)
    assert response.status_code == 409
    assert response.get_json()["record"]["version"] == 2
    assert response.get_json()["record"]["data"]["agreement_changes"] is True
    assert statuses(app, review["id"])["supervisor"] == "pending"


def test_a_retried_decision_applies_once(app, world, review):
    principal = world.client(world.principal_a)
    mutation_id = str(uuid.uuid4())
    first = principal.participate(review["id"], mutation_id=mutation_id, device_id="phone-1")
    again = principal.participate(review["id"], mutation_id=mutation_id, device_id="phone-1")
    assert (first.get_json()["duplicate"], again.get_json()["duplicate"]) == (False, True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(RecordRevision)
                                 .where(RecordRevision.record_id == uuid.UUID(review["id"]))) == 2


def test_a_decision_id_reused_by_another_account_is_409(world, review):
    mutation_id = str(uuid.uuid4())
    world.client(world.principal_a).participate(review["id"], mutation_id=mutation_id)
    response = world.client(world.supervisor).participate(review["id"], mutation_id=mutation_id)
    assert response.status_code == 409


def test_both_parties_deciding_at_once_keep_both_decisions(app, world, review):
    clients = [world.client(world.principal_a), world.client(world.supervisor)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda client: client.participate(review["id"], base_version=1), clients))
    assert [answer.status_code for answer in answers] == [200, 200]
    assert statuses(app, review["id"]) == {"principal": "confirmed", "supervisor": "confirmed"}


# --- who may decide -----------------------------------------------------------------------

def test_a_supervisor_of_another_officer_and_a_principal_of_another_school_get_404(app, world, review):
    other_supervisor = make_user(app, "supervisor").id
    supervise(app, other_supervisor, world.officer_b)
    assert world.client(other_supervisor).participate(review["id"]).status_code == 404
    assert world.client(world.principal_b).participate(review["id"]).status_code == 404
    assert statuses(app, review["id"]) == {"principal": "pending", "supervisor": "pending"}


@pytest.mark.parametrize("role", ["officer_a", "admin"])
def test_officers_and_admins_are_not_parties(app, world, review, role):
    response = world.client(getattr(world, role)).participate(review["id"])
    assert response.status_code == 403
    assert statuses(app, review["id"]) == {"principal": "pending", "supervisor": "pending"}


# --- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "field"), [
    ({"decision": "maybe"}, "decision"),
    ({"decision": "disputed", "comment": "   "}, "comment"),
    ({"decision": "confirmed", "base_version": 0}, "base_version"),
    ({"decision": "confirmed", "base_version": "1"}, "base_version"),
    ({"decision": "confirmed", "mutation_id": "not-a-uuid"}, "mutation_id"),
    ({"decision": "confirmed", "comment": "x" * 2001}, "comment"),
    ({"decision": "confirmed", "comment": "a\x00b"}, "comment"),
    ({}, "decision"),
])
def test_bad_input_is_422_naming_the_field_and_changes_nothing(app, world, review, body, field):
    client = world.client(world.supervisor)
    if "decision" in body:  # the helper's very body
        response = client.participate(review["id"], **body)
    else:  # no decision at all: only a hand-built request sends that
        response = client.client.post(f"/api/records/{review['id']}/participation", json=body,
                                      headers={"X-CSRF-Token": client.token})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert statuses(app, review["id"])["supervisor"] == "pending"


def test_a_dispute_comment_error_names_the_semester_review(world, review):
    response = world.client(world.principal_a).participate(review["id"], "disputed")
    assert response.get_json()["error"]["fields"] == {"comment": ["Required when disputing a semester review."]}


def test_a_body_that_is_not_json_is_an_error_not_a_500(world, review):
    client = world.client(world.principal_a)
    response = client.client.post(f"/api/records/{review['id']}/participation", data="decision=confirmed",
                                  headers={"X-CSRF-Token": client.token, "Content-Type": "text/plain"})
    # A text/plain body is no JSON body at all: the request has no decision, 422 naming it.
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"decision": ["Missing data for required field."]}
