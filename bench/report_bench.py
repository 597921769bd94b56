"""Report speed: 50 officers x one school year (about 40,000 records, involvements and training
included) pushed through the sync service in batches of 500, meetings decided by principals; then
the compliance, monthly, involvements and training reports timed in-process, service alone and
whole request (schema dump + audit event), beside a floor measured in the same run (GET /api/me:
a request that reads no report).

    .venv/bin/python bench/report_bench.py [--officers 50] [--per-officer 800] [--runs 7]
                                           [--database-url URL | --start-postgres] [--explain]

Target: each report under 300 ms server time, on SQLite and on PostgreSQL. --database-url
must name an EMPTY database (it is migrated); --start-postgres runs a throwaway cluster
(tests/db_support.PostgresServer) for the bench.
"""

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PASSWORD, database_urls, migrated_app  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from server.extensions import db  # noqa: E402
from server.models import (  # noqa: E402
    NonSchoolDay, OfficerAssignment, PrincipalSchool, Record, School, SchoolTerm, Supervision, User,
)
from server.services.sync import confirmation, push  # noqa: E402
from server.services.reporting.calendar import SchoolCalendar, Term  # noqa: E402
from server.services.reporting.compliance import compliance_report, training_report  # noqa: E402
from server.services.reporting.involvements import involvements_report  # noqa: E402
from server.services.access.report_scope import report_scope  # noqa: E402
from server.services.reporting.reports import monthly_report  # noqa: E402

YEAR = "2025-2026"
TERMS = (("Fall", date(2025, 8, 18), date(2025, 12, 19)), ("Spring", date(2026, 1, 6), date(2026, 5, 29)))
CLOSED = (date(2025, 9, 1), *(date(2025, 11, d) for d in range(24, 29)), date(2026, 1, 19))
AS_OF = date(2026, 6, 30)
CENTRAL = timezone(timedelta(hours=-6))
ACTIVITY_TYPES = ("counseling_student", "counseling_parent", "classroom_presentation", "safety_audit",
                  "investigation", "arrest", "search", "community_presentation", "resource_referral",
                  "emergency_drill", "other")
EVENT_TYPES = ("athletic", "arts", "club", "dance", "field_trip", "assembly", "community", "other")
# (basis, action, weight): most requests go back to school staff; a few threats and crimes.
INVOLVEMENTS = (("discipline", "returned_to_staff", 10), ("classroom_disorder", "returned_to_staff", 4),
                ("discipline", "advice_only", 2), ("welfare_check", "referral_to_services", 2),
                ("crime", "investigation", 2), ("imminent_threat", "investigation", 1))
TOPICS = ("youth_development", "relationship_building", "de_escalation", "school_policies", "implicit_bias",
          "restorative_justice", "active_shooter", "mental_health", "juvenile_law")


