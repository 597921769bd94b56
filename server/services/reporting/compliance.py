"""Program compliance for a school year, per officer and school (PRODUCT.md "Program rules").

The result is JSON-ready (dates as ISO strings) in exactly ComplianceSchema's
shape, so the API sends it without a second pass through marshmallow (a test
holds the two together).

The (officer, school) pairs come from officer assignments overlapping the year.
Records are folded by the database (GROUP BY on indexed columns: kind, subtype,
owner, school, occurred_on); Python only lays the grouped rows onto each
school's calendar. Voided records never count. Every item carries a status word
and a sentence, so no screen has to rely on colour. docs/reports.md explains
each rule.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select

from server.domain.assignments import assigned_on, periods_overlap
from server.domain import semester_review as review_rule
from server.domain.record_kinds import CHICAGO_TOPICS, SEMESTER_REVIEW, kind_named
from server.extensions import db
from server.models import OfficerAssignment, Record, School, User
from server.services.reporting.calendar import SchoolCalendar, load_calendars, month_of, months_of, parse_school_year
from server.services.access.report_scope import ReportScope
from server.services.access.visibility import records_visible_to
from server.services.reporting.reports import counted
from server.services.reporting.sql_dates import month_key, week_start

RECORDS = Record.__table__

INTRODUCTION_DAYS = 20  # KY 5: within the first 20 school days
INTRODUCTION_AUDIENCES = (("new_students", "new students"), ("faculty", "faculty"))
FACULTY_MEETINGS_TARGET = 6  # KY 3
MEETING_RANK = {"confirmed": 3, "pending": 2, "disputed": 1}
RANK_STATUS = {rank: status for status, rank in MEETING_RANK.items()}
WEEK_TEXT = {
    "confirmed": "Met; the principal confirmed it.",
    "pending": "Met; waiting for the principal to confirm.",
    "disputed": "Met, but the principal disputed the record.",
    "missing": "No meeting recorded this week.",
    "upcoming": "This week is not over yet; no meeting recorded so far.",
    "not_assigned": "The officer was not assigned to this school this week.",
}


@dataclass
class Unit:
    """One officer at one school in the year, with every assignment period there."""

    officer_id: int
    officer_name: str
    school_id: int
    school_name: str
    school_code: str
    periods: list[tuple[date, date | None]] = field(default_factory=list)
    _here: frozenset[date] | None = field(default=None, repr=False)

    def covers(self, day: date) -> bool:
        return assigned_on(self.periods, day)

    def school_days_here(self, calendar: SchoolCalendar) -> frozenset[date]:
        """The school's school days on which the officer was assigned there (computed once)."""
        if self._here is None:
            self._here = frozenset(day for day in calendar.school_days() if self.covers(day))
        return self._here

    @property
    def key(self) -> tuple[int, int]:
        return self.officer_id, self.school_id


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# --- loading -------------------------------------------------------------------------

def _assignments_in_year(clause, year_start: date, year_end: date):
    return db.session.execute(
        select(OfficerAssignment.officer_id, OfficerAssignment.school_id, OfficerAssignment.starts_on,
               OfficerAssignment.ends_on, User.name.label("officer_name"), School.name.label("school_name"),
               School.code.label("school_code"))
        .join(User, User.id == OfficerAssignment.officer_id)
        .join(School, School.id == OfficerAssignment.school_id)
        .where(clause, OfficerAssignment.starts_on <= year_end,
               (OfficerAssignment.ends_on.is_(None)) | (OfficerAssignment.ends_on >= year_start))
        .order_by(User.name, OfficerAssignment.officer_id, School.name, OfficerAssignment.starts_on)
    ).all()


def load_units(scope: ReportScope, year_start: date, year_end: date) -> list[Unit]:
    units: dict[tuple[int, int], Unit] = {}
    for row in _assignments_in_year(scope.assignments_clause(), year_start, year_end):
        unit = units.setdefault((row.officer_id, row.school_id), Unit(
            row.officer_id, row.officer_name, row.school_id, row.school_name, row.school_code))
        unit.periods.append((row.starts_on, row.ends_on))
    return list(units.values())


