"""Release periods: whole months inside one school year (a month, a quarter, a school year).

Whole months keep every published cell a (school, category, month) cell, the same cell in
every release that covers it, so overlapping releases repeat figures rather than add
new sums (docs/reports.md "Releases").
"""

import calendar
from datetime import date

from server.domain.calendar import parse_school_year, school_year_of


def last_day_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_errors(start: date, end: date) -> dict[str, str]:
    """Field -> the rule it breaks; empty when the period can be released."""
    errors = {}
    if start.day != 1:
        errors["period_start"] = "Must be the first day of a month."
    if end != last_day_of_month(end):
        errors["period_end"] = "Must be the last day of a month."
    if errors:
        return errors
    if end < start:
        return {"period_end": "Must not be before period_start."}
    if school_year_of(start) != school_year_of(end):
        return {"period_end": "Must be in the same school year (1 July to 30 June) as period_start: "
                              "a period is at most one school year long."}
    return {}


def months_between(start: date, end: date) -> list[str]:
    """'YYYY-MM' of every month from start to end, in order."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def is_school_year(start: date, end: date) -> bool:
    """The period is one whole school year (domain/calendar.py parse_school_year)."""
    return (start, end) == parse_school_year(school_year_of(start))
