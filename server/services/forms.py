"""The form description both apps build their forms and labels from, read off the record
schemas and the record kinds they are made from (server/domain/record_kinds.py).

The phone validates with this before saving and the server validates with the
schemas themselves, so each rule is written once.
"""

from datetime import timedelta

from marshmallow import fields, validate

from server.domain.record_kinds import kind_named, readable
from server.schemas.records import DATA_SCHEMAS, EARLIEST_OCCURRED, FUTURE_SLACK, data_schema_for

# Most specific classes first: AwareDateTime is a DateTime, a List holds an inner field.
FIELD_TYPES = (
    (fields.DateTime, "datetime"),
    (fields.Integer, "integer"),
    (fields.Float, "number"),
    (fields.Boolean, "boolean"),
    (fields.List, "list"),
    (fields.String, "string"),
)
# Where and when first, then what happened, then the optional extras: the order a thumb fills it in.
LEADING_FIELDS = ("school_id", "occurred_at")
TRAILING_FIELDS = ("duration_minutes", "notes")
DEFAULT_WIDGETS = {"datetime": "datetime", "integer": "number", "number": "decimal", "boolean": "checkbox",
                   "list": "checkboxes", "string": "text"}


def _whole(number: float) -> float | int:
    return int(number) if float(number).is_integer() else number


# The rules of the common fields that no validator object carries (RecordDataSchema's
# occurred_at_is_plausible), so that the phone checks them before saving too.
COMMON_FIELD_RULES = {
    "occurred_at": {
        "earliest": EARLIEST_OCCURRED.isoformat(),
        "max_future_days": _whole(FUTURE_SLACK / timedelta(days=1)),
    },
}


def field_type(field: fields.Field) -> str:
    for cls, name in FIELD_TYPES:
        if isinstance(field, cls):
            return name
    raise TypeError(f"No form type for {type(field).__name__}")


def _rules(validators) -> dict:
    """min/max, lengths and choices from marshmallow validators."""
    rules: dict = {}
    for rule in validators:
        if isinstance(rule, validate.Range):
            rules.update({key: value for key, value in (("min", rule.min), ("max", rule.max)) if value is not None})
            if not rule.min_inclusive:
                rules["min_exclusive"] = True  # more than min (hours: more than 0)
        elif isinstance(rule, validate.Length):
            if rule.min:
                rules["min_length"] = rule.min
            if rule.max is not None:
                rules["max_length"] = rule.max
        elif isinstance(rule, validate.OneOf):
            rules["choices"] = list(rule.choices)
    return rules


def describe_field(name: str, field: fields.Field, labels: dict[str, str] | None = None) -> dict:
    kind = field_type(field)
    rules = _rules(field.validators)
    if isinstance(field, fields.List):
        rules.pop("max_length", None)  # bounds the list, not a string; the choices already do
        rules.update({key: value for key, value in _rules(field.inner.validators).items() if key == "choices"})
    metadata = field.metadata
    choices = rules.pop("choices", None) or metadata.get("choices")
    widget = metadata.get("widget") or ("select" if choices else DEFAULT_WIDGETS[kind])
    return {
        "name": name,
        "type": kind,
        "widget": widget,
        "label": metadata.get("label", readable(name)),
        "hint": metadata.get("hint"),
        "required": bool(field.required),
        "choices": [{"value": value, "label": (labels or {}).get(value) or readable(value)}
                    for value in choices] if choices else None,
        **rules,
        **COMMON_FIELD_RULES.get(name, {}),
    }


def form_order(names) -> list[str]:
    middle = [name for name in names if name not in LEADING_FIELDS + TRAILING_FIELDS]
    return [*LEADING_FIELDS, *middle, *TRAILING_FIELDS]


def describe_kind(kind: str) -> dict:
    schema_fields = data_schema_for(kind).fields
    declared = kind_named(kind)
    labels = {field.name: {option.value: option.label for option in field.choices} for field in declared.fields}
    return {
        "kind": kind,
        "label": declared.label,
        # What a record's one-line summary shows: its subtype, and the number reports sum.
        "subtype_field": declared.subtype,
        "quantity_field": declared.quantity,
        "fields": [_with_requirements(describe_field(name, schema_fields[name], labels.get(name)), declared)
                   for name in form_order(schema_fields)],
    }


def _with_requirements(described: dict, declared) -> dict:
    """A field required only when others hold given values says so: required_when
    {"basis": ["imminent_threat"]} (every named field must hold one of its values)."""
    conditions = [requirement.conditions for requirement in declared.requirements
                  if requirement.field == described["name"]]
    if conditions:
        described["required_when"] = conditions[0]
    return described


def form_description() -> dict:
    return {"kinds": [describe_kind(kind) for kind in DATA_SCHEMAS]}
