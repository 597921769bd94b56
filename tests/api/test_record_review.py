"""Supervisor review of records (issue 14): POST /api/records/<id>/review and POST /api/reviews.

Decisions are mutations through the change log: version-checked (stale = 409 with the record),
kept in the history, audited, idempotent by mutation_id, and they reach the officer in pull.
"""

import threading
import uuid
from datetime import datetime

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, Record, RecordRevision
from tests.factories import make_user, supervise
from tests.sync_support import CENTRAL, mutation

pytestmark = pytest.mark.frozen_now("2026-11-14T10:00:00-06:00")


def review_period(client, **body):
    return client.client.post("/api/reviews", json=body, headers={"X-CSRF-Token": client.token})


def stored(app, record_id: str) -> Record:
    with app.app_context():
        record = db.session.get(Record, uuid.UUID(record_id))
        db.session.expunge(record)
        return record


@pytest.fixture
def activity(world):
    created = mutation(school_id=world.school_a, topic="Bike safety")
    world.client(world.officer_a).push_ok([created])
    return created["id"]


def test_a_new_record_is_submitted_and_pull_says_so(world, activity):
    changes, _ = world.client(world.officer_a).pull_all()
    assert changes[0]["review"] == {"status": "submitted", "comment": None, "by_id": None, "by": None, "at": None}


def test_the_supervisor_sends_a_record_back_and_the_officer_sees_the_comment(app, world, activity):
    response = world.client(world.supervisor).review(activity, "needs_correction", comment="Add the topic.",
                                                      base_version=1)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["version"], body["duplicate"], body["record"]["review"]["status"]) == (1, False, "needs_correction")
    changes, _ = world.client(world.officer_a).pull_all()
    assert changes[0]["version"] == 1  # a review is no change of what the officer recorded
    assert changes[0]["review"]["comment"] == "Add the topic."
    assert changes[0]["review"]["by_id"] == world.supervisor
    assert changes[0]["review"]["by"]  # the reviewer's name, for the phone
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.target).where(
            AuditEvent.action == "record.review.needs_correction")) == f"record:{activity}"
        actions = db.session.scalars(select(RecordRevision.action).where(
            RecordRevision.record_id == uuid.UUID(activity)).order_by(RecordRevision.id)).all()
    assert actions == ["create", "needs_correction"]


def test_the_officers_edit_returns_it_to_submitted_and_the_supervisor_approves(app, world, activity):
    supervisor, officer = world.client(world.supervisor), world.client(world.officer_a)
    supervisor.review(activity, "needs_correction", comment="Which topic?", base_version=1)
    officer.push_ok([mutation(activity, base_version=1, school_id=world.school_a, topic="Vaping")])
    record = stored(app, activity)
    assert (record.version, record.review_status, record.review_comment) == (2, "submitted", None)
    assert supervisor.review(activity, base_version=2).status_code == 200
    assert stored(app, activity).review_status == "approved"


def test_editing_an_approved_record_returns_it_to_submitted(app, world, activity):
    world.client(world.supervisor).review(activity, base_version=1)
    world.client(world.officer_a).push_ok([mutation(activity, base_version=1, school_id=world.school_a)])
    assert stored(app, activity).review_status == "submitted"


def test_history_shows_the_review(world, activity):
    world.client(world.supervisor).review(activity, "needs_correction", comment="Fix it", base_version=1)
    body = world.client(world.supervisor).client.get(f"/api/records/{activity}/history").get_json()
    decision = body["revisions"][-1]
    assert decision["action"] == "needs_correction"
    assert {"field": "review", "from": "submitted", "to": "needs_correction"} in decision["changes"]
    assert body["record"]["review"]["status"] == "needs_correction"


# --- races: two supervisors, a supervisor and the officer ------------------------------------

