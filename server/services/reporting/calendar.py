"""School calendars: school days, school weeks in term, the first N school days, semesters.

A school year ("2026-2027") runs from 1 July to 30 June. Inside it, a school's
SchoolTerm rows give the term (semester) dates, and NonSchoolDay rows the
weekdays inside a term with no school (the rules for writing them are in
server/domain/calendar.py; this module reads them). A school day is a Monday-Friday inside a
term that is not a non-school day. A school week runs Monday to Friday and is
"in term" when it holds at least one school day.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from server.domain.calendar import current_school_year, parse_school_year
from server.domain.release_periods import months_between
from server.extensions import db
from server.models import NonSchoolDay, SchoolTerm


def current_school_year_on(today: date) -> str:
    """The school year to open screens on (server/domain/calendar.py), from every school's terms."""
    def first_term_start(school_year: str) -> date | None:
        return db.session.scalar(select(func.min(SchoolTerm.starts_on)).where(SchoolTerm.school_year == school_year))

    return current_school_year(today, first_term_start)


def months_of(school_year: str) -> list[str]:
    """The twelve 'YYYY-MM' months of a school year, July first."""
    return months_between(*parse_school_year(school_year))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Term:
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class SchoolWeek:
    monday: date
    friday: date
    term: str
    school_days: tuple[date, ...]


@dataclass
class SchoolCalendar:
    """One school's calendar for one school year."""

    school_id: int
    school_year: str
    terms: list[Term]
    closed_days: frozenset[date] = field(default_factory=frozenset)
    _days: tuple[date, ...] | None = field(default=None, repr=False, compare=False)
    _weeks: tuple["SchoolWeek", ...] | None = field(default=None, repr=False, compare=False)
    _months: dict[str, tuple[date, ...]] | None = field(default=None, repr=False, compare=False)

    @property
    def has_terms(self) -> bool:
        return bool(self.terms)

    @property
    def year_bounds(self) -> tuple[date, date]:
        return parse_school_year(self.school_year)

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.closed_days and self.term_of(day, strict=True) is not None

    def term_of(self, day: date, strict: bool = False) -> Term | None:
        """The term a day belongs to. Not strict: a break belongs to the term before it."""
        for index, term in enumerate(self.terms):
            if strict:
                if term.starts_on <= day <= term.ends_on:
                    return term
                continue
            following = self.terms[index + 1].starts_on if index + 1 < len(self.terms) else None
            if term.starts_on <= day and (day < following if following else day <= term.ends_on):
                return term
        return None

    def school_days(self) -> tuple[date, ...]:
        """Every school day of the year, in order (computed once: reports ask often)."""
        if self._days is None:
            days = set()
            for term in self.terms:
                day = term.starts_on
                while day <= term.ends_on:
                    if day.weekday() < 5 and day not in self.closed_days:
                        days.add(day)
                    day += timedelta(days=1)
            self._days = tuple(sorted(days))
        return self._days

    def first_school_days(self, count: int, on_or_after: date | None = None) -> list[date]:
        """The first `count` school days of the year (or of the year from `on_or_after`)."""
        days = list(self.school_days())
        if on_or_after is not None:
            days = [day for day in days if day >= on_or_after]
        return days[:count]

    def weeks_in_term(self) -> list[SchoolWeek]:
        """Every Monday-Friday week holding at least one school day, in order.

        A week is listed under the term of its first school day.
        """
        if self._weeks is None:
            by_monday: dict[date, list[date]] = {}
            for day in self.school_days():
                by_monday.setdefault(monday_of(day), []).append(day)
            self._weeks = tuple(
                SchoolWeek(monday=monday, friday=monday + timedelta(days=4),
                           term=self.term_of(days[0], strict=True).name, school_days=tuple(days))
                for monday, days in sorted(by_monday.items())
            )
        return list(self._weeks)

    def school_days_by_month(self) -> dict[str, tuple[date, ...]]:
        """'YYYY-MM' -> that month's school days, months in order (only months with school)."""
        if self._months is None:
            months: dict[str, list[date]] = {}
            for day in self.school_days():
                months.setdefault(month_of(day), []).append(day)
            self._months = {month: tuple(days) for month, days in months.items()}
        return dict(self._months)

    def semesters(self) -> list[Term]:
        return list(self.terms)


def load_calendars(school_ids, school_year: str) -> dict[int, SchoolCalendar]:
    """Calendars of these schools for one school year: two queries whatever the number of schools."""
    school_ids = sorted(set(school_ids))
    starts, ends = parse_school_year(school_year)
    calendars = {school_id: SchoolCalendar(school_id, school_year, []) for school_id in school_ids}
    if not school_ids:
        return calendars
    for row in db.session.execute(
        select(SchoolTerm.school_id, SchoolTerm.name, SchoolTerm.starts_on, SchoolTerm.ends_on)
        .where(SchoolTerm.school_id.in_(school_ids), SchoolTerm.school_year == school_year)
        .order_by(SchoolTerm.school_id, SchoolTerm.starts_on)
    ):
        calendars[row.school_id].terms.append(Term(row.name, row.starts_on, row.ends_on))
    closed: dict[int, set[date]] = {}
    for row in db.session.execute(
        select(NonSchoolDay.school_id, NonSchoolDay.day)
        .where(NonSchoolDay.school_id.in_(school_ids), NonSchoolDay.day >= starts, NonSchoolDay.day <= ends)
    ):
        closed.setdefault(row.school_id, set()).add(row.day)
    for school_id, days in closed.items():
        calendars[school_id].closed_days = frozenset(days)
    for calendar in calendars.values():
        calendar._days = calendar._weeks = calendar._months = None  # terms and closed days are complete only now
    return calendars
