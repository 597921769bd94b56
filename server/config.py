"""Configuration. The only module that reads os.environ."""

import os
from datetime import datetime, timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEV_ENVIRONMENTS = {"development", "testing"}
DEV_SECRET_KEY = "dev-only-not-secret"


class ConfigError(RuntimeError):
    """Raised when the environment cannot start the app safely."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or value == "" else int(value)


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'sro_field_log.sqlite'}"


def normalise_database_url(url: str) -> str:
    """Route PostgreSQL URLs to psycopg 3, whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _environment_name() -> str:
    return os.environ.get("SRO_ENV", "production")


def _rate_limit_settings() -> dict:
    """The sign-in limiter's settings: read by the app, and by gunicorn before any app exists."""
    return {"RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
            "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://")}


def from_environment() -> dict:
    """Settings for the running app, from environment variables."""
    environment = _environment_name()
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if environment not in DEV_ENVIRONMENTS:
            raise ConfigError(
                "SECRET_KEY is not set. Set SECRET_KEY to a long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set SRO_ENV=development for a local demo."
            )
        secret_key = DEV_SECRET_KEY
    elif environment not in DEV_ENVIRONMENTS:
        _refuse_weak_secret_key(secret_key)
    return {
        "ENV_NAME": environment,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            os.environ.get("DATABASE_URL") or default_database_url()
        ),
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", environment not in DEV_ENVIRONMENTS),
        "SESSION_IDLE_MINUTES": _env_int("SESSION_IDLE_MINUTES", 30),
        "SESSION_ABSOLUTE_HOURS": _env_int("SESSION_ABSOLUTE_HOURS", 12),
        # Phones drop synced records that happened longer ago than this; the server keeps them all.
        "PHONE_KEEP_DAYS": _env_int("PHONE_KEEP_DAYS", 45),
        # A record first saved more than this many days after its event is a late entry.
        "LATE_ENTRY_DAYS": _env_int("LATE_ENTRY_DAYS", 7),
        "SQLITE_BUSY_TIMEOUT_MS": _env_int("SQLITE_BUSY_TIMEOUT_MS", 5000),
        "MIN_CLIENT_VERSION": os.environ.get("MIN_CLIENT_VERSION", "1.0.0"),
        "PROXY_HOPS": _env_int("PROXY_HOPS", 0),
        **_rate_limit_settings(),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per minute"),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "10 per minute"),
        # Supervisors and admins read every officer's records: in production they must set up an
        # authenticator app before anything else; a local demo lets them choose.
        "SECOND_FACTOR_REQUIRED": _env_bool("SECOND_FACTOR_REQUIRED", environment not in DEV_ENVIRONMENTS),
        "FROZEN_NOW": os.environ.get("SRO_FROZEN_NOW") or None,
    }


MIN_SECRET_KEY_BITS = 256


def _estimated_bits(secret: str) -> float:
    """Entropy if each character were drawn at random from the smallest usual alphabet holding them
    all: hex, base64 / base64url, or printable ASCII. A guess from above: repeats are caught apart."""
    characters = set(secret)
    if characters <= set("0123456789abcdef") or characters <= set("0123456789ABCDEF"):
        per_character = 4
    elif characters <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_="):
        per_character = 6
    else:
        per_character = 6.5
    return len(secret) * per_character


def _refuse_weak_secret_key(secret: str) -> None:
    """Production signs sessions with SECRET_KEY: at least 32 random bytes, written out."""
    if _estimated_bits(secret) < MIN_SECRET_KEY_BITS or len(set(secret)) < 12:
        raise ConfigError(
            "SECRET_KEY is too short or too regular: use at least 32 random bytes, for example "
            "python -c 'import secrets; print(secrets.token_hex(32))'."
        )


