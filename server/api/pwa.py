"""Serves the officer PWA from pwa/ at the site root, and the supervisor/admin review page at /review/.

The service worker's cache version is the hash of the shell files' content, so
any change to the shell makes browsers install a new worker and re-cache; the
server writes that version and the list of files into sw.js as it serves it.
"""

import hashlib
import json
import re
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory
from werkzeug.routing import PathConverter

DEFAULT_PWA_DIR = Path(__file__).resolve().parents[2] / "pwa"
SW_FILE = "sw.js"
INDEX_FILE = "index.html"
# The review screens (supervisors and admins, desktop, online) live in pwa/review/ and are
# not part of the officer's offline shell: neither precached nor in the shell version.
REVIEW_DIR = "review"
CONTENT_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
# No inline script or style anywhere in the shell, so the policy can forbid both.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SHELL_VERSION_LINE = re.compile(r'^const SHELL_VERSION = .*;$', re.MULTILINE)
SHELL_FILES_LINE = re.compile(r'^const SHELL_FILES = .*;$', re.MULTILINE)

blp = Blueprint("pwa", __name__)


class ShellPathConverter(PathConverter):
    """A path that is not under api/: API paths never reach the shell routes, so an API
    route asked with the wrong method answers 405 and an unknown API path 404 from the API."""

    regex = r"(?!api(?:/|$))[^/].*?"


@blp.record_once
def register_converter(state) -> None:
    state.app.url_map.converters["shellpath"] = ShellPathConverter


def pwa_dir() -> Path:
    return Path(current_app.config.get("PWA_DIR") or DEFAULT_PWA_DIR)


def shell_paths(root: Path) -> list[Path]:
    return sorted(
        path for path in root.rglob("*")
        if path.is_file() and path.suffix in CONTENT_TYPES and not path.name.startswith(".")
        and path.relative_to(root).parts[0] != REVIEW_DIR
    )


def shell_version(root: Path) -> str:
    """Hash of every shell file's name and bytes (sw.js included)."""
    digest = hashlib.sha256()
    for path in shell_paths(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def shell_urls(root: Path) -> list[str]:
    """What the worker precaches: the index as "/", everything else by its path."""
    urls = ["/"]
    for path in shell_paths(root):
        relative = path.relative_to(root).as_posix()
        if relative not in {INDEX_FILE, SW_FILE}:
            urls.append("/" + relative)
    return urls


def render_service_worker(root: Path) -> str:
    source = (root / SW_FILE).read_text(encoding="utf-8")
    source = SHELL_VERSION_LINE.sub(lambda _m: f"const SHELL_VERSION = {json.dumps(shell_version(root))};", source, 1)
    return SHELL_FILES_LINE.sub(lambda _m: f"const SHELL_FILES = {json.dumps(shell_urls(root))};", source, 1)


def shell_headers(response: Response) -> Response:
    # The worker's versioned cache is the only cache; HTTP caching would hide updates from it.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@blp.after_request
def after_shell_request(response: Response) -> Response:
    return shell_headers(response)


@blp.route("/")
def index():
    return send_shell_file(INDEX_FILE)


@blp.route("/sw.js")
def service_worker():
    response = Response(render_service_worker(pwa_dir()), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@blp.route(f"/{REVIEW_DIR}/")
def review_index():
    return send_shell_file(f"{REVIEW_DIR}/{INDEX_FILE}")


@blp.route("/<shellpath:filename>")
def shell_file(filename: str):
    if filename == SW_FILE:
        abort(404)
    return send_shell_file(filename)


def send_shell_file(filename: str):
    content_type = CONTENT_TYPES.get(Path(filename).suffix)
    if content_type is None:
        abort(404)
    return send_from_directory(pwa_dir(), filename, mimetype=content_type, max_age=0, etag=True)
