"""Demo data: two schools with real-looking calendars, six accounts and a school year of records.

Everything is derived from the date and a fixed random seed, so two runs on the
same day make the same data. Records go through the sync service (versions,
revisions, change numbers exactly as a phone's pushes make them), each week's
as of the end of that week (server/clock.py `as_of`), so that they reached the
server when a phone syncing weekly would have sent them and only the few
records deliberately logged days later are late entries; confirmations go
through the confirmation service. Counts only, never a student's
name: the notes say what happened, not who.

Safe to run twice: whatever exists is kept as it is, and a second run changes nothing.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select

from server import clock
from server.database import write_transaction
from server.extensions import db
from server.domain.calendar import current_school_year
from server.domain.passwords import password_problems
from server.models import (
    NonSchoolDay, OfficerAssignment, PrincipalSchool, Record, School, SchoolTerm, Supervision, User,
)
from server.services.admin import service as admin
from server.services.audit import log_event

DEMO_PASSWORD = "demo-pass-2026"
RANDOM_SEED = 20262027
TIMEZONE = "America/Chicago"
# Schools, calendars, accounts and links are made through the admin service, so demo data keeps
# every rule real data keeps; its audit events name this actor instead of a signed-in admin.
SEED_ACTOR = "system:seed-demo"
MON, TUE, WED, THU, FRI, SAT = range(6)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    note: str


ACCOUNTS = (
    DemoAccount("officer@demo.test", "Officer Jordan Ellis", "officer", "SRO at Northside High School"),
    DemoAccount("officer2@demo.test", "Officer Priya Natarajan", "officer", "SRO at Lakeview Middle School"),
    DemoAccount("principal@demo.test", "Dr. Angela Moore", "principal", "Principal, Northside High School"),
    DemoAccount("principal2@demo.test", "Luis Ortega", "principal", "Principal, Lakeview Middle School"),
    DemoAccount("supervisor@demo.test", "Sgt. Karen Walsh", "supervisor", "Supervises both officers"),
    DemoAccount("admin@demo.test", "Alex Kim", "admin", "Program administrator"),
)


class DemoError(ValueError):
    pass


# --- calendar arithmetic -------------------------------------------------------------

def on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    return on_or_after(date(year, month, 1), weekday) + timedelta(weeks=n - 1)


def last_weekday(year: int, month: int, weekday: int) -> date:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return on_or_after(next_month - timedelta(days=7), weekday)


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def thanksgiving_break(year: int) -> list[tuple[date, str]]:
    thursday = nth_weekday(year, 11, THU, 4)
    return [(thursday - timedelta(days=1), "Thanksgiving break"), (thursday, "Thanksgiving"),
            (thursday + timedelta(days=1), "Thanksgiving break")]


def week_of(monday: date, description: str) -> list[tuple[date, str]]:
    return [(monday + timedelta(days=offset), description) for offset in range(5)]


def central_offset(day: date) -> timedelta:
    """America/Chicago's UTC offset on `day` (tz database when present, else the US DST rule)."""
    try:
        from zoneinfo import ZoneInfo

        return datetime.combine(day, time(12), ZoneInfo(TIMEZONE)).utcoffset()
    except Exception:  # no tz database on this machine
        starts = nth_weekday(day.year, 3, 6, 2)
        ends = nth_weekday(day.year, 11, 6, 1)
        return timedelta(hours=-5 if starts <= day < ends else -6)


@dataclass(frozen=True)
class Calendar:
    code: str
    name: str
    school_year: str
    terms: tuple[tuple[str, date, date], ...]
    closed: tuple[tuple[date, str], ...]

    def is_school_day(self, day: date) -> bool:
        return (day.weekday() < 5 and any(start <= day <= end for _, start, end in self.terms)
                and day not in {closed for closed, _ in self.closed})

    def school_days(self) -> list[date]:
        days = []
        for _, start, end in self.terms:
            days += [start + timedelta(days=n) for n in range((end - start).days + 1)
                     if self.is_school_day(start + timedelta(days=n))]
        return days


def northside_calendar(year: int) -> Calendar:
    spring = year + 1
    break_monday = nth_weekday(spring, 3, MON, 3)
    closed = [
        (nth_weekday(year, 9, MON, 1), "Labor Day"),
        (nth_weekday(year, 10, FRI, 2), "Teacher in-service day"),
        (nth_weekday(year, 11, MON, 1) + timedelta(days=1), "Election Day (the school is a polling place)"),
        *thanksgiving_break(year),
        (nth_weekday(spring, 1, MON, 3), "Martin Luther King Jr. Day"),
        (nth_weekday(spring, 2, MON, 3), "Presidents' Day"),
        *week_of(break_monday, "Spring break"),
        (easter(spring) - timedelta(days=2), "Spring holiday"),
    ]
    terms = (
        ("Fall semester", on_or_after(date(year, 8, 17), WED), nth_weekday(year, 12, FRI, 3)),
        ("Spring semester", on_or_after(date(spring, 1, 5), TUE), last_weekday(spring, 5, MON) - timedelta(days=4)),
    )
    return Calendar("NHS", "Northside High School", f"{year}-{spring}", terms, _inside(terms, closed))


