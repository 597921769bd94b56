"""POST/GET /api/feedback: a principal's semester feedback on an officer (KY 25, 26)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, PrincipalFeedback
from tests import factories
from tests.api.conftest import Beat
from tests.api.test_my_program import program_of
from tests.sync_support import signed_in

pytestmark = pytest.mark.frozen_now("2026-11-30T10:00:00-06:00")  # the fall semester


def answer(beat: Beat, **changes) -> dict:
    return {"officer_id": beat.officer.id, "school_id": beat.school.id, "relationships": 4, "responsiveness": 5,
            "stayed_out_of_discipline": "mostly", "comment": "Students trust him.", **changes}


def post(client, body):
    return client.client.post("/api/feedback", json=body, headers={"X-CSRF-Token": client.token})


def get(client, **query):
    return client.client.get("/api/feedback", query_string=query)


def stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PrincipalFeedback))


def test_a_principal_gives_feedback_for_this_semester_and_it_is_audited(app, beat):
    response = post(beat.client(beat.principal), answer(beat))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["replaced"] is False
    given = body["feedback"]
    assert (given["school_year"], given["term"]) == ("2026-2027", "Fall semester")
    assert (given["relationships"], given["responsiveness"], given["stayed_out_of_discipline"]) == (4, 5, "mostly")
    assert given["principal"]["name"] == "Dr. Maria Alvarez" and given["officer"]["name"] == "Officer Dana Reyes"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "feedback.given"))
        assert event.target == f"officer:{beat.officer.id}"
        assert "comment" not in event.details and event.details["term"] == "Fall semester"


def test_a_second_answer_in_the_semester_replaces_the_first(app, beat):
    principal = beat.client(beat.principal)
    post(principal, answer(beat))
    again = post(principal, answer(beat, relationships=2, comment=None))
    assert again.get_json()["replaced"] is True
    assert again.get_json()["feedback"]["relationships"] == 2 and again.get_json()["feedback"]["comment"] is None
    assert stored(app) == 1
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "feedback.replaced"))


def test_two_first_answers_at_once_keep_one_row(app, beat):
    clients = [beat.client(beat.principal), beat.client(beat.principal)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda pair: post(pair[0], answer(beat, relationships=pair[1])),
                                zip(clients, (3, 5))))
    assert sorted(response.status_code for response in answers) in ([200, 200], [200, 409])
    assert stored(app) == 1


def test_the_principal_sees_who_is_due_and_what_they_answered(beat):
    principal = beat.client(beat.principal)
    due = get(principal).get_json()["due"]
    assert [(item["officer"]["name"], item["feedback_id"]) for item in due] == [
        ("Officer Dana Reyes", None), ("Officer Sam Ortiz", None)]
    given = post(principal, answer(beat)).get_json()["feedback"]
    body = get(principal).get_json()
    assert [item["feedback_id"] for item in body["due"]] == [given["id"], None]
    assert [item["id"] for item in body["answers"]] == [given["id"]]


def test_an_officer_shared_by_two_of_the_principals_schools_gets_one_answer_per_school(app, beat):
    # One principal, two schools, one officer serving both: two answers are due, and the second
    # school's answer must not replace the first one (nor move it to the other school).
    second = factories.make_school(app, name="Southside High")
    factories.make_principal_for(app, second, beat.principal)
    factories.assign_officer(app, beat.officer, second, date(2026, 8, 1))
    principal = beat.client(beat.principal)
    first = post(principal, answer(beat)).get_json()
    other = post(principal, answer(beat, school_id=second.id, relationships=2)).get_json()
    assert (first["replaced"], other["replaced"]) == (False, False)
    assert stored(app) == 2
    body = get(principal).get_json()
    assert sorted((item["school"]["name"], item["relationships"]) for item in body["answers"]) == [
        ("Northside High", 4), ("Southside High", 2)]
    shared = [(item["school"]["name"], item["feedback_id"]) for item in body["due"]
              if item["officer"]["id"] == beat.officer.id]
    assert shared == [("Northside High", first["feedback"]["id"]), ("Southside High", other["feedback"]["id"])]
    again = post(principal, answer(beat, school_id=second.id, relationships=3)).get_json()
    assert (again["replaced"], again["feedback"]["id"]) == (True, other["feedback"]["id"])


def test_the_supervisor_sees_feedback_on_their_officers_only_and_the_read_is_audited(app, beat):
    principal = beat.client(beat.principal)
    post(principal, answer(beat))
    post(principal, answer(beat, officer_id=beat.other_officer.id))
    body = get(beat.client(beat.supervisor), school_year="2026-2027").get_json()
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "feedback.read"))
        assert (event.actor_id, event.details["rows"]) == (beat.supervisor.id, 1)
    assert [item["officer"]["id"] for item in body["answers"]] == [beat.officer.id]
    assert body["answers"][0]["principal"]["name"] == "Dr. Maria Alvarez"
    assert body["due"] == []
    assert get(beat.client(beat.supervisor), officer_id=beat.other_officer.id).get_json()["answers"] == []


def test_an_admin_sees_all(app, beat):
    principal = beat.client(beat.principal)
    post(principal, answer(beat))
    post(principal, answer(beat, officer_id=beat.other_officer.id))
    admin = factories.make_user(app, "admin")
    assert len(get(signed_in(app, admin.email)).get_json()["answers"]) == 2


def test_the_officer_sees_the_ratings_and_comment_without_the_principals_name(beat):
    post(beat.client(beat.principal), answer(beat))
    [seen] = program_of(beat.client(beat.officer))["feedback"]
    assert (seen["relationships"], seen["comment"]) == (4, "Students trust him.")
    assert "principal" not in seen
    assert program_of(beat.client(beat.other_officer))["feedback"] == []


def test_another_schools_principal_and_an_officer_elsewhere_get_404(app, beat):
    other_school = factories.make_school(app)
    other_principal = factories.make_user(app, "principal")
    factories.make_principal_for(app, other_school, other_principal)
    response = post(signed_in(app, other_principal.email), answer(beat))
    assert response.status_code == 404 and "school_id" in response.get_json()["error"]["fields"]
    elsewhere = factories.make_user(app, "officer")
    factories.assign_officer(app, elsewhere, other_school, date(2026, 8, 1))
    response = post(beat.client(beat.principal), answer(beat, officer_id=elsewhere.id))
    assert response.status_code == 404 and "officer_id" in response.get_json()["error"]["fields"]
    response = post(beat.client(beat.principal), answer(beat, officer_id=beat.supervisor.id))
    assert response.status_code == 404
    assert stored(app) == 0


@pytest.mark.frozen_now("2027-07-15T10:00:00-05:00")
def test_no_semester_today_is_422_naming_the_school(app, beat):
    response = post(beat.client(beat.principal), answer(beat))
    assert response.status_code == 422
    assert "semester" in response.get_json()["error"]["fields"]["school_id"][0]
    assert stored(app) == 0


@pytest.mark.parametrize(("changes", "field"), [
    ({"relationships": 0}, "relationships"),
    ({"relationships": 6}, "relationships"),
    ({"responsiveness": "5"}, "responsiveness"),
    ({"responsiveness": 4.5}, "responsiveness"),
    ({"stayed_out_of_discipline": "sometimes"}, "stayed_out_of_discipline"),
    ({"comment": "x" * 2001}, "comment"),
    ({"comment": "bad \ud800 text"}, "comment"),
    ({"officer_id": "abc"}, "officer_id"),
    ({"school_id": 0}, "school_id"),
    ({"school_id": 10**12}, "school_id"),
    ({"unexpected": 1}, "unexpected"),
])
def test_bad_answers_are_422_naming_the_field_and_store_nothing(app, beat, changes, field):
    response = post(beat.client(beat.principal), answer(beat, **changes))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert stored(app) == 0


def test_a_missing_field_is_named(app, beat):
    body = answer(beat)
    del body["stayed_out_of_discipline"]
    response = post(beat.client(beat.principal), body)
    assert response.status_code == 422
    assert "stayed_out_of_discipline" in response.get_json()["error"]["fields"]


def test_a_bad_school_year_filter_is_422(beat):
    response = get(beat.client(beat.supervisor), school_year="2026")
    assert response.status_code == 422 and "school_year" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_only_principals_give_feedback(app, beat, role):
    assert post(beat.client(getattr(beat, role)), answer(beat)).status_code == 403
    assert stored(app) == 0


def test_officers_read_feedback_only_through_their_program(beat):
    assert get(beat.client(beat.officer)).status_code == 403
