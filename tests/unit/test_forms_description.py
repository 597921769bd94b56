"""GET /api/forms is read off the record schemas: every rule the server checks is described."""

from marshmallow import validate

from server.domain.record_kinds import MEETING_TOPICS, values
from server.schemas.records import DATA_SCHEMAS, NOTES_HINT
from server.services.forms import form_description


def described():
    return {form["kind"]: {field["name"]: field for field in form["fields"]} for form in form_description()["kinds"]}


def test_every_kind_and_every_schema_field_is_described():
    forms = described()
    assert set(forms) == set(DATA_SCHEMAS)
    for kind, schema in DATA_SCHEMAS.items():
        assert set(forms[kind]) == set(schema().fields), kind


def test_required_flags_match_the_schemas():
    for kind, schema in DATA_SCHEMAS.items():
        for name, field in schema().fields.items():
            assert described()[kind][name]["required"] is field.required, f"{kind}.{name}"


def test_ranges_lengths_and_choices_come_from_the_validators():
    for kind, schema in DATA_SCHEMAS.items():
        for name, field in schema().fields.items():
            entry = described()[kind][name]
            for rule in field.validators:
                if isinstance(rule, validate.Range):
                    assert (entry.get("min"), entry.get("max")) == (rule.min, rule.max), f"{kind}.{name}"
                if isinstance(rule, validate.OneOf):
                    assert [choice["value"] for choice in entry["choices"]] == list(rule.choices)
                if isinstance(rule, validate.Length) and entry["type"] == "string":
                    assert entry.get("max_length") == rule.max


def test_widgets_labels_and_hints_follow_the_metadata():
    meeting = described()["principal_meeting"]
    assert meeting["topics"]["widget"] == "checkboxes"
    assert [choice["value"] for choice in meeting["topics"]["choices"]] == list(values(MEETING_TOPICS))
    contact = described()["extracurricular_contact"]
    assert contact["students_contacted"] == {
        "name": "students_contacted", "type": "integer", "widget": "counter",
        "label": "Students contacted (approximate)", "hint": None, "required": True, "choices": None,
        "min": 0, "max": 100_000,
    }
    assert contact["notes"]["hint"] == NOTES_HINT
    assert contact["school_id"]["widget"] == "school"
    assert contact["occurred_at"]["type"] == "datetime"
    assert described()["activity"]["count"]["min"] == 1


def test_fields_are_ordered_where_and_when_first_extras_last():
    names = [field["name"] for field in form_description()["kinds"][0]["fields"]]
    assert names[:2] == ["school_id", "occurred_at"]
    assert names[-2:] == ["duration_minutes", "notes"]


def test_the_endpoint_needs_a_session():
    from server import create_app

    response = create_app({"TESTING": True}).test_client().get("/api/forms")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