def lakeview_calendar(year: int) -> Calendar:
    spring = year + 1
    veterans_day = date(year, 11, 11)
    closed = [
        (nth_weekday(year, 9, MON, 1), "Labor Day"),
        (nth_weekday(year, 10, MON, 2), "Indigenous Peoples' Day"),
        (nth_weekday(year, 10, FRI, 3), "Parent-teacher conferences (no classes)"),
        *([(veterans_day, "Veterans Day")] if veterans_day.weekday() < 5 else []),
        *thanksgiving_break(year),
        (nth_weekday(spring, 1, MON, 3), "Martin Luther King Jr. Day"),
        (nth_weekday(spring, 2, MON, 3), "Presidents' Day"),
        *week_of(nth_weekday(spring, 3, MON, 4), "Spring break"),
        (last_weekday(spring, 5, MON), "Memorial Day"),
    ]
    terms = (
        ("Fall semester", on_or_after(date(year, 8, 22), MON), nth_weekday(year, 12, FRI, 3)),
        ("Spring semester", on_or_after(date(spring, 1, 5), WED), nth_weekday(spring, 6, FRI, 1)),
    )
    return Calendar("LMS", "Lakeview Middle School", f"{year}-{spring}", terms, _inside(terms, closed))


def _inside(terms, closed) -> tuple[tuple[date, str], ...]:
    """Non-school days are weekdays inside a term (winter break lies between the terms)."""
    return tuple(sorted((day, why) for day, why in closed
                        if day.weekday() < 5 and any(start <= day <= end for _, start, end in terms)))


def first_school_day(year: int) -> date:
    return min(calendar.terms[0][1] for calendar in (northside_calendar(year), lakeview_calendar(year)))


def school_year_start(today: date) -> int:
    """The current school year (server/domain/calendar.py), as the demo's own calendars place it:
    in the summer break the one that has just ended, so a demo made in July shows a whole year."""
    year = current_school_year(today, lambda school_year: first_school_day(int(school_year[:4])))
    return int(year[:4])


# --- the officers' year ------------------------------------------------------------------

@dataclass
class Planned:
    """One record an officer makes, and what happens to it afterwards."""

    kind: str
    when: datetime
    fields: dict
    duration: int | None = None
    notes: str | None = None
    decision: tuple[str, str | None] | None = None  # principal's (decision, comment)
    edit: dict | None = None  # a correction pushed a week later
    void_reason: str | None = None
    logged_days_later: int = 0  # a late entry: first saved this many days after the event


@dataclass(frozen=True)
class Profile:
    officer_email: str
    principal_email: str
    calendar: Calendar
    meeting_weekday: int
    meeting_time: time
    principal_name: str
    designee_name: str
    missing_weeks: frozenset[int]
    disputed_week: int
    left_pending_week: int
    dispute_comment: str


MEETING_SUMMARIES = (  # (summary, topics)
    ("Reviewed arrival and dismissal traffic; agreed to add a second crossing point at the east drive.",
     ["safety_concerns", "problem_areas"]),
    ("Went over upcoming events and which ones need an officer present.", ["upcoming_events"]),
    ("Principal raised vaping in the north restrooms; agreed on more frequent walk-throughs between periods.",
     ["problem_areas"]),
    ("Reviewed the lockdown drill and what to change before the next one.", ["safety_concerns", "training"]),
    ("Discussed a rise in online threats shared between students; agreed to remind families how to report them.",
     ["safety_concerns"]),
    ("Notice of an open investigation that may involve the school; details kept in the case file, not here.",
     ["investigations_notice"]),
    ("Planned staff training on the reunification procedure.", ["training", "upcoming_events"]),
    ("Reviewed visitor sign-in at the front office after a door was found propped open.",
     ["safety_concerns", "problem_areas"]),
    ("Discussed problem areas at lunch: the courtyard and the back parking lot.", ["problem_areas"]),
    ("Agreed how the SRO and the deans split responses to fights; discipline stays with the school.",
     ["problem_areas", "other"]),
    ("Reviewed the month's calendar and the supervision plan for evening events.", ["upcoming_events"]),
    ("Checked in on the new camera coverage in the south stairwell.", ["safety_concerns"]),
    ("Went over the winter concert and the last home game: parking and exits.",
     ["upcoming_events", "safety_concerns"]),
    ("Short check-in: no new concerns this week.", ["other"]),
)

COUNSELING_TOPICS = (
    "Conflict between classmates; mediated with the dean",
    "Online harassment concern; explained reporting options",
    "Vaping: the law and cessation resources",
    "Worries about safety on the walk home",
    "General questions about how court dates work",
    "Check-in after a traffic crash near campus",
    "Sharing images online: consequences explained",
)
PARENT_TOPICS = (
    "Parent asked about social media safety settings",
    "Parent concern about pick-up traffic on the side street",
    "Parent asked how to report a threat seen online",
    "Parent question about a neighborhood incident (general information only)",
)
REFERRALS = (
    "Referred a family to the county food pantry",
    "Connected a student with the school social worker",
    "Referred a parent to the county youth mental health line",
    "Referred a family to emergency housing assistance",
    "Shared the teen dating violence hotline with the counseling office",
)
PRESENTATIONS = {
    "NHS": ("Internet safety and sextortion", "Vaping and the law", "Teen dating violence awareness",
            "Traffic stops: what to expect as a new driver", "Careers in law enforcement"),
    "LMS": ("Bullying and cyberbullying", "Internet safety", "Making safe choices online",
            "Bike and pedestrian safety", "What a school resource officer does"),
}
FACULTY_TOPICS = ("emergency procedures update", "reunification plan", "threat reporting process",
                  "behavior supports and the SRO role", "winter events supervision")


