"""Password rules: at least 8 characters, not a common or breached password; no composition rules."""

from functools import lru_cache
from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 8
MAX_LENGTH = 1024
# server/domain/passwords.py -> server/data/common_passwords.txt
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parents[1] / "data" / "common_passwords.txt"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Our own list (words of this field) plus the 30,000 most common passwords seen in
    breaches that zxcvbn ships; entries shorter than MIN_LENGTH are refused by length anyway."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    ours = {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}
    breached = {word for word in FREQUENCY_LISTS["passwords"] if len(word) >= MIN_LENGTH}
    return frozenset(ours | breached)


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Why this password is refused (empty: it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Must be at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Must be at most {MAX_LENGTH} characters.")
    lowered = password.strip().lower()
    if lowered in common_passwords():
        problems.append("Is a common or breached password; choose another.")
    if email and lowered in {email.strip().lower(), email.strip().lower().split("@")[0]}:
        problems.append("Must not be the email address.")
    return problems
