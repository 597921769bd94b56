"""Record data loaded at push speed, by checks compiled from the marshmallow schemas.

server/schemas/records.py stays the one declaration of what a record may hold. Loading through
`Schema.load` walks marshmallow's general machinery (error stores, getters, hook look-ups) for
every field of every record, which was the largest single cost of a push. This module compiles,
once per kind, a loader from each schema's own declaration: its fields (type, required,
allow_none, load_default, strictness), their validator objects (Range, Length and OneOf read
for their bounds and choices; any other validator is called as it is) and the schema's own
hooks (pre_load, @validates, @validates_schema), called as marshmallow calls them.

A compiled loader only *accepts*. It decides the inputs it recognises as the plain JSON a
client sends; anything else, and every input it would refuse, goes to `Schema.load`, so a
rejection carries marshmallow's own errors. tests/unit/test_fast_validation.py proves the two
agree: the same inputs accepted and refused, the same fields named, the same loaded data.
"""

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, missing, utils, validate

from server.schemas.fields import Text, is_unstorable
from server.schemas.records import data_schema_for

# Above this an int has no exact float; marshmallow's Float decides those itself.
EXACT_FLOAT_INT = 2**53
SUPPORTED_HOOKS = {"pre_load", "validates", "validates_schema"}


class Undecided(Exception):
    """The compiled checks do not vouch for this input: Schema.load decides it."""


Check = Callable[[Any], Any]


# --- one value -------------------------------------------------------------------------

def _integer(field: fields.Integer) -> Check | None:
    if not field.strict:
        return None

    def convert(value):
        if type(value) is not int:  # bool is a subclass of int, and marshmallow refuses it
            raise Undecided
        return value

    return convert


def _float(field: fields.Float) -> Check | None:
    if field.allow_nan is not False or field.as_string:
        return None

    def convert(value):
        if type(value) is float:
            if not math.isfinite(value):
                raise Undecided
            return value
        if type(value) is int and -EXACT_FLOAT_INT <= value <= EXACT_FLOAT_INT:
            return float(value)
        raise Undecided

    return convert


def _boolean(field: fields.Boolean) -> Check | None:
    if not field.truthy:
        return None
    truthy, falsy = field.truthy, field.falsy

    def convert(value):
        if value is True or value is False:
            if value in truthy:
                return True
            if value in falsy:
                return False
        raise Undecided

    return convert


def _text(field: fields.String) -> Check:
    storable_only = isinstance(field, Text)

    def convert(value):
        if type(value) is not str or (storable_only and is_unstorable(value)):
            raise Undecided
        return value

    return convert


def _aware_datetime(field: fields.AwareDateTime) -> Check | None:
    if field.format not in (None, "iso", "iso8601") or field.default_timezone is not None:
        return None

    def convert(value):
        if type(value) is not str:
            raise Undecided
        try:
            moment = datetime.fromisoformat(value)  # what AwareDateTime(format="iso") parses with
        except ValueError as error:
            raise Undecided from error
        if not utils.is_aware(moment):
            raise Undecided
        return moment

    return convert


def _list(field: fields.List) -> Check | None:
    inner = _compiled_field(field.inner)

    def convert(value):
        if type(value) is not list:
            raise Undecided
        return [inner(item) for item in value]

    return convert


def _converter(field: fields.Field) -> Check | None:
    """The type conversion of the field's _deserialize for plain JSON input; None when this
    module does not know the field (it is then loaded by the field itself)."""
    kind = type(field)
    if kind is fields.Integer:
        return _integer(field)
    if kind is fields.Float:
        return _float(field)
    if kind is fields.Boolean:
        return _boolean(field)
    if kind in (fields.String, Text):
        return _text(field)
    if kind is fields.AwareDateTime:
        return _aware_datetime(field)
    if kind is fields.List:
        return _list(field)
    return None


def _range(rule: validate.Range) -> Check:
    low, high, low_inclusive, high_inclusive = rule.min, rule.max, rule.min_inclusive, rule.max_inclusive

    def check(value):
        if low is not None and (value < low if low_inclusive else value <= low):
            raise Undecided
        if high is not None and (value > high if high_inclusive else value >= high):
            raise Undecided

    return check


def _length(rule: validate.Length) -> Check:
    low, high, equal = rule.min, rule.max, rule.equal

    def check(value):
        size = len(value)
        if (equal is not None and size != equal) or (low is not None and size < low) or (
                high is not None and size > high):
            raise Undecided

    return check