class OfficerYear:
    """Builds one officer's records from term start to the day before `today`."""

    def __init__(self, profile: Profile, school_id: int, today: date, rng: random.Random):
        self.p = profile
        self.cal = profile.calendar
        self.school_id = school_id
        self.today = today
        self.rng = rng
        self.records: list[Planned] = []
        fall_start = self.cal.terms[0][1]
        self.week0 = fall_start - timedelta(days=fall_start.weekday())

    # helpers
    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), timezone(central_offset(day)))

    def day_in_week(self, week: int, weekday: int, school_day: bool = True) -> date | None:
        day = self.week0 + timedelta(weeks=week, days=weekday)
        if school_day and not self.cal.is_school_day(day):
            return None
        return day if day < self.today else None

    def school_time(self, day: date) -> datetime:
        return self.at(day, self.rng.choice((8, 9, 10, 11, 12, 13, 14)), self.rng.choice((0, 10, 20, 30, 40, 50)))

    def add(self, kind: str, when: datetime | None, **fields) -> Planned | None:
        if when is None or when.date() >= self.today:
            return None
        extra = {key: fields.pop(key) for key in ("duration", "notes", "decision", "edit", "void_reason")
                 if key in fields}
        planned = Planned(kind, when, fields, **extra)
        self.records.append(planned)
        return planned

    def logged_late(self, planned: Planned | None, days: int) -> None:
        """The officer logged this one `days` after it happened: a late entry (docs/reports.md),
        so the supervisor's late-entry list has something to show. Not logged yet if that day
        has not come."""
        if planned is None:
            return
        if (planned.when + timedelta(days=days)).date() < self.today:
            planned.logged_days_later = days
        else:
            self.records.remove(planned)

    def weeks(self) -> list[tuple[int, list[date]]]:
        """(week number from the fall start week, its school days before today)."""
        result = []
        week = 0
        while self.week0 + timedelta(weeks=week) < self.today:
            days = [self.week0 + timedelta(weeks=week, days=n) for n in range(5)]
            days = [day for day in days if self.cal.is_school_day(day) and day < self.today]
            if days:
                result.append((week, days))
            week += 1
            if week > 60:
                break
        return result

    # the year
    def build(self) -> list[Planned]:
        weeks = self.weeks()
        meetings = self.meetings(weeks)
        self.decide_meetings(meetings)
        for week, days in weeks:
            self.routine_week(week, days)
        self.monthly_faculty_meetings()
        self.introductions()
        self.events()
        self.one_offs()
        self.records.sort(key=lambda planned: planned.when)
        return self.records

    def meetings(self, weeks) -> list[tuple[int, Planned]]:
        made = []
        summaries = list(MEETING_SUMMARIES)
        self.rng.shuffle(summaries)
        for week, days in weeks:
            if week in self.p.missing_weeks:
                continue
            later = [day for day in days if day.weekday() >= self.p.meeting_weekday]
            if not later:
                continue
            day = later[0]
            designee = self.rng.random() < 0.2
            summary, topics = summaries[len(made) % len(summaries)]
            if self.rng.random() < 0.4 and "upcoming_events" not in topics:
                topics = [*topics, "upcoming_events"]
            planned = self.add(
                "principal_meeting", self.at(day, self.p.meeting_time.hour, self.p.meeting_time.minute),
                attendee_name=self.p.designee_name if designee else self.p.principal_name,
                attendee_role="designee" if designee else "principal",
                topics=list(topics), summary=summary,
                duration=self.rng.choice((20, 25, 30, 30, 45)),
            )
            if planned:
                made.append((week, planned))
        return made

    def decide_meetings(self, meetings: list[tuple[int, Planned]]) -> None:
        recent = {week for week, _ in meetings[-2:]}  # the principal has not got to these yet
        for week, planned in meetings:
            if week in recent or week == self.p.left_pending_week:
                continue
            if week == self.p.disputed_week:
                planned.decision = ("disputed", self.p.dispute_comment)
            else:
                planned.decision = ("confirmed", None)

    def routine_week(self, week: int, days: list[date]) -> None:
        rng = self.rng
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            self.add("activity", self.school_time(rng.choice(days)), activity_type="counseling_student",
                     count=rng.choice((1, 1, 1, 2)), topic=rng.choice(COUNSELING_TOPICS),
                     duration=rng.choice((15, 20, 25, 30, 40)))
        if rng.random() < 0.35:
            self.add("activity", self.at(rng.choice(days), rng.choice((15, 16)), rng.choice((0, 15, 30))),
                     activity_type="counseling_parent", count=1, topic=rng.choice(PARENT_TOPICS),
                     duration=rng.choice((15, 20, 30)))
        if rng.random() < 0.4 and week >= 2:
            self.add("activity", self.school_time(rng.choice(days)), activity_type="classroom_presentation",
                     count=rng.choice((1, 2, 3, 4)), topic=rng.choice(PRESENTATIONS[self.cal.code]),
                     duration=50)
        if rng.random() < 0.25:
            self.add("activity", self.school_time(rng.choice(days)), activity_type="resource_referral",
                     count=1, topic=rng.choice(REFERRALS), duration=15)
        if rng.random() < 0.3:
            self.add("activity", self.at(rng.choice(days), 14, 50), activity_type="other", count=1,
                     topic="Traffic control at dismissal", duration=30)

    def monthly_faculty_meetings(self) -> None:
        skipped = {10} if self.cal.code == "LMS" else set()  # one officer missed October's
        month_starts = sorted({date(day.year, day.month, 1) for day in self.cal.school_days()})
        for first in month_starts:
            if first.month == 8 or first.month in skipped:
                continue  # August's opening meeting is logged as the faculty introduction
            wednesdays = [first + timedelta(days=n) for n in range(31)
                          if (first + timedelta(days=n)).month == first.month
                          and (first + timedelta(days=n)).weekday() == WED
                          and self.cal.is_school_day(first + timedelta(days=n))]
            if wednesdays:
                topic = FACULTY_TOPICS[first.month % len(FACULTY_TOPICS)]
                self.add("activity", self.at(wednesdays[0], 15, 30), activity_type="faculty_meeting", count=1,
                         topic=f"Monthly faculty meeting: {topic}", duration=60)

    def nth_school_day(self, n: int) -> date:
        return self.cal.school_days()[n]

    def introductions(self) -> None:
        d = self.nth_school_day
        if self.cal.code == "NHS":
            self.add("introduction", self.at(d(0), 8, 30), audience="new_students", format="assembly",
                     people_count=412, duration=45,
                     notes="Freshman orientation in the gym: who the SRO is and how to reach me.")
            self.add("introduction", self.at(d(1), 15, 15), audience="faculty", format="faculty_meeting",
                     people_count=96, duration=20, notes="Opening faculty meeting: the SRO role and the agreement.")
            self.add("introduction", self.at(d(2), 13, 30), audience="support_staff", format="one_on_one",
                     people_count=14, duration=40, notes="Custodial and food service staff at shift change.")
            self.add("introduction", self.at(d(3), 6, 30), audience="support_staff", format="other",
                     people_count=22, duration=30, notes="Bus drivers' start-of-year briefing at the transportation yard.")
            for n, count in ((4, 28), (5, 31), (7, 26)):
                self.add("introduction", self.at(d(n), 9, 5), audience="new_students", format="classroom",
                         people_count=count, duration=15, notes="Grade 9 advisory period.")
            self.add("introduction", self.at(d(8), 18, 30), audience="parents", format="assembly",
                     people_count=160, duration=30, notes="Back-to-school night in the auditorium.")
            self.add("introduction", self.at(d(12), 10, 0), audience="new_students", format="one_on_one",
                     people_count=6, duration=20, notes="New transfer students at the registration office.")
        else:
            self.add("introduction", self.at(d(0), 9, 0), audience="new_students", format="orientation",
                     people_count=268, duration=40, notes="Sixth-grade orientation.")
            self.add("introduction", self.at(d(3), 13, 0), audience="all_students", format="assembly",
                     people_count=720, duration=30, notes="Start-of-year assembly, all grades.")
            self.add("introduction", self.at(d(4), 7, 0), audience="support_staff", format="other",
                     people_count=18, duration=30, notes="Bus drivers and crossing guards.")
            for n, count in ((6, 24), (9, 27)):
                self.add("introduction", self.at(d(n), 10, 30), audience="new_students", format="classroom",
                         people_count=count, duration=15, notes="Sixth-grade homeroom.")
            self.add("introduction", self.at(d(10), 18, 0), audience="parents", format="assembly",
                     people_count=140, duration=30, notes="Curriculum night welcome.")
            # Late: after the first 20 school days, as the supervisor's KY 5 view will show.
            self.add("introduction", self.at(d(24), 15, 20), audience="faculty", format="faculty_meeting",
                     people_count=58, duration=15, notes="Staff meeting; missed the August one (court date).")

    def friday(self, week: int) -> date:
        return self.week0 + timedelta(weeks=week, days=FRI)

    def events(self) -> None:
        rng = self.rng
        week_day = lambda week, weekday: self.week0 + timedelta(weeks=week, days=weekday)  # noqa: E731
        if self.cal.code == "NHS":
            opponents = ("Eastwood", "Central", "Lincoln Park", "Riverside", "St. Mary's", "Westfield")
            for index, week in enumerate((1, 3, 5, 7, 9, 11)):
                homecoming = week == 7
                planned = self.add(
                    "extracurricular_contact", self.at(self.friday(week), 19, 0),
                    event_name=("Homecoming game" if homecoming else "Varsity football") + f" vs. {opponents[index]}",
                    event_type="athletic", location="Northside Stadium",
                    students_contacted=rng.randint(380, 450) if homecoming else rng.randint(150, 320),
                    adults_contacted=rng.randint(60, 140), duration=180)
                if planned and index == 0:
                    planned.edit = {"students_contacted": 240, "adults_contacted": 95}  # recounted from the gate log
                if index == 2:
                    self.logged_late(planned, 10)  # the Friday game, logged ten days later
            self.add("extracurricular_contact", self.at(self.friday(13), 19, 0),
                     event_name="Varsity football playoff, first round", event_type="athletic",
                     location="Northside Stadium", students_contacted=rng.randint(300, 400),
                     adults_contacted=rng.randint(120, 200), duration=180)
            self.add("extracurricular_contact", self.at(week_day(7, SAT), 19, 30), event_name="Homecoming dance",
                     event_type="dance", location="Main gym", students_contacted=520, adults_contacted=24,
                     duration=210)
            for week in (2, 6, 10):
                self.add("extracurricular_contact", self.at(week_day(week, TUE), 18, 0),
                         event_name="Varsity volleyball", event_type="athletic", location="Main gym",
                         students_contacted=rng.randint(60, 110), adults_contacted=rng.randint(30, 70), duration=120)
            self.add("extracurricular_contact", self.at(week_day(8, WED), 8, 0),
                     event_name="Junior class trip to the state capitol", event_type="field_trip",
                     location="State Capitol", students_contacted=84, adults_contacted=9, duration=420)
            self.add("extracurricular_contact", self.at(week_day(4, THU), 15, 30),
                     event_name="Robotics club open house", event_type="club", location="Room 214",
                     students_contacted=35, adults_contacted=6, duration=60)
            self.logged_late(self.add("extracurricular_contact", self.at(week_day(10, SAT), 17, 0),
                                      event_name="Trunk-or-treat", event_type="community",
                                      location="North parking lot", students_contacted=45, adults_contacted=160,
                                      duration=120), 12)
            self.add("extracurricular_contact", self.at(week_day(12, WED), 10, 0),
                     event_name="Veterans Day assembly", event_type="assembly", location="Main gym",
                     students_contacted=1250, adults_contacted=40, duration=60)
            for weekday in (FRI, SAT):
                self.add("extracurricular_contact", self.at(week_day(13, weekday), 19, 0),
                         event_name="Fall play", event_type="arts", location="Auditorium",
                         students_contacted=rng.randint(120, 200), adults_contacted=rng.randint(150, 250),
                         duration=150)
        else:
            opponents = ("Jefferson MS", "Hillcrest MS", "Oak Grove MS", "Pine Ridge MS", "Franklin MS", "Jefferson MS")
            for index, week in enumerate((2, 4, 6, 8, 10, 12)):
                self.add("extracurricular_contact", self.at(week_day(week, TUE if index % 2 else THU), 16, 30),
                         event_name=f"7th/8th grade volleyball vs. {opponents[index]}", event_type="athletic",
                         location="Lakeview gym", students_contacted=rng.randint(40, 90),
                         adults_contacted=rng.randint(25, 60), duration=90)
            self.logged_late(self.add("extracurricular_contact", self.at(week_day(5, SAT), 9, 0),
                                      event_name="Cross-country meet", event_type="athletic", location="Lakeview Park",
                                      students_contacted=130, adults_contacted=85, duration=180), 9)
            self.add("extracurricular_contact", self.at(week_day(3, WED), 15, 15), event_name="Chess club",
                     event_type="club", location="Library", students_contacted=18, adults_contacted=2, duration=45)
            self.add("extracurricular_contact", self.at(week_day(6, THU), 8, 30),
                     event_name="Seventh-grade trip to the science museum", event_type="field_trip",
                     location="City science museum", students_contacted=210, adults_contacted=18, duration=390)
            self.add("extracurricular_contact", self.at(self.friday(6), 18, 0), event_name="Fall social",
                     event_type="dance", location="Cafeteria", students_contacted=310, adults_contacted=20,
                     duration=120)
            self.add("extracurricular_contact", self.at(week_day(9, MON), 13, 0),
                     event_name="Red Ribbon Week assembly", event_type="assembly", location="Gym",
                     students_contacted=700, adults_contacted=45, duration=60)
            self.add("extracurricular_contact", self.at(self.friday(10), 17, 30), event_name="Family fun night",
                     event_type="community", location="Lakeview Middle School", students_contacted=220,
                     adults_contacted=260, duration=150)
            self.add("extracurricular_contact", self.at(week_day(11, THU), 18, 30),
                     event_name="Fall band and choir concert", event_type="arts", location="Auditorium",
                     students_contacted=150, adults_contacted=300, duration=90)

    def one_offs(self) -> None:
        d = self.nth_school_day
        school_day = lambda week, weekday: self.day_in_week(week, weekday)  # noqa: E731

        def at_school(week: int, weekday: int, hour: int, minute: int = 0) -> datetime | None:
            day = school_day(week, weekday) or school_day(week, (weekday + 1) % 5)
            return self.at(day, hour, minute) if day else None

        self.add("activity", self.at(d(1), 7, 0), activity_type="safety_audit", count=1,
                 topic="Start-of-year walk-through with facilities: doors, cameras, radios", duration=90)
        self.add("activity", at_school(9, THU, 16), activity_type="safety_audit", count=1,
                 topic="Exterior lighting and parking lot check", duration=60)
        if self.cal.code == "NHS":
            self.add("activity", at_school(1, THU, 10), activity_type="emergency_drill", count=1,
                     topic="Fire evacuation drill", duration=30)
            self.add("activity", at_school(3, WED, 10, 30), activity_type="emergency_drill", count=1,
                     topic="Lockdown drill with administration", duration=40,
                     notes="Two classroom doors did not latch; reported to facilities.")
            self.add("activity", at_school(4, TUE, 12), activity_type="investigation", count=1,
                     topic="Phone reported stolen from the locker room; report taken", duration=45)
            self.add("activity", at_school(11, THU, 14), activity_type="investigation", count=1,
                     topic="Damage to a car in the student lot; report taken", duration=40)
            self.add("activity", at_school(6, MON, 11, 20), activity_type="arrest", count=1,
                     topic="Adult trespasser on campus after a prior written warning", duration=90)
            self.add("activity", self.at(self.week0 + timedelta(weeks=9, days=TUE), 19, 0),
                     activity_type="community_presentation", count=1,
                     topic="Neighborhood association: traffic around dismissal", duration=45)
            self.add("activity", at_school(12, TUE, 13), activity_type="semester_review", count=1,
                     topic="Fall semester program review with supervisor and principal", duration=60,
                     review_outcome="The agreement fits; more presence at dismissal", agreement_changes=False)
        else:
            self.add("activity", at_school(2, TUE, 9, 30), activity_type="emergency_drill", count=1,
                     topic="Fire evacuation drill", duration=30)
            self.add("activity", at_school(6, TUE, 13, 30), activity_type="emergency_drill", count=1,
                     topic="Lockdown drill", duration=35)
            self.add("activity", at_school(7, WED, 9), activity_type="investigation", count=1,
                     topic="Threat posted online about the school; not credible after review with administration",
                     duration=120)
            self.add("activity", self.at(self.week0 + timedelta(weeks=5, days=TUE), 18, 30),
                     activity_type="community_presentation", count=1, topic="PTA meeting: online safety for families",
                     duration=40)
            planned = self.add("activity", at_school(8, THU, 11), activity_type="counseling_student", count=1,
                               topic="Conflict between classmates; mediated with the dean", duration=25)
            if planned:  # logged twice from two devices; the second copy is voided
                duplicate = self.add("activity", planned.when, **dict(planned.fields), duration=25)
                if duplicate:
                    duplicate.void_reason = "Entered twice (also logged on the desktop)."


