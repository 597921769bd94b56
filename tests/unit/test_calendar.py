"""School calendars on hand-built terms: school days, weeks in term, the first N days, school years."""

from datetime import date

import pytest

from server.domain.calendar import BadSchoolYear, parse_school_year
from server.services.reporting.calendar import SchoolCalendar, Term, months_of
from tests.report_support import CLOSED, FALL, SPRING, YEAR


@pytest.fixture
def calendar() -> SchoolCalendar:
    return SchoolCalendar(1, YEAR, [Term(*FALL), Term(*SPRING)], frozenset(day for day, _ in CLOSED))


def test_school_year_runs_july_to_june():
    assert parse_school_year("2026-2027") == (date(2026, 7, 1), date(2027, 6, 30))
    assert months_of("2026-2027")[0] == "2026-07" and months_of("2026-2027")[-1] == "2027-06"
    assert len(months_of("2026-2027")) == 12


@pytest.mark.parametrize("text", ["2026", "2026-2028", "2026/2027", "26-27", "2027-2026", "", "2026-2027x"])
def test_bad_school_years_are_refused(text):
    with pytest.raises(BadSchoolYear):
        parse_school_year(text)


def test_school_days_skip_weekends_holidays_and_breaks(calendar):
    days = calendar.school_days()
    assert days[0] == date(2025, 8, 18) and days[-1] == date(2026, 5, 29)
    assert all(day.weekday() < 5 for day in days)
    assert date(2025, 9, 1) not in days  # Labor Day
    assert date(2025, 12, 24) not in days  # winter break, between the terms
    assert not calendar.is_school_day(date(2026, 1, 19))
    assert calendar.is_school_day(date(2026, 1, 20))


def test_a_week_with_no_school_day_is_not_in_term(calendar):
    mondays = [week.monday for week in calendar.weeks_in_term()]
    assert date(2025, 11, 17) in mondays
    assert date(2025, 11, 24) not in mondays  # Thanksgiving week: closed all five days
    assert date(2025, 12, 1) in mondays
    assert date(2025, 12, 22) not in mondays and date(2025, 12, 29) not in mondays  # winter break


def test_a_short_week_is_in_term_with_its_school_days(calendar):
    weeks = {week.monday: week for week in calendar.weeks_in_term()}
    labor_day_week = weeks[date(2025, 9, 1)]
    assert len(labor_day_week.school_days) == 4
    assert labor_day_week.friday == date(2025, 9, 5)


def test_semester_boundary_week_belongs_to_the_new_term(calendar):
    weeks = {week.monday: week for week in calendar.weeks_in_term()}
    assert weeks[date(2025, 12, 15)].term == "Fall"
    first_spring = weeks[date(2026, 1, 5)]  # term starts on the Tuesday
    assert first_spring.term == "Spring" and first_spring.school_days[0] == date(2026, 1, 6)
    assert len(first_spring.school_days) == 4
    assert [t.name for t in calendar.semesters()] == ["Fall", "Spring"]


def test_first_twenty_school_days(calendar):
    first = calendar.first_school_days(20)
    assert len(first) == 20
    assert first[0] == date(2025, 8, 18)
    # 18 Aug .. 12 Sep is 20 weekdays; Labor Day pushes the 20th school day to Monday 15 Sep.
    assert first[-1] == date(2025, 9, 15)
    assert calendar.first_school_days(3, on_or_after=date(2026, 1, 1)) == [
        date(2026, 1, 6), date(2026, 1, 7), date(2026, 1, 8)]


def test_a_break_belongs_to_the_term_before_it(calendar):
    assert calendar.term_of(date(2025, 12, 29)).name == "Fall"
    assert calendar.term_of(date(2025, 12, 29), strict=True) is None
    assert calendar.term_of(date(2026, 1, 6)).name == "Spring"


def test_no_terms_means_no_school_days():
    empty = SchoolCalendar(1, YEAR, [])
    assert not empty.has_terms and empty.school_days() == () and empty.weeks_in_term() == []


# --- the school year screens open on (issue 11: the demo in the summer break) ------------------

@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 8, 19), "2026-2027"),  # the first school day
    (date(2026, 11, 30), "2026-2027"),
    (date(2027, 2, 28), "2026-2027"),
    (date(2027, 7, 15), "2026-2027"),  # summer break: the year that has just ended
    (date(2027, 8, 17), "2026-2027"),  # the day before the next year's first school day
    (date(2027, 8, 18), "2027-2028"),
])
def test_the_current_school_year_turns_on_the_first_school_day(today, expected):
    from server.domain.calendar import current_school_year

    firsts = {"2026-2027": date(2026, 8, 19), "2027-2028": date(2027, 8, 18)}
    assert current_school_year(today, firsts.get) == expected


def test_without_any_calendar_the_current_school_year_is_the_one_holding_today():
    from server.domain.calendar import current_school_year

    assert current_school_year(date(2027, 7, 15), lambda year: None) == "2027-2028"