def shared_limits_problem(workers: int) -> str | None:
    """Why a production server with `workers` processes must not start, or None.

    memory:// keeps the sign-in counters inside each worker, so every worker would allow the
    whole limit again. Several servers cannot be seen from here: docs/deployment.md says so."""
    limits = _rate_limit_settings()
    if _environment_name() in DEV_ENVIRONMENTS or workers <= 1 or not limits["RATELIMIT_ENABLED"]:
        return None
    if limits["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return (f"{workers} workers would each count sign-in attempts on their own (RATELIMIT_STORAGE_URI is "
                "memory://). Set RATELIMIT_STORAGE_URI=redis://host:6379/0, or run one worker.")
    return None


def build_config(overrides: dict | None = None) -> dict:
    """Complete Flask configuration: fixed settings, environment, then overrides.

    Tests pass overrides (like the Flask tutorial's test_config) so they never
    depend on the environment of the machine running them.
    """
    settings = dict(FIXED_SETTINGS)
    overrides = dict(overrides or {})
    if overrides.get("TESTING"):
        settings.update(
            ENV_NAME="testing",
            SECRET_KEY="testing-secret",
            SQLALCHEMY_DATABASE_URI="sqlite://",
            SESSION_COOKIE_SECURE=False,
            SESSION_IDLE_MINUTES=30,
            SESSION_ABSOLUTE_HOURS=12,
            PHONE_KEEP_DAYS=45,
            LATE_ENTRY_DAYS=7,
            SQLITE_BUSY_TIMEOUT_MS=5000,
            MIN_CLIENT_VERSION="1.0.0",
            PROXY_HOPS=0,
            # The suite signs in hundreds of times from one address; tests of the limits turn them on.
            RATELIMIT_ENABLED=False,
            RATELIMIT_STORAGE_URI="memory://",
            LOGIN_LIMIT_PER_ADDRESS="30 per minute",
            LOGIN_LIMIT_PER_ACCOUNT="10 per minute",
            SECOND_FACTOR_REQUIRED=False,
            # Fast hashes keep the suite quick; production keeps werkzeug's scrypt default.
            PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
        )
    else:
        settings.update(from_environment())
    settings.update(overrides)
    if "SQLALCHEMY_DATABASE_URI" in overrides:
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(overrides["SQLALCHEMY_DATABASE_URI"])
    settings["FROZEN_NOW"] = frozen_now(settings.get("FROZEN_NOW"), settings["ENV_NAME"])
    settings["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=settings["SESSION_IDLE_MINUTES"])
    return settings


def frozen_now(value: str | datetime | None, environment: str) -> datetime | None:
    """FROZEN_NOW, the moment server/clock.py starts from instead of the real time, as an aware datetime.

    Tests and local demos of a chosen day only: a production server must never lie about the time.
    """
    if value is None:
        return None
    if environment not in DEV_ENVIRONMENTS:
        raise ConfigError("SRO_FROZEN_NOW pins the server's clock for development and tests only: "
                          f"unset it, or set SRO_ENV=development (SRO_ENV is {environment!r}).")
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ConfigError(f"SRO_FROZEN_NOW must be an ISO 8601 date and time with an offset, "
                          f"like 2026-11-30T10:00:00-06:00, not {value!r}.")
    return moment


FIXED_SETTINGS = {
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "sro_session",
    "SESSION_REFRESH_EACH_REQUEST": True,
    "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    # A shared limit store that cannot be reached raises one known error (answered 503), not the driver's own.
    "RATELIMIT_STORAGE_OPTIONS": {"wrap_exceptions": True},
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "SYNC_MAX_BATCH": 500,
    "API_TITLE": "SRO Field Log API",
    "API_VERSION": "1.0",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
}


def operator_name() -> str:
    """Who runs a CLI command, for the audit trail: SRO_OPERATOR, else the login name."""
    named = (os.environ.get("SRO_OPERATOR") or os.environ.get("SUDO_USER") or os.environ.get("USER")
             or os.environ.get("LOGNAME"))
    if named:
        return named
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return "unknown"
