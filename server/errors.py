"""One JSON error envelope for every /api error: {"error": {code, message, fields?}}."""

from functools import wraps

from flask import jsonify
from werkzeug.exceptions import HTTPException

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    423: "locked",
    426: "upgrade_required",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}

FRIENDLY_MESSAGES = {
    400: "The request could not be read.",
    401: "Sign in first.",
    403: "Your role does not allow this.",
    404: "Not found.",
    405: "This method is not allowed here.",
    413: "The request body is larger than the server accepts.",
    422: "Some fields are not valid.",
    500: "Something went wrong on the server.",
}


def error_body(status: int, message: str, fields: dict | None = None, code: str | None = None) -> dict:
    error = {"code": code or ERROR_CODES.get(status, "error"), "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def json_error(status: int, message: str, fields: dict | None = None, headers: dict | None = None,
               code: str | None = None, extra: dict | None = None):
    """An error response; `extra` adds top-level keys beside "error" (a conflict's current record)."""
    response = jsonify({**error_body(status, message, fields, code), **(extra or {})})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def conflict_error(conflict):
    """409 for a decision on a record that changed (`conflict.record`: the record as it now is, or
    None when the caller may not be shown one)."""
    return json_error(409, conflict.message, extra=None if conflict.record is None else {"record": conflict.record})


class Refused(Exception):
    """A service's refusal of a request: `status` (404/409/422...), the message for the caller, and
    the field it is about (None: the request as a whole). Each service subclasses it and raises
    its own; a view turns it into the JSON error with refusals_as_errors."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def refusals_as_errors(refusal_type: type[Exception]):
    """View decorator: a service's refusal (status, message, field, maybe retry_after) becomes the
    JSON error naming the field and the rule."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except refusal_type as refusal:
                fields = {refusal.field: [refusal.message]} if refusal.field else None
                retry_after = getattr(refusal, "retry_after", None)
                headers = {"Retry-After": str(retry_after)} if retry_after else None
                return json_error(refusal.status, refusal.message, fields=fields, headers=headers)

        return wrapped

    return decorator


def invalid_fields_message(fields: dict) -> str:
    """The 422 message naming the fields that are not valid."""
    return "Some fields are not valid: " + ", ".join(sorted(map(str, fields)))


def _validation_fields(errors) -> dict:
    """Flatten webargs' {"json": {...}, "query": {...}} into field -> messages."""
    if not isinstance(errors, dict):
        return {"_schema": errors}
    fields: dict = {}
    for location, messages in errors.items():
        if location in {"json", "query", "form", "files", "headers", "path", "view_args"} and isinstance(messages, dict):
            fields.update(messages)
        else:
            fields[location] = messages
    return fields


def http_error_response(error: HTTPException):
    if error.response is not None:  # the raiser built the answer already (e.g. a rate-limit breach)
        return error.response
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and error.valid_methods:
        headers.setdefault("Allow", ", ".join(error.valid_methods))
    fields = None
    errors = data.get("errors") or data.get("messages")
    if errors:
        fields = _validation_fields(errors)
    message = data.get("message") or FRIENDLY_MESSAGES.get(status) or error.description or error.name
    if status == 400 and fields and isinstance(fields.get("json"), list):
        message = "The request body is not valid JSON."
        fields = {"body": fields.pop("json")}
    if status == 422 and fields:
        message = invalid_fields_message(fields)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    return json_error(status, message, fields, headers, data.get("code"))
