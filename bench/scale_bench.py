"""State-scale reports (issue 16): 2,000 officers x one school year (about 1.6 million records),
then the three operations a state program leans on, timed through the real service functions.

    .venv/bin/python bench/scale_bench.py [--officers 2000] [--per-officer 800] [--runs 3]
                                          [--database-url URL [--reuse] | --start-postgres] [--explain]

Targets (PostgreSQL): compliance for one supervisor's 20 officers < 500 ms; the program-wide
monthly report < 2 s; one officer's pull of their last day < 50 ms. Each line prints the target,
the service's time (min / median / max of --runs) and the floor: the very SQL the service sent,
captured from the engine and replayed raw through the driver in the same run.

The year is written set-based into the real tables (PostgreSQL: COPY with the records' indexes
rebuilt afterwards; SQLite: executemany), not pushed: columns come from the same
split_loaded_data that push uses, and one record in 500 is first loaded through the kind's
marshmallow schema to prove the data is what push would accept. Change numbers follow the days,
the day's records in time order, as phones syncing through the year would leave them; every
meeting is decided by its school's principal as in bench/report_bench.py. Revisions and applied
mutations are not written: none of the three operations reads them.

--database-url must name an EMPTY database (it is migrated), or, with --reuse, one this bench
filled before (built once, timed many times). --start-postgres runs a throwaway cluster
(tests/db_support.PostgresServer).
"""

import argparse
import functools
import json
import math
import random
import sys
import time
import uuid
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import PASSWORD, database_urls, migrated_app, spread  # noqa: E402
from report_bench import AS_OF, CENTRAL, CLOSED, EVENT_TYPES, TERMS, YEAR, school_days  # noqa: E402
from marshmallow import missing  # noqa: E402
from sqlalchemy import JSON, event, func, insert, select, update  # noqa: E402

from server.extensions import db  # noqa: E402
from server.models import (  # noqa: E402
    ChangeCounter, NonSchoolDay, OfficerAssignment, PrincipalSchool, Record, School, SchoolTerm, Supervision, User,
)
from server.schemas.records import data_schema_for  # noqa: E402
from server.services.access.report_scope import report_scope  # noqa: E402
from server.services.reporting.compliance import compliance_report  # noqa: E402
from server.services.reporting.reports import monthly_report  # noqa: E402
from server.services.sync import pull  # noqa: E402
from server.services.sync.record_shapes import split_loaded_data  # noqa: E402

RECORDS = Record.__table__
COLUMNS = tuple(column.name for column in RECORDS.columns)
JSON_COLUMNS = frozenset(column.name for column in RECORDS.columns if isinstance(column.type, JSON))
OFFICERS_PER_SUPERVISOR = 20
OFFICERS_PER_SCHOOL = 2
SAMPLE_EVERY = 500  # one record in this many goes through the marshmallow schema first
PULL_LIMIT = 200  # the pull page the phone asks for (server/schemas/sync.py's default)
ACTIVITY_TYPES = ("counseling_student", "counseling_parent", "classroom_presentation", "safety_audit",
                  "investigation", "arrest", "search", "community_presentation", "resource_referral",
                  "emergency_drill", "threat_assessment", "conflict_mediation", "other")
INVOLVEMENTS = (("principal", "crime", "investigation"), ("teacher", "welfare_check", "referral_to_services"),
                ("dean", "discipline", "returned_to_staff"), ("dispatch", "other", "advice_only"))
TRAINING_TOPICS = ("youth_development", "relationship_building", "de_escalation", "school_policies",
                   "implicit_bias", "restorative_justice", "mental_health")


# --- the people ------------------------------------------------------------------------------

def officer_email(index: int) -> str:
    return f"officer{index:04d}@scale.test"