def _window(calendars: dict[int, SchoolCalendar], school_year: str) -> tuple[date, date]:
    """Days whose records count: the school year, widened to any term that runs past it."""
    starts, ends = parse_school_year(school_year)
    for calendar in calendars.values():
        for term in calendar.terms:
            starts, ends = min(starts, term.starts_on), max(ends, term.ends_on)
    return starts, ends


# --- the grouped queries -----------------------------------------------------------------

def _counted(scope: ReportScope, units: list[Unit], window: tuple[date, date], *conditions):
    """Non-voided records of these units' officers and schools in the window, in the user's scope.
    A scope that lists its officers already holds the units' officers (and rows of any other are
    never looked up): a second owner_id IN list would only mislead PostgreSQL's planner
    (ReportScope.records_clause)."""
    officers = [] if scope.officer_ids is not None else [
        RECORDS.c.owner_id.in_(sorted({unit.officer_id for unit in units}))]
    return counted(
        scope, *window,
        *officers,
        RECORDS.c.school_id.in_(sorted({unit.school_id for unit in units})),
        *conditions,
    )


def _meeting_weeks(where) -> dict[tuple[int, int], dict[date, tuple[str, int]]]:
    """(officer, school) -> week's Monday -> (best status, meetings that week)."""
    week = week_start(RECORDS.c.occurred_on).label("week")
    best = func.max(case(*((RECORDS.c.confirmation_status == status, rank) for status, rank in MEETING_RANK.items()),
                         else_=MEETING_RANK["pending"])).label("best")
    rows = db.session.execute(
        select(RECORDS.c.owner_id, RECORDS.c.school_id, week, best, func.count().label("meetings"))
        .where(where, RECORDS.c.kind == "principal_meeting")
        .group_by(RECORDS.c.owner_id, RECORDS.c.school_id, week)
    )
    found: dict = defaultdict(dict)
    for row in rows:
        found[(row.owner_id, row.school_id)][row.week] = (RANK_STATUS[row.best], row.meetings)
    return found


def _days_by_subtype(where, kind: str, subtypes) -> dict[tuple[int, int, str], list[tuple[date, int]]]:
    """(officer, school, subtype) -> [(day, records that day)] for rare subtypes (introductions)."""
    rows = db.session.execute(
        select(RECORDS.c.owner_id, RECORDS.c.school_id, RECORDS.c.subtype, RECORDS.c.occurred_on,
               func.count().label("records"))
        .where(where, RECORDS.c.kind == kind, RECORDS.c.subtype.in_(subtypes))
        .group_by(RECORDS.c.owner_id, RECORDS.c.school_id, RECORDS.c.subtype, RECORDS.c.occurred_on)
        .order_by(RECORDS.c.occurred_on)
    )
    found: dict = defaultdict(list)
    for row in rows:
        found[(row.owner_id, row.school_id, row.subtype)].append((row.occurred_on, row.records))
    return found


def _semester_reviews(where) -> dict[tuple[int, int], list[dict]]:
    """(officer, school) -> semester reviews, oldest first, with each party's decision. A handful
    a year per officer: read, not grouped (the decisions are JSON, not report columns)."""
    rows = db.session.execute(
        select(RECORDS.c.id, RECORDS.c.owner_id, RECORDS.c.school_id, RECORDS.c.occurred_on, RECORDS.c.version,
               RECORDS.c.participation)
        .where(where, RECORDS.c.kind == "activity", RECORDS.c.subtype == SEMESTER_REVIEW)
        .order_by(RECORDS.c.occurred_on, RECORDS.c.id)
    )
    found: dict = defaultdict(list)
    for row in rows:
        found[(row.owner_id, row.school_id)].append(dict(row._mapping))
    return found


