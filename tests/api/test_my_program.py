"""GET /api/me/program: an officer's own standing, from the compliance rules in their own scope."""

from datetime import date, datetime

import pytest

from tests import factories
from tests.sync_support import CENTRAL, mutation, signed_in

pytestmark = pytest.mark.frozen_now("2026-09-02T10:00:00-05:00")  # a Wednesday, school day 10 of the fall


def on(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CENTRAL)


def program_of(client) -> dict:
    response = client.client.get("/api/me/program")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_new_officer_sees_an_empty_standing_with_the_window_counting_down(beat):
    body = program_of(beat.client(beat.officer))
    assert (body["school_year"], body["as_of"]) == ("2026-2027", "2026-09-02")
    assert body["generated_at"].endswith("Z")
    [standing] = body["schools"]
    assert standing["school"]["name"] == "Northside High"
    assert standing["this_week"]["week_of"] == "2026-08-31"
    assert standing["this_week"]["status"] == "upcoming"
    intro = standing["introductions"]
    assert intro["status"] == "in_progress"
    # The first 20 school days run 19 Aug to 16 Sep (Labor Day closed): 2-4, 8-11 and 14-16 Sep are
    # left, today counted.
    assert intro["window"] == {"from": "2026-08-19", "to": "2026-09-16", "school_days": 20}
    assert intro["school_days_left"] == 10
    assert (standing["faculty_meetings"]["count"], standing["faculty_meetings"]["target"]) == (0, 6)
    assert standing["semester_reviews"]["status"] == "in_progress"
    assert body["training"]["basic_course"]["status"] == "missing"
    assert body["feedback"] == []


def test_the_officer_sees_their_own_records_only(beat):
    mine, theirs = beat.client(beat.officer), beat.client(beat.other_officer)
    mine.push_ok([mutation(kind="principal_meeting", school_id=beat.school.id, when=on(date(2026, 9, 1))),
                  mutation(school_id=beat.school.id, when=on(date(2026, 8, 25)), activity_type="faculty_meeting",
                           count=2)])
    theirs.push_ok([mutation(school_id=beat.school.id, when=on(date(2026, 8, 26)), activity_type="faculty_meeting",
                             count=3)])
    [standing] = program_of(mine)["schools"]
    assert standing["this_week"]["status"] == "pending"
    assert standing["this_week"]["meetings"] == 1
    assert standing["faculty_meetings"]["count"] == 2
    [other] = program_of(theirs)["schools"]
    assert other["faculty_meetings"]["count"] == 3 and other["this_week"]["meetings"] == 0


def test_a_confirmed_meeting_shows_confirmed_this_week(beat):
    meeting = mutation(kind="principal_meeting", school_id=beat.school.id, when=on(date(2026, 9, 1)))
    beat.client(beat.officer).push_ok([meeting])
    assert beat.client(beat.principal).confirm(meeting["id"]).status_code == 200
    [standing] = program_of(beat.client(beat.officer))["schools"]
    assert standing["this_week"]["status"] == "confirmed"


@pytest.mark.frozen_now("2026-12-01T10:00:00-06:00")
def test_the_semester_review_shows_who_has_confirmed_it(beat):
    review = mutation(school_id=beat.school.id, when=on(date(2026, 11, 30)), activity_type="semester_review",
                      review_outcome="The agreement fits", agreement_changes=False)
    beat.client(beat.officer).push_ok([review])
    beat.client(beat.principal).participate(review["id"])
    [standing] = program_of(beat.client(beat.officer))["schools"]
    [fall] = [term for term in standing["semester_reviews"]["terms"] if term["review"]]
    assert fall["status"] == "pending"
    assert fall["review"]["principal"]["status"] == "confirmed"
    assert fall["review"]["supervisor"]["status"] == "pending"


@pytest.mark.parametrize("role", ["principal", "supervisor"])
def test_other_roles_get_a_clear_403(beat, role):
    response = beat.client(getattr(beat, role)).client.get("/api/me/program")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_an_officer_with_no_assignment_this_year_gets_an_empty_list(app):
    officer = factories.make_user(app, "officer")
    body = program_of(signed_in(app, officer.email))
    assert body["schools"] == [] and body["training"] is None
