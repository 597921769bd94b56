"""The involvements report (issue 13; docs/reports.md "Involvements"): when the officer is asked
to act, or acts on their own, on what basis, and what they did.

Per school and month, counts by basis x action; per school, the share of discipline-basis
requests the officer returned to school staff; imminent threats per school week; and, for
supervisors, admins and the officer themself, the list of exceptions (a police action on a
discipline or classroom-disorder request, with the officer's reason). Principals get their
school's totals only: no officer, no notes, no exception reasons.

Every figure is one GROUP BY over the records in the caller's report scope
(access/report_scope.py); the action is read from the record's JSON data in SQL.
"""

from collections import defaultdict

from sqlalchemy import func, select

from server.domain.record_kinds import POLICE_ACTIONS, SCHOOL_MATTERS, kind_named, values
from server.extensions import db
from server.models import Record, School, User
from server.services.access.report_scope import ReportScope
from server.services.reporting.calendar import months_of, parse_school_year
from server.services.reporting.reports import counted, schools_by_name
from server.services.reporting.sql_dates import month_key, week_start

RECORDS = Record.__table__
KIND = "involvement"
BASES = values(kind_named(KIND).field("basis").choices)
ACTIONS = values(kind_named(KIND).field("action").choices)
DISCIPLINE = "discipline"
RETURNED = "returned_to_staff"
THREAT = "imminent_threat"


def _action():
    return RECORDS.c.data["action"].as_string()


def _where(scope: ReportScope, school_year: str, *conditions):
    return counted(scope, *parse_school_year(school_year), RECORDS.c.kind == KIND, *conditions)


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 3)


def _discipline(cells: dict) -> dict:
    """cells: (basis, action) -> count."""
    requests = sum(count for (basis, _), count in cells.items() if basis == DISCIPLINE)
    returned = cells.get((DISCIPLINE, RETURNED), 0)
    return {"requests": requests, "returned_to_staff": returned, "share": _share(returned, requests)}


def involvements_report(scope: ReportScope, school_year: str) -> dict:
    months = months_of(school_year)
    month = month_key(RECORDS.c.occurred_on).label("month")
    action = _action().label("action")
    counted = db.session.execute(
        select(RECORDS.c.school_id, month, RECORDS.c.subtype, action, func.count().label("records"))
        .where(_where(scope, school_year))
        .group_by(RECORDS.c.school_id, month, RECORDS.c.subtype, action)
    ).all()
    week = week_start(RECORDS.c.occurred_on).label("week")
    threats = db.session.execute(
        select(RECORDS.c.school_id, week, func.count().label("records"))
        .where(_where(scope, school_year, RECORDS.c.subtype == THREAT))
        .group_by(RECORDS.c.school_id, week)
    ).all()

    grid: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))  # school -> (basis, action) -> month
    for row in counted:
        grid[row.school_id][(row.subtype, row.action)][row.month] += int(row.records)
    weeks: dict = defaultdict(dict)
    for row in threats:
        weeks[row.school_id][row.week.isoformat()] = int(row.records)

    schools = schools_by_name({school for school in (*grid, *weeks) if school is not None})
    overall: dict = defaultdict(int)
    result = []
    for school in schools:
        cells = grid.get(school.id, {})
        totals = {key: sum(by_month.values()) for key, by_month in cells.items()}
        for key, total in totals.items():
            overall[key] += total
        result.append({
            "school": {"id": school.id, "code": school.code, "name": school.name},
            "by_basis_action": [
                {"basis": basis, "action": action_name,
                 "months": {m: cells[(basis, action_name)].get(m, 0) for m in months},
                 "total": totals[(basis, action_name)]}
                for basis in BASES for action_name in ACTIONS if (basis, action_name) in cells
            ],
            "total": sum(totals.values()),
            "discipline": _discipline(totals),
            "threat_weeks": [{"week": monday, "threats": count} for monday, count in sorted(weeks[school.id].items())],
        })
    return {
        "school_year": school_year,
        "filters": scope.filters(),
        "months": months,
        "schools": result,
        "discipline": _discipline(overall),
        # Principals get totals only: who made an exception and why stays with the police side.
        "exceptions": None if scope.user.role == "principal" else _exceptions(scope, school_year),
    }


def _exceptions(scope: ReportScope, school_year: str) -> list[dict]:
    """Police actions on school matters (record_kinds SCHOOL_MATTERS x POLICE_ACTIONS), oldest first."""
    rows = db.session.execute(
        select(RECORDS.c.id, RECORDS.c.occurred_on, RECORDS.c.subtype, _action().label("action"),
               RECORDS.c.data["exception_reason"].as_string().label("reason"),
               User.id.label("officer_id"), User.name.label("officer_name"),
               School.id.label("school_id"), School.code.label("school_code"), School.name.label("school_name"))
        .join(User, User.id == RECORDS.c.owner_id)
        .join(School, School.id == RECORDS.c.school_id)
        .where(_where(scope, school_year, RECORDS.c.subtype.in_(SCHOOL_MATTERS), _action().in_(POLICE_ACTIONS)))
        .order_by(RECORDS.c.occurred_on, RECORDS.c.id)
    ).all()
    return [{"record_id": str(row.id), "date": row.occurred_on.isoformat(),
             "school": {"id": row.school_id, "code": row.school_code, "name": row.school_name},
             "officer": {"id": row.officer_id, "name": row.officer_name},
             "basis": row.subtype, "action": row.action, "reason": row.reason} for row in rows]


def counts_by_school_month(scope: ReportScope, starts, ends) -> dict[int, dict[str, dict[tuple[str, str], int]]]:
    """school_id -> month -> (basis, action) -> involvements, non-voided, in scope, between two days
    inclusive: the true counts a release protects and publishes (services/reporting/releases.py)."""
    month = month_key(RECORDS.c.occurred_on).label("month")
    action = _action().label("action")
    rows = db.session.execute(
        select(RECORDS.c.school_id, month, RECORDS.c.subtype, action, func.count().label("n"))
        .where(counted(scope, starts, ends, RECORDS.c.kind == KIND))
        .group_by(RECORDS.c.school_id, month, RECORDS.c.subtype, action)
    ).all()
    found: dict = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        found[row.school_id][row.month][(row.subtype, row.action)] = int(row.n)
    return found