def make_people(officers: int) -> dict:
    """Schools (two officers each, a principal each), a supervisor per 20 officers, an admin:
    consistent rows written set-based, one password hash shared by everyone (hashing 3,000
    passwords would take longer than the year of records)."""
    hashed = User(email="x", name="x", role="officer")
    hashed.set_password(PASSWORD)
    schools = math.ceil(officers / OFFICERS_PER_SCHOOL)
    supervisors = math.ceil(officers / OFFICERS_PER_SUPERVISOR)

    def users(role: str, emails: list[str]) -> list[int]:
        rows = [{"email": email, "name": email.split("@")[0], "role": role, "password_hash": hashed.password_hash}
                for email in emails]
        db.session.execute(insert(User), rows)
        return list(db.session.scalars(select(User.id).where(User.role == role).order_by(User.email)))

    admin = users("admin", ["admin@scale.test"])[0]
    supervisor_ids = users("supervisor", [f"supervisor{i:03d}@scale.test" for i in range(supervisors)])
    principal_ids = users("principal", [f"principal{i:04d}@scale.test" for i in range(schools)])
    officer_ids = users("officer", [officer_email(i) for i in range(officers)])
    db.session.execute(insert(School), [{"name": f"School {i:04d}", "code": f"S{i:04d}"} for i in range(schools)])
    school_ids = list(db.session.scalars(select(School.id).order_by(School.code)))
    db.session.execute(insert(SchoolTerm), [
        {"school_id": school, "school_year": YEAR, "name": name, "starts_on": starts, "ends_on": ends}
        for school in school_ids for name, starts, ends in TERMS])
    db.session.execute(insert(NonSchoolDay), [
        {"school_id": school, "day": day, "description": "Closed"} for school in school_ids for day in CLOSED])
    db.session.execute(insert(PrincipalSchool), [
        {"principal_id": principal, "school_id": school} for principal, school in zip(principal_ids, school_ids)])
    db.session.execute(insert(Supervision), [
        {"supervisor_id": supervisor_ids[i // OFFICERS_PER_SUPERVISOR], "officer_id": officer}
        for i, officer in enumerate(officer_ids)])
    assignments = [{"officer_id": officer, "school_id": school_ids[i // OFFICERS_PER_SCHOOL],
                    "starts_on": date(2025, 8, 1)} for i, officer in enumerate(officer_ids)]
    # A few officers also cover a neighbouring school from January (KY 9's flag), as report_bench.
    assignments += [{"officer_id": officer, "school_id": school_ids[(i // OFFICERS_PER_SCHOOL + 1) % schools],
                     "starts_on": date(2026, 1, 1)} for i, officer in enumerate(officer_ids) if i % 10 == 9]
    db.session.execute(insert(OfficerAssignment), assignments)
    db.session.commit()
    return {"admin": admin, "supervisors": supervisor_ids, "officers": officer_ids, "schools": school_ids,
            "principals": principal_ids}


def existing_people() -> dict:
    """The ids of a database this bench filled before (--reuse)."""
    def ids(role: str) -> list[int]:
        return list(db.session.scalars(select(User.id).where(User.role == role).order_by(User.email)))

    return {"admin": ids("admin")[0], "supervisors": ids("supervisor"), "officers": ids("officer"),
            "schools": list(db.session.scalars(select(School.id).order_by(School.code))), "principals": ids("principal")}


# --- the year's records ---------------------------------------------------------------------

def special_records(rng: random.Random, days: list[date]) -> dict[int, list[tuple[str, dict]]]:
    """One officer's records the compliance rules look for: day index -> [(kind, fields)]."""
    plan: dict[int, list[tuple[str, dict]]] = {}

    def on(index: int, kind: str, **fields) -> None:
        plan.setdefault(index, []).append((kind, fields))

    weeks: dict[date, list[int]] = {}
    for index, day in enumerate(days):
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(index)
    for week in weeks.values():
        if rng.random() < 0.9:
            on(rng.choice(week), "principal_meeting", attendee_name="Dr. Rivera", attendee_role="principal",
               topics=["safety_concerns"], summary="Weekly check-in")
    for audience in ("new_students", "faculty", "support_staff", "parents"):
        on(rng.randint(0, 25), "introduction", audience=audience, format="assembly", people_count=rng.randint(10, 400))
    for _ in range(7):
        on(rng.randrange(len(days)), "activity", activity_type="faculty_meeting", count=1)
    for review_day in (date(2025, 12, 15), date(2026, 5, 20)):
        on(days.index(review_day), "activity", activity_type="semester_review", count=1,
           review_outcome="Agreement reviewed with the principal", agreement_changes=False)
    for _ in range(3):
        on(rng.randrange(len(days)), "training", course="Youth development", provider="state_academy",
           topics=rng.sample(TRAINING_TOPICS, 2), hours=8, basic_course=False)
    return plan


@functools.cache
def schema_defaults(kind: str) -> dict:
    """What the kind's schema fills in for a field the phone leaves out (an unticked box)."""
    return {name: field.load_default for name, field in data_schema_for(kind).fields.items()
            if field.load_default is not missing and not callable(field.load_default)}


def everyday_record(rng: random.Random) -> tuple[str, dict]:
    """The bulk of a year: activities, then extracurricular contacts, a few involvements."""
    roll = rng.random()
    if roll < 0.2:
        return "extracurricular_contact", {"event_name": "Friday game", "event_type": rng.choice(EVENT_TYPES),
                                           "students_contacted": rng.randint(0, 300),
                                           "adults_contacted": rng.randint(0, 40)}
    if roll < 0.25:
        requested_by, basis, action = rng.choice(INVOLVEMENTS)
        return "involvement", {"requested_by": requested_by, "basis": basis, "action": action,
                               "students_involved": rng.randint(1, 3)}
    return "activity", {"activity_type": rng.choice(ACTIVITY_TYPES), "count": rng.randint(1, 5), "topic": "Safety"}


def everyday_counts(rng: random.Random, slots: int, days: int) -> bytearray:
    """How many everyday records fall on each school day: `slots` spread evenly, the remainder at random."""
    base, extra = divmod(max(slots, 0), days)
    counts = bytearray([base]) * days
    for index in rng.sample(range(days), extra):
        counts[index] += 1
    return counts


class YearPlan:
    """Every officer's year, held compactly and written day by day (memory stays small)."""

    def __init__(self, people: dict, per_officer: int, seed: int = 2026):
        self.rng = random.Random(seed)
        self.days = school_days()
        self.officers = people["officers"]
        self.home = {officer: people["schools"][i // OFFICERS_PER_SCHOOL] for i, officer in enumerate(self.officers)}
        self.principal_of = dict(zip(people["schools"], people["principals"]))
        self.specials = [special_records(self.rng, self.days) for _ in self.officers]
        self.everyday = [everyday_counts(self.rng, per_officer - sum(len(v) for v in plan.values()), len(self.days))
                         for plan in self.specials]
        self.change_seq = 0
        self.sampled = 0

    def day_rows(self, index: int) -> list[dict]:
        """One school day's records of every officer, numbered in the order their moments happened."""
        day = self.days[index]
        drafts = []
        for position, officer in enumerate(self.officers):
            kinds = list(self.specials[position].get(index, ()))
            kinds += [everyday_record(self.rng) for _ in range(self.everyday[position][index])]
            for kind, fields in kinds:
                moment = datetime.combine(day, clock(self.rng.randint(7, 20), self.rng.choice((0, 15, 30, 45))),
                                          CENTRAL)
                drafts.append((moment, officer, kind, fields))
        drafts.sort(key=lambda draft: draft[0])
        return [self.row(*draft) for draft in drafts]

    def row(self, moment: datetime, officer: int, kind: str, fields: dict) -> dict:
        school = None if kind == "training" else self.home[officer]
        loaded = {**schema_defaults(kind), "school_id": school, "occurred_at": moment, "duration_minutes": 30,
                  "notes": None, **fields}
        self.change_seq += 1
        if self.change_seq % SAMPLE_EVERY == 1:
            self.prove_push_accepts(kind, loaded)
        synced = (moment + timedelta(minutes=self.rng.randint(5, 240))).astimezone(timezone.utc).replace(tzinfo=None)
        row = {"id": uuid.UUID(int=self.rng.getrandbits(128), version=4), "kind": kind, "owner_id": officer,
               **split_loaded_data(kind, loaded), "version": 1, "voided": False, "void_reason": None,
               "confirmation_status": None, "confirmation_comment": None, "confirmed_by_id": None,
               "confirmed_at": None, "confirmed_version": None, "last_device_id": f"phone-{officer}",
               "created_at": synced, "updated_at": synced, "change_seq": self.change_seq}
        if kind == "principal_meeting":
            self.decide(row, school)
        if self.rng.random() < 0.01:  # entered twice, then voided from the phone
            row.update(voided=True, void_reason="Entered twice", version=2)
        return row

    def decide(self, row: dict, school: int) -> None:
        """Most meetings confirmed by the school's principal the next day, a few disputed, the rest pending."""
        roll = self.rng.random()
        row["confirmation_status"] = "pending"
        if roll < 0.85:
            row.update(confirmation_status="confirmed" if roll < 0.8 else "disputed",
                       confirmation_comment=None if roll < 0.8 else "Not that day",
                       confirmed_by_id=self.principal_of[school], confirmed_at=row["updated_at"] + timedelta(days=1),
                       confirmed_version=1)

    def prove_push_accepts(self, kind: str, loaded: dict) -> None:
        """The client's data, loaded by the kind's marshmallow schema, gives the same columns."""
        sent = {**loaded, "occurred_at": loaded["occurred_at"].isoformat()}
        assert split_loaded_data(kind, data_schema_for(kind).load(sent)) == split_loaded_data(kind, loaded), sent
        self.sampled += 1


def copy_rows(cursor, rows: list[dict]) -> None:
    """COPY the columns the rows set; the others take their server defaults (review state and the like)."""
    names = [name for name in COLUMNS if name in rows[0]]
    with cursor.copy(f"COPY records ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[name]) if name in JSON_COLUMNS else row[name] for name in names])


def record_indexes(connection) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of every secondary index on records, as the migrations made them."""
    return connection.exec_driver_sql(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'records' AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = 'records'::regclass)").all()


def load_year(plan: YearPlan) -> int:
    """Writes the year day by day; PostgreSQL drops the secondary indexes for the COPY and builds them
    again after (one sorted build per index instead of 1.6 million index inserts)."""
    postgres = db.engine.dialect.name == "postgresql"
    connection = db.session.connection()
    indexes = record_indexes(connection) if postgres else []
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    for index in range(len(plan.days)):
        rows = plan.day_rows(index)
        if postgres and rows:
            copy_rows(connection.connection.driver_connection.cursor(), rows)
        elif rows:
            db.session.execute(insert(RECORDS), rows)
    for _, definition in indexes:
        connection.exec_driver_sql(definition)
    db.session.execute(update(ChangeCounter).where(ChangeCounter.id == 1).values(value=plan.change_seq))
    db.session.commit()
    if postgres:
        # What autovacuum does after a load this size: planner statistics and the visibility map.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
            autocommit.exec_driver_sql("VACUUM ANALYZE")
    return plan.change_seq


# --- timing ------------------------------------------------------------------------------------

class StatementLog:
    """The SQL (and parameters) the engine sends while a block runs: the floor replays it raw."""

    def __init__(self):
        self.statements: list[tuple[str, object]] = []

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self.keep)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self.keep)

    def keep(self, _conn, _cursor, statement, parameters, _context, executemany):
        # Reads only: transaction control (SQLite's BEGIN) belongs to the session, not the query.
        if not executemany and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((statement, parameters))


def samples(work, runs: int) -> list[float]:
    work()  # warm caches and the connection pool
    measured = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        measured.append((time.perf_counter() - started) * 1000)
        db.session.rollback()  # each run a fresh transaction, as each request is
    return measured


def replay(statements):
    """The same statements through the driver alone: no SQLAlchemy, no Python laying out the answer."""
    def run():
        cursor = db.session.connection().connection.driver_connection.cursor()
        for statement, parameters in statements:
            cursor.execute(statement, parameters)
            cursor.fetchall()
    return run


def explain(statements) -> None:
    """EXPLAIN ANALYZE of each statement the service sent (PostgreSQL), slowest first."""
    cursor = db.session.connection().connection.driver_connection.cursor()
    plans = []
    for statement, parameters in statements:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        lines = [row[0] for row in cursor.fetchall()]
        total = float(lines[-1].split(":")[1].split()[0]) if lines[-1].startswith("Execution Time") else 0.0
        plans.append((total, statement, lines))
    for total, statement, lines in sorted(plans, key=lambda plan: -plan[0])[:3]:
        print(f"    -- {total:.1f} ms: {' '.join(statement.split())[:140]} ...")
        for line in lines:
            print("      " + line)
    db.session.rollback()


def last_day_cursor(officer: User) -> str:
    """The cursor a phone holds after syncing at the end of the officer's second-to-last record day."""
    last_day = db.session.scalar(select(func.max(RECORDS.c.occurred_on)).where(RECORDS.c.owner_id == officer.id))
    before = db.session.scalar(select(func.max(RECORDS.c.change_seq)).where(RECORDS.c.occurred_on < last_day))
    return pull.encode_cursor(before or 0)


def operations(people: dict) -> list[tuple[str, str, object]]:
    admin = db.session.get(User, people["admin"])
    supervisor = db.session.get(User, people["supervisors"][0])
    officer = db.session.get(User, people["officers"][0])
    cursor = last_day_cursor(officer)
    officers = len(report_scope(supervisor).officer_ids)
    return [
        (f"compliance, one supervisor's {officers} officers", "< 500 ms",
         lambda: compliance_report(report_scope(supervisor), YEAR, AS_OF)),
        ("monthly report, program-wide", "< 2000 ms", lambda: monthly_report(report_scope(admin), YEAR)),
        ("pull, one officer's last day", "< 50 ms", lambda: pull.pull(officer, cursor, PULL_LIMIT)),
    ]


def measure(people: dict, runs: int, show_plans: bool) -> None:
    for label, target, work in operations(people):
        with StatementLog() as log:
            work()
        db.session.rollback()
        measured = samples(work, runs)
        floor = samples(replay(log.statements), runs)
        print(f"  {label:<42} target {target:>9}   measured {spread(measured)}   "
              f"floor (its {len(log.statements)} statements replayed raw) {spread(floor)}")
        if show_plans and db.engine.dialect.name == "postgresql":
            explain(log.statements)
    print(f"  (min / median / max of {runs} runs each)")


def bench(url: str, officers: int, per_officer: int, runs: int, reuse: bool, show_plans: bool) -> None:
    app = migrated_app(url)
    engine = url.split(":", 1)[0].split("+")[0]
    with app.app_context():
        if reuse and db.session.scalar(select(func.count()).select_from(User).where(User.role == "officer")):
            people = existing_people()
            print(f"[{engine}] reusing {len(people['officers'])} officers' year already in the database")
        else:
            started = time.perf_counter()
            people = make_people(officers)
            plan = YearPlan(people, per_officer)
            total = load_year(plan)
            print(f"[{engine}] {officers} officers, {len(people['schools'])} schools, "
                  f"{len(people['supervisors'])} supervisors, {total} records built in "
                  f"{time.perf_counter() - started:.1f} s ({plan.sampled} checked by the push schema)")
        measure(people, runs, show_plans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=2000)
    parser.add_argument("--per-officer", type=int, default=800)
    parser.add_argument("--runs", type=int, default=3)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", default=None, help="an EMPTY database; default: a new SQLite file")
    where.add_argument("--start-postgres", action="store_true", help="run the bench on a throwaway PostgreSQL")
    parser.add_argument("--reuse", action="store_true", help="time a database this bench already filled")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each operation's SQL")
    args = parser.parse_args()
    with database_urls(args.database_url, args.start_postgres) as new_database:
        bench(new_database(), args.officers, args.per_officer, args.runs, args.reuse, args.explain)


if __name__ == "__main__":
    main()
