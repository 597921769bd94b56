"""Who belongs where: schools a user acts for, officers a user may see."""

from sqlalchemy import select

from server.extensions import db
from server.models import OfficerAssignment, PrincipalSchool, School, Supervision, User


def officer_assignments(officer_id: int) -> list[OfficerAssignment]:
    return list(db.session.scalars(
        select(OfficerAssignment).where(OfficerAssignment.officer_id == officer_id)
        .order_by(OfficerAssignment.starts_on)
    ))


def principal_school_ids(principal_id: int) -> list[int]:
    return list(db.session.scalars(
        select(PrincipalSchool.school_id).where(PrincipalSchool.principal_id == principal_id)
    ))


def supervised_officer_ids(supervisor_id: int) -> list[int]:
    return list(db.session.scalars(
        select(Supervision.officer_id).where(Supervision.supervisor_id == supervisor_id)
    ))


def _school_summary(school: School) -> dict:
    return {"id": school.id, "name": school.name, "code": school.code, "timezone": school.timezone}


def schools_for(user: User) -> list[dict]:
    """The schools a user works with, as the sign-in answer lists them."""
    if user.role == "officer":
        return [
            {**_school_summary(a.school), "assigned_from": a.starts_on.isoformat(),
             "assigned_until": a.ends_on.isoformat() if a.ends_on else None}
            for a in officer_assignments(user.id)
        ]
    if user.role == "principal":
        ids = principal_school_ids(user.id)
    elif user.role == "supervisor":
        officer_ids = supervised_officer_ids(user.id)
        ids = list(db.session.scalars(
            select(OfficerAssignment.school_id).where(OfficerAssignment.officer_id.in_(officer_ids)).distinct()
        ))
    else:
        ids = list(db.session.scalars(select(School.id)))
    schools = db.session.scalars(select(School).where(School.id.in_(ids)).order_by(School.name))
    return [_school_summary(s) for s in schools]
