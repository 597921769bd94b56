"""Admin API for published releases: preview and publish the public report (docs/reports.md "Releases")."""

from flask_login import current_user
from flask_smorest import Blueprint

from server.errors import refusals_as_errors
from server.schemas.releases import AdminReleaseSchema, ReleaseCreateSchema
from server.security import roles_required
from server.services.reporting import releases

blp = Blueprint("releases", __name__, url_prefix="/api/admin/releases",
                description="Publishing the public report (admin role only)")


def admin_action(view):
    return roles_required("admin")(refusals_as_errors(releases.ReleaseRefused)(view))


@blp.route("", methods=["POST"])
@admin_action
@blp.arguments(ReleaseCreateSchema)
@blp.response(201, AdminReleaseSchema)
def publish(values):
    """Freeze the public report of a period (a month, a quarter or a school year) as a release.
    With `supersedes` and `changes` it is a correction; the old release stays readable."""
    return releases.publish(current_user._get_current_object(), values)


@blp.route("/preview", methods=["POST"])
@admin_action
@blp.arguments(ReleaseCreateSchema)
@blp.response(200, AdminReleaseSchema)
def preview(values):
    """Exactly what publishing this body would release, stored nowhere."""
    return releases.preview(current_user._get_current_object(), values)
