"""Reading other people's records leaves a trace (issue 11): a pull, a log-browser search or a
history view by a principal, supervisor or admin is one audit event with the actor, the filters,
the row count and the outcome. Officers reading their own records leave none."""

import uuid

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AuditEvent
from tests.sync_support import mutation


@pytest.fixture
def world(world):
    """The shared `world` with officer A's world.meeting and world.contact pushed."""
    world.meeting = mutation(kind="principal_meeting", school_id=world.school_a)
    world.contact = mutation(kind="extracurricular_contact", school_id=world.school_a)
    world.client(world.officer_a).push_ok([world.meeting, world.contact])
    return world


def last_event_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def events_after(app, event_id: int) -> list[AuditEvent]:
    with app.app_context():
        found = db.session.scalars(select(AuditEvent).where(AuditEvent.id > event_id).order_by(AuditEvent.id)).all()
        db.session.expunge_all()
        return found


def only_event_of(app, world, reader: str, request) -> AuditEvent:
    """Sign in, then make one request: it must add exactly one audit event."""
    client = world.client(getattr(world, reader))
    before = last_event_id(app)
    request(client)
    [event] = events_after(app, before)
    assert event.actor_id == getattr(world, reader) and event.at is not None
    return event


@pytest.mark.parametrize("reader, rows", [("principal_a", 1), ("supervisor", 2), ("admin", 2)])
def test_a_pull_by_anyone_but_an_officer_is_one_audit_event(app, world, reader, rows):
    event = only_event_of(app, world, reader, lambda client: client.pull(limit=500))
    assert (event.action, event.outcome) == ("records.pull", "success")
    assert event.details == {"filters": {"limit": 500}, "rows": rows, "has_more": False}


def test_a_pull_with_a_forged_cursor_is_audited_as_a_failure(app, world):
    event = only_event_of(app, world, "supervisor", lambda client: client.pull(since="not-ours"))
    assert (event.action, event.outcome) == ("records.pull", "failure")
    assert event.details["filters"]["since"] == "not-ours" and event.details["rows"] == 0


def test_a_log_browser_search_is_one_audit_event_with_its_filters(app, world):
    event = only_event_of(app, world, "supervisor", lambda client: client.client.get(
        "/api/records", query_string={"kind": "extracurricular_contact", "date_from": "2026-09-01"}))
    assert (event.action, event.outcome) == ("records.browse", "success")
    assert event.details["filters"] == {"kind": "extracurricular_contact", "date_from": "2026-09-01",
                                        "sort": "occurred_at", "order": "desc", "limit": 50, "offset": 0}
    assert (event.details["rows"], event.details["total"]) == (1, 1)


def test_a_refused_log_browser_filter_is_audited_as_denied(app, world):
    event = only_event_of(app, world, "principal_a", lambda client: client.client.get(
        "/api/records", query_string={"officer_id": world.officer_a}))
    assert (event.action, event.outcome) == ("records.browse", "denied")
    assert event.details["filters"]["officer_id"] == world.officer_a and event.details["rows"] == 0


@pytest.mark.parametrize("reader", ["principal_a", "admin"])
def test_a_history_view_is_one_audit_event_naming_the_record(app, world, reader):
    event = only_event_of(app, world, reader, lambda client: client.client.get(
        f"/api/records/{world.meeting['id']}/history"))
    target = f"record:{world.meeting['id']}"
    assert (event.action, event.outcome, event.target) == ("records.history", "success", target)
    assert event.details == {"filters": {}, "rows": 1}


def test_a_history_outside_scope_is_audited_as_a_failure(app, world):
    event = only_event_of(app, world, "supervisor", lambda client: client.client.get(
        f"/api/records/{uuid.uuid4()}/history"))
    assert (event.action, event.outcome) == ("records.history", "failure")


def test_officers_reading_their_own_records_leave_no_event(app, world):
    officer = world.client(world.officer_a)
    before = last_event_id(app)
    assert officer.pull().status_code == 200
    assert officer.client.get("/api/records").status_code == 200
    assert officer.client.get(f"/api/records/{world.contact['id']}/history").status_code == 200
    assert events_after(app, before) == []


def test_the_admin_audit_log_filters_read_events_by_action(world):
    world.client(world.supervisor).pull()
    world.client(world.supervisor).client.get("/api/records")
    admin = world.client(world.admin).client
    for action in ("records.pull", "records.browse"):
        page = admin.get("/api/admin/audit", query_string={"action": action}).get_json()
        assert [(item["action"], item["actor_id"]) for item in page["items"]] == [(action, world.supervisor)]