def test_two_reviewers_on_the_same_version_both_decide_in_turn_and_a_stale_one_gets_409(app, world, activity):
    """A review is no change of the record: two decisions on the same version are both kept, in
    order, and the later stands. A decision on a version the officer has since replaced is a 409
    with the record as it now is."""
    supervisor, admin, officer = world.client(world.supervisor), world.client(world.admin), world.client(world.officer_a)
    assert supervisor.review(activity, "needs_correction", comment="Fix", base_version=1).status_code == 200
    assert admin.review(activity, "approved", base_version=1).status_code == 200
    record = stored(app, activity)
    assert (record.version, record.review_status, record.reviewed_by_id) == (1, "approved", world.admin)
    officer.push_ok([mutation(activity, base_version=1, school_id=world.school_a, topic="Vaping")])
    stale = supervisor.review(activity, "approved", base_version=1)
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["error"]["code"] == "conflict"
    assert (body["record"]["version"], body["record"]["review"]["status"]) == (2, "submitted")
    with app.app_context():
        revisions = db.session.execute(select(RecordRevision.action, RecordRevision.version).where(
            RecordRevision.record_id == uuid.UUID(activity)).order_by(RecordRevision.id)).all()
    assert [tuple(revision) for revision in revisions] == [
        ("create", 1), ("needs_correction", 1), ("approve", 1), ("update", 2)]


def test_the_officers_offline_edit_supersedes_a_review_of_the_same_version(app, world, activity):
    """The officer edited offline on version 1; the supervisor decides first. The edit applies
    (the decision was on what the officer has now replaced) and returns the record to
    `submitted`; a review on the old version after the edit is a 409 showing the edit."""
    officer, supervisor = world.client(world.officer_a), world.client(world.supervisor)
    assert supervisor.review(activity, "needs_correction", comment="Fix", base_version=1).status_code == 200
    [result] = officer.push_ok([mutation(activity, base_version=1, school_id=world.school_a, topic="Offline edit")])
    assert (result["status"], result["version"]) == ("applied", 2)
    stale = supervisor.review(activity, base_version=1)
    assert stale.status_code == 409
    assert stale.get_json()["record"]["data"]["topic"] == "Offline edit"
    with app.app_context():
        outcomes = db.session.scalars(select(RecordRevision.outcome).where(
            RecordRevision.record_id == uuid.UUID(activity)).order_by(RecordRevision.id)).all()
    assert outcomes == ["accepted", "accepted", "accepted"]
    assert stored(app, activity).review_status == "submitted"


def test_a_review_reaches_the_phone_at_the_same_version_and_a_principals_queued_confirmation_applies(app, world):
    """Like a meeting confirmation: a new change number (pull brings it), a revision at the same
    version, and a principal's confirmation made offline on that version is no conflict."""
    officer, supervisor, principal = (world.client(world.officer_a), world.client(world.supervisor),
                                      world.client(world.principal_a))
    meeting = mutation(kind="principal_meeting", school_id=world.school_a)
    officer.push_ok([meeting])
    _, cursor = officer.pull_all()
    [seen] = principal.pull_all()[0]
    assert supervisor.review(meeting["id"], "needs_correction", comment="Which week?", base_version=1).status_code == 200
    [change], _ = officer.pull_all(cursor)
    assert (change["version"], change["review"]["status"], change["review"]["comment"]) == (
        1, "needs_correction", "Which week?")
    confirmed = principal.confirm(meeting["id"], base_version=seen["version"])
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["record"]["confirmation"]["version"] == 1
    with app.app_context():
        versions = db.session.scalars(select(RecordRevision.version).where(
            RecordRevision.record_id == uuid.UUID(meeting["id"])).order_by(RecordRevision.id)).all()
    assert versions == [1, 1, 1]


# --- replays --------------------------------------------------------------------------------

def test_a_retried_decision_applies_once(app, world, activity):
    supervisor = world.client(world.supervisor)
    decision_id = str(uuid.uuid4())
    first = supervisor.review(activity, base_version=1, mutation_id=decision_id).get_json()
    retry = supervisor.review(activity, base_version=1, mutation_id=decision_id).get_json()
    assert (first["duplicate"], retry["duplicate"], retry["version"]) == (False, True, 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordRevision).where(
            RecordRevision.record_id == uuid.UUID(activity), RecordRevision.action == "approve")) == 1


def test_a_decision_id_is_bound_to_its_record_and_account(world, activity):
    other = mutation(school_id=world.school_a)
    world.client(world.officer_a).push_ok([other])
    decision_id = str(uuid.uuid4())
    world.client(world.supervisor).review(activity, base_version=1, mutation_id=decision_id)
    again = world.client(world.supervisor).review(other["id"], base_version=1, mutation_id=decision_id)
    assert again.status_code == 409
    assert "record" not in again.get_json()
    by_admin = world.client(world.admin).review(activity, base_version=1, mutation_id=decision_id)
    assert by_admin.status_code == 409
    assert "record" not in by_admin.get_json()


