"""School years and term calendars: the rules every writer of a calendar keeps.

A school year ("2026-2027") runs from 1 July to 30 June. Its terms lie inside it and
do not overlap; non-school days are weekdays (weekends are never school days anyway).
"""

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server.domain.assignments import periods_overlap

SCHOOL_YEAR_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")


class BadSchoolYear(ValueError):
    """Not a school year written like 2026-2027."""


def parse_school_year(text: str) -> tuple[date, date]:
    """First and last day (1 July, 30 June) of a school year written like 2026-2027."""
    match = SCHOOL_YEAR_PATTERN.match(text or "")
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise BadSchoolYear("Must look like 2026-2027: two consecutive years joined by a hyphen.")
    first = int(match.group(1))
    return date(first, 7, 1), date(first + 1, 6, 30)


def school_year_of(day: date) -> str:
    """The school year (1 July to 30 June) holding this day."""
    first = day.year if day.month >= 7 else day.year - 1
    return f"{first}-{first + 1}"


def current_school_year(today: date, first_term_start: Callable[[str], date | None]) -> str:
    """The school year people are working in: the one holding today once its first term has
    started; in the summer break before that, the one that has just ended, whose reports are
    the ones still read. With no calendar for either year, simply the year holding today."""
    year = school_year_of(today)
    starts = first_term_start(year)
    if starts is not None and starts <= today:
        return year
    first = int(year[:4])
    previous = f"{first - 1}-{first}"
    return previous if first_term_start(previous) is not None else year


class TermDates(Protocol):
    school_year: str
    starts_on: date
    ends_on: date


def dates_outside_year(term: TermDates) -> list[str]:
    """Which of starts_on / ends_on fall outside the term's school year (raises BadSchoolYear)."""
    first, last = parse_school_year(term.school_year)
    return [name for name in ("starts_on", "ends_on") if not first <= getattr(term, name) <= last]


def overlapping_term(term: TermDates, others: Iterable[TermDates]):
    """The first of the school's other terms of that year sharing a day with this one, or None."""
    return next((other for other in others
                 if periods_overlap(term.starts_on, term.ends_on, other.starts_on, other.ends_on)), None)


def can_be_non_school_day(day: date) -> bool:
    """Only a weekday can be closed: a weekend is never a school day in the first place."""
    return day.weekday() < 5


def is_time_zone(name: str) -> bool:
    """An IANA time zone name this machine knows (a school's days are counted in its zone)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
