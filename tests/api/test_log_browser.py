"""GET /api/records and /api/records/<id>/history: filters, sorting, pages, history, who sees what."""

import uuid
from datetime import date

import pytest

from tests.report_support import at, push, record
from tests.sync_support import mutation, record_data


@pytest.fixture
def world(world):
    """The shared `world` with these records in world.records: officer A's six (one voided, one meeting
    confirmed) and one of officer B's."""
    officer = world.client(world.officer_a)
    world.records = {
        "talk": record("activity", world.school_a, date(2026, 9, 1), activity_type="classroom_presentation"),
        "audit": record("activity", world.school_a, date(2026, 9, 15), activity_type="safety_audit"),
        "game": record("extracurricular_contact", world.school_a, date(2026, 10, 2)),
        "meeting": record("principal_meeting", world.school_a, date(2026, 10, 7)),
        "meeting2": record("principal_meeting", world.school_a, date(2026, 10, 14)),
        "oops": record("introduction", world.school_a, date(2026, 8, 20)),
    }
    push(officer, list(world.records.values()))
    oops = world.records["oops"]
    push(officer, [dict(oops, mutation_id=str(uuid.uuid4()), base_version=1, voided=True, void_reason="Duplicate")])
    assert world.client(world.principal_a).confirm(world.records["meeting"]["id"]).status_code == 200
    push(world.client(world.officer_b), [record("activity", world.school_b, date(2026, 9, 2))])
    return world


