"""Administration for real deployments: users, schools, calendars and assignments.

Every function runs one write transaction and writes an audit event (who, what,
outcome); a refusal raises AdminError after its failure is audited too.
"""

from datetime import date

from sqlalchemy import select

from server.extensions import db
from server.models import (
    ROLES, NonSchoolDay, OfficerAssignment, PrincipalSchool, School, SchoolTerm, Supervision, User,
)
from server.services.identity import second_factor
from server.services.audit import audited
from server.services.identity.passwords import password_problems


class AdminError(ValueError):
    """The request cannot be carried out; the message says why."""


def _audited(action: str, actor: str, target: str, details: dict, work):
    return audited(action, target, details, work, refusals=AdminError, email=actor)


def _user(email: str, role: str | None = None) -> User:
    user = db.session.scalar(select(User).where(User.email == User.normalise_email(email)))
    if user is None:
        raise AdminError(f"No user with email {email}.")
    if role and user.role != role:
        raise AdminError(f"{user.email} is a {user.role}, not a {role}.")
    return user


def _school(code: str) -> School:
    school = db.session.scalar(select(School).where(School.code == code))
    if school is None:
        raise AdminError(f"No school with code {code}.")
    return school


def _check_password(password: str, email: str) -> None:
    problems = password_problems(password, email)
    if problems:
        raise AdminError("Password refused: " + " ".join(problems))


def create_user(email: str, name: str, role: str, password: str, *, actor: str) -> int:
    address = User.normalise_email(email)

    def work(session):
        if role not in ROLES:
            raise AdminError(f"Role must be one of: {', '.join(ROLES)}.")
        if "@" not in address or len(address) > 254:
            raise AdminError(f"{email!r} is not an email address.")
        if not name.strip():
            raise AdminError("Name is required.")
        _check_password(password, address)
        if session.scalar(select(User.id).where(User.email == address)) is not None:
            raise AdminError(f"A user with email {address} already exists.")
        user = User(email=address, name=name.strip(), role=role)
        user.set_password(password)
        session.add(user)
        session.flush()
        return user.id

    return _audited("admin.user_create", actor, f"user:{address}", {"role": role}, work)


def set_password(email: str, password: str, *, actor: str) -> None:
    def work(_session):
        user = _user(email)
        _check_password(password, user.email)
        user.set_password(password)  # also ends the user's open sessions
        user.failed_logins = 0
        user.locked_until = None

    _audited("admin.user_set_password", actor, f"user:{User.normalise_email(email)}", {}, work)


def deactivate_user(email: str, *, actor: str) -> None:
    def work(_session):
        user = _user(email)
        if not user.active:
            raise AdminError(f"{user.email} is already deactivated.")
        user.active = False
        user.session_epoch += 1  # sessions already open stop working at once

    _audited("admin.user_deactivate", actor, f"user:{User.normalise_email(email)}", {}, work)


def reset_second_factor(email: str, *, actor: str) -> None:
    """The last way back in when an admin has lost both the phone and the recovery codes."""
    def work(_session):
        user = _user(email)
        if not user.has_second_factor:
            raise AdminError(f"{user.email} has no authenticator app set up.")
        second_factor.reset(user)

    _audited("admin.user_second_factor_reset", actor, f"user:{User.normalise_email(email)}", {}, work)


def create_school(name: str, code: str, timezone: str, *, actor: str) -> int:
    def work(session):
        if not name.strip() or not code.strip():
            raise AdminError("Name and code are required.")
        _check_timezone(timezone)
        if session.scalar(select(School.id).where(School.code == code)) is not None:
            raise AdminError(f"A school with code {code} already exists.")
        school = School(name=name.strip(), code=code.strip(), timezone=timezone)
        session.add(school)
        session.flush()
        return school.id

    return _audited("admin.school_create", actor, f"school:{code}", {"name": name, "timezone": timezone}, work)


def _check_timezone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise AdminError(f"Unknown time zone {name!r} (use an IANA name like America/Chicago).") from error


