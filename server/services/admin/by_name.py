"""The command line's front to the admin service: users named by email, schools by code.

It resolves the names to ids and makes the change through server/services/admin/service.py,
where every rule lives, so a term, a non-school day or an assignment passes the same checks
from here as from the admin API. Each function runs one write transaction with its audit
event (the command line's own action names, actor "cli:<operator>"); a refusal is audited as
a failure, then raised as AdminError for the command to print.
"""

from datetime import date

from sqlalchemy import select

from server.extensions import db
from server.models import ROLES, School, User
from server.services.admin import service
from server.services.admin.service import AdminRefused
from server.services.audit import audited


class AdminError(ValueError):
    """The request cannot be carried out; the message says why."""


def _audited(action: str, actor: str, target: str, details: dict, work):
    try:
        return audited(action, target, details, work, refusals=AdminRefused, email=actor)
    except AdminRefused as refusal:
        # The field the API would name is the thing the operator has to change.
        raise AdminError(f"{refusal.field}: {refusal.message}" if refusal.field else refusal.message) from refusal


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == User.normalise_email(email)))
    if user is None:
        raise AdminRefused(404, f"No user with email {email}.")
    return user


def _school_id(code: str) -> int:
    school_id = db.session.scalar(select(School.id).where(School.code == code))
    if school_id is None:
        raise AdminRefused(404, f"No school with code {code}.")
    return school_id


def _check_user_input(address: str, name: str, role: str) -> None:
    """What the API's schema checks before its service is called."""
    if role not in ROLES:
        raise AdminRefused(422, f"Role must be one of: {', '.join(ROLES)}.", "role")
    if "@" not in address or len(address) > 254:
        raise AdminRefused(422, f"{address!r} is not an email address.", "email")
    if not name.strip():
        raise AdminRefused(422, "Name is required.", "name")


def create_user(email: str, name: str, role: str, password: str, *, actor: str) -> int:
    address = User.normalise_email(email)

    def work(session):
        _check_user_input(address, name, role)
        values = {"email": address, "name": name, "role": role, "password": password}
        return service.add_user(session, values).id

    return _audited("admin.user_create", actor, f"user:{address}", {"role": role}, work)


def set_password(email: str, password: str, *, actor: str) -> None:
    _audited("admin.user_set_password", actor, f"user:{User.normalise_email(email)}", {},
             lambda _session: service.change_password(_user(email), password))


def deactivate_user(email: str, *, actor: str) -> None:
    def work(_session):
        user = _user(email)
        if not user.active:  # the command says "deactivate": doing it twice is a mistake worth telling
            raise AdminRefused(409, f"{user.email} is already deactivated.")
        service.change_active(user, False, actor)

    _audited("admin.user_deactivate", actor, f"user:{User.normalise_email(email)}", {}, work)


def reset_second_factor(email: str, *, actor: str) -> None:
    """The last way back in when an admin has lost both the phone and the recovery codes."""
    _audited("admin.user_second_factor_reset", actor, f"user:{User.normalise_email(email)}", {},
             lambda _session: service.remove_second_factor(_user(email)))


def create_school(name: str, code: str, timezone: str, *, actor: str) -> int:
    def work(session):
        if not name.strip() or not code.strip():
            raise AdminRefused(422, "Name and code are required.")
        return service.add_school(session, {"name": name.strip(), "code": code.strip(), "timezone": timezone}).id

    return _audited("admin.school_create", actor, f"school:{code}", {"name": name, "timezone": timezone}, work)


def add_term(code: str, school_year: str, name: str, starts_on: date, ends_on: date, *, actor: str) -> None:
    values = {"school_year": school_year, "name": name, "starts_on": starts_on, "ends_on": ends_on}
    _audited("admin.term_add", actor, f"school:{code}",
             {"school_year": school_year, "name": name, "starts_on": starts_on.isoformat(),
              "ends_on": ends_on.isoformat()},
             lambda session: service.add_term(session, _school_id(code), values))


def add_closed_day(code: str, day: date, description: str, *, actor: str) -> None:
    _audited("admin.closed_day_add", actor, f"school:{code}", {"day": day.isoformat(), "description": description},
             lambda session: service.add_closed_day(session, _school_id(code),
                                                    {"day": day, "description": description}))


def assign_officer(officer_email: str, code: str, starts_on: date, ends_on: date | None, *, actor: str) -> None:
    def work(session):
        values = {"officer_id": _user(officer_email).id, "school_id": _school_id(code), "starts_on": starts_on,
                  "ends_on": ends_on}
        service.add_assignment(session, values)

    _audited("admin.assign_officer", actor, f"user:{User.normalise_email(officer_email)}",
             {"school": code, "from": starts_on.isoformat(), "until": ends_on.isoformat() if ends_on else None},
             work)


def assign_principal(principal_email: str, code: str, *, actor: str) -> None:
    _audited("admin.assign_principal", actor, f"user:{User.normalise_email(principal_email)}", {"school": code},
             lambda session: service.add_principal_school(
                 session, {"principal_id": _user(principal_email).id, "school_id": _school_id(code)}))


def assign_supervisor(supervisor_email: str, officer_email: str, *, actor: str) -> None:
    _audited("admin.assign_supervisor", actor, f"user:{User.normalise_email(supervisor_email)}",
             {"officer": User.normalise_email(officer_email)},
             lambda session: service.add_supervision(
                 session, {"supervisor_id": _user(supervisor_email).id, "officer_id": _user(officer_email).id}))
