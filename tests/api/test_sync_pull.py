"""GET /api/sync/pull: incremental, latest state once, tombstones, role scoping."""

import pytest

from server.schemas.sync import PullResultSchema
from tests.sync_support import mutation


def ids(changes: list[dict]) -> set[str]:
    return {change["id"] for change in changes}


def test_pull_is_incremental_from_the_cursor(world):
    officer = world.client(world.officer_a)
    first = mutation(school_id=world.school_a)
    officer.push_ok([first])
    changes, cursor = officer.pull_all()
    assert ids(changes) == {first["id"]}
    assert officer.pull_all(cursor)[0] == []
    second = mutation(school_id=world.school_a)
    officer.push_ok([second])
    assert ids(officer.pull_all(cursor)[0]) == {second["id"]}


def test_a_record_changed_many_times_appears_once_in_its_latest_state(world):
    officer = world.client(world.officer_a)
    created = mutation(school_id=world.school_a)
    _, cursor = officer.pull_all()
    officer.push_ok([created])
    for version in range(1, 4):
        officer.push_ok([mutation(created["id"], base_version=version, school_id=world.school_a, count=version + 1)])
    changes, _ = officer.pull_all(cursor)
    assert len(changes) == 1
    assert changes[0]["version"] == 4
    assert changes[0]["data"]["count"] == 4


def test_voided_records_come_as_tombstones(world):
    officer = world.client(world.officer_a)
    created = mutation(school_id=world.school_a)
    officer.push_ok([created])
    _, cursor = officer.pull_all()
    officer.push_ok([mutation(created["id"], base_version=1, data={}, voided=True, void_reason="Wrong school")])
    [tombstone] = officer.pull_all(cursor)[0]
    assert (tombstone["voided"], tombstone["void_reason"], tombstone["version"]) == (True, "Wrong school", 2)


def test_paging_with_limit_and_has_more(world):
    officer = world.client(world.officer_a)
    created = [mutation(school_id=world.school_a) for _ in range(7)]
    officer.push_ok(created)
    page = officer.pull(limit=3).get_json()
    assert len(page["changes"]) == 3 and page["has_more"] is True
    everything, _ = officer.pull_all(limit=3)
    assert [change["id"] for change in everything] == [m["id"] for m in created]


def test_the_response_matches_its_documented_schema(world):
    officer = world.client(world.officer_a)
    officer.push_ok([mutation(kind="principal_meeting", school_id=world.school_a), mutation(school_id=world.school_a)])
    body = officer.pull().get_json()
    schema = PullResultSchema()
    assert schema.dump(body) == body  # every key documented, nothing undocumented, same values


@pytest.mark.parametrize("query, field", [
    ({"limit": 0}, "limit"), ({"limit": 1001}, "limit"), ({"limit": "many"}, "limit"), ({"since": "garbage"}, "since"),
])
def test_bad_arguments_are_422_naming_the_field(world, query, field):
    response = world.client(world.officer_a).client.get("/api/sync/pull", query_string=query)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_pull_needs_sign_in(app):
    response = app.test_client().get("/api/sync/pull")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def visible_to(world, user_id) -> set[str]:
    return ids(world.client(user_id).pull_all()[0])


def test_each_role_sees_what_product_md_allows(world):
    officer_a, officer_b = world.client(world.officer_a), world.client(world.officer_b)
    a_meeting = mutation(kind="principal_meeting", school_id=world.school_a)
    a_contact = mutation(kind="extracurricular_contact", school_id=world.school_a)
    b_meeting = mutation(kind="principal_meeting", school_id=world.school_b)
    b_activity = mutation(school_id=world.school_b)
    officer_a.push_ok([a_meeting, a_contact])
    officer_b.push_ok([b_meeting, b_activity])

    assert visible_to(world, world.officer_a) == {a_meeting["id"], a_contact["id"]}
    assert visible_to(world, world.officer_b) == {b_meeting["id"], b_activity["id"]}
    # Principals see their own school's meetings, never individual contacts.
    assert visible_to(world, world.principal_a) == {a_meeting["id"]}
    assert visible_to(world, world.principal_b) == {b_meeting["id"]}
    # The supervisor supervises officer A only.
    assert visible_to(world, world.supervisor) == {a_meeting["id"], a_contact["id"]}
    assert visible_to(world, world.admin) == {a_meeting["id"], a_contact["id"], b_meeting["id"], b_activity["id"]}


def test_a_principals_decision_reaches_the_officers_phone(world):
    officer = world.client(world.officer_a)
    meeting = mutation(kind="principal_meeting", school_id=world.school_a)
    officer.push_ok([meeting])
    _, cursor = officer.pull_all()
    world.client(world.principal_a).confirm(meeting["id"], decision="disputed", comment="We met on Tuesday, not Monday")
    [change] = officer.pull_all(cursor)[0]
    assert change["version"] == 1  # a decision is not an edit of the officer's content
    assert change["confirmation"]["status"] == "disputed"
    assert change["confirmation"]["comment"] == "We met on Tuesday, not Monday"
    assert change["confirmation"]["by_id"] == world.principal_a
    assert change["confirmation"]["version"] == 1
