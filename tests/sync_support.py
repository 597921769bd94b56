"""Sync-specific test helpers: mutation builders, a signed-in API client and the shared `world`.

Schools, users and links come from tests/factories.py.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from tests.factories import (
    PASSWORD, assign_officer, email_of, login, make_principal_for, make_school, make_user, supervise,
)

CENTRAL = timezone(timedelta(hours=-6))
DEFAULT_WHEN = datetime(2026, 11, 13, 19, 0, tzinfo=CENTRAL)

SAMPLE_DATA = {
    "extracurricular_contact": {"event_name": "Varsity football", "event_type": "athletic", "location": "Stadium",
                                "students_contacted": 40, "adults_contacted": 8},
    "introduction": {"audience": "new_students", "format": "assembly", "people_count": 120},
    "principal_meeting": {"attendee_name": "Dr. Lee", "attendee_role": "principal",
                          "topics": ["safety_concerns"], "summary": "Weekly check-in"},
    "activity": {"activity_type": "classroom_presentation", "count": 1, "topic": "Internet safety"},
    "involvement": {"requested_by": "teacher", "basis": "crime", "action": "investigation", "students_involved": 1},
    "training": {"course": "Advanced SRO", "provider": "nasro", "topics": ["de_escalation"], "hours": 7.5,
                 "basic_course": False, "certificate_number": None},
}


def record_data(kind: str = "activity", school_id: int = 1, when: datetime = DEFAULT_WHEN, **fields) -> dict:
    return {"school_id": school_id, "occurred_at": when.isoformat(), "duration_minutes": 30, "notes": None,
            **SAMPLE_DATA[kind], **fields}


def mutation(record_id: str | None = None, kind: str = "activity", base_version: int | None = None,
             data: dict | None = None, voided: bool = False, void_reason: str | None = None,
             school_id: int = 1, **fields) -> dict:
    return {
        "mutation_id": str(uuid.uuid4()),
        "id": record_id or str(uuid.uuid4()),
        "kind": kind,
        "base_version": base_version,
        "data": data if data is not None else record_data(kind, school_id, **fields),
        "voided": voided,
        "void_reason": void_reason,
    }


@dataclass
class SyncClient:
    """A signed-in Flask test client that speaks the sync protocol."""

    client: object
    token: str
    device_id: str = field(default_factory=lambda: f"device-{uuid.uuid4().hex[:6]}")

    def push(self, mutations: list[dict], **headers):
        return self.client.post("/api/sync/push", json={"device_id": self.device_id, "mutations": mutations},
                                headers={"X-CSRF-Token": self.token, **headers})

    def push_ok(self, mutations: list[dict]) -> list[dict]:
        response = self.push(mutations)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]

    def pull(self, since: str | None = None, limit: int | None = None):
        params = {key: value for key, value in (("since", since), ("limit", limit)) if value is not None}
        return self.client.get("/api/sync/pull", query_string=params)

    def pull_all(self, since: str | None = None, limit: int = 1000) -> tuple[list[dict], str]:
        changes = []
        while True:
            body = self.pull(since, limit).get_json()
            changes.extend(body["changes"])
            since = body["cursor"]
            if not body["has_more"]:
                return changes, since

    def confirm(self, record_id: str, decision: str = "confirmed", **fields):
        return self.client.post(f"/api/meetings/{record_id}/confirmation",
                                json={"decision": decision, **fields}, headers={"X-CSRF-Token": self.token})

    def participate(self, record_id: str, decision: str = "confirmed", **fields):
        """A supervisor's or principal's part in a semester review (KY 8)."""
        return self.client.post(f"/api/records/{record_id}/participation",
                                json={"decision": decision, **fields}, headers={"X-CSRF-Token": self.token})

    def review(self, record_id: str, decision: str = "approved", **fields):
        """A supervisor's (or an admin's) review of a record (issue 14)."""
        return self.client.post(f"/api/records/{record_id}/review",
                                json={"decision": decision, **fields}, headers={"X-CSRF-Token": self.token})

    def sign_off(self, officer_id: int, month: str = "2026-10"):
        """A supervisor's (or an admin's) sign-off of an officer's month (issue 14)."""
        return self.client.post("/api/signoffs", json={"officer_id": officer_id, "month": month},
                                headers={"X-CSRF-Token": self.token})


def signed_in(app, email: str, password: str = PASSWORD) -> SyncClient:
    client = app.test_client()
    return SyncClient(client=client, token=login(client, email, password))


@dataclass
class World:
    """Two schools, an officer at each, their principals, a supervisor of officer A only, an admin."""

    app: object
    school_a: int
    school_b: int
    officer_a: int
    officer_b: int
    principal_a: int
    principal_b: int
    supervisor: int
    admin: int

    def client(self, user_id: int) -> SyncClient:
        return signed_in(self.app, email_of(self.app, user_id))


def build_world(app) -> World:
    """The `world` fixture of tests/conftest.py. Its schools have no calendar: tests that need one build it."""
    school_a, school_b = (make_school(app, code, terms=(), closed_days=()).id for code in ("NHS", "SHS"))
    officer_a, officer_b = make_user(app, "officer").id, make_user(app, "officer").id
    assign_officer(app, officer_a, school_a)
    assign_officer(app, officer_b, school_b)
    principal_a, principal_b = make_user(app, "principal").id, make_user(app, "principal").id
    make_principal_for(app, school_a, principal_a)
    make_principal_for(app, school_b, principal_b)
    supervisor = make_user(app, "supervisor").id
    supervise(app, supervisor, officer_a)
    return World(app, school_a, school_b, officer_a, officer_b, principal_a, principal_b, supervisor,
                 make_user(app, "admin").id)