def test_a_replay_out_of_scope_shows_nothing(world):
    """A decision id replayed on another officer's record answers 404 like a fresh decision."""
    elsewhere = mutation(school_id=world.school_b)
    world.client(world.officer_b).push_ok([elsewhere])
    decision_id = str(uuid.uuid4())
    world.client(world.admin).review(elsewhere["id"], base_version=1, mutation_id=decision_id)
    assert world.client(world.supervisor).review(elsewhere["id"], base_version=1,
                                                       mutation_id=decision_id).status_code == 404


# --- scope and bad input ----------------------------------------------------------------------

def test_a_supervisor_of_other_officers_gets_404(app, world):
    elsewhere = mutation(school_id=world.school_b)
    world.client(world.officer_b).push_ok([elsewhere])
    assert world.client(world.supervisor).review(elsewhere["id"], base_version=1).status_code == 404
    assert world.client(world.admin).review(elsewhere["id"], base_version=1).status_code == 200


@pytest.mark.parametrize("role", ["officer_a", "principal_a"])
def test_officers_and_principals_may_not_review(app, world, activity, role):
    assert world.client(getattr(world, role)).review(activity, base_version=1).status_code == 403
    assert stored(app, activity).review_status == "submitted"


def test_a_voided_record_is_409(world, activity):
    world.client(world.officer_a).push_ok([mutation(activity, base_version=1, data={}, voided=True,
                                                    void_reason="Duplicate")])
    response = world.client(world.supervisor).review(activity, base_version=2)
    assert response.status_code == 409
    assert response.get_json()["record"]["voided"] is True