# --- involvements and training (issue 13) ---------------------------------------------------

# (requested_by, basis, action, notes): the everyday requests, which the officer hands back to the
# school or answers with advice. None of them is a police action on a school matter.
ROUTINE_REQUESTS = (
    ("dean", "discipline", "returned_to_staff", "Asked to remove a student from class for refusing to work; the dean handled it."),
    ("teacher", "classroom_disorder", "returned_to_staff", "Disruption in class; left it with the assistant principal."),
    ("assistant_principal", "discipline", "returned_to_staff",
     "Asked whether a phone dispute was a police matter; it is not, so the assistant principal kept it."),
    ("dean", "discipline", "returned_to_staff", "Dress-code dispute in the hallway; the dean took it over."),
    ("teacher", "classroom_disorder", "advice_only", "Talked through de-escalation options with the teacher."),
    ("counselor", "welfare_check", "referral_to_services", "Student worried about a friend; connected with the social worker."),
    ("principal", "discipline", "returned_to_staff", "Tardy sweep: declined to take part; attendance is the school's."),
    ("security_officer", "crime", "investigation", "Report of a stolen bike from the rack; report taken."),
    ("self_initiated", "other", "advice_only", "Parking complaint from a neighbour at dismissal."),
    ("parent", "welfare_check", "referral_to_services", "Parent concerned about a child's safety at home; referred to services."),
)
# (requested_by, threat_channel, action, notes) for the few imminent threats of the term.
THREATS = (
    ("principal", "social_media", "investigation", "Threat against the school posted online; traced and assessed with administration."),
    ("student", "verbal", "referral_to_services", "Student overheard threatening a classmate; threat assessment team convened."),
    ("counselor", "written", "investigation", "Note found in a restroom; assessed with the threat assessment team."),
)
THREAT_WEEKS = {"NHS": (3, 8, 12), "LMS": (5, 11)}
EXCEPTION_REASON = ("A fight the dean asked for help with; a knife was found in one student's bag, "
                    "so it became a weapons offence.")
