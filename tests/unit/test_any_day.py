"""The date-dependent logic on days that used to break it: the demo (seed-demo), the compliance
report's weeks with no meeting, and the figures the principal's home shows, with "today" pinned
through server/clock.py. Meanwhile the machine's real clock is sent to another day (time-machine):
code that read it instead of the seam would pick another school year, or refuse the demo's
records as in the future.
"""

from datetime import datetime, timezone

import pytest
import time_machine
from sqlalchemy import func, select

from server.extensions import db
from server.models import Record, SchoolTerm
from server.seed.demo import DEMO_PASSWORD
from tests.sync_support import signed_in

REAL_CLOCK_ELSEWHERE = datetime(2025, 1, 6, 12, tzinfo=timezone.utc)  # before every pinned day
FALL_2026_MISSING = {"NHS": ["2026-09-28", "2026-10-26"], "LMS": ["2026-09-14", "2026-10-26"]}
# Lakeview meets on Wednesdays: Thanksgiving week (Wednesday to Friday off) has no meeting once it ends.
YEAR_2026_MISSING = {**FALL_2026_MISSING, "LMS": [*FALL_2026_MISSING["LMS"], "2026-11-23"]}
# The demo's only late entries: logged 9 to 12 days after the event on purpose (server/seed/demo.py).
DELIBERATE_LATE = {"Varsity football vs. Lincoln Park", "Trunk-or-treat", "Cross-country meet"}
# The latest two meetings wait for the principal; Northside's principal also left one from October.
TO_CONFIRM = {"NHS": 3, "LMS": 2}


def on(moment: str, year: str, missing: dict, to_confirm: dict, *, home: dict | None = None, year_over: bool = False):
    """A pinned moment and what it must show: the demo's school year, the compliance report's
    missing weeks per demo school, the principal's meetings to confirm, the principal's home list
    of weeks with no meeting (the report's, unless given) and whether every week of the year has ended."""
    return pytest.param(year, missing, to_confirm, missing if home is None else home, year_over,
                        marks=pytest.mark.frozen_now(moment), id=moment[:10])


DAYS = [
    on("2026-08-19T10:00:00-05:00", "2026-2027", {"NHS": [], "LMS": []}, {"NHS": 0, "LMS": 0}),  # first school day
    on("2026-11-16T10:00:00-06:00", "2026-2027", FALL_2026_MISSING, TO_CONFIRM),
    on("2026-12-28T10:00:00-06:00", "2026-2027", YEAR_2026_MISSING, TO_CONFIRM),  # winter break
    on("2028-02-29T10:00:00-06:00", "2027-2028", {"NHS": ["2027-09-27", "2027-10-25"],
                                                  "LMS": ["2027-09-13", "2027-10-25", "2027-11-22"]}, TO_CONFIRM),
    # The summer break: the demo is the year that has just ended, and the server tells both apps to
    # open on it (the session's school_year), so the principal's home shows that year's weeks.
    on("2027-07-15T10:00:00-05:00", "2026-2027", YEAR_2026_MISSING, TO_CONFIRM, year_over=True),
]


@pytest.fixture
def real_clock_elsewhere():
    with time_machine.travel(REAL_CLOCK_ELSEWHERE, tick=True):
        yield


def weeks_without_meeting(report: dict) -> dict[str, list[str] | None]:
    """pwa/views/principal.js weeksWithoutMeeting, by school code: the ended weeks in term that no
    officer met in; None when the school has no calendar for the year."""
    schools: dict[str, dict] = {}
    for unit in report["units"]:
        weeks = schools.setdefault(unit["school"]["code"], {})
        if unit["weekly_meetings"]["status"] == "no_calendar":
            weeks["none"] = True
        for week in unit["weekly_meetings"]["weeks"]:
            met = week["status"] in ("confirmed", "pending", "disputed")
            if met or week["status"] == "missing":
                weeks[week["week_of"]] = not met and weeks.get(week["week_of"]) is not False
    return {code: None if weeks.get("none") else sorted(week for week, unmet in weeks.items() if unmet is True)
            for code, weeks in schools.items()}


def meetings_to_confirm(client) -> int:
    changes, _ = client.pull_all(limit=500)
    return sum(1 for change in changes if change["kind"] == "principal_meeting" and not change["voided"]
               and change["confirmation"]["status"] == "pending")


@pytest.mark.parametrize(("year", "missing", "to_confirm", "home", "year_over"), DAYS)
def test_the_demo_and_its_figures_on_any_day(real_clock_elsewhere, app, runner, frozen_now,
                                              year, missing, to_confirm, home, year_over):
    today = datetime.fromisoformat(frozen_now).astimezone(timezone.utc).date()
    seeded = runner.invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    assert "nothing changed" in runner.invoke(args=["seed-demo"]).output
    with app.app_context():
        assert set(db.session.scalars(select(SchoolTerm.school_year))) == {year}
        first_school_day = db.session.scalar(select(func.min(SchoolTerm.starts_on)))
        # Training is the officer's career, not the year: the basic course was years before it.
        first, last = db.session.execute(select(func.min(Record.occurred_on), func.max(Record.occurred_on))
                                         .where(Record.kind != "training")).one()
        basic_courses = db.session.scalars(select(Record.occurred_on).where(Record.kind == "training")
                                           .where(Record.data["basic_course"].as_boolean())).all()
        late = db.session.scalars(select(Record.data["event_name"].as_string())
                                  .where(Record.late_entry.is_(True))).all()
    assert set(late) <= DELIBERATE_LATE and len(late) == len(set(late))
    assert len(basic_courses) == 2 and max(basic_courses) < first_school_day
    if today == first_school_day:
        assert (first, last) == (None, None)  # records are made up to yesterday
    else:
        assert first_school_day <= first <= last < today

    supervisor = signed_in(app, "supervisor@demo.test", DEMO_PASSWORD).client
    report = supervisor.get("/api/reports/compliance", query_string={"school_year": year})
    body = report.get_json()
    assert body["as_of"] == today.isoformat()
    weeks = {unit["school"]["code"]: unit["weekly_meetings"]["weeks"] for unit in body["units"]}
    assert {code: [w["week_of"] for w in found if w["status"] == "missing"] for code, found in weeks.items()} == missing
    assert all(w["status"] != "upcoming" for found in weeks.values() for w in found) is year_over

    for email, code in (("principal@demo.test", "NHS"), ("principal2@demo.test", "LMS")):
        principal = signed_in(app, email, DEMO_PASSWORD)
        opened_on = principal.client.get("/api/me").get_json()["school_year"]  # what the phone asks about (pwa/router.js)
        assert opened_on == year
        grid = principal.client.get("/api/reports/compliance", query_string={"school_year": opened_on})
        assert weeks_without_meeting(grid.get_json())[code] == home[code], code
        assert meetings_to_confirm(principal) == to_confirm[code], code
