"""The form description both apps build their forms and labels from, read off the record
schemas and the record kinds they are made from (server/domain/record_kinds.py).

The phone validates with this before saving and the server validates with the
schemas themselves, so each rule is written once.
"""

from marshmallow import fields, validate

from server.domain.record_kinds import kind_named
from server.schemas.records import DATA_SCHEMAS

# Most specific classes first: AwareDateTime is a DateTime, a List holds an inner field.
FIELD_TYPES = (
    (fields.DateTime, "datetime"),
    (fields.Integer, "integer"),
    (fields.List, "list"),
    (fields.String, "string"),
)
# Where and when first, then what happened, then the optional extras: the order a thumb fills it in.
LEADING_FIELDS = ("school_id", "occurred_at")
TRAILING_FIELDS = ("duration_minutes", "notes")
DEFAULT_WIDGETS = {"datetime": "datetime", "integer": "number", "list": "checkboxes", "string": "text"}


def choice_label(value: str) -> str:
    return value.replace("_", " ").capitalize()


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
        elif isinstance(rule, validate.Length):
            if rule.min:
                rules["min_length"] = rule.min
            if rule.max is not None:
                rules["max_length"] = rule.max
        elif isinstance(rule, validate.OneOf):
            rules["choices"] = list(rule.choices)
    return rules


def _choice_labels(kind: str, name: str) -> dict[str, str]:
    declared = next((field for field in kind_named(kind).fields if field.name == name), None)
    return {option.value: option.label for option in declared.choices} if declared else {}


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
        "label": metadata.get("label", choice_label(name)),
        "hint": metadata.get("hint"),
        "required": bool(field.required),
        "choices": [{"value": value, "label": (labels or {}).get(value) or choice_label(value)}
                    for value in choices] if choices else None,
        **rules,
    }


def form_order(names) -> list[str]:
    middle = [name for name in names if name not in LEADING_FIELDS + TRAILING_FIELDS]
    return [*LEADING_FIELDS, *middle, *TRAILING_FIELDS]


def describe_kind(kind: str) -> dict:
    schema_fields = DATA_SCHEMAS[kind]().fields
    declared = kind_named(kind)
    return {
        "kind": kind,
        "label": declared.label,
        # What a record's one-line summary shows: its subtype, and the number reports sum.
        "subtype_field": declared.subtype,
        "quantity_field": declared.quantity,
        "fields": [describe_field(name, schema_fields[name], _choice_labels(kind, name))
                   for name in form_order(schema_fields)],
    }


def form_description() -> dict:
    return {"kinds": [describe_kind(kind) for kind in DATA_SCHEMAS]}