def _faculty_meetings(where) -> dict[tuple[int, int], int]:
    rows = db.session.execute(
        select(RECORDS.c.owner_id, RECORDS.c.school_id, func.coalesce(func.sum(RECORDS.c.quantity), 0).label("n"))
        .where(where, RECORDS.c.kind == "activity", RECORDS.c.subtype == "faculty_meeting")
        .group_by(RECORDS.c.owner_id, RECORDS.c.school_id)
    )
    return {(row.owner_id, row.school_id): int(row.n) for row in rows}


def _contacts_by_month(where) -> dict[tuple[int, int], dict[str, tuple[int, int]]]:
    month = month_key(RECORDS.c.occurred_on).label("month")
    rows = db.session.execute(
        select(RECORDS.c.owner_id, RECORDS.c.school_id, month, func.count().label("events"),
               func.coalesce(func.sum(RECORDS.c.quantity), 0).label("students"))
        .where(where, RECORDS.c.kind == "extracurricular_contact")
        .group_by(RECORDS.c.owner_id, RECORDS.c.school_id, month)
    )
    found: dict = defaultdict(dict)
    for row in rows:
        found[(row.owner_id, row.school_id)][row.month] = (row.events, int(row.students))
    return found


# --- the rules ------------------------------------------------------------------------------

def weekly_meetings(unit: Unit, calendar: SchoolCalendar, found: dict[date, tuple[str, int]], as_of: date) -> dict:
    """KY 20: each school week in term, the best meeting of the week."""
    weeks, tally = [], defaultdict(int)
    here = unit.school_days_here(calendar)
    for week in calendar.weeks_in_term():
        best, meetings = found.get(week.monday, (None, 0))
        if not any(day in here for day in week.school_days):
            status = "not_assigned"
        elif best is not None:
            status = best
        elif week.friday >= as_of:
            status = "upcoming"
        else:
            status = "missing"
        tally[status] += 1
        weeks.append({"week_of": week.monday.isoformat(), "ends_on": week.friday.isoformat(), "term": week.term,
                      "school_days": len(week.school_days), "meetings": meetings, "status": status,
                      "text": WEEK_TEXT[status]})
    summary = {status: tally[status] for status in WEEK_TEXT}
    due = summary["confirmed"] + summary["pending"] + summary["disputed"] + summary["missing"]
    if not calendar.has_terms:
        status, text = "no_calendar", f"No term calendar for {calendar.school_year}: weeks cannot be measured."
    elif due == 0:
        status, text = "not_applicable", "No school week assigned here has ended yet."
    else:
        problems = summary["missing"] + summary["disputed"]
        status = "not_met" if problems else ("pending" if summary["pending"] else "met")
        text = (f"{summary['confirmed']} of {_plural(due, 'school week')} with a confirmed meeting; "
                f"{summary['pending']} pending, {summary['disputed']} disputed, {summary['missing']} missing.")
    return {"status": status, "text": text, "summary": summary, "weeks": weeks}