def make_people(app, officers: int) -> dict:
    """Schools (two officers each), a principal per school, one supervisor of everyone, an admin."""
    with app.app_context():
        def user(role, email):
            person = User(email=email, name=email.split("@")[0], role=role)
            person.set_password(PASSWORD)
            db.session.add(person)
            return person

        admin = user("admin", "admin@bench.test")
        supervisor = user("supervisor", "supervisor@bench.test")
        schools, principals, officer_rows = [], [], []
        for index in range((officers + 1) // 2):
            school = School(name=f"School {index:02d}", code=f"S{index:02d}")
            school.terms = [SchoolTerm(school_year=YEAR, name=n, starts_on=s, ends_on=e) for n, s, e in TERMS]
            school.closed_days = [NonSchoolDay(day=day, description="Closed") for day in CLOSED]
            db.session.add(school)
            schools.append(school)
            principals.append(user("principal", f"principal{index:02d}@bench.test"))
        for index in range(officers):
            officer_rows.append(user("officer", f"officer{index:02d}@bench.test"))
        db.session.flush()
        for index, officer in enumerate(officer_rows):
            school = schools[index // 2]
            db.session.add(OfficerAssignment(officer_id=officer.id, school_id=school.id, starts_on=date(2025, 8, 1)))
            db.session.add(Supervision(supervisor_id=supervisor.id, officer_id=officer.id))
            if index % 10 == 9:  # a few officers cover a second school (KY 9 flag)
                other = schools[(index // 2 + 1) % len(schools)]
                db.session.add(OfficerAssignment(officer_id=officer.id, school_id=other.id, starts_on=date(2026, 1, 1)))
        for school, principal in zip(schools, principals):
            db.session.add(PrincipalSchool(principal_id=principal.id, school_id=school.id))
        db.session.commit()
        return {"admin": admin.id, "supervisor": supervisor.id, "officers": [o.id for o in officer_rows],
                "schools": [s.id for s in schools], "principals": [p.id for p in principals]}


def school_days() -> list[date]:
    calendar = SchoolCalendar(0, YEAR, [Term(*term) for term in TERMS], frozenset(CLOSED))
    return calendar.school_days()


def officer_mutations(rng: random.Random, school_id: int, count: int) -> list[dict]:
    days = school_days()
    weeks: dict[date, list[date]] = {}
    for day in days:
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(day)

    def at(day: date) -> str:
        return datetime.combine(day, clock(rng.randint(7, 20), rng.choice((0, 15, 30, 45))), CENTRAL).isoformat()

    def new(kind, day, **fields):
        return {"mutation_id": str(uuid.uuid4()), "id": str(uuid.uuid4()), "kind": kind, "base_version": None,
                "voided": False, "void_reason": None,
                "data": {"school_id": school_id, "occurred_at": at(day), "duration_minutes": 30, "notes": None,
                         **fields}}

    out = [new("principal_meeting", rng.choice(week), attendee_name="Dr. Rivera", attendee_role="principal",
               topics=["safety_concerns"], summary="Weekly check-in")
           for week in weeks.values() if rng.random() < 0.9]
    out += [new("introduction", days[rng.randint(0, 25)], audience=a, format="assembly", people_count=rng.randint(10, 400))
            for a in ("new_students", "faculty", "support_staff", "parents")]
    out += [new("activity", rng.choice(days), activity_type="faculty_meeting", count=1) for _ in range(7)]
    out += [new("activity", day, activity_type="semester_review", count=1, review_outcome="Agreement reviewed",
                agreement_changes=False)
            for day in (date(2025, 12, 15), date(2026, 5, 20))]
    out += [new("extracurricular_contact", rng.choice(days), event_name="Friday game",
                event_type=rng.choice(EVENT_TYPES), students_contacted=rng.randint(0, 300),
                adults_contacted=rng.randint(0, 40)) for _ in range(150)]
    out += involvement_mutations(rng, days, new)
    out += training_mutations(rng, new)
    while len(out) < count:
        out.append(new("activity", rng.choice(days), activity_type=rng.choice(ACTIVITY_TYPES),
                       count=rng.randint(1, 5), topic="Safety"))
    return out


def involvement_mutations(rng: random.Random, days: list[date], new) -> list[dict]:
    """About one involvement per school day in four, and now and then an exception with its reason."""
    bases = [(basis, action) for basis, action, weight in INVOLVEMENTS for _ in range(weight)]
    out = []
    for day in days[::4]:
        basis, action = rng.choice(bases)
        extra = {"threat_channel": rng.choice(("verbal", "written", "social_media"))} if basis == "imminent_threat" else {}
        out.append(new("involvement", day, requested_by="dean", basis=basis, action=action,
                       students_involved=rng.randint(1, 3), **extra))
    if rng.random() < 0.2:
        out.append(new("involvement", rng.choice(days), requested_by="dean", basis="discipline", action="arrest",
                       students_involved=1, exception_reason="A weapon was found."))
    return out


def training_mutations(rng: random.Random, new) -> list[dict]:
    """The basic course years ago (no school), then two courses in the year on some of the topics."""
    out = [new("training", date(2019, 6, 3), school_id=None, course="Basic SRO course", provider="state_academy",
               topics=list(TOPICS[:3]), hours=120, basic_course=True)]
    for day in (date(2025, 10, 15), date(2026, 2, 10)):
        out.append(new("training", day, school_id=None, course="In-service", provider="school_district",
                       topics=rng.sample(TOPICS, 2), hours=rng.choice((4, 6, 8)), basic_course=False))
    return out


def load_year(app, people: dict, per_officer: int, batch: int = 500) -> tuple[int, float]:
    """Every record through push.push (versions, revisions, change numbers as in production)."""
    rng = random.Random(2026)
    started = time.perf_counter()
    with app.app_context():
        for index, officer_id in enumerate(people["officers"]):
            officer = db.session.get(User, officer_id)
            home_school = people["schools"][index // 2]  # assigned there all year (see make_people)
            mutations = officer_mutations(rng, home_school, per_officer)
            for first in range(0, len(mutations), batch):
                results = push.push(officer, f"bench-{officer_id}", mutations[first:first + batch])
                assert {r["status"] for r in results} == {"applied"}, results[:3]
        # Principals decide on most meetings: confirmed, a few disputed, the rest left pending.
        meetings = db.session.execute(
            select(Record.id, Record.school_id).where(Record.kind == "principal_meeting")).all()
        principal_of = dict(db.session.execute(select(PrincipalSchool.school_id, PrincipalSchool.principal_id)).all())
        principals = {pid: db.session.get(User, pid) for pid in principal_of.values()}
        for record_id, school_id in meetings:
            roll = rng.random()
            if roll < 0.8:
                confirmation.decide(principals[principal_of[school_id]], record_id, "confirmed", None)
            elif roll < 0.85:
                confirmation.decide(principals[principal_of[school_id]], record_id, "disputed", "Not that day")
        total = db.session.scalar(select(func.count()).select_from(Record))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does after a load this size: planner statistics and the visibility
            # map (index-only scans). SQLite keeps no statistics unless told to, so it is left as is.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
    return total, time.perf_counter() - started


def timed(work, runs: int) -> tuple[float, float]:
    work()  # warm caches and the connection pool
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples)


def login(app, email: str):
    client = app.test_client()
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return client


def explain(app, engine: str) -> None:
    """EXPLAIN of the heaviest statements (the monthly GROUP BY over the whole year, the meeting weeks)."""
    from sqlalchemy.dialects import postgresql, sqlite

    from server.services.reporting import compliance
    from server.services.reporting import reports

    captured: list[str] = []
    with app.app_context():
        dialect = postgresql.dialect() if engine == "postgresql" else sqlite.dialect()
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        original = db.session.execute

        def capture(statement, *args, **kwargs):
            if hasattr(statement, "compile"):
                sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                if "GROUP BY" in sql:
                    captured.append(sql)
            return original(statement, *args, **kwargs)

        db.session.execute = capture
        try:
            reports.monthly_report(report_scope(admin), YEAR)
            compliance.compliance_report(report_scope(admin), YEAR, AS_OF)
        finally:
            db.session.execute = original
        prefix = "EXPLAIN ANALYZE " if engine == "postgresql" else "EXPLAIN QUERY PLAN "
        for sql in captured[:2]:
            print("\n" + sql.splitlines()[0][:100] + " ...")
            for row in db.session.execute(text(prefix + sql)):
                print("   ", " ".join(str(part) for part in row))


def bench(url: str, officers: int, per_officer: int, runs: int, show_plans: bool) -> None:
    app = migrated_app(url)
    engine = url.split(":", 1)[0].split("+")[0]
    people = make_people(app, officers)
    total, load_seconds = load_year(app, people, per_officer)
    print(f"[{engine}] {officers} officers, {len(people['schools'])} schools, {total} records "
          f"(loaded through push + confirmations in {load_seconds:.1f} s)")

    with app.app_context():
        admin = db.session.get(User, people["admin"])
        officer = db.session.get(User, people["officers"][0])
        figures = {
            "compliance, all officers (service)": lambda: compliance_report(report_scope(admin), YEAR, AS_OF),
            "compliance, one officer (service)": lambda: compliance_report(
                report_scope(admin, officer_id=officer.id), YEAR, AS_OF),
            "monthly report, all officers (service)": lambda: monthly_report(report_scope(admin), YEAR),
            "monthly report, one officer (service)": lambda: monthly_report(
                report_scope(admin, officer_id=officer.id), YEAR),
            "involvements, all officers (service)": lambda: involvements_report(report_scope(admin), YEAR),
            "training compliance, all officers (service)": lambda: training_report(report_scope(admin), YEAR, AS_OF),
        }
        for label, work in figures.items():
            median, worst = timed(work, runs)
            print(f"  {label:<48} median {median:7.1f} ms   max {worst:7.1f} ms")

    admin_client = login(app, "admin@bench.test")
    supervisor_client = login(app, "supervisor@bench.test")
    officer_id = people["officers"][0]
    requests_ = {
        "GET /api/me (the floor: no report read)": (admin_client, "/api/me"),
        "GET /api/reports/compliance (admin, all)": (admin_client, f"/api/reports/compliance?school_year={YEAR}"
                                                                   f"&as_of={AS_OF.isoformat()}"),
        "GET /api/reports/compliance (supervisor, all)": (supervisor_client, f"/api/reports/compliance?"
                                                                             f"school_year={YEAR}"),
        "GET /api/reports/monthly (admin, all)": (admin_client, f"/api/reports/monthly?school_year={YEAR}"),
        "GET /api/reports/monthly.csv (one officer)": (admin_client, f"/api/reports/monthly.csv?school_year={YEAR}"
                                                                     f"&officer_id={officer_id}"),
        "GET /api/reports/public.csv (admin, all)": (admin_client, f"/api/reports/public.csv?school_year={YEAR}"),
        "GET /api/reports/involvements (admin, all)": (admin_client,
                                                       f"/api/reports/involvements?school_year={YEAR}"),
        "GET /api/reports/involvements (supervisor, all)": (supervisor_client,
                                                            f"/api/reports/involvements?school_year={YEAR}"),
        "GET /api/records (supervisor, first page)": (supervisor_client, "/api/records?limit=50"),
    }
    for label, (client, path) in requests_.items():
        def call():
            response = client.get(path)
            assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
        median, worst = timed(call, runs)
        note = "whole request, audit event included" if "/reports/" in path else "whole request"
        print(f"  {label:<48} median {median:7.1f} ms   max {worst:7.1f} ms   ({note})")
    if show_plans:
        explain(app, engine)
    print("target: compliance, monthly, involvements and training reports each under 300 ms server time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--per-officer", type=int, default=800)
    parser.add_argument("--runs", type=int, default=7)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", default=None, help="an EMPTY database; default: a new SQLite file")
    where.add_argument("--start-postgres", action="store_true", help="run the bench on a throwaway PostgreSQL")
    parser.add_argument("--explain", action="store_true", help="print query plans of the GROUP BY statements")
    args = parser.parse_args()
    with database_urls(args.database_url, args.start_postgres) as new_database:
        bench(new_database(), args.officers, args.per_officer, args.runs, args.explain)


if __name__ == "__main__":
    main()
