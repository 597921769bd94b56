"""Offline sync: push a device's queued mutations, pull what changed."""

import re

from flask import current_app, jsonify, request
from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import json_error
from server.schemas.sync import PullArgsSchema, PullResultSchema, PushResultSchema, PushSchema
from server.security import roles_required
from server.services.sync import pull as pull_service
from server.services.sync import push as push_service

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync (docs/sync.md)")
CLIENT_VERSION_HEADER = "X-Client-Version"


# ASCII digits only and short parts: int() of thousands of digits, or of "²", would raise.
VERSION_SHAPE = re.compile(r"[0-9]{1,6}(?:\.[0-9]{1,6}){0,3}")


def _version_tuple(text: str) -> tuple[int, ...] | None:
    text = text.strip()
    return tuple(int(part) for part in text.split(".")) if VERSION_SHAPE.fullmatch(text) else None


@blp.before_request
def refuse_outdated_clients():
    sent = request.headers.get(CLIENT_VERSION_HEADER)
    if sent is None:
        return None
    minimum = current_app.config["MIN_CLIENT_VERSION"]
    version = _version_tuple(sent)
    if version is None:
        return json_error(400, f"{CLIENT_VERSION_HEADER} must look like 1.2.3.")
    if version < _version_tuple(minimum):
        return json_error(426, f"This app version ({sent}) is too old; version {minimum} or newer is needed. "
                               "Reload the app to update: records waiting on this device are kept.")
    return None


@blp.route("/push", methods=["POST"])
@roles_required("officer")
@blp.arguments(PushSchema)
@blp.response(200, PushResultSchema)
def push(batch):
    """Apply a device's queued mutations in order; idempotent by mutation_id."""
    limit = current_app.config["SYNC_MAX_BATCH"]
    if len(batch["mutations"]) > limit:
        return json_error(413, f"At most {limit} mutations per push; send the rest in another batch.",
                          fields={"mutations": [f"Longer than {limit}."]})
    # The real user, not the request-local proxy: push reads it thousands of times.
    results = push_service.push(current_user._get_current_object(), batch["device_id"], batch["mutations"])
    # The service builds exactly PushResultSchema's shape (tests hold it to that); dumping 500
    # results through marshmallow again would cost a tenth of the push.
    return jsonify({"results": results})


@blp.route("/pull", methods=["GET"])
@roles_required()
@blp.arguments(PullArgsSchema, location="query")
@blp.response(200, PullResultSchema)
def pull(args):
    """Changes visible to the caller after `since`, oldest first. A pull by anyone but an
    officer (their own records) is audited as `records.pull`."""
    try:
        page = pull_service.pull(current_user._get_current_object(), args["since"], args["limit"])
    except pull_service.BadCursor:
        return json_error(422, "Not a cursor this server issued; pull without `since` to start again.",
                          fields={"since": ["Not a valid cursor."]})
    # The service builds exactly PullResultSchema's shape (tests hold it to that);
    # dumping a 1,000-change page through marshmallow again would double its cost.
    return jsonify(page)
