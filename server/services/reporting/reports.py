"""The monthly activity report (KY 16) and the public, de-identified report (Chicago brief).

Both are one GROUP BY (kind, subtype, month [, school]) over the records in the
caller's report scope; Python lays the grouped rows into a category x month
grid. CSV renderings share the JSON's rows. Every export is audited by the API.
"""

import csv
import io
from collections import defaultdict
from datetime import date

from sqlalchemy import String, and_, case, cast, func, select

from server.domain.record_kinds import KINDS, Kind, kind_named
from server.extensions import db
from server.models import Record, School
from server.services.reporting.calendar import months_of, parse_school_year
from server.services.access.report_scope import ReportScope
from server.services.access.visibility import sees_review_state
from server.services.reporting.disclosure import PRIMARY, SUPPRESS_BELOW, primary
from server.services.reporting.sql_dates import month_key
from server.services.sync.review import late_entry_after

RECORDS = Record.__table__


# A row: (key, label, kind, subtype or None for every subtype, measure). Measures:
# "records" counts records; "quantity" sums the kind's number (students contacted,
# people present, an activity's count). Both are read off the record kinds.
Row = tuple[str, str, str, str | None, str]


def in_sentence(label: str) -> str:
    """A choice label inside a sentence: "Classroom presentation" reads "classroom presentation",
    an acronym ("NASRO", "DOJ") stays as it is."""
    first, _, rest = label.partition(" ")
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def _monthly_rows(kind: Kind) -> list[Row]:
    shown = kind.report
    rows: list[Row] = [(kind.name, shown.all_label, kind.name, None, shown.measure)]
    if shown.by_subtype:
        rows += [(f"{kind.name}.{option.value}", f"{shown.subtype_label}: {in_sentence(option.label)}", kind.name,
                  option.value, shown.measure) for option in kind.subtypes]
    if shown.quantity_row:
        suffix, label = shown.quantity_row
        rows.append((f"{kind.name}.{suffix}", label, kind.name, None, "quantity"))
    return rows


def _public_rows(kind: Kind) -> list[Row]:
    """Categories that never overlap and carry no totals, so a "<5" cell cannot be worked out
    from its neighbours (no all-types row beside its parts)."""
    shown = kind.report
    if shown.public:
        key, label = shown.public
        return [(key, label, kind.name, None, "records")]
    return [(f"{kind.name}.{option.value}", f"{shown.subtype_label}: {in_sentence(option.label)}", kind.name,
             option.value, shown.measure) for option in kind.subtypes]


# Meetings first, as supervisors read the report; then the other kinds in their declared order.
REPORT_ORDER = sorted(KINDS, key=lambda kind: kind.name != "principal_meeting")
MONTHLY_ROWS: tuple[Row, ...] = tuple(row for kind in REPORT_ORDER for row in _monthly_rows(kind))
PUBLIC_ROWS: tuple[Row, ...] = tuple(row for kind in REPORT_ORDER for row in _public_rows(kind))


def counted(scope: ReportScope, starts: date, ends: date, *conditions):
    """WHERE clause for what a report counts: non-voided records in the scope, between two days inclusive."""
    return and_(scope.records_clause(), RECORDS.c.voided.is_(False),
                RECORDS.c.occurred_on >= starts, RECORDS.c.occurred_on <= ends, *conditions)


def _grouped(scope: ReportScope, starts: date, ends: date, by_school: bool):
    """(school_id or None, kind, subtype, month) -> (records, quantity), non-voided, in scope,
    between two days inclusive.

    Two GROUP BYs: by day first, in the order of ix_records_report (kind, subtype,
    occurred_on, school_id), which the database streams from the index without
    sorting; then the few thousand day groups by month.
    """
    by_day = [RECORDS.c.kind, RECORDS.c.subtype, RECORDS.c.occurred_on]
    if by_school:
        by_day.append(RECORDS.c.school_id)
    days = (
        select(*by_day, func.count().label("records"), func.coalesce(func.sum(RECORDS.c.quantity), 0).label("quantity"))
        .where(counted(scope, starts, ends))
        .group_by(*by_day)
        .subquery("days")
    )
    month = month_key(days.c.occurred_on).label("month")
    by_month = [days.c.kind, days.c.subtype, month]
    if by_school:
        by_month.insert(0, days.c.school_id)
    rows = db.session.execute(
        select(*by_month, func.sum(days.c.records).label("records"), func.sum(days.c.quantity).label("quantity"))
        .group_by(*by_month)
    )
    found: dict = {}
    for row in rows:
        key = (row.school_id if by_school else None, row.kind, row.subtype, row.month)
        found[key] = (int(row.records), int(row.quantity))
    return found


def _cells(found: dict) -> dict:
    """The grouped rows folded once: school_id or None -> (kind, subtype | None, month) -> [records, quantity]."""
    cells: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (school, kind, subtype, month), (records, quantity) in found.items():
        for key in ((kind, subtype, month), (kind, None, month)):
            cells[school][key][0] += records
            cells[school][key][1] += quantity
    return cells


