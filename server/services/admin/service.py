"""The admin rules: schools, term calendars, non-school days, users, links.

The one place these rules are checked, whoever writes: the admin API (records named by id,
the signed-in admin as actor), the command line through server/services/admin/by_name.py
(named by email and school code, an operator as actor) and the demo seeder (a system actor).
The add_*/change_* functions make one checked change inside the caller's transaction; the
create_*/update_* ones run it in one write transaction together with its audit event. A
refusal (AdminRefused) is audited as a failure too. Pure rules live in server/domain/.
"""

import json
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.database import write_transaction
from server.domain.assignments import periods_overlap
from server.domain.calendar import (
    BadSchoolYear, can_be_non_school_day, dates_outside_year, is_time_zone, overlapping_term, parse_school_year,
)
from server.domain.passwords import password_problems
from server.errors import Refused
from server.extensions import db
from server.models import (
    AuditEvent, NonSchoolDay, OfficerAssignment, PrincipalSchool, Record, School, SchoolTerm, Supervision, User,
)
from server.services.identity import second_factor
from server.services.identity.lockout import clear_failures
from server.services.audit import audited, log_event
from server.services.reporting.reports import csv_text


class AdminRefused(Refused):
    """The change cannot be made: status 404/409/422, and the field it is about."""


# Who makes a change: a signed-in admin, or an operator or system label written into the audit
# event instead ("cli:jo" from the command line, "system:seed-demo" from the demo seeder).
Actor = User | str

# The message of migration 0007's trigger: the database's own refusal of overlapping terms.
TERM_OVERLAP = "school_terms_overlap"


def _audited(actor: Actor, action: str, target: str, details: dict, work):
    if isinstance(actor, User):
        return audited(action, target, details, work, refusals=AdminRefused, actor=actor)
    return audited(action, target, details, work, refusals=AdminRefused, email=actor)


def _get(model, object_id: int, label: str):
    found = db.session.get(model, object_id)
    if found is None:
        raise AdminRefused(404, f"No {label} with id {object_id}.")
    return found


def _delete(actor: User, model, object_id: int, label: str, action: str, target: str) -> None:
    """Delete one row by id (404 when there is none), audited."""
    _audited(actor, action, target, {}, lambda session: session.delete(_get(model, object_id, label)))


def _set_checked(session, row, values: dict, check) -> None:
    """Apply the new values, check them against the other rows before anything is flushed, flush."""
    with session.no_autoflush:
        for key, value in values.items():
            setattr(row, key, value)
        check(session, row)
    _flush(session)


def _flush(session) -> None:
    """Flush; when a concurrent writer got in first, the database's own overlap check refuses the
    term the service had passed: answered like the service's refusal."""
    try:
        session.flush()
    except IntegrityError as error:
        if TERM_OVERLAP not in str(error.orig):
            raise
        raise AdminRefused(409, "Overlaps another term of this school and school year.", "starts_on") from error


def _user_with_role(user_id: int, role: str, field: str) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise AdminRefused(422, f"No user with id {user_id}.", field)
    if user.role != role:
        raise AdminRefused(422, f"{user.email} is a {user.role}, not a {role}.", field)
    return user


def _school_exists(school_id: int) -> School:
    school = db.session.get(School, school_id)
    if school is None:
        raise AdminRefused(422, f"No school with id {school_id}.", "school_id")
    return school


def _add_link(session, model, values: dict, clash: str, field: str):
    """A principal-school or supervision link, refused (409 on `field`) when it already exists."""
    if session.scalar(select(model.id).filter_by(**values).limit(1)) is not None:
        raise AdminRefused(409, clash, field)
    row = model(**values)
    session.add(row)
    session.flush()
    return row


def _dump_dates(values: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in values.items()}


# --- schools -----------------------------------------------------------------------------

def school_dict(school: School) -> dict:
    return {"id": school.id, "name": school.name, "code": school.code, "timezone": school.timezone}


def list_schools() -> list[dict]:
    return [school_dict(s) for s in db.session.scalars(select(School).order_by(School.name))]