@pytest.mark.parametrize("body, field", [
    ({"decision": "needs_correction", "comment": "  ", "base_version": 1}, "comment"),
    ({"decision": "rejected", "base_version": 1}, "decision"),
    ({"decision": "approved"}, "base_version"),
    ({"decision": "approved", "base_version": "1"}, "base_version"),
    ({"decision": "approved", "base_version": 2**40}, "base_version"),
    ({"decision": "approved", "base_version": 1, "comment": "x" * 2001}, "comment"),
    ({"decision": "approved", "base_version": 1, "comment": "bad\x00"}, "comment"),
    ({"decision": "approved", "base_version": 1, "mutation_id": "nope"}, "mutation_id"),
])
def test_bad_input_is_422_naming_the_field_and_changes_nothing(app, world, activity, body, field):
    supervisor = world.client(world.supervisor)
    response = supervisor.review(activity, **body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert stored(app, activity).version == 1


def test_an_unknown_record_is_404_and_a_non_json_body_is_not_500(world):
    supervisor = world.client(world.supervisor)
    assert supervisor.review(str(uuid.uuid4()), base_version=1).status_code == 404
    response = supervisor.client.post(f"/api/records/{uuid.uuid4()}/review", data="{",
                                      headers={"X-CSRF-Token": supervisor.token, "Content-Type": "application/json"})
    assert response.status_code == 400  # unreadable JSON, answered before the record is looked up
    assert response.get_json()["error"]["fields"] == {"body": ["Invalid JSON body."]}


# --- principals see no review states -----------------------------------------------------------

def test_principals_never_see_review_state(world):
    meeting = mutation(kind="principal_meeting", school_id=world.school_a)
    contact = mutation(kind="extracurricular_contact", school_id=world.school_a)
    world.client(world.officer_a).push_ok([meeting, contact])
    supervisor = world.client(world.supervisor)
    supervisor.review(meeting["id"], "needs_correction", comment="Internal note", base_version=1)
    supervisor.review(contact["id"], "needs_correction", comment="Internal note", base_version=1)
    principal = world.client(world.principal_a)
    changes, _ = principal.pull_all()
    assert [change["id"] for change in changes] == [meeting["id"]]
    assert all("review" not in change for change in changes)
    confirmed = principal.confirm(meeting["id"], base_version=1).get_json()
    assert "review" not in confirmed["record"]
    page = principal.client.get("/api/records").get_json()
    assert page["items"] and all("review" not in item for item in page["items"])
    history = principal.client.get(f"/api/records/{meeting['id']}/history").get_json()
    assert "Internal note" not in str(history)
    assert principal.client.get(f"/api/records/{contact['id']}/history").status_code == 404
    semester_review = mutation(school_id=world.school_a, activity_type="semester_review", review_outcome="Reviewed",
                               agreement_changes=False)
    world.client(world.officer_a).push_ok([semester_review])
    taken_part = principal.participate(semester_review["id"]).get_json()
    assert "review" not in taken_part["record"]
    assert "review" in world.client(world.supervisor).participate(semester_review["id"]).get_json()["record"]
    for name, value in (("review", "needs_correction"), ("amended", "false")):
        refused = principal.client.get("/api/records", query_string={name: value})
        assert refused.status_code == 403
        assert list(refused.get_json()["error"]["fields"]) == [name]


OVERSIGHT = ("review", "late_entry", "amended_after_signoff")


def shows_no_oversight(answer: dict) -> bool:
    return not any(key in answer for key in OVERSIGHT)


def test_principals_never_see_late_entries_or_amendments(world):
    """A late meeting (saved 3 weeks after it) amended after its month was signed off: the
    supervisor sees all three marks; no answer to the principal carries any of them."""
    october = datetime(2026, 10, 20, 9, 0, tzinfo=CENTRAL)
    officer, supervisor, principal = (world.client(world.officer_a), world.client(world.supervisor),
                                      world.client(world.principal_a))
    meeting = mutation(kind="principal_meeting", school_id=world.school_a, when=october)
    officer.push_ok([meeting])
    assert supervisor.sign_off(world.officer_a, "2026-10").status_code == 201
    semester_review = mutation(school_id=world.school_a, activity_type="semester_review", when=october,
                               review_outcome="Reviewed", agreement_changes=False)
    officer.push_ok([mutation(meeting["id"], kind="principal_meeting", base_version=1, school_id=world.school_a,
                              when=october, notes="Added the agenda"), semester_review])
    seen = supervisor.client.get("/api/records", query_string={"kind": "principal_meeting"}).get_json()["items"]
    assert [(item["late_entry"], item["amended_after_signoff"], "review" in item) for item in seen] == [
        (True, True, True)]

    changes, _ = principal.pull_all()
    assert changes and all(shows_no_oversight(change) for change in changes)
    page = principal.client.get("/api/records").get_json()
    assert page["items"] and all(shows_no_oversight(item) for item in page["items"])
    history = principal.client.get(f"/api/records/{meeting['id']}/history").get_json()
    assert shows_no_oversight(history["record"])
    assert all(shows_no_oversight(entry["snapshot"]) for entry in history["revisions"])
    version = next(change["version"] for change in changes if change["id"] == meeting["id"])
    confirmed = principal.confirm(meeting["id"], base_version=version)
    assert confirmed.status_code == 200, confirmed.get_json()
    assert shows_no_oversight(confirmed.get_json()["record"])
    taken_part = principal.participate(semester_review["id"])
    assert taken_part.status_code == 200, taken_part.get_json()
    assert shows_no_oversight(taken_part.get_json()["record"])
    refused = principal.client.get("/api/records", query_string={"late_entry": "true"})
    assert refused.status_code == 403
    assert list(refused.get_json()["error"]["fields"]) == ["late_entry"]
    # The monthly report's late-entry row is the supervisor's oversight, not a count of work.
    rows = principal.client.get("/api/reports/monthly", query_string={"school_year": "2026-2027"}).get_json()["rows"]
    assert "late_entries" not in {row["category"] for row in rows}
    rows = supervisor.client.get("/api/reports/monthly", query_string={"school_year": "2026-2027"}).get_json()["rows"]
    assert "late_entries" in {row["category"] for row in rows}


# --- an officer-week or officer-month at once ---------------------------------------------------

def test_a_whole_week_is_approved_in_one_action_leaving_decided_records_alone(app, world):
    officer, supervisor = world.client(world.officer_a), world.client(world.supervisor)
    week = [mutation(school_id=world.school_a, when=datetime(2026, 11, day, 9, 0, tzinfo=CENTRAL))
            for day in (9, 10, 11)]
    outside = mutation(school_id=world.school_a, when=datetime(2026, 11, 2, 9, 0, tzinfo=CENTRAL))
    voided = mutation(school_id=world.school_a, when=datetime(2026, 11, 12, 9, 0, tzinfo=CENTRAL))
    officer.push_ok([*week, outside, voided])
    officer.push_ok([mutation(voided["id"], base_version=1, data={}, voided=True, void_reason="Duplicate")])
    supervisor.review(week[0]["id"], "needs_correction", comment="Fix", base_version=1)
    response = review_period(supervisor, officer_id=world.officer_a, period_start="2026-11-09",
                             period_end="2026-11-15", decision="approved")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["reviewed"] == 2
    assert set(body["record_ids"]) == {week[1]["id"], week[2]["id"]}
    assert [stored(app, one["id"]).review_status for one in week] == ["needs_correction", "approved", "approved"]
    assert stored(app, outside["id"]).review_status == "submitted"
    assert stored(app, voided["id"]).review_status == "submitted"
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "records.review.approved")).one()
        assert event.details["records"] == 2
        assert db.session.scalar(select(RecordRevision.version).where(
            RecordRevision.record_id == uuid.UUID(week[1]["id"]), RecordRevision.action == "approve")) == 1
    again = review_period(supervisor, officer_id=world.officer_a, period_start="2026-11-09",
                          period_end="2026-11-15", decision="approved").get_json()
    assert again["reviewed"] == 0