def introductions(unit: Unit, calendar: SchoolCalendar, found: dict, as_of: date) -> tuple[dict, int]:
    """KY 5: new_students and faculty introductions within the first 20 school days, and the
    school days left in that window (the school's, from as_of to its last day, both counted; 0
    without a window), which only the officer's own program shows (reporting/program.py).

    The window starts on the first school day the officer is assigned here (the
    year's first school day, or a mid-year arrival's first day).
    """
    here = unit.school_days_here(calendar)
    assigned_days = [day for day in calendar.school_days() if day in here]
    window = assigned_days[:INTRODUCTION_DAYS]
    if not calendar.has_terms:
        return {"status": "no_calendar", "text": f"No term calendar for {calendar.school_year}.",
                "window": None, "audiences": []}, 0
    if not window:
        return {"status": "not_applicable", "text": "Not assigned here on any school day this year.",
                "window": None, "audiences": []}, 0
    first, last = window[0], window[-1]
    window_over = last < as_of
    audiences = []
    for audience, label in INTRODUCTION_AUDIENCES:
        days = [(day, count) for day, count in found.get((unit.officer_id, unit.school_id, audience), [])
                if day >= first]
        in_window = [day for day, _ in days if day <= last]
        if in_window:
            school_day = window.index(in_window[0]) + 1 if in_window[0] in window else None
            status = "met"
            text = f"Introduced to {label} on {in_window[0].isoformat()}" + (
                f" (school day {school_day})." if school_day else ".")
        elif days:
            status, text = "late", f"Introduced to {label} on {days[0][0].isoformat()}, after school day {len(window)}."
        elif window_over:
            status, text = "missing", f"No introduction to {label} in the first {len(window)} school days."
        else:
            status, text = "in_progress", f"No introduction to {label} yet; due by {last.isoformat()}."
        audiences.append({"audience": audience, "status": status, "text": text,
                          "first_on": _iso(days[0][0] if days else None), "records": sum(count for _, count in days)})
    statuses = {item["status"] for item in audiences}
    if statuses == {"met"}:
        status, text = "met", f"New students and faculty introduced within the first {INTRODUCTION_DAYS} school days."
    elif statuses & {"missing", "late"}:
        status = "not_met"
        text = " ".join(item["text"] for item in audiences if item["status"] in {"missing", "late"})
    else:
        status = "in_progress"
        text = f"Window open until {last.isoformat()}: " + " ".join(
            item["text"] for item in audiences if item["status"] != "met")
    days_left = sum(1 for day in calendar.school_days() if as_of <= day <= last)
    return {"status": status, "text": text, "window": {"from": first.isoformat(), "to": last.isoformat(),
                                                        "school_days": len(window)},
            "audiences": audiences}, days_left


def faculty_meetings(unit: Unit, calendar: SchoolCalendar, count: int, as_of: date) -> dict:
    """KY 3: at least six faculty meetings a year, prorated to the share of school days assigned."""
    school_days = calendar.school_days()
    here = unit.school_days_here(calendar)
    assigned = len(here)
    if school_days and 0 < assigned < len(school_days):
        target = max(1, math.ceil(FACULTY_MEETINGS_TARGET * assigned / len(school_days)))
        basis = f" (prorated: assigned {assigned} of {len(school_days)} school days)"
    else:
        target, basis = FACULTY_MEETINGS_TARGET, ""
    last_day = max(here, default=None)
    if count >= target:
        status = "met"
    elif last_day is not None and last_day >= as_of:
        status = "in_progress"
    else:
        status = "not_met"
    text = f"{count} of {target} faculty meetings{basis}."
    return {"status": status, "text": text, "count": count, "target": target}


# The parties and the rule are domain/semester_review.py's; these are only how texts name them.
PARTY_LABELS = {"supervisor": "the supervisor", "principal": "the principal"}
REVIEW_RANK = {"met": 3, "pending": 2, "disputed": 1}


PARTY_TEXT = {"pending": "Waiting for {label} to confirm.", "confirmed": "Confirmed by {name}.",
              "disputed": "Disputed by {name}."}


def _review_shown(review: dict) -> dict:
    def party(name: str) -> dict:
        part = (review["participation"] or {}).get(name) or {}
        status = review_rule.party_status(review["participation"], name)
        return {"status": status, "text": PARTY_TEXT[status].format(label=PARTY_LABELS[name], name=part.get("by_name")),
                "comment": part.get("comment"), "by_name": part.get("by_name")}

    return {"id": str(review["id"]), "version": review["version"], "occurred_on": review["occurred_on"].isoformat(),
            **{name: party(name) for name in review_rule.PARTIES}}


def _term_review_text(term_name: str, status: str, review: dict) -> str:
    day = review["occurred_on"]
    parties = {name: review_rule.party_status(review["participation"], name) for name in review_rule.PARTIES}
    if status == "met":
        return f"{term_name}: reviewed on {day}; the supervisor and the principal confirmed it."
    if status == "disputed":
        who = " and ".join(PARTY_LABELS[name] for name in review_rule.PARTIES if parties[name] == "disputed")
        return f"{term_name}: reviewed on {day}, but {who} disputed the record."
    who = " and ".join(PARTY_LABELS[name] for name in review_rule.PARTIES if parties[name] == "pending")
    return f"{term_name}: reviewed on {day}; waiting for {who} to confirm."


