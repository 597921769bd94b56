"""Push under hostile or unlucky input (issue 11): one mutation never sinks its batch, a
mutation_id is bound to its record, and edits and voids stay inside the officer's assignments."""

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from server.extensions import db
from server.models import AppliedMutation, Record, RecordRevision
from server.schemas.fields import Text
from server.schemas.records import DATA_SCHEMAS
from tests.factories import assign_officer, make_school, post_json
from tests.sync_support import mutation


@pytest.fixture
def officer(world):
    return world.client(world.officer_a)


def free_text_fields(kind: str) -> list[str]:
    """The kind's text fields that take any words (not a choice from a list)."""
    schema = DATA_SCHEMAS[kind]()
    return [name for name, field in schema.fields.items()
            if isinstance(field, Text) and not any(hasattr(rule, "choices") for rule in field.validators)]


TEXT_FIELDS = [(kind, name) for kind in DATA_SCHEMAS for name in free_text_fields(kind)]
LONE_SURROGATE = "\ud800"


def stored_records(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Record))


# --- text the database cannot store -------------------------------------------------------

@pytest.mark.parametrize("bad", [f"Game{LONE_SURROGATE}night", "Game\x00night", "Game\x1bnight"],
                         ids=["surrogate", "nul", "escape"])
@pytest.mark.parametrize(("kind", "name"), TEXT_FIELDS)
def test_unstorable_text_rejects_only_that_mutation_and_names_the_field(app, world, officer, kind, name, bad):
    before = mutation(school_id=world.school_a)
    poisoned = mutation(kind=kind, school_id=world.school_a, **{name: bad})
    after = mutation(school_id=world.school_a)
    response = officer.push([before, poisoned, after])
    assert response.status_code == 200
    first, middle, last = response.get_json()["results"]
    assert (first["status"], last["status"]) == ("applied", "applied")
    assert middle["status"] == "rejected"
    assert list(middle["errors"]) == [name]
    assert "control characters" in middle["errors"][name][0]
    assert stored_records(app) == 2


def test_unstorable_text_in_a_stale_edit_is_rejected_before_its_proposal_is_kept(app, world, officer):
    created = mutation(school_id=world.school_a)
    officer.push_ok([created])
    officer.push_ok([mutation(created["id"], base_version=1, school_id=world.school_a, topic="Edited")])
    stale = mutation(created["id"], base_version=1, school_id=world.school_a, topic="x\x00y")
    [result] = officer.push_ok([stale])
    assert result["status"] == "rejected"
    assert "topic" in result["errors"]


def test_unstorable_field_names_and_void_reasons_are_rejected_alone(app, world, officer):
    created = mutation(school_id=world.school_a)
    officer.push_ok([created])
    odd_name = mutation(school_id=world.school_a)
    odd_name["data"][f"x{LONE_SURROGATE}"] = 1
    void = mutation(created["id"], base_version=1, data={}, voided=True, void_reason=f"oops{LONE_SURROGATE}")
    good = mutation(school_id=world.school_a)
    results = officer.push_ok([odd_name, void, good])
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"]
    assert "data" in results[0]["errors"]
    assert "void_reason" in results[1]["errors"]


def test_an_unstorable_device_id_is_a_422_naming_it(world, officer):
    response = post_json(officer.client, "/api/sync/push", {"device_id": "ph\x00ne", "mutations": []}, officer.token)
    assert response.status_code == 422
    assert "device_id" in response.get_json()["error"]["fields"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(TEXT_FIELDS),
       text=st.text(alphabet=st.characters(codec=None, categories=None), min_size=1, max_size=40)
       | st.text(alphabet=st.sampled_from([chr(c) for c in range(0x20)] + [LONE_SURROGATE, "\udfff", "\x7f", "é"]),
                 min_size=1, max_size=10))
def test_any_unicode_in_any_text_field_never_fails_the_batch(app, world, officer, field, text):
    kind, name = field
    good = mutation(school_id=world.school_a)
    fuzzed = mutation(kind=kind, school_id=world.school_a, **{name: text})
    response = officer.push([fuzzed, good])
    assert response.status_code == 200
    fuzzed_result, good_result = response.get_json()["results"]
    assert good_result["status"] == "applied"
    assert fuzzed_result["status"] in {"applied", "rejected"}
    if fuzzed_result["status"] == "rejected":
        assert set(fuzzed_result["errors"]) == {name}
    else:
        [change] = [c for c in officer.pull_all()[0] if c["id"] == fuzzed["id"]]
        assert change["data"][name] == text  # stored and read back exactly


