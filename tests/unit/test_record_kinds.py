"""The record kinds are declared once (server/domain/record_kinds.py) and every layer follows:
the migrated database, the schemas, the form description and the report rows."""

import re
from dataclasses import replace

import pytest
from marshmallow import ValidationError
from sqlalchemy import inspect

from server.domain.record_kinds import KIND_NAMES, KINDS, choice, choices, count, kind_named, text, values
from server.extensions import db
from server.schemas.records import DATA_SCHEMAS, _kind_schema
from server.services.forms import form_description
from server.services.reporting.reports import MONTHLY_ROWS, PUBLIC_ROWS, _monthly_rows, _public_rows

# A kind someone might add next: declared here only, to show nothing else needs writing by hand.
PATROL_TYPES = choices("foot", "vehicle", "bike")
PATROL = replace(
    kind_named("activity"), name="patrol", label="Patrol",
    fields=(text("route", "Route", 100, required=True), choice("patrol_type", "Patrol type", PATROL_TYPES),
            count("stops", "Stops", required=True)),
    subtype="patrol_type", quantity="stops", requirements=(),  # none of the activity's own
)


def test_the_migrated_database_accepts_exactly_the_declared_kinds(app):
    """A kind added to the module without a migration for the CHECK constraint fails here."""
    with app.app_context():
        checks = inspect(db.engine).get_check_constraints("records")
    [kind_check] = [check for check in checks if "kind" in check["sqltext"] and "IN" in check["sqltext"].upper()]
    assert sorted(re.findall(r"'([a-z_]+)'", kind_check["sqltext"])) == sorted(KIND_NAMES)


def test_every_declared_kind_has_a_schema_a_form_and_report_rows():
    described = {kind["kind"]: kind for kind in form_description()["kinds"]}
    assert list(DATA_SCHEMAS) == list(described) == list(KIND_NAMES)
    for kind in KINDS:
        assert described[kind.name]["label"] == kind.label
        assert {field.name for field in kind.fields} <= set(DATA_SCHEMAS[kind.name]().fields)
        assert any(row[2] == kind.name for row in MONTHLY_ROWS)
        assert any(row[2] == kind.name for row in PUBLIC_ROWS)


def test_choice_labels_reach_the_forms_from_the_declaration():
    described = {kind["kind"]: kind for kind in form_description()["kinds"]}
    activity_type = next(f for f in described["activity"]["fields"] if f["name"] == "activity_type")
    declared = kind_named("activity").field("activity_type").choices
    assert [(c["value"], c["label"]) for c in activity_type["choices"]] == [(c.value, c.label) for c in declared]


def test_a_new_kind_needs_only_its_declaration():
    schema = _kind_schema(PATROL)()
    loaded = schema.load({"school_id": 1, "occurred_at": "2026-11-20T19:05:00-06:00", "route": "North lot",
                          "patrol_type": "foot", "stops": 3})
    assert (loaded["route"], loaded["stops"]) == ("North lot", 3)
    with pytest.raises(ValidationError) as refused:
        schema.load({"school_id": 1, "occurred_at": "2026-11-20T19:05:00-06:00", "patrol_type": "boat"})
    assert set(refused.value.messages) == {"route", "patrol_type", "stops"}
    rows = _monthly_rows(PATROL)
    assert [row[0] for row in rows] == ["patrol", *(f"patrol.{value}" for value in values(PATROL_TYPES))]
    assert [row[0] for row in _public_rows(PATROL)] == [f"patrol.{value}" for value in values(PATROL_TYPES)]


def test_the_semester_review_type_and_rule_are_declared_once():
    # The type is the registry's constant and the rule (parties, when it is met) the domain's:
    # the services that record, show and count semester reviews never spell either again.
    from pathlib import Path

    from server.domain import semester_review
    from server.domain.record_kinds import SEMESTER_REVIEW
    from server.services.reporting import compliance
    from server.services.sync import participation

    assert SEMESTER_REVIEW in values(kind_named("activity").field("activity_type").choices)
    services = Path(compliance.__file__).parents[1]
    spelled = [str(path.relative_to(services)) for path in sorted(services.rglob("*.py"))
               if re.search(r"""["']semester_review["']""", path.read_text())]
    assert spelled == []
    assert participation.PARTIES is semester_review.PARTIES
    assert not hasattr(participation, "met") and not hasattr(compliance, "review_state")
    assert compliance.review_rule is semester_review


@pytest.mark.parametrize("participation, state", [
    (None, "pending"),
    ({"supervisor": {"status": "confirmed"}}, "pending"),
    ({"supervisor": {"status": "confirmed"}, "principal": {"status": "confirmed"}}, "met"),
    ({"supervisor": {"status": "confirmed"}, "principal": {"status": "disputed"}}, "disputed"),
    ({"supervisor": {"status": "disputed"}, "principal": None}, "disputed"),
])
def test_a_semester_review_is_met_only_when_every_party_confirmed(participation, state):
    from server.domain.semester_review import state as review_state

    assert review_state(participation) == state