def browse(client, **params):
    response = client.client.get("/api/records", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ids(body):
    return [item["id"] for item in body["items"]]


def test_supervisor_sees_their_officers_records_newest_first(world):
    body = browse(world.client(world.supervisor))
    assert body["total"] == 6
    assert ids(body)[0] == world.records["meeting2"]["id"]
    item = body["items"][0]
    assert item["school"]["code"] == "NHS" and item["owner_id"] == world.officer_a
    assert item["occurred_on"] == "2026-10-14" and item["confirmation"]["status"] == "pending"


@pytest.mark.parametrize("params, expected", [
    ({"kind": "activity"}, {"talk", "audit"}),
    ({"activity_type": "safety_audit"}, {"audit"}),
    ({"date_from": "2026-09-10", "date_to": "2026-10-05"}, {"audit", "game"}),
    ({"confirmation": "confirmed"}, {"meeting"}),
    ({"confirmation": "pending"}, {"meeting2"}),
    ({"voided": "true"}, {"oops"}),
    ({"voided": "false", "kind": "introduction"}, set()),
    ({"school_id": "2"}, set()),
])
def test_filters(world, params, expected):
    body = browse(world.client(world.admin), officer_id=world.officer_a, **params)
    assert set(ids(body)) == {world.records[name]["id"] for name in expected}
    assert body["total"] == len(expected)


def test_sorting_and_server_side_pages(world):
    admin = world.client(world.admin)
    first = browse(admin, sort="occurred_at", order="asc", limit=3, offset=0)
    second = browse(admin, sort="occurred_at", order="asc", limit=3, offset=3)
    third = browse(admin, sort="occurred_at", order="asc", limit=3, offset=6)
    assert first["total"] == second["total"] == 7
    everything = ids(first) + ids(second) + ids(third)
    assert len(everything) == len(set(everything)) == 7
    assert ids(first)[0] == world.records["oops"]["id"]  # 20 August, the earliest
    dates = [item["occurred_on"] for page in (first, second, third) for item in page["items"]]
    assert dates == sorted(dates)
    by_kind = browse(admin, sort="kind", order="asc")
    kinds = [item["kind"] for item in by_kind["items"]]
    assert kinds == sorted(kinds)


def test_officer_sees_own_records_only(world):
    body = browse(world.client(world.officer_b))
    assert body["total"] == 1 and body["items"][0]["owner_id"] == world.officer_b
    assert browse(world.client(world.officer_b), officer_id=world.officer_a)["total"] == 0


def test_principal_sees_meetings_at_own_school_only(world):
    body = browse(world.client(world.principal_a))
    assert {item["kind"] for item in body["items"]} == {"principal_meeting"}
    assert body["total"] == 2
    assert browse(world.client(world.principal_b))["total"] == 0


@pytest.mark.parametrize("filter_name, whose, message", [
    ("officer_id", "officer_a", "Principals see school totals only: officer_id is not allowed."),
    ("officer_id", "officer_b", "Principals see school totals only: officer_id is not allowed."),
    ("school_id", "school_b", "You may report on your own school only."),
])
def test_principal_may_not_filter_by_officer_or_another_school(world, filter_name, whose, message):
    principal = world.client(world.principal_a)
    denied = principal.client.get("/api/records", query_string={filter_name: getattr(world, whose)})
    assert denied.status_code == 403
    assert denied.get_json()["error"]["fields"] == {filter_name: [message]}
    assert browse(principal, school_id=world.school_a)["total"] == 2


def test_supervisor_never_sees_other_officers(world):
    assert browse(world.client(world.supervisor), officer_id=world.officer_b)["total"] == 0


@pytest.mark.parametrize("params, field", [
    ({"kind": "gossip"}, "kind"), ({"activity_type": "x"}, "activity_type"), ({"limit": "1000"}, "limit"),
    ({"offset": "-1"}, "offset"), ({"sort": "notes"}, "sort"), ({"date_from": "soon"}, "date_from"),
    ({"date_from": "2026-10-01", "date_to": "2026-09-01"}, "date_to"), ({"confirmation": "maybe"}, "confirmation"),
])
def test_bad_filters_are_422_naming_the_field(world, params, field):
    response = world.client(world.admin).client.get("/api/records", query_string=params)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_signed_out_is_401(client):
    assert client.get("/api/records").status_code == 401


# --- history --------------------------------------------------------------------------------

def history(client, record_id):
    return client.client.get(f"/api/records/{record_id}/history")


def test_history_shows_every_version_device_change_and_rejected_proposal(world):
    officer = world.client(world.officer_a)
    phone, tablet = officer.device_id, "tablet-2"
    meeting = world.records["meeting2"]
    edit = mutation(meeting["id"], "principal_meeting", base_version=1,
                    data=record_data("principal_meeting", world.school_a, at(date(2026, 10, 14)),
                                     summary="Talked about the dance"))
    push(officer, [edit])
    stale = mutation(meeting["id"], "principal_meeting", base_version=1,
                     data=record_data("principal_meeting", world.school_a, at(date(2026, 10, 14)),
                                      summary="Other device's words"))
    officer.device_id = tablet
    [result] = officer.push_ok([stale])
    assert result["status"] == "conflict"
    assert world.client(world.principal_a).confirm(meeting["id"], "disputed", comment="Not that day").status_code == 200

    body = history(world.client(world.supervisor), meeting["id"]).get_json()
    revisions = body["revisions"]
    assert [(r["action"], r["outcome"], r["version"]) for r in revisions] == [
        ("create", "accepted", 1), ("update", "accepted", 2), ("update", "rejected_conflict", None),
        ("dispute", "accepted", 2)]
    assert revisions[1]["device_id"] == phone and revisions[2]["device_id"] == tablet
    assert revisions[0]["actor"]["id"] == world.officer_a and revisions[3]["actor"]["role"] == "principal"
    assert all(r["at"].endswith("Z") for r in revisions)
    assert {"field": "summary", "from": "Weekly check-in", "to": "Talked about the dance"} in revisions[1]["changes"]
    assert {"field": "summary", "from": "Weekly check-in", "to": "Other device's words"} in revisions[2]["changes"]
    assert {"field": "confirmation", "from": "pending", "to": "disputed"} in revisions[3]["changes"]
    assert body["record"]["version"] == 2 and body["record"]["confirmation"]["status"] == "disputed"


def test_history_of_a_void_names_the_reason(world):
    body = history(world.client(world.admin), world.records["oops"]["id"]).get_json()
    void = body["revisions"][-1]
    assert void["action"] == "void"
    assert {"field": "voided", "from": False, "to": True} in void["changes"]
    assert {"field": "void_reason", "from": None, "to": "Duplicate"} in void["changes"]


def test_history_is_404_when_not_visible(world):
    other = world.client(world.officer_b)
    talk = world.records["talk"]["id"]
    assert history(other, talk).status_code == 404
    assert history(world.client(world.principal_a), talk).status_code == 404  # not a meeting
    assert history(world.client(world.principal_a), world.records["meeting"]["id"]).status_code == 200
    assert history(world.client(world.principal_b), world.records["meeting"]["id"]).status_code == 404
    assert history(world.client(world.supervisor), talk).status_code == 200
    assert history(world.client(world.admin), str(uuid.uuid4())).status_code == 404
    assert history(world.client(world.officer_a), talk).status_code == 200


def test_every_sort_the_query_allows_has_a_column():
    from server.schemas.log_browser import SORT_NAMES
    from server.services.reporting.log_browser import SORTS

    assert tuple(SORTS) == SORT_NAMES