# (days before the fall term, course, provider, topics, hours); the basic course is the first.
TRAINING = {
    "NHS": (
        (2600, "Basic School Resource Officer course", "state_academy",
         ["youth_development", "school_policies", "juvenile_law"], 120, "KY-SRO-2019-0417"),
        (3, "District in-service: de-escalation and restorative practices", "school_district",
         ["de_escalation", "restorative_justice", "relationship_building"], 6, None),
    ),
    "LMS": (
        (1900, "Basic School Resource Officer course", "state_academy",
         ["youth_development", "school_policies", "mental_health"], 120, "KY-SRO-2021-1102"),
        (40, "Adolescent mental health and de-escalation", "nasro", ["de_escalation", "mental_health"], 16, None),
    ),
}
# Courses during the fall term (weeks after its start week). Lakeview's officer never covers
# restorative justice: the demo's training gap.
TERM_TRAINING = {
    "NHS": ((6, "Implicit bias in school policing", "doj", ["implicit_bias"], 4),),
    "LMS": ((7, "Implicit bias and relationship building", "doj", ["implicit_bias", "relationship_building"], 8),),
}


class AccountabilityYear(OfficerYear):
    """One officer's involvements over the fall term (most returned to school staff, a few imminent
    threats, and at Northside exactly one exception with its reason) and their training records."""

    def build(self) -> list[Planned]:
        fall_end = self.cal.terms[0][2]
        for week, days in self.weeks():
            if days[0] <= fall_end:
                self.term_week(week, days)
        self.training()
        self.records.sort(key=lambda planned: planned.when)
        return self.records

    def involvement(self, day: date, requested_by: str, basis: str, action: str, notes: str, **fields) -> None:
        self.add("involvement", self.school_time(day), requested_by=requested_by, basis=basis, action=action,
                 students_involved=self.rng.choice((1, 1, 1, 2, 3)), duration=self.rng.choice((10, 15, 20, 30)),
                 notes=notes, **fields)

    def term_week(self, week: int, days: list[date]) -> None:
        rng = self.rng
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            self.involvement(rng.choice(days), *rng.choice(ROUTINE_REQUESTS))
        if week in THREAT_WEEKS[self.cal.code]:
            requested_by, channel, action, notes = THREATS[THREAT_WEEKS[self.cal.code].index(week) % len(THREATS)]
            self.involvement(rng.choice(days), requested_by, "imminent_threat", action, notes, threat_channel=channel)
        if self.cal.code == "NHS" and week == 9:
            self.involvement(days[-1], "dean", "discipline", "arrest", "Weapon found during a fight.",
                             exception_reason=EXCEPTION_REASON)

    def training(self) -> None:
        fall_start = self.cal.terms[0][1]
        for days_before, course, provider, topics, hours, certificate in TRAINING[self.cal.code]:
            fields = {"certificate_number": certificate} if certificate else {}
            self.add("training", self.at(fall_start - timedelta(days=days_before), 8), school_id=None, course=course,
                     provider=provider, topics=topics, hours=hours, basic_course=hours >= 120, **fields)
        for week, course, provider, topics, hours in TERM_TRAINING[self.cal.code]:
            self.add("training", self.at(self.week0 + timedelta(weeks=week, days=SAT), 9), school_id=None,
                     course=course, provider=provider, topics=topics, hours=hours, basic_course=False)


