"""Month sign-off (issue 14): POST/GET /api/signoffs, GET /api/signoffs/<id>; amended records and
late entries."""

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent, MonthSignoff, Record
from tests.db_support import hold_the_write_lock
from tests.sync_support import CENTRAL, mutation

pytestmark = pytest.mark.frozen_now("2026-11-05T10:00:00-06:00")
OCTOBER = datetime(2026, 10, 15, 9, 0, tzinfo=CENTRAL)


def figure(rows: list[dict], category: str) -> dict:
    return next(row for row in rows if row["category"] == category)


@pytest.fixture
def october(world):
    records = [mutation(school_id=world.school_a, when=OCTOBER, count=2) for _ in range(3)]
    world.client(world.officer_a).push_ok(records)
    return records


def test_a_sign_off_freezes_the_monthly_figures(app, world, october):
    response = world.client(world.supervisor).sign_off(world.officer_a)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["month"], body["sequence"], body["signed_by"]["id"], body["amended_records"]) == (
        "2026-10", 1, world.supervisor, 0)
    with app.app_context():
        frozen = db.session.get(MonthSignoff, body["id"]).figures["rows"]
        assert db.session.scalar(select(AuditEvent.target).where(AuditEvent.action == "month.signoff")) == (
            f"user:{world.officer_a}")
    assert figure(frozen, "activity")["value"] == 6  # activities sum their count: 3 records of 2
    compared = world.client(world.supervisor).client.get(f"/api/signoffs/{body['id']}").get_json()
    activity = figure(compared["rows"], "activity")
    assert (activity["signed_off"], activity["current"], activity["difference"]) == (6, 6, 0)
    assert compared["records"] == []


def test_a_second_sign_off_with_nothing_amended_is_409(world, october):
    supervisor = world.client(world.supervisor)
    assert supervisor.sign_off(world.officer_a).status_code == 201
    again = world.client(world.admin).sign_off(world.officer_a)
    assert again.status_code == 409
    assert list(again.get_json()["error"]["fields"]) == ["month"]


def test_an_edit_and_a_void_after_sign_off_are_marked_and_compared(app, world, october):
    supervisor, officer = world.client(world.supervisor), world.client(world.officer_a)
    signed = supervisor.sign_off(world.officer_a).get_json()
    officer.push_ok([
        mutation(october[0]["id"], base_version=1, data={}, voided=True, void_reason="Entered twice"),
        mutation(october[1]["id"], base_version=1, school_id=world.school_a, when=OCTOBER, count=5),
    ])
    untouched = stored_amendment(app, october[2]["id"])
    assert untouched is None
    assert stored_amendment(app, october[0]["id"]) == signed["id"]
    compared = supervisor.client.get(f"/api/signoffs/{signed['id']}").get_json()
    activity = figure(compared["rows"], "activity")
    assert (activity["signed_off"], activity["current"], activity["difference"]) == (6, 7, 1)  # -2 voided, +3 edited
    assert {record["id"] for record in compared["records"]} == {october[0]["id"], october[1]["id"]}
    assert compared["amended_records"] == 2
    listed = supervisor.client.get("/api/records", query_string={"amended": "true"}).get_json()
    assert {item["id"] for item in listed["items"]} == {october[0]["id"], october[1]["id"]}
    assert all(item["amended_after_signoff"] for item in listed["items"])


def test_signing_off_again_after_amendments_keeps_the_older_snapshot(app, world, october):
    supervisor, officer = world.client(world.supervisor), world.client(world.officer_a)
    first = supervisor.sign_off(world.officer_a).get_json()
    officer.push_ok([mutation(october[0]["id"], base_version=1, data={}, voided=True, void_reason="Twice")])
    second = supervisor.sign_off(world.officer_a)
    assert second.status_code == 201
    assert second.get_json()["sequence"] == 2
    items = supervisor.client.get("/api/signoffs", query_string={"month": "2026-10"}).get_json()["items"]
    assert [one["sequence"] for one in items] == [2, 1]
    older = supervisor.client.get(f"/api/signoffs/{first['id']}").get_json()
    assert figure(older["rows"], "activity")["signed_off"] == 6
    newer = supervisor.client.get(f"/api/signoffs/{second.get_json()['id']}").get_json()
    assert (figure(newer["rows"], "activity")["signed_off"], newer["records"]) == (4, [])


def test_a_record_moved_out_of_a_signed_off_month_amends_it(app, world, october):
    signed = world.client(world.supervisor).sign_off(world.officer_a).get_json()
    world.client(world.officer_a).push_ok([mutation(october[0]["id"], base_version=1, school_id=world.school_a,
                                                    when=datetime(2026, 11, 2, 9, 0, tzinfo=CENTRAL))])
    assert stored_amendment(app, october[0]["id"]) == signed["id"]


