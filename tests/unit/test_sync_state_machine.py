"""Several devices of one officer create, edit, void, retry, lose responses and push stale
versions in random interleavings. At every step the server must answer what the sync rules
predict; at the end it holds exactly the last accepted state of every record, nothing
duplicated, nothing missing, and every revision kept."""

import uuid
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from sqlalchemy import delete, func, select, update

from server.extensions import db
from server.models import AppliedMutation, ChangeCounter, Record, RecordRevision
from tests.sync_support import build_world, mutation, record_data

DEVICES = ("phone", "tablet", "spare")


@dataclass
class Device:
    client: object
    known: dict = field(default_factory=dict)  # record id -> version the device will edit from
    outbox: list = field(default_factory=list)


@dataclass
class ServerModel:
    """What the server must hold, derived from the protocol rules alone."""

    records: dict = field(default_factory=dict)  # id -> {"version", "count", "voided"}
    answers: dict = field(default_factory=dict)  # mutation_id -> first status
    conflicts: Counter = field(default_factory=Counter)

    def expect(self, m: dict) -> str:
        earlier = self.answers.get(m["mutation_id"])
        if earlier is not None:
            return "duplicate" if earlier == "applied" else earlier
        status = self._decide(m)
        self.answers[m["mutation_id"]] = status
        return status

    def _decide(self, m: dict) -> str:
        current = self.records.get(m["id"])
        if current is None:
            if m["base_version"] is not None or m["voided"]:
                return "rejected"
            self.records[m["id"]] = {"version": 1, "count": m["data"]["count"], "voided": False}
            return "applied"
        if m["base_version"] != current["version"]:
            self.conflicts[m["id"]] += 1
            return "conflict"
        if current["voided"]:
            return "rejected"
        current["version"] += 1
        if m["voided"]:
            current["voided"] = True
        else:
            current["count"] = m["data"]["count"]
        return "applied"


class SyncMachine(RuleBasedStateMachine):
    world = None  # set by the test

    @initialize()
    def start(self):
        self.model = ServerModel()
        self.devices = {name: Device(self.world.client(self.world.officer_a)) for name in DEVICES}

    def teardown(self):
        with self.world.app.app_context():
            for table in (RecordRevision, AppliedMutation, Record):
                db.session.execute(delete(table))
            db.session.execute(update(ChangeCounter).values(value=0))
            db.session.commit()

    @rule(device=st.sampled_from(DEVICES), count=st.integers(min_value=1, max_value=50))
    def create(self, device, count):
        created = mutation(school_id=self.world.school_a, count=count)
        self.devices[device].outbox.append(created)
        self.devices[device].known[created["id"]] = 1

    @precondition(lambda self: any(d.known for d in self.devices.values()))
    @rule(data=st.data(), count=st.integers(min_value=1, max_value=50), void=st.booleans())
    def edit_or_void(self, data, count, void):
        device = self.devices[data.draw(st.sampled_from([n for n in DEVICES if self.devices[n].known]))]
        record_id = data.draw(st.sampled_from(sorted(device.known)))
        base = device.known[record_id]
        if void:
            change = mutation(record_id, base_version=base, data={}, voided=True, void_reason="Entered by mistake")
        else:
            change = mutation(record_id, base_version=base, data=record_data(school_id=self.world.school_a, count=count))
        device.outbox.append(change)
        device.known[record_id] = base + 1

    @precondition(lambda self: any(d.outbox for d in self.devices.values()))
    @rule(data=st.data(), response_lost=st.booleans())
    def push(self, data, response_lost):
        name = data.draw(st.sampled_from([n for n in DEVICES if self.devices[n].outbox]))
        device = self.devices[name]
        size = data.draw(st.integers(min_value=1, max_value=len(device.outbox)))
        batch = device.outbox[:size]
        results = device.client.push_ok(batch)
        expected = [self.model.expect(m) for m in batch]
        assert [r["status"] for r in results] == expected
        if response_lost:
            return  # the phone never heard back: everything stays queued and is sent again
        del device.outbox[:size]
        for sent, result in zip(batch, results):
            if result["status"] == "conflict":
                device.known[sent["id"]] = result["record"]["version"]  # officer keeps the server's version

    @precondition(lambda self: any(d.known for d in self.devices.values()))
    @rule(device=st.sampled_from(DEVICES))
    def pull(self, device):
        phone = self.devices[device]
        changes, _ = phone.client.pull_all()
        queued = {m["id"] for m in phone.outbox}
        for change in changes:
            if change["id"] not in queued:
                phone.known[change["id"]] = change["version"]

    @invariant()
    def server_holds_exactly_the_last_accepted_state(self):
        if not hasattr(self, "model"):
            return
        with self.world.app.app_context():
            rows = db.session.execute(select(Record.id, Record.version, Record.data, Record.voided)).all()
            stored = {str(r.id): {"version": r.version, "count": r.data["count"], "voided": r.voided} for r in rows}
            accepted = dict(db.session.execute(
                select(RecordRevision.record_id, func.count()).where(RecordRevision.outcome == "accepted")
                .group_by(RecordRevision.record_id)).all())
            rejected = dict(db.session.execute(
                select(RecordRevision.record_id, func.count()).where(RecordRevision.outcome == "rejected_conflict")
                .group_by(RecordRevision.record_id)).all())
            answered = db.session.scalar(select(func.count()).select_from(AppliedMutation))
        assert stored == self.model.records
        for record_id, state in self.model.records.items():
            assert accepted[uuid.UUID(record_id)] == state["version"]  # one revision per accepted version
        assert {str(k): v for k, v in rejected.items()} == {k: v for k, v in self.model.conflicts.items() if v}
        assert answered == len(self.model.answers)

    @invariant()
    def a_fresh_device_pulls_everything_once(self):
        if not hasattr(self, "model"):
            return
        changes, _ = self.world.client(self.world.officer_a).pull_all(limit=7)
        assert len(changes) == len({c["id"] for c in changes})
        assert {c["id"]: c["version"] for c in changes} == {k: v["version"] for k, v in self.model.records.items()}


def test_random_device_interleavings_keep_every_change_exactly_once(app):
    SyncMachine.world = build_world(app)
    run_state_machine_as_test(SyncMachine, settings=settings(
        max_examples=25, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    ))