def semester_reviews(unit: Unit, calendar: SchoolCalendar, found: list[dict], as_of: date) -> dict:
    """KY 8: a semester_review activity in each term (a break belongs to the term before it),
    met only when the supervisor and the principal both confirmed they took part."""
    terms = []
    here = unit.school_days_here(calendar)
    for term in calendar.semesters():
        assigned = any(term.starts_on <= day <= term.ends_on for day in here)
        reviews = [review for review in found if calendar.term_of(review["occurred_on"]) == term]
        best = max(reviews, key=lambda review: REVIEW_RANK[review_rule.state(review["participation"])], default=None)
        if not assigned:
            status, text = "not_applicable", f"{term.name}: not assigned here."
        elif best is not None:
            status = review_rule.state(best["participation"])
            text = _term_review_text(term.name, status, best)
        elif term.ends_on >= as_of:
            status, text = "in_progress", f"{term.name}: no review yet; the term ends {term.ends_on.isoformat()}."
        else:
            status, text = "missing", f"{term.name}: no semester review recorded."
        terms.append({"term": term.name, "starts_on": _iso(term.starts_on), "ends_on": _iso(term.ends_on),
                      "status": status, "text": text, "reviews": len(reviews),
                      "review": _review_shown(best) if best is not None and assigned else None})
    statuses = {item["status"] for item in terms} - {"not_applicable"}
    if not calendar.has_terms:
        status, text = "no_calendar", f"No term calendar for {calendar.school_year}."
    elif not statuses:
        status, text = "not_applicable", "Not assigned here during any term."
    elif statuses & {"missing", "disputed"}:
        status = "not_met"
        text = " ".join(item["text"] for item in terms if item["status"] in {"missing", "disputed"})
    elif statuses == {"met"}:
        status, text = "met", "A semester review in every term assigned here, confirmed by the supervisor and the principal."
    else:
        status = "pending" if "pending" in statuses else "in_progress"
        text = " ".join(item["text"] for item in terms if item["status"] != "not_applicable")
    return {"status": status, "text": text, "terms": terms}


def extracurricular(unit: Unit, calendar: SchoolCalendar, found: dict[str, tuple[int, int]],
                    school_year: str, as_of: date) -> dict:
    """KY 17: extracurricular contacts per month (no numeric target; a month with none is shown).

    The months are those with school days (all twelve when the school has no calendar).
    """
    by_month = calendar.school_days_by_month() if calendar.has_terms else {m: () for m in months_of(school_year)}
    current_month = month_of(as_of)
    here = unit.school_days_here(calendar)
    months = []
    for month, month_days in by_month.items():
        events, students = found.get(month, (0, 0))
        assigned = (any(day in here for day in month_days) if month_days
                    else unit.covers(date(int(month[:4]), int(month[5:]), 1)))
        if events:
            status = "recorded"
            text = f"{_plural(events, 'event')}, about {students} students contacted."
        elif not assigned:
            status, text = "not_assigned", "Not assigned here this month."
        elif month >= current_month:
            status, text = "upcoming", "No extracurricular contact recorded so far this month."
        else:
            status, text = "none", "No extracurricular contact recorded."
        months.append({"month": month, "status": status, "text": text, "events": events, "students": students})
    total_events = sum(item["events"] for item in months)
    total_students = sum(item["students"] for item in months)
    quiet = [item["month"] for item in months if item["status"] == "none"]
    status = "recorded" if total_events else "none"
    text = f"{_plural(total_events, 'event')}, about {total_students} students contacted."
    if quiet:
        text += f" No contact in {', '.join(quiet)}."
    return {"status": status, "text": text, "events": total_events, "students": total_students,
            "months": months}


