"""The public report as pages: server-rendered, no JavaScript, English and Spanish
(docs/reports.md "Releases"). Anyone may read them without an account."""

from datetime import date

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import format_date, get_locale, gettext

from server.api import public_charts
from server.extensions import limiter
from server.i18n import LANG_COOKIE, LANGUAGES, asked_language
from server.public_http import PAGE_CONTENT_SECURITY_POLICY, PUBLIC_LIMIT, cacheable, private
from server.services.reporting import releases
from server.services.reporting.disclosure import COMPLEMENTARY, PRIMARY, SUPPRESS_BELOW

blp = Blueprint("public_pages", __name__, url_prefix="/public", template_folder="templates",
                static_folder="static", static_url_path="/static")
limiter.limit(PUBLIC_LIMIT)(blp)
LANG_COOKIE_SECONDS = 365 * 24 * 3600


@blp.after_request
def page_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = PAGE_CONTENT_SECURITY_POLICY
    return response


blp.add_app_template_global(format_date, "format_date")


@blp.app_template_global()
def month_labels(months: list[str]) -> dict[str, str]:
    return {month: format_date(date.fromisoformat(month + "-01"), "MMM yyyy") for month in months}


@blp.app_template_global()
def label_of(row: dict) -> str:
    # Category labels are the record kinds' English labels; translations/es holds their Spanish.
    return gettext(row["label"])


def page(template: str, **context) -> Response:
    """Render in the reader's language. A language switch (?lang=) is remembered in its own
    cookie and kept out of shared caches; any other page varies by that cookie and Accept-Language."""
    locale = str(get_locale())
    response = Response(render_template(
        template, lang=locale, languages=LANGUAGES, bars=public_charts.bars, charted=public_charts.charted_rows,
        primary=PRIMARY, complementary=COMPLEMENTARY, below=SUPPRESS_BELOW, here=request.path, **context))
    chosen = asked_language()
    if chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=LANG_COOKIE_SECONDS, samesite="Lax",
                            secure=request.is_secure, httponly=True)
        return private(response)
    return cacheable(response, vary=("Accept-Language", "Cookie"))


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
    return page("public/method.html", method_version=releases.METHOD_VERSION)