def profiles(year: int) -> tuple[Profile, Profile]:
    return (
        Profile("officer@demo.test", "principal@demo.test", northside_calendar(year), TUE, time(7, 45),
                "Dr. Angela Moore", "Asst. Principal Tom Nguyen", frozenset({6, 10}), 8, 9,
                "I was at the district office that morning; we spoke by phone for five minutes, "
                "not a full meeting. Please correct the record."),
        Profile("officer2@demo.test", "principal2@demo.test", lakeview_calendar(year), WED, time(8, 15),
                "Luis Ortega", "Dean Rita Patel", frozenset({3, 9}), 7, -1,
                "We did not cover the investigation notice listed here; it was discussed with the dean only."),
    )


# --- writing it ---------------------------------------------------------------------------

@dataclass
class SeedOutcome:
    created: list[str] = field(default_factory=list)
    records: int = 0
    decisions: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.records or self.decisions)


def _school(calendar: Calendar, outcome: SeedOutcome) -> int:
    """The school and its calendar for the year; each part added only when missing."""
    school_id = db.session.scalar(select(School.id).where(School.code == calendar.code))
    if school_id is None:
        school_id = admin.create_school(SEED_ACTOR, {"name": calendar.name, "code": calendar.code,
                                                     "timezone": TIMEZONE})["id"]
        outcome.created.append(f"school {calendar.code}")
    terms = set(db.session.scalars(select(SchoolTerm.name).where(
        SchoolTerm.school_id == school_id, SchoolTerm.school_year == calendar.school_year)))
    for name, starts, ends in calendar.terms:
        if name not in terms:
            admin.create_term(SEED_ACTOR, school_id, {"school_year": calendar.school_year, "name": name,
                                                      "starts_on": starts, "ends_on": ends})
            outcome.created.append(f"{calendar.code} {calendar.school_year} {name}")
    closed = set(db.session.scalars(select(NonSchoolDay.day).where(NonSchoolDay.school_id == school_id)))
    for day, why in calendar.closed:
        if day not in closed:
            admin.create_closed_day(SEED_ACTOR, school_id, {"day": day, "description": why})
            outcome.created.append(f"{calendar.code} closed {day}")
    return school_id