def _grid(cells: dict, row_spec, months: list[str]) -> list[dict]:
    """One school's (or the whole scope's) folded cells laid out as rows x months."""
    rows = []
    for key, label, kind, subtype, measure in row_spec:
        index = 0 if measure == "records" else 1
        values = {month: cells[(kind, subtype, month)][index] if (kind, subtype, month) in cells else 0
                  for month in months}
        rows.append({"category": key, "label": label, "kind": kind, "subtype": subtype, "measure": measure,
                     "months": values, "total": sum(values.values())})
    return rows


MEETING = kind_named("principal_meeting")
MEETING_DATA_TOPICS = RECORDS.c.data["topics"]


def _month_row(category: str, label: str, kind: str | None, measure: str, by_month: dict, months: list[str]) -> dict:
    values = {month: int(by_month.get(month, 0)) for month in months}
    return {"category": category, "label": label, "kind": kind, "subtype": None, "measure": measure,
            "months": values, "total": sum(values.values())}


def meeting_topic_rows(scope: ReportScope, starts: date, ends: date, months: list[str]) -> list[dict]:
    """Per weekly-meeting topic (KY 7 depends on what the meetings cover), the meetings that listed
    it, per month. Topics are a JSON list in the record's data: a topic is found in the list's text
    with its quotes ('"training"'), so one value never matches inside another, on both engines."""
    topics = cast(MEETING_DATA_TOPICS, String)
    month = month_key(RECORDS.c.occurred_on).label("month")
    options = MEETING.field("topics").choices
    found = db.session.execute(
        select(month, *(func.sum(case((topics.like(f'%"{option.value}"%'), 1), else_=0)).label(option.value)
                        for option in options))
        .where(counted(scope, starts, ends, RECORDS.c.kind == MEETING.name))
        .group_by(month)
    ).all()
    by_topic = {option.value: {row.month: getattr(row, option.value) or 0 for row in found} for option in options}
    return [_month_row(f"{MEETING.name}.topic.{option.value}", f"Meetings covering: {in_sentence(option.label)}",
                       MEETING.name, "records", by_topic[option.value], months) for option in options]


def minutes_rows(scope: ReportScope, starts: date, ends: date, months: list[str]) -> list[dict]:
    """Per school, the minutes the records there say they took (duration_minutes), per month: an
    officer shared by two schools shows each school's share. Records with no school (training) and
    no duration count nowhere."""
    # By day first, in the order of ix_records_school_occurred, which holds every column read here:
    # the database streams the day groups from the index without sorting, then folds them by month
    # (bench/scale_bench.py: half the time of grouping 1.6 million rows by month at once).
    days = (
        select(RECORDS.c.school_id, RECORDS.c.occurred_on, func.sum(RECORDS.c.duration_minutes).label("minutes"))
        .where(counted(scope, starts, ends, RECORDS.c.school_id.is_not(None), RECORDS.c.duration_minutes.is_not(None)))
        .group_by(RECORDS.c.school_id, RECORDS.c.occurred_on)
        .subquery("days")
    )
    month = month_key(days.c.occurred_on).label("month")
    found = db.session.execute(
        select(days.c.school_id, month, func.sum(days.c.minutes).label("minutes")).group_by(days.c.school_id, month)
    ).all()
    by_school: dict = defaultdict(dict)
    for row in found:
        by_school[row.school_id][row.month] = int(row.minutes or 0)
    return [_month_row(f"minutes.{school.code}", f"Minutes at {school.name} ({school.code})", None, "minutes",
                       by_school[school.id], months) for school in schools_by_name(by_school)]


def time_shares(minutes: list[dict]) -> list[dict]:
    """Each school's share of the minutes in the report (3 decimals), from the minutes rows."""
    whole = sum(row["total"] for row in minutes)
    return [{"category": row["category"], "label": row["label"], "minutes": row["total"],
             "share": round(row["total"] / whole, 3) if whole else None} for row in minutes]


def late_entry_row(scope: ReportScope, starts: date, ends: date, months: list[str]) -> dict:
    """Records first saved more than LATE_ENTRY_DAYS after the event, per month (docs/reports.md)."""
    month = month_key(RECORDS.c.occurred_on).label("month")
    found = db.session.execute(
        select(month, func.count().label("records"))
        .where(counted(scope, starts, ends, RECORDS.c.late_entry.is_(True))).group_by(month)
    ).all()
    days = late_entry_after().days
    return _month_row("late_entries", f"Late entries (saved more than {days} days after the event)", None,
                      "records", {row.month: row.records for row in found}, months)


def _oversight_rows(scope: ReportScope, starts: date, ends: date, months: list[str]) -> list[dict]:
    """Late entries are the supervisor's oversight of record keeping, not a count of work at a
    school: a principal's report has no such row (access/visibility.py sees_review_state)."""
    return [late_entry_row(scope, starts, ends, months)] if sees_review_state(scope.user) else []