def _check_school_fields(session, values: dict, school_id: int | None = None) -> None:
    if "timezone" in values and not is_time_zone(values["timezone"]):
        raise AdminRefused(422, f"Unknown time zone {values['timezone']!r}; use an IANA name like "
                                "America/Chicago.", "timezone")
    if "code" in values:
        clash = session.scalar(select(School.id).where(School.code == values["code"], School.id != (school_id or 0)))
        if clash is not None:
            raise AdminRefused(409, f"A school with code {values['code']} already exists.", "code")


def add_school(session, values: dict) -> School:
    _check_school_fields(session, values)
    school = School(**values)
    session.add(school)
    session.flush()
    return school


def create_school(actor: Actor, values: dict) -> dict:
    return _audited(actor, "admin.school_create", f"school:{values['code']}", values,
                    lambda session: school_dict(add_school(session, values)))


def update_school(actor: User, school_id: int, values: dict) -> dict:
    def work(session):
        school = _get(School, school_id, "school")
        _check_school_fields(session, values, school_id)
        for key, value in values.items():
            setattr(school, key, value)
        session.flush()
        return school_dict(school)

    return _audited(actor, "admin.school_update", f"school:{school_id}", values, work)


def delete_school(actor: User, school_id: int) -> None:
    def work(session):
        school = _get(School, school_id, "school")
        if session.scalar(select(func.count()).select_from(Record).where(Record.school_id == school_id)):
            raise AdminRefused(409, "This school has records; records are never deleted, so neither is it.")
        session.delete(school)

    _audited(actor, "admin.school_delete", f"school:{school_id}", {}, work)


# --- term calendars ----------------------------------------------------------------------

def term_dict(term: SchoolTerm) -> dict:
    return {"id": term.id, "school_id": term.school_id, "school_year": term.school_year, "name": term.name,
            "starts_on": term.starts_on, "ends_on": term.ends_on}


def list_terms(school_id: int, school_year: str | None) -> list[dict]:
    _get(School, school_id, "school")
    query = select(SchoolTerm).where(SchoolTerm.school_id == school_id)
    if school_year:
        query = query.where(SchoolTerm.school_year == school_year)
    return [term_dict(t) for t in db.session.scalars(query.order_by(SchoolTerm.starts_on))]


def _check_term_dates(term: SchoolTerm) -> None:
    try:
        outside = dates_outside_year(term)
    except BadSchoolYear as error:  # the API's schema refuses it first; the command line does not
        raise AdminRefused(422, str(error), "school_year") from error
    if term.ends_on < term.starts_on:
        raise AdminRefused(422, "Must end on or after its start.", "ends_on")
    if outside:
        first, last = parse_school_year(term.school_year)
        raise AdminRefused(422, f"Must fall inside the school year {term.school_year} "
                                f"({first.isoformat()} to {last.isoformat()}).", outside[0])


def _check_term(session, term: SchoolTerm) -> None:
    _check_term_dates(term)
    others = list(session.scalars(select(SchoolTerm).where(
        SchoolTerm.school_id == term.school_id, SchoolTerm.school_year == term.school_year,
        SchoolTerm.id != (term.id or 0))))
    if any(other.name == term.name for other in others):
        raise AdminRefused(409, f"This school already has a term named {term.name!r} in {term.school_year}.",
                           "name")
    other = overlapping_term(term, others)
    if other is not None:
        raise AdminRefused(409, f"Overlaps the term {other.name!r} ({other.starts_on.isoformat()} to "
                                f"{other.ends_on.isoformat()}).", "starts_on")


def add_term(session, school_id: int, values: dict) -> SchoolTerm:
    _get(School, school_id, "school")
    term = SchoolTerm(school_id=school_id, **values)
    _check_term(session, term)
    session.add(term)
    _flush(session)
    return term


def create_term(actor: Actor, school_id: int, values: dict) -> dict:
    return _audited(actor, "admin.term_create", f"school:{school_id}", _dump_dates(values),
                    lambda session: term_dict(add_term(session, school_id, values)))


def update_term(actor: User, term_id: int, values: dict) -> dict:
    def work(session):
        term = _get(SchoolTerm, term_id, "term")
        _set_checked(session, term, values, _check_term)
        return term_dict(term)

    return _audited(actor, "admin.term_update", f"term:{term_id}", _dump_dates(values), work)


def delete_term(actor: User, term_id: int) -> None:
    _delete(actor, SchoolTerm, term_id, "term", "admin.term_delete", f"term:{term_id}")


