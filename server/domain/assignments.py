"""Officer assignments: a period from starts_on to ends_on, open-ended when ends_on is None."""

from collections.abc import Iterable
from datetime import date

Period = tuple[date, date | None]


def periods_overlap(starts_on: date, ends_on: date | None, other_starts: date, other_ends: date | None) -> bool:
    """Two date ranges share at least one day; an open end (None) runs on for ever."""
    return starts_on <= (other_ends or date.max) and other_starts <= (ends_on or date.max)


def covers(starts_on: date, ends_on: date | None, day: date) -> bool:
    """The period includes this day (both ends included)."""
    return periods_overlap(starts_on, ends_on, day, day)


def assigned_on(periods: Iterable[Period], day: date) -> bool:
    """Is the officer assigned on this day, given their periods at one school?"""
    return any(covers(starts_on, ends_on, day) for starts_on, ends_on in periods)
