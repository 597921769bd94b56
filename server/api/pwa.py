"""Serves the officer PWA from pwa/ at the site root, and the supervisor/admin review page at /review/.

The service worker's cache version is the hash of the shell files' content, so
any change to the shell makes browsers install a new worker and re-cache; the
server writes that version, the list of files and each file's content hash into
sw.js as it serves it.

Static delivery is done here rather than with whitenoise: every file is answered
gzip-compressed when the browser accepts it (text files, compressed once and kept
in memory until the file changes), with an ETag that is the hash of the file's
content, so a revalidation is a 304 and the service worker can tell that the copy
in the HTTP cache is the version it is installing (the hashes it carries are the
same ones) and take it from there instead of downloading the shell a second
time. One code path keeps the CSP, the rewritten sw.js, the /api exclusion and
the version hash together, with no build step and no new dependency; behind a
proxy that compresses, nothing changes (the proxy sees Content-Encoding).
"""

import gzip
import hashlib
import json
import re
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.routing import PathConverter
from werkzeug.security import safe_join

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
SHELL_HASHES_LINE = re.compile(r'^const SHELL_HASHES = .*;$', re.MULTILINE)
# Worth compressing: text. PNG is compressed already.
COMPRESSIBLE = {".html", ".js", ".css", ".webmanifest", ".json", ".svg"}

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
    """Hash of every shell file's name and bytes (sw.js included), read through the file cache."""
    digest = hashlib.sha256()
    for path in shell_paths(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(_file(path)[0] + b"\0")
    return digest.hexdigest()[:16]


def shell_urls(root: Path) -> list[str]:
    """What the worker precaches: the index as "/", everything else by its path."""
    urls = ["/"]
    for path in shell_paths(root):
        relative = path.relative_to(root).as_posix()
        if relative not in {INDEX_FILE, SW_FILE}:
            urls.append("/" + relative)
    return urls


def content_hash(data: bytes) -> str:
    """A file's ETag and the hash the service worker checks a cached copy against."""
    return hashlib.sha256(data).hexdigest()[:20]


# path -> (mtime_ns, size, bytes, gzipped bytes or None, hash): each file read and compressed once
# per change, not per request.
_FILES: dict[str, tuple[int, int, bytes, bytes | None, str]] = {}


def _file(path: Path) -> tuple[bytes, bytes | None, str]:
    stat = path.stat()
    entry = _FILES.get(str(path))
    if entry is None or entry[0] != stat.st_mtime_ns or entry[1] != stat.st_size:
        raw = path.read_bytes()
        zipped = gzip.compress(raw, compresslevel=9, mtime=0) if path.suffix in COMPRESSIBLE else None
        entry = (stat.st_mtime_ns, stat.st_size, raw, zipped, content_hash(raw))
        _FILES[str(path)] = entry
    return entry[2], entry[3], entry[4]


def shell_hashes(root: Path, urls: list[str]) -> dict[str, str]:
    """Each precached URL's content hash (its ETag), for the worker to check HTTP-cache copies."""
    return {url: _file(root / (INDEX_FILE if url == "/" else url.lstrip("/")))[2] for url in urls}


def render_service_worker(root: Path) -> str:
    source = (root / SW_FILE).read_text(encoding="utf-8")
    urls = shell_urls(root)
    source = SHELL_VERSION_LINE.sub(lambda _m: f"const SHELL_VERSION = {json.dumps(shell_version(root))};", source, 1)
    source = SHELL_HASHES_LINE.sub(lambda _m: f"const SHELL_HASHES = {json.dumps(shell_hashes(root, urls))};", source, 1)
    return SHELL_FILES_LINE.sub(lambda _m: f"const SHELL_FILES = {json.dumps(urls)};", source, 1)


def static_response(raw: bytes, zipped: bytes | None, digest: str, mimetype: str) -> Response:
    """The file, gzipped when the browser takes it, with its content hash as ETag (304 when unchanged)."""
    response = Response(raw, mimetype=mimetype)
    response.set_etag(digest, weak=True)  # weak: the same ETag for the gzipped and the plain bytes
    if zipped is not None:
        response.vary.add("Accept-Encoding")
        if "gzip" in request.accept_encodings and len(zipped) < len(raw):
            response.set_data(zipped)
            response.headers["Content-Encoding"] = "gzip"
    return response.make_conditional(request)


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
    raw = render_service_worker(pwa_dir()).encode("utf-8")
    response = static_response(raw, gzip.compress(raw, compresslevel=6, mtime=0), content_hash(raw), "text/javascript")
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
    joined = safe_join(str(pwa_dir()), filename)
    if joined is None or not Path(joined).is_file():
        abort(404)
    raw, zipped, digest = _file(Path(joined))
    return static_response(raw, zipped, digest, content_type)
