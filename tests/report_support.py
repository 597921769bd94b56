"""Helpers for report, log-browser and admin tests: a hand-built 2025-2026 calendar, records by day."""

from datetime import date, datetime, time

from server.extensions import db
from server.models import NonSchoolDay, SchoolTerm
from tests.sync_support import CENTRAL, SyncClient, mutation

YEAR = "2025-2026"  # wholly in the past, so records can be pushed for any day of it
FALL = ("Fall", date(2025, 8, 18), date(2025, 12, 19))
SPRING = ("Spring", date(2026, 1, 6), date(2026, 5, 29))
CLOSED = (
    (date(2025, 9, 1), "Labor Day"),
    *((date(2025, 11, d), "Thanksgiving break") for d in (24, 25, 26, 27, 28)),  # a whole holiday week
    (date(2026, 1, 19), "Martin Luther King Jr. Day"),
)
AS_OF_YEAR_END = date(2026, 6, 30)


def add_calendar(app, school_id: int, school_year: str = YEAR, terms=(FALL, SPRING), closed=CLOSED) -> None:
    with app.app_context():
        for name, starts, ends in terms:
            db.session.add(SchoolTerm(school_id=school_id, school_year=school_year, name=name,
                                      starts_on=starts, ends_on=ends))
        for day, why in closed:
            db.session.add(NonSchoolDay(school_id=school_id, day=day, description=why))
        db.session.commit()


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=CENTRAL)


def record(kind: str, school_id: int, day: date, **fields) -> dict:
    return mutation(kind=kind, school_id=school_id, when=at(day), **fields)


def training(day: date, school_id: int | None = None, **fields) -> dict:
    """A training record (an 8-hour NASRO course by default); school_id None: a course away from any school."""
    data = {"course": "Advanced SRO", "provider": "nasro", "topics": [], "hours": 8, "basic_course": False, **fields}
    built = record("training", 1, day, **data)
    built["data"]["school_id"] = school_id
    return built


def push(client: SyncClient, mutations: list[dict]) -> list[dict]:
    results = client.push_ok(mutations)
    assert {result["status"] for result in results} == {"applied"}, results
    return results