def test_a_bulk_review_of_an_officer_one_does_not_supervise_reviews_nothing(app, world):
    elsewhere = mutation(school_id=world.school_b)
    world.client(world.officer_b).push_ok([elsewhere])
    body = review_period(world.client(world.supervisor), officer_id=world.officer_b, period_start="2026-11-01",
                         period_end="2026-11-30", decision="approved").get_json()
    assert body["reviewed"] == 0
    assert stored(app, elsewhere["id"]).review_status == "submitted"


def test_a_second_supervisor_of_the_officer_may_review_too(app, world, activity):
    second = make_user(app, "supervisor").id
    supervise(app, second, world.officer_a)
    assert world.client(second).review(activity, base_version=1).status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"period_start": "2026-11-09", "period_end": "2026-11-01", "decision": "approved"}, "period_end"),
    ({"period_start": "2026-09-01", "period_end": "2026-11-30", "decision": "approved"}, "period_end"),
    ({"period_start": "2026-11-09", "period_end": "2026-11-15", "decision": "needs_correction"}, "comment"),
    ({"period_start": "not a date", "period_end": "2026-11-15", "decision": "approved"}, "period_start"),
    ({"period_start": "2026-11-09", "period_end": "2026-11-15", "decision": "approved", "officer_id": 2**40},
     "officer_id"),
])
def test_bad_bulk_input_is_422_naming_the_field(world, body, field):
    supervisor = world.client(world.supervisor)
    response = review_period(supervisor, **{"officer_id": world.officer_a, **body})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_two_reviewers_at_the_same_moment_one_decides_and_the_other_gets_409(app, world, activity):
    """Really concurrent (two threads released together), each having read the record as submitted:
    the change log's lock on the record lets one decide; the other finds the review changed since
    it read it (base_review_status) and gets 409 with the record as it now is. Nothing is lost or doubled."""
    clients = [world.client(world.supervisor), world.client(world.admin)]
    start = threading.Barrier(len(clients))
    answers: dict[str, object] = {}

    def decide(client, decision: str, comment: str | None) -> None:
        start.wait()
        answers[decision] = client.review(activity, decision, comment=comment, base_version=1,
                                          base_review_status="submitted")

    threads = [threading.Thread(target=decide, args=(clients[0], "needs_correction", "Fix")),
               threading.Thread(target=decide, args=(clients[1], "approved", None))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answer.status_code for answer in answers.values()) == [200, 409]
    [winner] = [decision for decision, answer in answers.items() if answer.status_code == 200]
    [loser] = [answer for answer in answers.values() if answer.status_code == 409]
    assert loser.get_json()["record"]["review"]["status"] == winner
    record = stored(app, activity)
    assert (record.version, record.review_status) == (1, winner)
    with app.app_context():
        decisions = db.session.scalars(select(RecordRevision.action).where(
            RecordRevision.record_id == uuid.UUID(activity), RecordRevision.action != "create")).all()
    assert decisions == [{"approved": "approve", "needs_correction": "needs_correction"}[winner]]


def test_a_reviewer_who_read_the_current_review_may_change_it(app, world, activity):
    supervisor, admin = world.client(world.supervisor), world.client(world.admin)
    assert supervisor.review(activity, "approved", base_version=1, base_review_status="submitted").status_code == 200
    stale = admin.review(activity, "needs_correction", comment="Fix the topic", base_version=1,
                         base_review_status="submitted")
    assert stale.status_code == 409 and "Another reviewer" in stale.get_json()["error"]["message"]
    again = admin.review(activity, "needs_correction", comment="Fix the topic", base_version=1,
                         base_review_status="approved")
    assert again.status_code == 200
    assert stored(app, activity).review_status == "needs_correction"
