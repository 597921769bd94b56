"""Languages of the public pages (flask-babel): English and Spanish.

The catalogs are translations/<lang>/LC_MESSAGES/messages.po, compiled to the committed .mo
beside them (`make translations`, docs/reports.md "Releases").
"""

from pathlib import Path

from flask import request

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = ("en", "es")
LANG_COOKIE = "lang"  # the reader's choice; never the session cookie


def asked_language() -> str | None:
    """?lang=es from the language switch, when it names a language we have."""
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else None


def select_locale() -> str:
    """The switch, then the remembered choice, then the browser's Accept-Language."""
    remembered = request.cookies.get(LANG_COOKIE)
    return (asked_language() or (remembered if remembered in LANGUAGES else None)
            or request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0]))
