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
from server.services.reporting.reports import csv_text

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
    response = Response(release_csv_text(figures), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="sro-release-{release_id}.csv"'})
    return cacheable(response)


TRAINING_LINES = (("officers", "Officers assigned during the period"),
                  ("basic_course_percent", "Percent of officers with the 120-hour basic SRO course"),
                  ("course_this_year_percent", "Percent of officers with an SRO course this school year"))
# Method 3: school-year releases only, rounded (disclosure.training_figures); the labels say so.
ROUNDED_TRAINING_LINES = (
    ("officers", "Officers assigned during the school year (to the nearest 5)"),
    ("basic_course_percent", "Percent of officers with the 120-hour basic SRO course (to the nearest 10)"),
    ("course_this_year_percent", "Percent of officers with an SRO course this school year (to the nearest 10)"))


def _table_lines(months: list[str], schools: list[dict], program: list[dict]) -> list[list]:
    lines = [["school", entry["school"]["code"], entry["school"]["name"], row["category"], row["label"],
              *(row["months"][month] for month in months)]
             for entry in schools for row in entry["rows"]]
    return lines + [["program", "", "", row["category"], row["label"], *(row["months"][month] for month in months)]
                    for row in program]


def release_csv_text(figures: dict) -> str:
    """The activity table, then the involvement table (method 2), then training when the release
    has it (method 3: school-years only): a training figure is measured on the period's last day,
    so it sits in the last month's column."""
    months = figures["months"]
    lines = _table_lines(months, figures["schools"], figures["program"])
    if "involvements" in figures:
        lines += _table_lines(months, figures["involvements"]["schools"], figures["involvements"]["program"])
    training = figures.get("training")
    if training:
        labels = ROUNDED_TRAINING_LINES if "rounding" in training else TRAINING_LINES
        lines += [["program", "", "", f"training.{key}", label, *([""] * (len(months) - 1)), training[key]]
                  for key, label in labels]
    return csv_text(["area", "school_code", "school_name", "category", "label", *months], lines)