def test_a_record_moved_between_two_signed_off_months_amends_both(app, world, october):
    """October and November are signed off; a record moves from October to November. Both
    months' figures changed, so both sign-offs list it, and both may be signed off again."""
    supervisor = world.client(world.supervisor)
    signed = {month: supervisor.sign_off(world.officer_a, month).get_json() for month in ("2026-10", "2026-11")}
    moved = october[0]["id"]
    world.client(world.officer_a).push_ok([mutation(moved, base_version=1, school_id=world.school_a, count=2,
                                                    when=datetime(2026, 11, 2, 9, 0, tzinfo=CENTRAL))])
    for month, activity in (("2026-10", (6, 4, -2)), ("2026-11", (0, 2, 2))):
        compared = supervisor.client.get(f"/api/signoffs/{signed[month]['id']}").get_json()
        assert ([record["id"] for record in compared["records"]], compared["amended_records"]) == ([moved], 1)
        row = figure(compared["rows"], "activity")
        assert (row["signed_off"], row["current"], row["difference"]) == activity
    for month in ("2026-10", "2026-11"):
        again = supervisor.sign_off(world.officer_a, month)
        assert (again.status_code, again.get_json().get("sequence")) == (201, 2), again.get_json()
    # Amending it again lists it once under each sign-off it amended.
    world.client(world.officer_a).push_ok([mutation(moved, base_version=2, school_id=world.school_a, count=3,
                                                    when=datetime(2026, 11, 2, 9, 0, tzinfo=CENTRAL))])
    assert [one["amended_records"] for one in supervisor.client.get("/api/signoffs").get_json()["items"]] == [
        1, 1, 0, 1]  # November 2 and 1, October 2 and 1


def test_a_changed_figure_allows_signing_off_again_with_nothing_amended(app, world, october):
    """Figures can differ from the snapshot with no amendment listed (a change from before the
    bookkeeping listed it): the month may be signed off again."""
    supervisor = world.client(world.supervisor)
    first = supervisor.sign_off(world.officer_a).get_json()
    assert supervisor.sign_off(world.officer_a).status_code == 409
    with app.app_context():
        signoff = db.session.get(MonthSignoff, first["id"])
        signoff.figures = {"rows": [{**row, "value": row["value"] + 1} if row["category"] == "activity" else row
                                    for row in signoff.figures["rows"]]}
        db.session.commit()
    again = supervisor.sign_off(world.officer_a)
    assert (again.status_code, again.get_json()["sequence"]) == (201, 2)


def test_a_row_gone_since_the_snapshot_is_still_compared(app, world, october):
    """Every October record voided: the school's minutes row leaves the report; the comparison
    still shows it, signed off at 90 minutes, now 0."""
    supervisor, officer = world.client(world.supervisor), world.client(world.officer_a)
    signed = supervisor.sign_off(world.officer_a).get_json()
    with app.app_context():
        frozen = {row["category"] for row in db.session.get(MonthSignoff, signed["id"]).figures["rows"]}
    minutes = next(category for category in frozen if category.startswith("minutes."))
    officer.push_ok([mutation(record["id"], base_version=1, data={}, voided=True, void_reason="Wrong officer")
                     for record in october])
    compared = supervisor.client.get(f"/api/signoffs/{signed['id']}").get_json()
    assert {row["category"] for row in compared["rows"]} >= frozen
    row = figure(compared["rows"], minutes)
    assert (row["signed_off"], row["current"], row["difference"]) == (90, 0, -90)


def test_a_new_record_in_a_signed_off_month_amends_it(app, world, october):
    signed = world.client(world.supervisor).sign_off(world.officer_a).get_json()
    late = mutation(school_id=world.school_a, when=OCTOBER)
    world.client(world.officer_a).push_ok([late])
    assert stored_amendment(app, late["id"]) == signed["id"]


def stored_amendment(app, record_id: str) -> int | None:
    with app.app_context():
        return db.session.get(Record, uuid.UUID(record_id)).amended_signoff_id


# --- scope and bad input ----------------------------------------------------------------------

def test_a_supervisor_signs_off_only_their_officers(world):
    assert world.client(world.supervisor).sign_off(world.officer_b).status_code == 404
    assert world.client(world.supervisor).sign_off(world.principal_a).status_code == 404
    assert world.client(world.admin).sign_off(world.officer_b).status_code == 201
    assert world.client(world.supervisor).client.get("/api/signoffs").get_json()["items"] == []


