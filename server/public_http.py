"""HTTP rules every public (no account) response keeps: cacheable by anyone, rate-limited per
address, never touching the session (docs/reports.md "Releases")."""

from flask import Response, request

PUBLIC_PREFIXES = ("/public/", "/api/public/")
PUBLIC_LIMIT = "120 per minute"
MAX_AGE_SECONDS = 300
# Pages only: no script, no inline style, nothing from elsewhere.
PAGE_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def is_public_path(path: str) -> bool:
    return path == "/public" or path.startswith(PUBLIC_PREFIXES)


def cacheable(response: Response, *, vary: tuple[str, ...] = ()) -> Response:
    """Shared caches (a CDN) may keep it for a few minutes; a repeat visit with the ETag gets a 304."""
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    for header in vary:
        response.vary.add(header)
    response.add_etag()
    return response.make_conditional(request)


def private(response: Response) -> Response:
    """A response that sets a cookie (the language choice) must stay out of shared caches."""
    response.headers["Cache-Control"] = "private, no-cache"
    return response