def _one_of(rule: validate.OneOf) -> Check:
    choices = frozenset(rule.choices)

    def check(value):
        try:
            if value not in choices:
                raise Undecided
        except TypeError as error:  # an unhashable value: OneOf refuses it too
            raise Undecided from error

    return check


def _as_is(rule: Callable) -> Check:
    def check(value):
        try:
            rule(value)
        except ValidationError as error:
            raise Undecided from error

    return check


def _validator(rule: Callable) -> Check:
    kind = type(rule)
    if kind is validate.Range:
        return _range(rule)
    if kind is validate.Length:
        return _length(rule)
    if kind is validate.OneOf and all(isinstance(choice, str) for choice in rule.choices):
        return _one_of(rule)
    return _as_is(rule)


def _by_the_field(field: fields.Field) -> Check:
    """A field this module does not compile: its own deserialize, refusals left to Schema.load."""

    def load(value):
        try:
            return field.deserialize(value)
        except ValidationError as error:
            raise Undecided from error

    return load


def _compiled_field(field: fields.Field) -> Check:
    """The field's deserialize (value present): None, conversion, then its validators."""
    convert = _converter(field)
    if convert is None or field.pre_load:
        return _by_the_field(field)
    checks = tuple(_validator(rule) for rule in field.validators)
    allow_none = field.allow_none

    def load(value):
        if value is None:
            if allow_none:
                return None
            raise Undecided
        output = convert(value)
        for check in checks:
            check(output)
        return output

    return load


# --- one record --------------------------------------------------------------------------

class CompiledLoader:
    """Schema.load's happy path for one schema: field by field in declaration order, then the
    schema's @validates and @validates_schema methods, as Schema._do_load runs them."""

    def __init__(self, schema: Schema):
        hooks = {tag: entries for tag, entries in schema._hooks.items() if entries}
        unsupported = set(hooks) - SUPPORTED_HOOKS
        if unsupported or schema.unknown != RAISE or schema.partial or any(
                many or kwargs.get("pass_original") for entries in hooks.values() for _, many, kwargs in entries):
            raise TypeError(f"{type(schema).__name__}: no compiled loader for these options ({sorted(unsupported)})")
        self.schema = schema
        self.pre_load = [getattr(schema, name) for name, _, _ in hooks.get("pre_load", ())]
        self.fields = [
            (field.data_key or name, field.attribute or name, _compiled_field(field), field.required,
             field.load_default)
            for name, field in schema.load_fields.items()
        ]
        self.known_keys = frozenset(key for key, *_ in self.fields)
        self.field_validators = [
            (getattr(schema, method), schema.fields[name].data_key or name,
             schema.fields[name].attribute or name)
            for method, _, kwargs in hooks.get("validates", ()) for name in kwargs["field_names"]
        ]
        self.schema_validators = [getattr(schema, name) for name, _, _ in hooks.get("validates_schema", ())]

    def load_fast(self, data) -> dict:
        """What Schema.load returns for `data`, or Undecided."""
        options = {"many": False, "partial": None, "unknown": self.schema.unknown}
        try:
            for hook in self.pre_load:
                data = hook(data, **options)
        except ValidationError as error:
            raise Undecided from error
        if type(data) is not dict or not self.known_keys.issuperset(data):
            raise Undecided
        loaded = {}
        for key, attribute, load, required, default in self.fields:
            value = data.get(key, missing)
            if value is missing:
                if required:
                    raise Undecided
                if default is not missing:
                    loaded[attribute] = default() if callable(default) else default
                continue
            loaded[attribute] = load(value)
        try:
            for method, data_key, attribute in self.field_validators:
                if attribute in loaded and method(loaded[attribute], data_key=data_key) is missing:
                    raise Undecided
            for method in self.schema_validators:
                method(loaded, **options)
        except ValidationError as error:
            raise Undecided from error
        return loaded

    def load(self, data) -> dict:
        """Schema.load's answer: the loaded data, or its ValidationError."""
        try:
            return self.load_fast(data)
        except Undecided:
            return self.schema.load(data)


_LOADERS: dict[str, CompiledLoader] = {}


def loader_for(kind: str) -> CompiledLoader:
    """The kind's compiled loader, built on first use from the schema instance push shares."""
    loader = _LOADERS.get(kind)
    if loader is None:
        loader = _LOADERS[kind] = CompiledLoader(data_schema_for(kind))
    return loader


def load_record_data(kind: str, data) -> dict:
    """The record data of a `kind` as its schema loads it; raises the schema's ValidationError."""
    return loader_for(kind).load(data)