# --- non-school days -----------------------------------------------------------------------

def closed_day_dict(day: NonSchoolDay) -> dict:
    return {"id": day.id, "school_id": day.school_id, "day": day.day, "description": day.description}


def list_closed_days(school_id: int, school_year: str | None) -> list[dict]:
    _get(School, school_id, "school")
    query = select(NonSchoolDay).where(NonSchoolDay.school_id == school_id)
    if school_year:
        first, last = parse_school_year(school_year)
        query = query.where(NonSchoolDay.day >= first, NonSchoolDay.day <= last)
    return [closed_day_dict(d) for d in db.session.scalars(query.order_by(NonSchoolDay.day))]


def add_closed_day(session, school_id: int, values: dict) -> NonSchoolDay:
    _get(School, school_id, "school")
    if not can_be_non_school_day(values["day"]):
        raise AdminRefused(422, "Must be a weekday (Monday to Friday); weekends are never school days.", "day")
    clash = session.scalar(select(NonSchoolDay.id).where(NonSchoolDay.school_id == school_id,
                                                        NonSchoolDay.day == values["day"]))
    if clash is not None:
        raise AdminRefused(409, f"{values['day'].isoformat()} is already a non-school day here.", "day")
    day = NonSchoolDay(school_id=school_id, **values)
    session.add(day)
    session.flush()
    return day


def create_closed_day(actor: Actor, school_id: int, values: dict) -> dict:
    return _audited(actor, "admin.closed_day_create", f"school:{school_id}", _dump_dates(values),
                    lambda session: closed_day_dict(add_closed_day(session, school_id, values)))


def delete_closed_day(actor: User, day_id: int) -> None:
    _delete(actor, NonSchoolDay, day_id, "non-school day", "admin.closed_day_delete", f"closed_day:{day_id}")


# --- users ---------------------------------------------------------------------------------

def user_dict(user: User) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role, "active": user.active,
            "locked_until": user.locked_until, "last_login_at": user.last_login_at, "created_at": user.created_at,
            "second_factor_enabled": user.has_second_factor}


def list_users(role: str | None, active: bool | None) -> list[dict]:
    query = select(User)
    if role:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    return [user_dict(u) for u in db.session.scalars(query.order_by(User.name, User.id))]


def get_user(user_id: int) -> dict:
    return user_dict(_get(User, user_id, "user"))


def _check_password(password: str, email: str) -> None:
    problems = password_problems(password, email)
    if problems:
        raise AdminRefused(422, " ".join(problems), "password")


