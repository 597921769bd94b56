"""An officer's own standing in the program: "My program" on the phone (issue 14, docs/program.md).

Built on the compliance report (reporting/compliance.py) in the officer's own report scope
(access/report_scope.py: their own records, nothing else), for the school year of today: this
week's principal meeting and the week grid (KY 20), the introduction window with the school days
left in it (KY 5), faculty meetings against the target (KY 3), the semester reviews and who has
confirmed them (KY 8), training (KY 22), and the principals' semester feedback on them (KY 25, 26)
with the ratings and comments but no principal's name. The phone keeps the last answer and says
how fresh it is.
"""

from datetime import date

from server import clock
from server.models import User
from server.services.access.report_scope import report_scope
from server.services.feedback import list_feedback
from server.services.reporting.calendar import current_school_year_on, monday_of
from server.services.reporting.compliance import measure
from server.services.sync.record_shapes import iso_utc


def _standing_at(unit: dict, school_days_left: int, today: date) -> dict:
    meetings = unit["weekly_meetings"]
    monday = monday_of(today).isoformat()
    return {
        "school": unit["school"],
        "this_week": next((week for week in meetings["weeks"] if week["week_of"] == monday), None),
        "weekly_meetings": meetings,
        "introductions": {**unit["introductions"], "school_days_left": school_days_left},
        "faculty_meetings": unit["faculty_meetings"],
        "semester_reviews": unit["semester_reviews"],
    }


def officer_program(officer: User) -> dict:
    """The officer's standing today, at each school they serve this school year."""
    today = clock.today()
    school_year = current_school_year_on(today)
    measured = measure(report_scope(officer), school_year, today)
    report = measured.report
    return {
        "school_year": school_year,
        "as_of": today.isoformat(),
        "generated_at": iso_utc(clock.now().replace(tzinfo=None)),
        "schools": [_standing_at(unit, days_left, today)
                    for unit, days_left in zip(report["units"], measured.school_days_left, strict=True)],
        "training": next(iter(report["training"]), None),
        "feedback": list_feedback(officer, officer_id=officer.id, school_year=school_year, with_principal=False),
    }
