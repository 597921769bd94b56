"""The public report as pages: server-rendered, no JavaScript, English and Spanish
(docs/reports.md "Releases"). Anyone may read them without an account."""

from datetime import date

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import format_date, get_locale, gettext
from werkzeug.exceptions import HTTPException

from server.api import public_charts
from server.errors import http_error_response
from server.extensions import limiter
from server.i18n import LANG_COOKIE, LANGUAGES, asked_language
from server.public_http import (
    PAGE_CONTENT_SECURITY_POLICY, PUBLIC_LIMIT, cacheable, is_page_path, limit_store_down, private)
from server.services.reporting import releases
from server.services.reporting.disclosure import (
    COMPLEMENTARY, OFFICERS_ROUNDED_TO, PERCENT_ROUNDED_TO, PRIMARY, SUPPRESS_BELOW)

blp = Blueprint("public_pages", __name__, url_prefix="/public", template_folder="templates",
                static_folder="static", static_url_path="/static")
limiter.limit(PUBLIC_LIMIT, exempt_when=limit_store_down)(blp)
LANG_COOKIE_SECONDS = 365 * 24 * 3600


@blp.after_request
def page_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = PAGE_CONTENT_SECURITY_POLICY
    return response


blp.add_app_template_global(format_date, "format_date")
blp.add_app_template_global(date.fromisoformat, "as_date")


@blp.app_template_global()
def month_labels(months: list[str]) -> dict[str, str]:
    return {month: format_date(date.fromisoformat(month + "-01"), "MMM yyyy") for month in months}


@blp.app_template_global()
def label_of(row: dict) -> str:
    # Category labels are the record kinds' English labels; translations/es holds their Spanish.
    return involvement_label(row) if "basis" in row else gettext(row["label"])


@blp.app_template_global()
def involvement_label(row: dict) -> str:
    """An involvement table row's label in the reader's language, from its basis and action."""
    basis = gettext(releases.BASIS_LABELS[row["basis"]]) if row["basis"] else gettext("All bases")
    action = gettext(releases.ACTION_LABELS[row["action"]]) if row["action"] else gettext("all actions")
    return f"{basis}: {action}"


@blp.app_template_global()
def rows_with_involvements(rows: list[dict]) -> list[dict]:
    # A basis x action table has 56 rows; the page leaves out those that are 0 in every month
    # (a 0 is published anyway: the JSON and CSV hold every row).
    return [row for row in rows if any(value != 0 for value in row["months"].values())]


@blp.app_template_global()
def involvements_of(release: dict, school_code: str) -> dict | None:
    """A school's involvement table in a release (None before method 2, or with no involvement)."""
    table = release["figures"].get("involvements") or {"schools": []}
    return next((entry for entry in table["schools"] if entry["school"]["code"] == school_code), None)


def _render(template: str, status: int = 200, **context) -> Response:
    """Render in the reader's language; a language switch (?lang=) is remembered in its own cookie."""
    response = Response(render_template(
        template, lang=str(get_locale()), languages=LANGUAGES, bars=public_charts.bars,
        percent_bars=public_charts.percent_bars, charted=public_charts.charted_rows, primary=PRIMARY,
        complementary=COMPLEMENTARY, below=SUPPRESS_BELOW, here=request.path, **context), status=status)
    chosen = asked_language()
    if chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=LANG_COOKIE_SECONDS, samesite="Lax",
                            secure=request.is_secure, httponly=True)
    return response


def page(template: str, **context) -> Response:
    """A page: with a language switch it stays out of shared caches (it sets the cookie); any
    other page varies by that cookie and Accept-Language."""
    response = _render(template, **context)
    if asked_language():
        return private(response)
    return cacheable(response, vary=("Accept-Language", "Cookie"))


# The error pages' words, by status; other errors (and every /api/ path) keep the JSON envelope.
ERROR_PAGES = {404: (lambda: gettext("Page not found"), lambda: gettext(
                   "There is no page at this address. The link may be wrong, or the release number may not exist.")),
               429: (lambda: gettext("Too many requests"), lambda: gettext(
                   "This address asked for too many pages in a short time. Wait a minute, then try again."))}


@blp.app_errorhandler(404)
@blp.app_errorhandler(429)
def error_page(error: HTTPException) -> Response:
    """On the public pages, 404 and 429 answer a page in the reader's language, in the site's layout;
    everywhere else (the API, /api/public/ included) the error stays the one JSON envelope."""
    if not is_page_path(request.path):
        return http_error_response(error)
    title, message = ERROR_PAGES[error.code]
    retry_after = getattr(error, "retry_after", None) if error.code == 429 else None
    return _error_page(error.code, title(), message(), retry_after)


def unavailable_page(retry_after: int) -> Response:
    """503 on a public page while the rate-limit store is down (server/__init__.py
    limit_store_unreachable): the page is briefly unavailable; nothing here is about signing in."""
    return _error_page(503, gettext("Briefly unavailable"), gettext(
        "This page is briefly unavailable. Wait a moment, then try again."), retry_after)


def _error_page(status: int, title: str, message: str, retry_after: int | None) -> Response:
    response = _render("public/error.html", status=status, title=title, message=message)
    response.headers["Content-Security-Policy"] = PAGE_CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "no-store"  # a CDN must not serve a refusal to everyone
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@blp.route("/")
def index():
    latest, schools = releases.latest_by_school()
    return page("public/index.html", latest=latest, schools=schools, archive=releases.list_releases())


@blp.route("/releases/<int:release_id>")
def release(release_id: int):
    found = releases.get_release(release_id)
    if found is None:
        abort(404)
    return page("public/release.html", release=found,
                csv_url=url_for("public.release_csv", release_id=release_id),
                json_url=url_for("public.release", release_id=release_id))


@blp.route("/method")
def method():
    return page("public/method.html", method_version=releases.METHOD_VERSION, officers_step=OFFICERS_ROUNDED_TO,
                percent_step=PERCENT_ROUNDED_TO)
