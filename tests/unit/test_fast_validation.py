"""Push loads record data with checks compiled from the marshmallow schemas
(server/schemas/record_loading.py). They must agree with Schema.load on every input: the same
inputs accepted and refused, the same fields named in the errors, the same loaded data (values,
their types, key order and, for a moment, its UTC offset)."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError, fields, validate

from server.domain.record_kinds import KIND_NAMES
from server.schemas.record_loading import Undecided, load_record_data, loader_for
from server.schemas.records import SERVER_MANAGED, data_schema_for

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
ZONES = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
MOMENTS = st.datetimes(min_value=datetime(1999, 6, 1), max_value=datetime(2030, 1, 1))


def _rule(field, kind):
    return next((rule for rule in field.validators if isinstance(rule, kind)), None)


def _valid_text(field) -> st.SearchStrategy:
    one_of, length = _rule(field, validate.OneOf), _rule(field, validate.Length)
    if one_of is not None:
        return st.sampled_from(list(one_of.choices))
    low = length.min if length is not None and length.min else 0
    high = min(length.max, 40) if length is not None and length.max else 40
    return st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=low, max_size=high)


def _valid_number(field, whole: bool) -> st.SearchStrategy:
    bounds = _rule(field, validate.Range)
    low = bounds.min if bounds is not None and bounds.min is not None else -10**6
    high = bounds.max if bounds is not None and bounds.max is not None else 10**6
    if whole:
        return st.integers(min_value=low, max_value=high)
    return st.floats(min_value=low, max_value=high, exclude_min=not bounds.min_inclusive,
                     exclude_max=not bounds.max_inclusive)


def valid_value(field) -> st.SearchStrategy:
    """A value the field accepts, read off its declaration (the test derives, like the code)."""
    if isinstance(field, fields.AwareDateTime):
        return st.builds(lambda moment, zone: moment.replace(tzinfo=zone).isoformat(),
                         st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2026, 11, 1)), ZONES)
    if isinstance(field, fields.Boolean):
        return st.booleans()
    if isinstance(field, fields.Integer):
        return _valid_number(field, whole=True)
    if isinstance(field, fields.Float):
        return _valid_number(field, whole=False)
    if isinstance(field, fields.List):
        return st.lists(valid_value(field.inner), unique=True, max_size=_rule(field, validate.Length).max)
    return _valid_text(field)


def edges(field) -> st.SearchStrategy:
    """Each side of the field's bounds and lengths."""
    values = []
    bounds, length = _rule(field, validate.Range), _rule(field, validate.Length)
    for limit in (bounds.min, bounds.max) if bounds is not None else ():
        if limit is not None:
            values += [limit - 1, limit, limit + 1, limit - 0.5, limit + 0.5]
    for limit in (length.min, length.max) if length is not None else ():
        if limit is not None:
            values += ["x" * max(0, limit - 1), "x" * limit, "x" * (limit + 1)]
    return st.sampled_from(values or [None])


def any_value(field) -> st.SearchStrategy:
    """Mostly near the rules: valid values, values just outside them, wrong types, bad text."""
    near = [valid_value(field), edges(field), JUNK, st.sampled_from(["", " ", "\x00", "a\ud800", "x" * 2001])]
    if isinstance(field, fields.AwareDateTime):
        near += [st.builds(lambda moment: moment.isoformat(), MOMENTS),  # naive
                 st.builds(lambda moment, zone: moment.replace(tzinfo=zone).isoformat(), MOMENTS, ZONES),
                 st.sampled_from(["2026-11-20", "2026-11-20T19:05:00Z", "20261120T190500+0100", "2026-13-01T00:00Z"])]
    if isinstance(field, (fields.Integer, fields.Float)):
        near.append(st.sampled_from([-1, 0, 1, 1440, 1441, 100_000, 100_001, 2**31, 0.5, 1.0, "3", "7.5"]))
    if isinstance(field, fields.List):
        near.append(st.lists(st.one_of(valid_value(field.inner), JUNK), max_size=12))
    return st.one_of(near)


@st.composite
def record_data(draw, kind: str, perturbed: bool = True) -> dict:
    """A valid record, then (when `perturbed`) up to three of its fields changed to any value or
    left out, and sometimes a server-managed or unknown key: inputs close to the rules' edges."""
    schema = data_schema_for(kind)
    data = {name: draw(valid_value(field)) for name, field in schema.load_fields.items()}
    if not perturbed:
        return data
    for name in draw(st.lists(st.sampled_from(list(schema.load_fields)), max_size=3, unique=True)):
        if draw(st.booleans()):
            data[name] = draw(any_value(schema.load_fields[name]))
        else:
            del data[name]
    if draw(st.integers(0, 3)) == 0:
        for extra in draw(st.lists(st.sampled_from(sorted(SERVER_MANAGED) + ["unknown", "\x01"]), max_size=2)):
            data[extra] = draw(JUNK)
    return data


def outcome(load, data):
    try:
        return "accepted", load(data)
    except ValidationError as error:
        return "refused", error.messages


def exactly(value):
    """A value with its type and, for a moment, its offset: 1 == 1.0 and equal instants are not enough."""
    if isinstance(value, dict):
        return [(key, exactly(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [exactly(item) for item in value]
    if isinstance(value, datetime):
        return "datetime", value.isoformat()
    return type(value).__name__, repr(value)


@pytest.mark.parametrize("kind", KIND_NAMES)
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_compiled_loader_and_marshmallow_agree_on_any_input(kind, data):
    record = data.draw(record_data(kind))
    marshmallow_says = outcome(data_schema_for(kind).load, dict(record))
    compiled_says = outcome(lambda value: load_record_data(kind, value), dict(record))
    assert compiled_says[0] == marshmallow_says[0]
    if marshmallow_says[0] == "refused":
        assert compiled_says[1] == marshmallow_says[1]  # the same fields, the same rules
    else:
        assert exactly(compiled_says[1]) == exactly(marshmallow_says[1])


@pytest.mark.parametrize("kind", KIND_NAMES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whatever_the_fast_path_decides_marshmallow_accepts_the_same(kind, data):
    record = data.draw(record_data(kind))
    try:
        fast = loader_for(kind).load_fast(dict(record))
    except Undecided:
        return
    assert exactly(fast) == exactly(data_schema_for(kind).load(dict(record)))


@pytest.mark.parametrize("kind", KIND_NAMES)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_path_decides_the_records_a_phone_sends(kind, data):
    """Not a fallback in disguise: valid records of plain JSON never reach Schema.load."""
    record = data.draw(record_data(kind, perturbed=False))
    try:
        expected = data_schema_for(kind).load(dict(record))
    except ValidationError:
        return  # a conditional requirement (record_kinds.Requirement) left blank
    assert exactly(loader_for(kind).load_fast(dict(record))) == exactly(expected)


def test_a_refusal_names_each_field_as_marshmallow_does():
    data = {"school_id": 0, "occurred_at": "2026-11-20T19:05:00", "event_type": "rodeo", "students_contacted": True,
            "surprise": 1}
    with pytest.raises(ValidationError) as refused:
        load_record_data("extracurricular_contact", data)
    assert set(refused.value.messages) == {"school_id", "occurred_at", "event_name", "event_type",
                                           "students_contacted", "surprise"}