def add_user(session, values: dict) -> User:
    email = User.normalise_email(values["email"])
    _check_password(values["password"], email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AdminRefused(409, f"A user with email {email} already exists.", "email")
    user = User(email=email, name=values["name"].strip(), role=values["role"])
    user.set_password(values["password"])
    session.add(user)
    session.flush()
    return user


def create_user(actor: Actor, values: dict) -> dict:
    return _audited(actor, "admin.user_create", f"user:{User.normalise_email(values['email'])}",
                    {"role": values["role"]}, lambda session: user_dict(add_user(session, values)))


def _links_of(session, user: User) -> list[str]:
    """What ties a user to their current role (assignments, schools, supervision)."""
    checks = (
        ("officer assignments", select(func.count()).select_from(OfficerAssignment)
         .where(OfficerAssignment.officer_id == user.id)),
        ("principal schools", select(func.count()).select_from(PrincipalSchool)
         .where(PrincipalSchool.principal_id == user.id)),
        ("supervised officers", select(func.count()).select_from(Supervision)
         .where(Supervision.supervisor_id == user.id)),
        ("supervisors", select(func.count()).select_from(Supervision).where(Supervision.officer_id == user.id)),
    )
    return [label for label, query in checks if session.scalar(query)]


def update_user(actor: User, user_id: int, values: dict) -> dict:
    def work(session):
        user = _get(User, user_id, "user")
        if "role" in values and values["role"] != user.role:
            if user.id == actor.id:
                raise AdminRefused(409, "You cannot change your own role.", "role")
            links = _links_of(session, user)
            if links:
                raise AdminRefused(409, f"Remove this user's {', '.join(links)} before changing the role.", "role")
            user.role = values["role"]
            user.session_epoch += 1  # a new role starts with a new sign-in
        if "name" in values:
            user.name = values["name"].strip()
        if "active" in values and values["active"] != user.active:
            change_active(user, values["active"], actor)
        session.flush()
        return user_dict(user)

    return _audited(actor, "admin.user_update", f"user:{user_id}", values, work)


def change_active(user: User, active: bool, actor: Actor) -> None:
    if not active and isinstance(actor, User) and user.id == actor.id:
        raise AdminRefused(409, "You cannot deactivate your own account.", "active")
    user.active = active
    if not active:
        user.session_epoch += 1  # open sessions stop working at once


def set_active(actor: User, user_id: int, active: bool) -> dict:
    def work(session):
        user = _get(User, user_id, "user")
        change_active(user, active, actor)
        session.flush()
        return user_dict(user)

    action = "admin.user_reactivate" if active else "admin.user_deactivate"
    return _audited(actor, action, f"user:{user_id}", {}, work)


def change_password(user: User, password: str) -> None:
    _check_password(password, user.email)
    user.set_password(password)  # also ends the user's open sessions
    clear_failures(user)


def reset_password(actor: User, user_id: int, password: str) -> dict:
    def work(session):
        user = _get(User, user_id, "user")
        change_password(user, password)
        session.flush()
        return user_dict(user)

    return _audited(actor, "admin.user_reset_password", f"user:{user_id}", {}, work)


def reset_second_factor(actor: User, user_id: int) -> dict:
    """For a lost phone with the recovery codes gone: the user signs in with the password and sets
    up a new app. Their open sessions end."""
    def work(session):
        user = _get(User, user_id, "user")
        if user.id == actor.id:
            raise AdminRefused(409, "Turn your own authenticator app off on your security page; another admin "
                                    "can reset it if the phone is lost.")
        remove_second_factor(user)
        session.flush()
        return user_dict(user)

    return _audited(actor, "admin.user_second_factor_reset", f"user:{user_id}", {}, work)


def remove_second_factor(user: User) -> None:
    if not user.has_second_factor:
        raise AdminRefused(409, f"{user.email} has no authenticator app set up.")
    second_factor.reset(user)


# --- officer assignments, principals, supervision ----------------------------------------

def assignment_dict(row: OfficerAssignment) -> dict:
    return {"id": row.id, "officer_id": row.officer_id, "school_id": row.school_id, "starts_on": row.starts_on,
            "ends_on": row.ends_on}


def list_assignments(officer_id: int | None, school_id: int | None) -> list[dict]:
    query = select(OfficerAssignment)
    if officer_id is not None:
        query = query.where(OfficerAssignment.officer_id == officer_id)
    if school_id is not None:
        query = query.where(OfficerAssignment.school_id == school_id)
    return [assignment_dict(a) for a in db.session.scalars(
        query.order_by(OfficerAssignment.officer_id, OfficerAssignment.starts_on))]


def _check_assignment(session, row: OfficerAssignment) -> None:
    if row.ends_on is not None and row.ends_on < row.starts_on:
        raise AdminRefused(422, "Must end on or after its start.", "ends_on")
    others = session.scalars(select(OfficerAssignment).where(
        OfficerAssignment.officer_id == row.officer_id, OfficerAssignment.school_id == row.school_id,
        OfficerAssignment.id != (row.id or 0)))
    for other in others:
        if periods_overlap(row.starts_on, row.ends_on, other.starts_on, other.ends_on):
            raise AdminRefused(409, f"The officer is already assigned to this school from "
                                    f"{other.starts_on.isoformat()}; the periods would overlap.", "starts_on")


def add_assignment(session, values: dict) -> OfficerAssignment:
    _user_with_role(values["officer_id"], "officer", "officer_id")
    _school_exists(values["school_id"])
    row = OfficerAssignment(**values)
    _check_assignment(session, row)
    session.add(row)
    session.flush()
    return row


def create_assignment(actor: Actor, values: dict) -> dict:
    return _audited(actor, "admin.assignment_create", f"user:{values['officer_id']}", _dump_dates(values),
                    lambda session: assignment_dict(add_assignment(session, values)))


def update_assignment(actor: User, assignment_id: int, values: dict) -> dict:
    def work(session):
        row = _get(OfficerAssignment, assignment_id, "assignment")
        _set_checked(session, row, values, _check_assignment)
        return assignment_dict(row)

    return _audited(actor, "admin.assignment_update", f"assignment:{assignment_id}", _dump_dates(values), work)


def delete_assignment(actor: User, assignment_id: int) -> None:
    _delete(actor, OfficerAssignment, assignment_id, "assignment", "admin.assignment_delete",
            f"assignment:{assignment_id}")


def principal_dict(row: PrincipalSchool) -> dict:
    return {"id": row.id, "principal_id": row.principal_id, "school_id": row.school_id}


def list_principal_schools(school_id: int | None) -> list[dict]:
    query = select(PrincipalSchool).order_by(PrincipalSchool.school_id, PrincipalSchool.principal_id)
    if school_id is not None:
        query = query.where(PrincipalSchool.school_id == school_id)
    return [principal_dict(p) for p in db.session.scalars(query)]


def add_principal_school(session, values: dict) -> PrincipalSchool:
    _user_with_role(values["principal_id"], "principal", "principal_id")
    _school_exists(values["school_id"])
    return _add_link(session, PrincipalSchool, values, "This principal already acts for this school.", "school_id")


def create_principal_school(actor: Actor, values: dict) -> dict:
    return _audited(actor, "admin.principal_school_create", f"user:{values['principal_id']}", values,
                    lambda session: principal_dict(add_principal_school(session, values)))


def delete_principal_school(actor: User, link_id: int) -> None:
    _delete(actor, PrincipalSchool, link_id, "principal-school link", "admin.principal_school_delete",
            f"principal_school:{link_id}")


def supervision_dict(row: Supervision) -> dict:
    return {"id": row.id, "supervisor_id": row.supervisor_id, "officer_id": row.officer_id}


def list_supervisions(supervisor_id: int | None) -> list[dict]:
    query = select(Supervision).order_by(Supervision.supervisor_id, Supervision.officer_id)
    if supervisor_id is not None:
        query = query.where(Supervision.supervisor_id == supervisor_id)
    return [supervision_dict(s) for s in db.session.scalars(query)]


def add_supervision(session, values: dict) -> Supervision:
    _user_with_role(values["supervisor_id"], "supervisor", "supervisor_id")
    _user_with_role(values["officer_id"], "officer", "officer_id")
    return _add_link(session, Supervision, values, "This supervisor already supervises this officer.", "officer_id")


def create_supervision(actor: Actor, values: dict) -> dict:
    return _audited(actor, "admin.supervision_create", f"user:{values['supervisor_id']}", values,
                    lambda session: supervision_dict(add_supervision(session, values)))


def delete_supervision(actor: User, link_id: int) -> None:
    _delete(actor, Supervision, link_id, "supervision", "admin.supervision_delete", f"supervision:{link_id}")


# --- the audit log ---------------------------------------------------------------------------

AUDIT_EXPORT_MAX_ROWS = 100_000
AUDIT_COLUMNS = ["id", "at", "actor_id", "actor_email", "action", "target", "outcome", "ip", "details",
                 "actor_name", "target_name", "detail_names"]
# Details keys that hold the id of a person or a school, named in the audit page and CSV.
_PERSON_KEYS = {"officer_id", "principal_id", "supervisor_id", "user_id", "actor_id"}
_SCHOOL_KEYS = {"school_id"}


def _audit_query(args: dict):
    query = select(AuditEvent)
    if args.get("action"):
        action = args["action"].strip()
        # "user_create" finds "admin.user_create": the name with or without its prefix.
        if "." in action:
            query = query.where(AuditEvent.action == action)
        else:
            query = query.where((AuditEvent.action == action) | AuditEvent.action.endswith("." + action, autoescape=True))
    if args.get("actor_id") is not None:
        query = query.where(AuditEvent.actor_id == args["actor_id"])
    if args.get("since") is not None:
        query = query.where(AuditEvent.at >= args["since"])
    if args.get("until") is not None:
        query = query.where(AuditEvent.at <= args["until"])
    return query


def _as_id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return None


class _AuditNames:
    """People and schools named by id (or email, or school code) in a batch of events, looked up
    in two queries: targets like "user:5" or "school:NHS" and details like officer_id: 7."""

    def __init__(self, events: list[AuditEvent]):
        user_ids, emails, school_ids, codes = set(), set(), set(), set()
        for event in events:
            if event.actor_id is not None:
                user_ids.add(event.actor_id)
            kind, _, key = (event.target or "").partition(":")
            if kind == "user":
                (user_ids.add(_as_id(key)) if _as_id(key) is not None else emails.add(key.lower()))
            elif kind == "school":
                (school_ids.add(_as_id(key)) if _as_id(key) is not None else codes.add(key))
            for name, value in (event.details or {}).items():
                if name in _PERSON_KEYS and _as_id(value) is not None:
                    user_ids.add(_as_id(value))
                elif name in _SCHOOL_KEYS and _as_id(value) is not None:
                    school_ids.add(_as_id(value))
        self.users, self.users_by_email, self.schools, self.schools_by_code = {}, {}, {}, {}
        if user_ids or emails:
            for user in db.session.scalars(select(User).where(User.id.in_(user_ids) | User.email.in_(emails))):
                self.users[user.id] = user
                self.users_by_email[user.email.lower()] = user
        if school_ids or codes:
            for school in db.session.scalars(select(School).where(School.id.in_(school_ids) | School.code.in_(codes))):
                self.schools[school.id] = school
                self.schools_by_code[school.code] = school

    @staticmethod
    def _person(user) -> str | None:
        return f"{user.name} ({user.email})" if user else None

    def actor(self, event: AuditEvent) -> str | None:
        return self.users[event.actor_id].name if event.actor_id in self.users else None

    def target(self, event: AuditEvent) -> str | None:
        kind, _, key = (event.target or "").partition(":")
        if kind == "user":
            number = _as_id(key)
            return self._person(self.users.get(number) if number is not None else self.users_by_email.get(key.lower()))
        if kind == "school":
            number = _as_id(key)
            school = self.schools.get(number) if number is not None else self.schools_by_code.get(key)
            return f"{school.name} ({school.code})" if school else None
        return None

    def details(self, event: AuditEvent) -> dict:
        names = {}
        for name, value in (event.details or {}).items():
            number = _as_id(value)
            if name in _PERSON_KEYS and number in self.users:
                names[name] = self._person(self.users[number])
            elif name in _SCHOOL_KEYS and number in self.schools:
                names[name] = self.schools[number].name
        return names


def audit_page(args: dict) -> dict:
    query = _audit_query(args)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    events = list(db.session.scalars(
        query.order_by(AuditEvent.id.desc()).limit(args["limit"]).offset(args["offset"])))
    names = _AuditNames(events)
    items = [{"id": e.id, "at": e.at, "actor_id": e.actor_id, "actor_email": e.actor_email,
              "actor_name": names.actor(e), "action": e.action, "target": e.target,
              "target_name": names.target(e), "outcome": e.outcome, "ip": e.ip, "details": e.details,
              "detail_names": names.details(e)} for e in events]
    return {"items": items, "total": total, "limit": args["limit"], "offset": args["offset"]}


def audit_events_csv(events, names: "_AuditNames | None" = None) -> str:
    """Events as CSV; their text (a typed sign-in email, an operator's name) is defused like any export.
    The last three columns name the people and schools the ids stand for (from `names`; empty without)."""
    events = list(events)
    names = names or _AuditNames([])
    return csv_text(AUDIT_COLUMNS, (
        [e.id, e.at.isoformat() + "Z", e.actor_id, e.actor_email, e.action, e.target, e.outcome, e.ip,
         json.dumps(e.details, sort_keys=True), names.actor(e), names.target(e),
         json.dumps(names.details(e), sort_keys=True) if names.details(e) else ""] for e in events))


def audit_csv(actor: User, args: dict) -> str:
    """The filtered audit log as CSV, newest first; exporting it is itself audited."""
    events = list(db.session.scalars(_audit_query(args).order_by(AuditEvent.id.desc()).limit(AUDIT_EXPORT_MAX_ROWS)))
    body = audit_events_csv(events, _AuditNames(events))
    filters = {key: (value.isoformat() if hasattr(value, "isoformat") else value)
               for key, value in args.items() if value is not None and key not in ("limit", "offset")}
    with write_transaction():
        log_event("audit.export", "success", actor=actor, target="audit_events", details={"filters": filters})
    return body
