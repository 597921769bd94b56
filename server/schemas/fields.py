"""Shared marshmallow fields."""

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


# The largest integer both engines store; a larger id or offset is a 422, never an overflow.
MAX_DATABASE_INT = 2**63 - 1


def id_field(**kwargs) -> fields.Integer:
    return fields.Integer(strict=False, validate=validate.Range(min=1, max=MAX_DATABASE_INT), **kwargs)


def offset_field(**kwargs) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=0, max=MAX_DATABASE_INT), **kwargs)
