"""Reports: program compliance, the monthly activity report and the public report (docs/reports.md).

Scoped per PRODUCT.md "Who may see what": officers their own records, principals
aggregate counts for their own schools, supervisors the officers they supervise,
admins everything. Every report served is an export in the audit log.
"""

from functools import wraps

from flask import Response, jsonify
from flask_login import current_user
from flask_smorest import Blueprint

from server import clock
from server.database import write_transaction
from server.errors import json_error
from server.schemas.reports import (
    ComplianceArgsSchema, ComplianceSchema, InvolvementsSchema, MonthlySchema, PublicSchema, ReportArgsSchema,
)
from server.security import roles_required
from server.services.reporting import reports
from server.services.audit import audit_filters, log_event
from server.services.reporting.compliance import compliance_report, training_report
from server.services.reporting.involvements import involvements_report
from server.services.access.report_scope import OutOfScope, report_scope

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Compliance and activity reports")
ALL_ROLES = ("officer", "principal", "supervisor", "admin")


def _audit(report: str, fmt: str, args: dict, outcome: str = "success", **details) -> None:
    with write_transaction():
        log_event(f"report.{report}", outcome, actor=current_user._get_current_object(),
                  target=f"report:{report}", details={"format": fmt, "filters": audit_filters(args), **details})


def _scope_or_refusal(report: str, fmt: str, args: dict):
    """The caller's scope narrowed by the filters, or a 403 naming the filter (audited as denied)."""
    try:
        return report_scope(current_user, args.get("officer_id"), args.get("school_id")), None
    except OutOfScope as refusal:
        _audit(report, fmt, args, outcome="denied", reason=refusal.message)
        return None, json_error(403, refusal.message, fields={refusal.field: [refusal.message]})


def csv_download(body: str, filename: str) -> Response:
    """A CSV export as a file download, kept out of every cache."""
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@blp.route("/compliance", methods=["GET"])
@roles_required(*ALL_ROLES)
@blp.arguments(ComplianceArgsSchema, location="query")
@blp.response(200, ComplianceSchema)
def compliance(args):
    """Program compliance per officer and school for a school year (KY 3, 5, 8, 9, 17, 20)."""
    scope, refusal = _scope_or_refusal("compliance", "json", args)
    if refusal:
        return refusal
    result = compliance_report(scope, args["school_year"], args["as_of"] or clock.today())
    _audit("compliance", "json", args, units=len(result["units"]))
    # The service builds exactly ComplianceSchema's shape, JSON-ready (a test holds it to that);
    # dumping thousands of week cells through marshmallow again would double the request's time.
    return jsonify(result)


def scoped_report(report: str, fmt: str):
    """The view gets (args, scope): the caller's scope narrowed by the filters. Out of scope is a
    403 naming the filter, audited as denied; a report served is audited as an export."""

    def decorator(view):
        @wraps(view)
        def wrapped(args):
            scope, refusal = _scope_or_refusal(report, fmt, args)
            if refusal:
                return refusal
            result = view(args, scope)
            _audit(report, fmt, args)
            return result

        return wrapped

    return decorator


def report_route(path: str, report: str, fmt: str, *response_args, **response_kwargs):
    """GET `path` for every role, with the report filters (ReportArgsSchema) and scoped_report."""

    def decorator(view):
        view = scoped_report(report, fmt)(view)
        view = blp.response(200, *response_args, **response_kwargs)(view)
        view = blp.arguments(ReportArgsSchema, location="query")(view)
        view = roles_required(*ALL_ROLES)(view)
        return blp.route(path, methods=["GET"])(view)

    return decorator


@report_route("/monthly", "monthly", "json", MonthlySchema)
def monthly(args, scope):
    """Monthly activity report (KY 16): rows = kinds and categories, meeting topics and minutes per
    school, columns = months July to June; with the officers' training compliance (KY 22)."""
    return {**reports.monthly_report(scope, args["school_year"]),
            "training": training_report(scope, args["school_year"], clock.today())}


@report_route("/monthly.csv", "monthly", "csv", content_type="text/csv",
              description="category,label,measure,<12 months>,total")
def monthly_csv(args, scope):
    """The monthly activity report as CSV."""
    body = reports.monthly_csv(reports.monthly_report(scope, args["school_year"]))
    return csv_download(body, reports.export_filename("monthly", args["school_year"], clock.today()))


@report_route("/public", "public", "json", PublicSchema)
def public(args, scope):
    """Public, de-identified report: per school and month, counts by category; 1 to 4 shows as "<5"."""
    return reports.public_report(scope, args["school_year"])


@report_route("/public.csv", "public", "csv", content_type="text/csv",
              description="school_code,school_name,category,label,<12 months>")
def public_csv(args, scope):
    """The public report as CSV: no names, notes or free text; 1 to 4 shows as "<5"."""
    body = reports.public_csv(reports.public_report(scope, args["school_year"]))
    return csv_download(body, reports.export_filename("public", args["school_year"], clock.today()))


@report_route("/involvements", "involvements", "json", InvolvementsSchema)
def involvements(args, scope):
    """Involvements: basis x action per school and month, discipline returned to staff, threats per
    week, and (not for principals) the exceptions with their reasons."""
    return involvements_report(scope, args["school_year"])