def add_term(code: str, school_year: str, name: str, starts_on: date, ends_on: date, *, actor: str) -> None:
    def work(session):
        school = _school(code)
        if ends_on < starts_on:
            raise AdminError("The term must end on or after its start.")
        first, _, second = school_year.partition("-")
        if not (first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
            raise AdminError("School year must look like 2026-2027.")
        if session.scalar(select(SchoolTerm.id).where(SchoolTerm.school_id == school.id,
                                                     SchoolTerm.school_year == school_year,
                                                     SchoolTerm.name == name)) is not None:
            raise AdminError(f"{code} already has a term {name!r} in {school_year}.")
        session.add(SchoolTerm(school_id=school.id, school_year=school_year, name=name,
                               starts_on=starts_on, ends_on=ends_on))

    _audited("admin.term_add", actor, f"school:{code}",
             {"school_year": school_year, "name": name, "starts_on": starts_on.isoformat(),
              "ends_on": ends_on.isoformat()}, work)


def add_closed_day(code: str, day: date, description: str, *, actor: str) -> None:
    def work(session):
        school = _school(code)
        if session.scalar(select(NonSchoolDay.id).where(NonSchoolDay.school_id == school.id,
                                                       NonSchoolDay.day == day)) is not None:
            raise AdminError(f"{day.isoformat()} is already a non-school day at {code}.")
        session.add(NonSchoolDay(school_id=school.id, day=day, description=description))

    _audited("admin.closed_day_add", actor, f"school:{code}", {"day": day.isoformat(), "description": description},
             work)


def assign_officer(officer_email: str, code: str, starts_on: date, ends_on: date | None, *, actor: str) -> None:
    def work(session):
        officer = _user(officer_email, "officer")
        school = _school(code)
        if ends_on is not None and ends_on < starts_on:
            raise AdminError("--until must be on or after --from.")
        for existing in session.scalars(select(OfficerAssignment).where(
                OfficerAssignment.officer_id == officer.id, OfficerAssignment.school_id == school.id)):
            overlaps = (existing.ends_on is None or existing.ends_on >= starts_on) and \
                       (ends_on is None or existing.starts_on <= ends_on)
            if overlaps:
                raise AdminError(f"{officer.email} is already assigned to {code} from "
                                 f"{existing.starts_on.isoformat()}.")
        session.add(OfficerAssignment(officer_id=officer.id, school_id=school.id, starts_on=starts_on,
                                      ends_on=ends_on))

    _audited("admin.assign_officer", actor, f"user:{User.normalise_email(officer_email)}",
             {"school": code, "from": starts_on.isoformat(), "until": ends_on.isoformat() if ends_on else None},
             work)


def assign_principal(principal_email: str, code: str, *, actor: str) -> None:
    def work(session):
        principal = _user(principal_email, "principal")
        school = _school(code)
        if session.scalar(select(PrincipalSchool.id).where(PrincipalSchool.principal_id == principal.id,
                                                          PrincipalSchool.school_id == school.id)) is not None:
            raise AdminError(f"{principal.email} already acts for {code}.")
        session.add(PrincipalSchool(principal_id=principal.id, school_id=school.id))

    _audited("admin.assign_principal", actor, f"user:{User.normalise_email(principal_email)}", {"school": code},
             work)


def assign_supervisor(supervisor_email: str, officer_email: str, *, actor: str) -> None:
    def work(session):
        supervisor = _user(supervisor_email, "supervisor")
        officer = _user(officer_email, "officer")
        if session.scalar(select(Supervision.id).where(Supervision.supervisor_id == supervisor.id,
                                                      Supervision.officer_id == officer.id)) is not None:
            raise AdminError(f"{supervisor.email} already supervises {officer.email}.")
        session.add(Supervision(supervisor_id=supervisor.id, officer_id=officer.id))

    _audited("admin.assign_supervisor", actor, f"user:{User.normalise_email(supervisor_email)}",
             {"officer": User.normalise_email(officer_email)}, work)
