"""Shared marshmallow fields."""

import re
from datetime import datetime, timezone

from marshmallow import fields, validate


class UtcDateTime(fields.DateTime):
    """A stored naive-UTC moment, sent as RFC 3339 with its zone ("…Z")."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


# The largest value of an INTEGER column (ids, versions) on PostgreSQL, the narrower engine: a
# larger id, version or offset is a 422 or 404, never an "integer out of range" 500.
MAX_DATABASE_INT = 2**31 - 1


def id_field(**kwargs) -> fields.Integer:
    return fields.Integer(strict=False, validate=validate.Range(min=1, max=MAX_DATABASE_INT), **kwargs)


def offset_field(**kwargs) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=0, max=MAX_DATABASE_INT), **kwargs)


# Text neither engine stores: UTF-8 has no encoding for an unpaired surrogate, and PostgreSQL
# refuses NUL in text and JSON. The other C0 controls would store, but nobody types them and they
# corrupt exports; tab and line breaks are ordinary text.
UNSTORABLE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
UNSTORABLE_MESSAGE = "Must not contain control characters (other than tab and line breaks) or unpaired surrogates."


def is_unstorable(text: str) -> bool:
    return UNSTORABLE_TEXT.search(text) is not None


class _Storable:
    """Refuses text the database cannot store; mixed into every string field that reads input."""

    default_error_messages = {"unstorable": UNSTORABLE_MESSAGE}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if is_unstorable(text):
            raise self.make_error("unstorable")
        return text


class Text(_Storable, fields.String):
    """A string the database can store (every text input is one)."""


class EmailAddress(_Storable, fields.Email):
    """An email address the database can store."""
