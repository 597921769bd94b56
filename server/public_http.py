"""HTTP rules every public (no account) response keeps: cacheable by anyone, rate-limited per
address, never touching the session (docs/reports.md "Releases")."""

from flask import Response, request

from server.extensions import limiter

PUBLIC_PREFIXES = ("/public/", "/api/public/")
PUBLIC_LIMIT = "120 per minute"
MAX_AGE_SECONDS = 300
# Pages only: no script, no inline style, nothing from elsewhere.
PAGE_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


def limit_store_down() -> bool:
    """The public limit's exempt_when: while the shared limit store (Redis) cannot be reached,
    public reads go through uncounted; sign-in, limited without it, fails closed
    (docs/deployment.md "If Redis is down"). One PING per public request that reaches the app;
    a store lost between the PING and the count still answers 503 (server/__init__.py)."""
    return not limiter.storage.check()


def is_public_path(path: str) -> bool:
    return path == "/public" or path.startswith(PUBLIC_PREFIXES)


def is_page_path(path: str) -> bool:
    """The public HTML pages (not the public JSON under /api/public/)."""
    return path == "/public" or path.startswith("/public/")


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