@pytest.mark.parametrize("body, field", [
    ({"month": "2026-13"}, "month"), ({"month": "October"}, "month"), ({"month": None}, "month"),
    ({"month": "0000-01"}, "month"), ({"month": "2026-11\n"}, "month"), ({"month": "２０２６-11"}, "month"),
    ({"month": "2026-12"}, "month"),  # not begun yet
    ({"officer_id": 2**40}, "officer_id"), ({"officer_id": "x"}, "officer_id"),
])
def test_bad_input_is_an_error_naming_the_field(world, body, field):
    supervisor = world.client(world.supervisor)
    response = supervisor.client.post("/api/signoffs", json={"officer_id": world.officer_a, "month": "2026-10", **body},
                                      headers={"X-CSRF-Token": supervisor.token})
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["error"]["fields"]) == [field]


def test_unknown_sign_offs_are_404_never_500(world):
    supervisor = world.client(world.supervisor)
    assert supervisor.client.get("/api/signoffs/999").status_code == 404
    assert supervisor.client.get(f"/api/signoffs/{2**40}").status_code == 404
    assert supervisor.client.get("/api/signoffs", query_string={"month": "nope"}).status_code == 422


# --- late entries -------------------------------------------------------------------------------

def test_a_record_saved_more_than_seven_days_after_the_event_is_a_late_entry(app, world):
    late = mutation(school_id=world.school_a, when=OCTOBER)  # 21 days before the frozen now
    on_time = mutation(school_id=world.school_a, when=datetime(2026, 11, 2, 9, 0, tzinfo=CENTRAL))
    world.client(world.officer_a).push_ok([late, on_time])
    supervisor = world.client(world.supervisor)
    page = supervisor.client.get("/api/records", query_string={"late_entry": "true"}).get_json()
    assert [item["id"] for item in page["items"]] == [late["id"]]
    report = supervisor.client.get("/api/reports/monthly", query_string={"school_year": "2026-2027"}).get_json()
    late_row = figure(report["rows"], "late_entries")
    assert (late_row["months"]["2026-10"], late_row["months"]["2026-11"], late_row["total"]) == (1, 0, 1)


def test_moving_a_record_closer_to_when_it_was_saved_clears_the_late_flag(app, world):
    record = mutation(school_id=world.school_a, when=OCTOBER)
    world.client(world.officer_a).push_ok([record])
    world.client(world.officer_a).push_ok([mutation(record["id"], base_version=1, school_id=world.school_a,
                                                    when=datetime(2026, 11, 1, 9, 0, tzinfo=CENTRAL))])
    with app.app_context():
        assert db.session.get(Record, uuid.UUID(record["id"])).late_entry is False


def test_two_sign_offs_of_the_same_month_at_once_keep_one_and_answer_409(app, world, october, monkeypatch):
    """The second writer read "no sign-off yet" before the first committed: the unique
    (officer, month, sequence) keeps one and the other is a 409, never a 500."""
    from server.services.reporting import signoffs
    monkeypatch.setattr(signoffs, "_latest", lambda officer_id, month: None)
    assert world.client(world.supervisor).sign_off(world.officer_a).status_code == 201
    raced = world.client(world.admin).sign_off(world.officer_a)
    assert raced.status_code == 409
    assert list(raced.get_json()["error"]["fields"]) == ["month"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MonthSignoff)) == 1


def test_a_push_racing_a_sign_off_of_its_officer_is_marked_amended(app, world, october, database_url):
    """A sign-off in progress holds its officer: on PostgreSQL the officer's row FOR UPDATE (pushes
    read the signed-off months under a key-share lock on that row), on SQLite the one write lock.
    The push waits, sees the sign-off once committed, and lists its change as amended: never a
    change that is neither in the snapshot nor in the amended list."""
    import threading

    from sqlalchemy import insert

    officer = world.client(world.officer_a)  # signed in first: sign-in updates the officer's row
    edit = mutation(october[0]["id"], base_version=1, school_id=world.school_a, when=OCTOBER, count=5)
    answers = []
    worker = threading.Thread(target=lambda: answers.append(officer.push_ok([edit])))
    officer_row = f"SELECT id FROM users WHERE id = {int(world.officer_a)} FOR UPDATE"
    with hold_the_write_lock(database_url, officer_row) as signing:
        worker.start()
        worker.join(timeout=1.0)  # the push has read what it reads before its own writes by now
        assert worker.is_alive(), "the push did not wait for the sign-off in progress"
        assert not answers, "the push did not wait for the sign-off in progress"
        signing.execute(insert(MonthSignoff.__table__).values(
            officer_id=world.officer_a, month=date(2026, 10, 1), sequence=1, signed_by_id=world.supervisor,
            signed_at=datetime(2026, 11, 5, 16), figures={"rows": []}))
        signing.commit()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the push never finished once the sign-off committed"
    assert [result["status"] for result in answers[0]] == ["applied"]
    with app.app_context():
        record = db.session.get(Record, uuid.UUID(edit["id"]))
        assert record.amended_signoff_id is not None