def school_count_flags(officer_ids, year_start: date, year_end: date) -> dict[int, dict]:
    """KY 9: an officer assigned to two schools at the same time is flagged (not forbidden)."""
    periods: dict[int, list] = defaultdict(list)
    clause = OfficerAssignment.officer_id.in_(sorted(officer_ids))
    for row in _assignments_in_year(clause, year_start, year_end):
        periods[row.officer_id].append((row.school_code, row.starts_on, row.ends_on))
    flags = {}
    for officer_id in officer_ids:
        rows = periods.get(officer_id, [])
        overlapping = sorted({
            code for code, starts, ends in rows for other, o_starts, o_ends in rows
            if other != code and periods_overlap(starts, ends, o_starts, o_ends)
        })
        schools = sorted({code for code, _, _ in rows})
        if overlapping:
            status = "flagged"
            text = (f"Assigned to {len(overlapping)} schools at the same time ({', '.join(overlapping)}); "
                    "KY 9 asks for one school per officer.")
        elif len(schools) > 1:
            status = "single"
            text = "One school at a time; reassigned during the year: " + ", then ".join(
                f"{code} from {starts.isoformat()}" for code, starts, _ in sorted(rows, key=lambda item: item[1]))
        else:
            status, text = "single", "One school."
        flags[officer_id] = {"status": status, "text": text, "schools": schools}
    return flags


# --- training (KY 22; the Chicago brief's topics) ---------------------------------------------

TOPIC_LABELS = {option.value: option.label for option in kind_named("training").field("topics").choices}


def _training_records(scope: ReportScope, officer_ids, as_of: date):
    """Every non-voided training record of these officers up to as_of, oldest first. Training is
    the officer's, not a school's (it may have no school), so it is scoped by who may read the
    officer's records, not by the school filter. An officer has a handful a year: read, not grouped."""
    return db.session.execute(
        select(RECORDS.c.owner_id, RECORDS.c.occurred_on, RECORDS.c.data)
        .where(records_visible_to(scope.user), RECORDS.c.owner_id.in_(sorted(officer_ids)),
               RECORDS.c.kind == "training", RECORDS.c.voided.is_(False), RECORDS.c.occurred_on <= as_of)
        .order_by(RECORDS.c.owner_id, RECORDS.c.occurred_on, RECORDS.c.id)
    ).all()


def officer_training(records, school_year: str, as_of: date) -> dict:
    """One officer's training: the basic course, a course this school year, the Chicago topics."""
    year_start, year_end = parse_school_year(school_year)
    basic = next((row.occurred_on for row in records if (row.data or {}).get("basic_course")), None)
    basic_course = ({"status": "met", "text": f"Basic SRO course completed on {basic.isoformat()}.",
                     "completed_on": basic.isoformat()} if basic else
                    {"status": "missing", "text": "No basic SRO course (120 hours) recorded.", "completed_on": None})
    this_year = [row for row in records if year_start <= row.occurred_on <= year_end]
    hours = round(sum(float((row.data or {}).get("hours") or 0) for row in this_year), 2)
    hours = int(hours) if float(hours).is_integer() else hours
    if this_year:
        yearly = {"status": "met", "text": f"{_plural(len(this_year), 'course')}, {hours} hours in {school_year}."}
    elif as_of < year_end:
        yearly = {"status": "in_progress", "text": f"No course recorded in {school_year} yet."}
    else:
        yearly = {"status": "not_met", "text": f"No course recorded in {school_year}."}
    yearly.update(courses=len(this_year), hours=hours)
    last: dict[str, date] = {}
    for row in records:
        for topic in (row.data or {}).get("topics") or []:
            last[topic] = row.occurred_on
    items = [{"topic": topic, "label": TOPIC_LABELS[topic], "status": "covered" if topic in last else "gap",
              "last_on": _iso(last.get(topic))} for topic in CHICAGO_TOPICS]
    gaps = [item["label"].lower() for item in items if item["status"] == "gap"]
    topics = {"status": "not_met" if gaps else "met",
              "text": ("Not yet trained in " + ", ".join(gaps) + ".") if gaps else "Every Chicago topic covered.",
              "topics": items}
    return {"basic_course": basic_course, "yearly_course": yearly, "topics": topics}


