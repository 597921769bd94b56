"""A principal's semester feedback on each officer serving their school (KY 25, 26; docs/program.md).

Once per semester a principal rates how well the officer builds relationships and responds
(1 to 5), says whether the officer stayed out of school discipline (yes, mostly, no) and may add a
comment. The semester is the school's term on the day of answering (a break belongs to the term
before it). One answer per principal, officer, school, school year and term: answering again
replaces the earlier answer (the form says so), so a principal can correct a slip; an officer
shared by two of the principal's schools is due one answer at each school. Who reads answers is
`access/visibility.py` `feedback_visible_to`; the officer sees the ratings and the comment without
the principal's name (services/reporting/program.py), though a school has one principal.
Every answer is audited, without its comment.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from server import clock
from server.database import write_transaction
from server.domain.assignments import periods_overlap
from server.errors import Refused
from server.extensions import db
from server.models import OfficerAssignment, PrincipalFeedback, School, User
from server.models.base import utcnow
from server.services.access.directory import principal_school_ids
from server.services.access.visibility import feedback_visible_to
from server.services.audit import log_event, log_records_read
from server.services.reporting.calendar import current_school_year_on, load_calendars
from server.services.sync.record_shapes import iso_utc

FEEDBACK = PrincipalFeedback.__table__
ANSWER_FIELDS = ("relationships", "responsiveness", "stayed_out_of_discipline", "comment")


class FeedbackRefused(Refused):
    """The answer cannot be taken: `status` 404 (no such officer at the principal's school),
    422 (no semester at the school today), `field` names what is wrong; or 409 with no field when
    two first answers for the same semester arrived at once and the other one was kept."""


@dataclass(frozen=True)
class Semester:
    school_year: str
    term: str
    starts_on: date
    ends_on: date


def _semesters(school_ids, today: date) -> dict[int, Semester]:
    """Each school's term on `today` (a break belongs to the term before it); a school with no
    term today is left out. The calendars of all the schools are loaded at once."""
    if not school_ids:
        return {}
    school_year = current_school_year_on(today)
    semesters = {}
    for school_id, calendar in load_calendars(school_ids, school_year).items():
        term = calendar.term_of(today)
        if term is not None:
            semesters[school_id] = Semester(school_year, term.name, term.starts_on, term.ends_on)
    return semesters


def current_semester(school_id: int, today: date) -> Semester | None:
    """The school's term on `today` (a break belongs to the term before it), or None."""
    return _semesters({school_id}, today).get(school_id)


def _in_semester(starts: date, ends: date | None, semester: Semester, today: date) -> bool:
    """An assignment period covers some day of the semester up to today."""
    return periods_overlap(starts, ends, semester.starts_on, min(today, semester.ends_on))


def _serves(officer_id: int, school_id: int, semester: Semester, today: date) -> bool:
    """The officer was assigned to the school on some day of the semester up to today."""
    return any(_in_semester(row.starts_on, row.ends_on, semester, today) for row in db.session.execute(
        select(OfficerAssignment.starts_on, OfficerAssignment.ends_on)
        .where(OfficerAssignment.officer_id == officer_id, OfficerAssignment.school_id == school_id)))


def _officers_serving(semesters: dict[int, Semester], today: date) -> dict[int, list[tuple[int, str]]]:
    """School id -> (id, name) of each officer serving it this semester, by name: one query."""
    serving: dict[int, list[tuple[int, str]]] = {school_id: [] for school_id in semesters}
    if not semesters:
        return serving
    rows = db.session.execute(
        select(User.id, User.name, OfficerAssignment.school_id, OfficerAssignment.starts_on, OfficerAssignment.ends_on)
        .join(OfficerAssignment, OfficerAssignment.officer_id == User.id)
        .where(OfficerAssignment.school_id.in_(sorted(semesters)), User.role == "officer")
        .order_by(User.name, User.id))
    for row in rows:
        officers = serving[row.school_id]
        already = bool(officers) and officers[-1][0] == row.id  # an officer's periods come together
        if not already and _in_semester(row.starts_on, row.ends_on, semesters[row.school_id], today):
            officers.append((row.id, row.name))
    return serving


def _checked_semester(principal: User, officer_id: int, school_id: int, today: date) -> Semester:
    if school_id not in principal_school_ids(principal.id):
        raise FeedbackRefused(404, "You may give feedback at your own school only.", "school_id")
    semester = current_semester(school_id, today)
    if semester is None:
        raise FeedbackRefused(422, "No semester at this school today: an administrator must add the "
                                   "school's terms first.", "school_id")
    officer = db.session.get(User, officer_id)
    if officer is None or officer.role != "officer" or not _serves(officer_id, school_id, semester, today):
        raise FeedbackRefused(404, "No such officer serving your school this semester.", "officer_id")
    return semester


def give_feedback(principal: User, answer: dict) -> dict:
    """Record (or replace) the principal's answer for this semester; returns it and whether it
    replaced an earlier one."""
    today = clock.today()
    try:
        with write_transaction():
            principal = db.session.get(User, principal.id)
            semester = _checked_semester(principal, answer["officer_id"], answer["school_id"], today)
            row = db.session.scalar(select(PrincipalFeedback).where(
                PrincipalFeedback.principal_id == principal.id, PrincipalFeedback.officer_id == answer["officer_id"],
                PrincipalFeedback.school_id == answer["school_id"],
                PrincipalFeedback.school_year == semester.school_year, PrincipalFeedback.term == semester.term))
            replaced = row is not None
            if row is None:
                row = PrincipalFeedback(principal_id=principal.id, officer_id=answer["officer_id"],
                                        school_id=answer["school_id"], school_year=semester.school_year,
                                        term=semester.term)
                db.session.add(row)
            for name in ANSWER_FIELDS:
                setattr(row, name, answer[name])
            row.updated_at = utcnow()
            db.session.flush()
            log_event("feedback.replaced" if replaced else "feedback.given", "success", actor=principal,
                      target=f"officer:{answer['officer_id']}",
                      details={"school_id": answer["school_id"], "school_year": semester.school_year,
                               "term": semester.term, "relationships": row.relationships,
                               "responsiveness": row.responsiveness,
                               "stayed_out_of_discipline": row.stayed_out_of_discipline})
            feedback_id = row.id
    except IntegrityError as error:
        raise FeedbackRefused(409, "Another answer for this officer and semester was saved at the same moment; "
                                   "reload and answer again to replace it.") from error
    return {"feedback": list_feedback(principal, feedback_id=feedback_id)[0], "replaced": replaced}


def list_feedback(user: User, *, officer_id: int | None = None, school_year: str | None = None,
                  feedback_id: int | None = None, with_principal: bool = True) -> list[dict]:
    """The answers `user` may read, newest semester first; narrowed by the optional filters (an
    officer outside the user's scope simply matches nothing)."""
    officer, principal = aliased(User), aliased(User)
    conditions = [feedback_visible_to(user)]
    if officer_id is not None:
        conditions.append(FEEDBACK.c.officer_id == officer_id)
    if school_year is not None:
        conditions.append(FEEDBACK.c.school_year == school_year)
    if feedback_id is not None:
        conditions.append(FEEDBACK.c.id == feedback_id)
    rows = db.session.execute(
        select(FEEDBACK, officer.name.label("officer_name"), principal.name.label("principal_name"),
               School.name.label("school_name"))
        .join(officer, officer.id == FEEDBACK.c.officer_id)
        .join(principal, principal.id == FEEDBACK.c.principal_id)
        .join(School, School.id == FEEDBACK.c.school_id)
        .where(and_(*conditions))
        .order_by(FEEDBACK.c.school_year.desc(), FEEDBACK.c.updated_at.desc(), FEEDBACK.c.id.desc())
    )
    return [_shown(row, with_principal) for row in rows]


def _shown(row, with_principal: bool) -> dict:
    shown = {
        "id": row.id, "officer": {"id": row.officer_id, "name": row.officer_name},
        "school": {"id": row.school_id, "name": row.school_name}, "school_year": row.school_year, "term": row.term,
        "relationships": row.relationships, "responsiveness": row.responsiveness,
        "stayed_out_of_discipline": row.stayed_out_of_discipline, "comment": row.comment,
        "given_at": iso_utc(row.updated_at),
    }
    if with_principal:
        shown["principal"] = {"id": row.principal_id, "name": row.principal_name}
    return shown


def read_feedback(user: User, officer_id: int | None, school_year: str | None) -> dict:
    """GET /api/feedback: the answers the user may read and, for a principal, who is due one;
    one `feedback.read` audit event (principals, supervisors and admins read others' ratings)."""
    answers = list_feedback(user, officer_id=officer_id, school_year=school_year)
    log_records_read("feedback.read", user, "success", filters={"officer_id": officer_id, "school_year": school_year},
                     rows=len(answers))
    return {"answers": answers, "due": feedback_due(user) if user.role == "principal" else []}


def feedback_due(principal: User) -> list[dict]:
    """For a principal: each officer serving each of their schools this semester, and whether
    the principal has answered for that semester yet."""
    today = clock.today()
    schools = db.session.scalars(select(School).where(School.id.in_(principal_school_ids(principal.id)))
                                 .order_by(School.name)).all()
    semesters = _semesters({school.id for school in schools}, today)
    serving = _officers_serving(semesters, today)
    answered = _answers(principal, semesters)
    due = []
    for school in schools:
        semester = semesters.get(school.id)
        if semester is None:
            continue
        for officer_id, name in serving[school.id]:
            due.append({"officer": {"id": officer_id, "name": name}, "school": {"id": school.id, "name": school.name},
                        "school_year": semester.school_year, "term": semester.term,
                        "feedback_id": answered.get((officer_id, school.id, semester.school_year, semester.term))})
    return due


def _answers(principal: User, semesters: dict[int, Semester]) -> dict[tuple, int]:
    """(officer, school, school year, term) -> id of the principal's answers at these schools in
    these semesters' school years: one query (the caller keeps each school's own term)."""
    if not semesters:
        return {}
    rows = db.session.execute(
        select(FEEDBACK.c.id, FEEDBACK.c.officer_id, FEEDBACK.c.school_id, FEEDBACK.c.school_year, FEEDBACK.c.term)
        .where(FEEDBACK.c.principal_id == principal.id, FEEDBACK.c.school_id.in_(sorted(semesters)),
               FEEDBACK.c.school_year.in_(sorted({semester.school_year for semester in semesters.values()}))))
    return {(row.officer_id, row.school_id, row.school_year, row.term): row.id for row in rows}