def _account(account: DemoAccount, password: str, outcome: SeedOutcome) -> int:
    user = db.session.scalar(select(User).where(User.email == account.email))
    if user is None:
        outcome.created.append(f"account {account.email}")
        return admin.create_user(SEED_ACTOR, {"email": account.email, "name": account.name, "role": account.role,
                                              "password": password})["id"]
    if user.role != account.role:
        raise DemoError(f"{account.email} exists with role {user.role}, not {account.role}.")
    return user.id


def _missing(model, **where) -> bool:
    return db.session.scalar(select(model.id).filter_by(**where).limit(1)) is None


def _links(schools: dict[str, int], users: dict[str, int], year_start: date, outcome: SeedOutcome) -> None:
    for email, code in (("officer@demo.test", "NHS"), ("officer2@demo.test", "LMS")):
        if _missing(OfficerAssignment, officer_id=users[email], school_id=schools[code]):
            admin.create_assignment(SEED_ACTOR, {"officer_id": users[email], "school_id": schools[code],
                                                 "starts_on": year_start, "ends_on": None})
            outcome.created.append(f"assignment {email} -> {code}")
    for email, code in (("principal@demo.test", "NHS"), ("principal2@demo.test", "LMS")):
        if _missing(PrincipalSchool, principal_id=users[email], school_id=schools[code]):
            admin.create_principal_school(SEED_ACTOR, {"principal_id": users[email], "school_id": schools[code]})
            outcome.created.append(f"principal {email} -> {code}")
    supervisor = users["supervisor@demo.test"]
    for officer in ("officer@demo.test", "officer2@demo.test"):
        if _missing(Supervision, supervisor_id=supervisor, officer_id=users[officer]):
            admin.create_supervision(SEED_ACTOR, {"supervisor_id": supervisor, "officer_id": users[officer]})
            outcome.created.append(f"supervision supervisor@demo.test -> {officer}")


def _structure(password: str, calendars: tuple[Calendar, Calendar], outcome: SeedOutcome) -> None:
    """Schools, calendars, accounts and links, through the admin service; each added only when missing."""
    try:
        schools = {calendar.code: _school(calendar, outcome) for calendar in calendars}
        users = {account.email: _account(account, password, outcome) for account in ACCOUNTS}
        _links(schools, users, date(int(calendars[0].school_year[:4]), 8, 1), outcome)
    except admin.AdminRefused as refusal:
        raise DemoError(f"The admin service refused demo data: {refusal.message}") from refusal
    if outcome.created:
        with write_transaction():
            log_event("demo.seed", "success", email=SEED_ACTOR, target="demo",
                      details={"created": len(outcome.created)})


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _data(planned: Planned, school_id: int) -> dict:
    return {"school_id": school_id, "occurred_at": planned.when.isoformat(),
            "duration_minutes": planned.duration, "notes": planned.notes, **planned.fields}


