"""SRO Field Log: Flask app factory."""

import logging

from flask import Flask, request
from limits.errors import StorageError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from server.config import INSTANCE_DIR, build_config
from server.database import DatabaseBusy, configure_engine, is_lock_timeout
from server.errors import http_error_response, json_error
from server.schemas.fields import MAX_DATABASE_INT
from server import clock, extensions
from server.extensions import babel, db, limiter, login_manager, migrate
from server.i18n import TRANSLATIONS_DIR, select_locale
from server.public_http import is_page_path, is_public_path

log = logging.getLogger(__name__)
BUSY_RETRY_AFTER_SECONDS = 1


class DatabaseIntConverter(IntegerConverter):
    """<int:…> ids that fit a database integer: a larger one is a 404, not an overflow."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_DATABASE_INT)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings (tests pass TESTING and a database URL)."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), static_folder=None)
    app.config.update(build_config(config))
    clock.init_app(app)
    app.url_map.converters["int"] = DatabaseIntConverter
    app.json.sort_keys = False  # field order as the schemas declare it; sorting costs time on big pulls
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(exist_ok=True)

    if app.config["PROXY_HOPS"]:
        # Behind a TLS proxy: trust its X-Forwarded-* so https, the client address
        # and the Origin check see what the browser saw.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(INSTANCE_DIR.parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    limiter.init_app(app)
    extensions.api.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from server.security import SessionInterface  # imports the models: after the app exists

    app.session_interface = SessionInterface()
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS_DIR))

    register_blueprints(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_commands(app)
    return app


def register_blueprints(app: Flask) -> None:
    from server.api import admin, auth, forms, meetings, public, public_pages, pwa, records, releases, reports, sync
    from server.api import participation, reviews, signoffs
    from server.api import feedback, program

    for module in (auth, sync, meetings, participation, feedback, program, forms, reports, records, reviews,
                   signoffs, admin, releases, public):
        # server.api (the package) shadows a bare `api` name inside this package.
        extensions.api.register_blueprint(module.blp)
    app.register_blueprint(public_pages.blp)
    app.register_blueprint(pwa.blp)


def register_request_hooks(app: Flask) -> None:
    from server.security import add_security_headers, enforce_session_and_csrf

    app.before_request(enforce_session_and_csrf)
    app.after_request(add_security_headers)


def register_error_handlers(app: Flask) -> None:
    from server.api import public_pages

    def busy(_error):
        return json_error(503, "The server is busy. Retry shortly.",
                          headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)})

    def operational(error: OperationalError):
        if is_lock_timeout(error):
            db.session.rollback()
            return busy(error)
        return unexpected(error)

    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error_response(error)
        log.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        return http_error_response(InternalServerError())

    def limit_store_unreachable(error: StorageError):
        # Sign-in fails closed: an attempt that cannot be counted is refused. Public reads are let
        # through uncounted while the store is down (public_http.limit_store_down), so they reach
        # here only when it went down between that check and the count: they get their own answer,
        # the site's page or the public API's JSON, never words about signing in
        # (docs/deployment.md "If Redis is down"). Signed-in work is not limited and goes on.
        log.error("The rate-limit store cannot be reached: %s", error.storage_error)
        retry = {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}
        if is_page_path(request.path):
            return public_pages.unavailable_page(BUSY_RETRY_AFTER_SECONDS)
        if is_public_path(request.path):
            # no-store: a CDN must not serve one moment's refusal to everyone.
            return json_error(503, "The public figures are briefly unavailable. Retry shortly.",
                              headers={**retry, "Cache-Control": "no-store"}, code="limit_store_unreachable")
        return json_error(503, "Sign-in is unavailable for a moment. Retry shortly.", headers=retry,
                          code="limit_store_unreachable")

    def too_deep(_error):
        return json_error(400, "The request body is nested too deeply.", fields={"body": ["Nested too deeply."]})

    app.register_error_handler(RecursionError, too_deep)
    app.register_error_handler(DatabaseBusy, busy)
    app.register_error_handler(StorageError, limit_store_unreachable)
    app.register_error_handler(OperationalError, operational)
    app.register_error_handler(Exception, unexpected)


def register_commands(app: Flask) -> None:
    from server.cli import register

    register(app)