def monthly_rows(scope: ReportScope, starts: date, ends: date, months: list[str],
                 minutes_between: tuple[date, date] | None = None) -> list[dict]:
    """The monthly report's rows over `months` (records from `starts` to `ends`): record kinds and
    categories, the weekly meetings' topics right after the meetings, then the minutes per school
    and the oversight rows. A school gets a minutes row when it has minutes between `starts` and
    `ends`, or `minutes_between` when given: one month of a school year (a sign-off) lists the
    schools of the whole year's report."""
    cells = _cells(_grouped(scope, starts, ends, by_school=False))
    rows = _grid(cells[None], MONTHLY_ROWS, months)
    after_meetings = 1 + max(index for index, row in enumerate(rows) if row["kind"] == MEETING.name)
    minutes = minutes_rows(scope, *(minutes_between or (starts, ends)), months)
    return [*rows[:after_meetings], *meeting_topic_rows(scope, starts, ends, months), *rows[after_meetings:],
            *minutes, *_oversight_rows(scope, starts, ends, months)]


def monthly_report(scope: ReportScope, school_year: str) -> dict:
    """Rows = record kinds and categories, the weekly meetings' topics right after the meetings,
    then the minutes per school; columns = the twelve months (July to June)."""
    months = months_of(school_year)
    rows = monthly_rows(scope, *parse_school_year(school_year), months)
    return {
        "school_year": school_year,
        "filters": scope.filters(),
        "months": months,
        "rows": rows,
        "time_by_school": time_shares([row for row in rows if row["measure"] == "minutes"]),
    }


def schools_by_name(school_ids) -> list:
    """(id, code, name) of these schools, by name: one query, none for no school."""
    school_ids = sorted(school_ids)
    return db.session.execute(
        select(School.id, School.code, School.name).where(School.id.in_(school_ids)).order_by(School.name)
    ).all() if school_ids else []


def _public_grids(scope: ReportScope, starts: date, ends: date, months: list[str], also=()) -> list[tuple]:
    """[(school row, its PUBLIC_ROWS grid of true counts)] for the schools with records (and `also`),
    by name. Records with no school (training: record_kinds school_optional) belong to no school's row."""
    cells = _cells(_grouped(scope, starts, ends, by_school=True))
    school_ids = {school for school in cells if school is not None} | set(also)
    return [(school, _grid(cells[school.id], PUBLIC_ROWS, months)) for school in schools_by_name(school_ids)]


def public_report(scope: ReportScope, school_year: str) -> dict:
    """Per school, counts by category and month; every count from 1 to 4 shows as "<5"."""
    months = months_of(school_year)
    grids = _public_grids(scope, *parse_school_year(school_year), months, also=scope.school_ids or ())
    result = [{"school": {"id": school.id, "code": school.code, "name": school.name},
               "rows": [{"category": row["category"], "label": row["label"],
                         "months": {month: primary(value) for month, value in row["months"].items()}}
                        for row in rows]}
              for school, rows in grids]
    return {"school_year": school_year, "months": months, "suppressed_below": SUPPRESS_BELOW,
            "note": f'Counts from 1 to {SUPPRESS_BELOW - 1} are shown as "{PRIMARY}".', "schools": result}


def public_counts(scope: ReportScope, starts: date, ends: date, months: list[str]) -> list[dict]:
    """The public report's true counts (before any suppression) per school, for a release:
    [{"school": {code, name}, "rows": [{category, label, months}]}], schools by name."""
    return [{"school": {"code": school.code, "name": school.name},
             "rows": [{"category": row["category"], "label": row["label"], "months": row["months"]}
                      for row in rows]}
            for school, rows in _public_grids(scope, starts, ends, months)]


# --- CSV --------------------------------------------------------------------------

# OWASP "CSV injection": a spreadsheet runs a cell starting with = + - @ as a formula, and skips
# a leading tab or line break before doing the same, so those starts are defused too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _cell(value):
    """Text that starts like a formula gets a leading apostrophe, so it is shown, never run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: list[str], rows) -> str:
    """CSV (RFC 4180 line ends) with formula-looking cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def monthly_csv(report: dict) -> str:
    months = report["months"]
    return csv_text(["category", "label", "measure", *months, "total"], (
        [row["category"], row["label"], row["measure"], *(row["months"][m] for m in months), row["total"]]
        for row in report["rows"]
    ))


def public_csv(report: dict) -> str:
    months = report["months"]
    return csv_text(["school_code", "school_name", "category", "label", *months], (
        [entry["school"]["code"], entry["school"]["name"], row["category"], row["label"],
         *(row["months"][m] for m in months)]
        for entry in report["schools"] for row in entry["rows"]
    ))


def export_filename(name: str, school_year: str, today: date) -> str:
    return f"sro-{name}-{school_year}-{today.isoformat()}.csv"