# --- a mutation_id is bound to the record it was first applied to --------------------------

def test_a_mutation_id_replayed_for_another_record_is_rejected_and_changes_nothing(app, world, officer):
    first = mutation(school_id=world.school_a)
    officer.push_ok([first])
    reused = {**mutation(school_id=world.school_a), "mutation_id": first["mutation_id"]}
    [result] = officer.push_ok([reused])
    assert result["status"] == "rejected"
    assert "mutation_id" in result["errors"]
    assert "record" not in result
    assert stored_records(app) == 1


def test_a_mutation_id_of_another_officer_is_rejected_without_their_record(app, world):
    theirs = mutation(school_id=world.school_b, notes="Their notes")
    world.client(world.officer_b).push_ok([theirs])
    mine = {**mutation(school_id=world.school_a), "mutation_id": theirs["mutation_id"], "id": theirs["id"]}
    response = world.client(world.officer_a).push([mine])
    [result] = response.get_json()["results"]
    assert result["status"] == "rejected"
    assert "Their notes" not in response.get_data(as_text=True)


# --- edits and voids stay inside the officer's assignments --------------------------------

@pytest.fixture
def ended_assignment(app, world):
    """Officer A also covered a second school in the autumn, until 30 Nov 2026."""
    school = make_school(app, "LMS", terms=(), closed_days=()).id
    assign_officer(app, world.officer_a, school, starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30))
    return school


def _end_assignment(app, officer_id: int, school_id: int, on: date) -> None:
    from server.models import OfficerAssignment

    with app.app_context():
        row = db.session.scalars(select(OfficerAssignment).where(
            OfficerAssignment.officer_id == officer_id, OfficerAssignment.school_id == school_id)).one()
        row.ends_on = on
        db.session.commit()


def test_a_record_from_an_assignment_since_ended_can_no_longer_be_voided(app, world, officer, ended_assignment):
    created = mutation(school_id=ended_assignment)
    officer.push_ok([created])
    _end_assignment(app, world.officer_a, ended_assignment, date(2026, 11, 1))
    void = mutation(created["id"], base_version=1, data={}, voided=True, void_reason="Not mine")
    [result] = officer.push_ok([void])
    assert result["status"] == "rejected"
    assert "school_id" in result["errors"]
    with app.app_context():
        assert db.session.get(Record, uuid.UUID(created["id"])).voided is False


def test_a_record_from_an_assignment_since_ended_cannot_be_moved_to_a_current_one(
        app, world, officer, ended_assignment):
    created = mutation(school_id=ended_assignment)
    officer.push_ok([created])
    _end_assignment(app, world.officer_a, ended_assignment, date(2026, 11, 1))
    moved = mutation(created["id"], base_version=1, school_id=world.school_a)
    [result] = officer.push_ok([moved])
    assert result["status"] == "rejected"
    assert "school_id" in result["errors"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordRevision)) == 1
        assert db.session.scalar(select(func.count()).select_from(AppliedMutation)) == 2


def test_records_inside_a_current_assignment_are_still_voided(app, world, officer):
    created = mutation(school_id=world.school_a)
    officer.push_ok([created])
    [result] = officer.push_ok([mutation(created["id"], base_version=1, data={}, voided=True,
                                         void_reason="Entered twice")])
    assert result["status"] == "applied"


# --- request headers ---------------------------------------------------------------------------

@pytest.mark.parametrize("sent", ["9" * 5000, "1.².3", "1.0.0.0.0", "", "1..2", "v1.0.0"])
def test_a_malformed_client_version_is_a_400_even_without_a_session(client, sent):
    response = client.get("/api/sync/pull", headers={"X-Client-Version": sent})
    assert response.status_code == 400
    assert "X-Client-Version" in response.get_json()["error"]["message"]


def test_a_kind_that_is_not_text_and_a_deeply_nested_void_reason_are_rejected_alone(app, world, officer):
    odd_kind = {**mutation(school_id=world.school_a), "kind": ["activity"]}
    nested = []
    for _ in range(600):
        nested = [nested]
    deep_reason = {**mutation(school_id=world.school_a), "voided": True, "void_reason": nested}
    good = mutation(school_id=world.school_a)
    results = officer.push_ok([odd_kind, deep_reason, good])
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"]
    assert "kind" in results[0]["errors"]
    assert "void_reason" in results[1]["errors"]
    assert stored_records(app) == 1