def synced_at(week: date, today: date) -> datetime:
    """When the officer's phone sent the week starting on Monday `week`: that Sunday evening, or,
    for the week under way, seven this morning (records are made up to yesterday). Every record
    of a week is then first saved less than 7 days after it happened: on time."""
    sunday = week + timedelta(days=6)
    day, hour = (sunday, 20) if sunday < today else (today, 7)
    return datetime.combine(day, time(hour), timezone(central_offset(day)))


def _records(profile: Profile, today: date, rng: random.Random, outcome: SeedOutcome,
             plan_of=OfficerYear, kinds: tuple[str, ...] | None = None) -> None:
    """One officer's year (`plan_of` builds it), pushed a week at a time as a phone would, each
    week as of its end, then the principal's decisions. Skipped when the officer already has
    records (of `kinds`, when given)."""
    from server.services.sync.confirmation import decide
    from server.services.sync.push import push

    officer = db.session.scalar(select(User).where(User.email == profile.officer_email))
    school_id = db.session.scalar(select(School.id).where(School.code == profile.calendar.code))
    existing = select(func.count()).select_from(Record).where(Record.owner_id == officer.id)
    if db.session.scalar(existing.where(Record.kind.in_(kinds)) if kinds else existing):
        return  # this part of the officer's year is already there
    plan = plan_of(profile, school_id, today, rng).build()
    device = f"demo-phone-{profile.calendar.code.lower()}"
    batches: dict[date, list[dict]] = {}
    ids: dict[int, str] = {}
    for index, planned in enumerate(plan):
        ids[index] = _uuid(rng)
        logged = planned.when + timedelta(days=planned.logged_days_later)
        week = logged.date() - timedelta(days=logged.weekday())
        batches.setdefault(week, []).append({
            "mutation_id": _uuid(rng), "id": ids[index], "kind": planned.kind, "base_version": None,
            "data": _data(planned, school_id), "voided": False, "void_reason": None,
        })
        follow_up = week + timedelta(weeks=1)
        if planned.edit:
            edited = {**_data(planned, school_id), **planned.edit}
            batches.setdefault(follow_up, []).append({
                "mutation_id": _uuid(rng), "id": ids[index], "kind": planned.kind, "base_version": 1,
                "data": edited, "voided": False, "void_reason": None})
        if planned.void_reason:
            batches.setdefault(week, []).append({
                "mutation_id": _uuid(rng), "id": ids[index], "kind": planned.kind, "base_version": 1,
                "data": None, "voided": True, "void_reason": planned.void_reason})
    for week in sorted(batches):
        officer = db.session.get(User, officer.id)
        with clock.as_of(synced_at(week, today)):
            results = push(officer, device, batches[week])
        refused = [result for result in results if result["status"] != "applied"]
        if refused:
            raise DemoError(f"The sync service refused demo records: {refused[:3]}")
        outcome.records += sum(1 for mutation in batches[week] if mutation["base_version"] is None)
    principal_id = db.session.scalar(select(User.id).where(User.email == profile.principal_email))
    for index, planned in enumerate(plan):
        if planned.decision and planned.kind == "principal_meeting":
            decision, comment = planned.decision
            principal = db.session.get(User, principal_id)
            decide(principal, uuid.UUID(ids[index]), decision, comment, base_version=1)
            outcome.decisions += 1
        elif planned.fields.get("activity_type") == "semester_review":
            outcome.decisions += _both_took_part(uuid.UUID(ids[index]), principal_id)


def _both_took_part(record_id: uuid.UUID, principal_id: int) -> int:
    """The principal and the supervisor confirm the semester review (KY 8 is met only then)."""
    from server.services.sync.participation import decide as take_part

    supervisor_id = db.session.scalar(select(User.id).where(User.email == "supervisor@demo.test"))
    for party_id in (principal_id, supervisor_id):
        take_part(db.session.get(User, party_id), record_id, "confirmed", None, base_version=1)
    return 2


def seed_demo(password: str = DEMO_PASSWORD, today: date | None = None) -> SeedOutcome:
    """Add whatever part of the demo is missing; returns what was added (nothing on a second run)."""
    problems = password_problems(password)
    if problems:
        raise DemoError("Password refused: " + " ".join(problems))
    today = today or clock.today()
    year = school_year_start(today)
    demo_profiles = profiles(year)
    outcome = SeedOutcome()
    _structure(password, tuple(profile.calendar for profile in demo_profiles), outcome)
    for number, profile in enumerate(demo_profiles):
        _records(profile, today, random.Random(RANDOM_SEED + number), outcome)
        # Their own random stream, so the rest of the year stays as it was; added to a demo made
        # before involvements and training existed, too.
        _records(profile, today, random.Random(RANDOM_SEED + 100 + number), outcome,
                 plan_of=AccountabilityYear, kinds=("involvement", "training"))
    return outcome


def database_has_users() -> bool:
    return db.session.scalar(select(func.count()).select_from(User)) > 0


def existing_demo_accounts() -> list[DemoAccount]:
    present = set(db.session.scalars(select(User.email).where(User.email.in_([a.email for a in ACCOUNTS]))))
    return [account for account in ACCOUNTS if account.email in present]