def training_compliance(scope: ReportScope, units: list[Unit], school_year: str, as_of: date) -> list[dict]:
    """Per officer measured (principals: none; training is never theirs to see)."""
    if scope.user.role == "principal" or not units:
        return []
    officers: dict[int, str] = {}
    for unit in units:
        officers.setdefault(unit.officer_id, unit.officer_name)
    found: dict[int, list] = defaultdict(list)
    for row in _training_records(scope, officers, as_of):
        found[row.owner_id].append(row)
    return [{"officer": {"id": officer_id, "name": name},
             **officer_training(found.get(officer_id, []), school_year, as_of)}
            for officer_id, name in officers.items()]


def training_report(scope: ReportScope, school_year: str, as_of: date) -> list[dict]:
    """Training compliance of the officers a report covers (those assigned in its scope that year):
    what the monthly report shows beside its counts."""
    return training_compliance(scope, load_units(scope, *parse_school_year(school_year)), school_year, as_of)


# --- the report ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Measured:
    """A compliance report, and beside it what only the officer's own program shows."""

    report: dict  # ComplianceSchema's shape, JSON-ready
    school_days_left: list[int]  # of each of report["units"], in order: see introductions()


def compliance_report(scope: ReportScope, school_year: str, as_of: date) -> dict:
    """The compliance report of a school year as of a day, in ComplianceSchema's shape."""
    return measure(scope, school_year, as_of).report


def measure(scope: ReportScope, school_year: str, as_of: date) -> Measured:
    """The compliance report, with the school days left in each unit's introduction window."""
    year_start, year_end = parse_school_year(school_year)
    units = load_units(scope, year_start, year_end)
    calendars = load_calendars({unit.school_id for unit in units}, school_year)
    window = _window(calendars, school_year)
    meetings = reviews = intros = contacts = {}
    faculty: dict = {}
    if units:
        where = _counted(scope, units, window)
        meetings = _meeting_weeks(where)
        intros = _days_by_subtype(where, "introduction", [audience for audience, _ in INTRODUCTION_AUDIENCES])
        reviews = _semester_reviews(where)
        faculty = _faculty_meetings(where)
        contacts = _contacts_by_month(where)
    flags = school_count_flags({unit.officer_id for unit in units}, year_start, year_end) if units else {}

    results, days_left = [], []
    for unit in units:
        calendar = calendars[unit.school_id]
        school_days = calendar.school_days()
        introduced, left = introductions(unit, calendar, intros, as_of)
        days_left.append(left)
        results.append({
            "officer": {"id": unit.officer_id, "name": unit.officer_name},
            "school": {"id": unit.school_id, "name": unit.school_name, "code": unit.school_code},
            "assigned": [{"from": _iso(starts), "until": _iso(ends)} for starts, ends in unit.periods],
            "calendar": {
                "status": "ok" if calendar.has_terms else "no_calendar",
                "text": (f"{_plural(len(calendar.terms), 'term')}, {len(school_days)} school days, "
                         f"{len(calendar.weeks_in_term())} school weeks." if calendar.has_terms
                         else f"No term calendar for {school_year}; an administrator must add the terms."),
                "terms": [{"name": t.name, "starts_on": _iso(t.starts_on), "ends_on": _iso(t.ends_on)}
                          for t in calendar.terms],
                "school_days": len(school_days),
            },
            "weekly_meetings": weekly_meetings(unit, calendar, meetings.get(unit.key, {}), as_of),
            "introductions": introduced,
            "faculty_meetings": faculty_meetings(unit, calendar, faculty.get(unit.key, 0), as_of),
            "semester_reviews": semester_reviews(unit, calendar, reviews.get(unit.key, []), as_of),
            "extracurricular": extracurricular(unit, calendar, contacts.get(unit.key, {}), school_year, as_of),
            "multiple_schools": flags[unit.officer_id],
        })
    report = {"school_year": school_year, "as_of": as_of.isoformat(), "units": results,
              "training": training_compliance(scope, units, school_year, as_of)}
    return Measured(report, days_left)
