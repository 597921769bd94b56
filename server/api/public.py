"""Public, de-identified releases as data, for anyone without an account (docs/reports.md "Releases").

Cacheable and rate-limited per address (server/public_http.py); the session is never opened here
(server/security.py), so no response sets a session cookie.
"""

from flask import Response, abort, jsonify
from flask_smorest import Blueprint

from server.extensions import limiter
from server.public_http import PUBLIC_LIMIT, cacheable, limit_store_down
from server.schemas.releases import ReleaseListSchema, ReleaseSchema
from server.services.reporting import releases

blp = Blueprint("public", __name__, url_prefix="/api/public", description="Published releases (no sign-in)")
limiter.limit(PUBLIC_LIMIT, exempt_when=limit_store_down)(blp)


def release_or_404(release_id: int) -> dict:
    release = releases.get_release(release_id)
    if release is None:
        abort(404)
    return release


@blp.route("/releases", methods=["GET"])
@blp.response(200, ReleaseListSchema)
def release_list():
    """Every release, newest first (without figures); superseded ones name their successor."""
    return cacheable(jsonify(ReleaseListSchema().dump({"releases": releases.list_releases()})))


@blp.route("/releases/<int:release_id>", methods=["GET"])
@blp.response(200, ReleaseSchema)
def release(release_id: int):
    """One release with its figures, exactly as published."""
    return cacheable(jsonify(ReleaseSchema().dump(release_or_404(release_id))))


@blp.route("/releases/<int:release_id>.csv", methods=["GET"])
@blp.response(200, content_type="text/csv", description="area,school_code,school_name,category,label,<months>")
def release_csv(release_id: int):
    """One release's figures as CSV: one line per school (and the program) and category."""
    figures = release_or_404(release_id)["figures"]
    response = Response(releases.release_csv_text(figures), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="sro-release-{release_id}.csv"'})
    return cacheable(response)

