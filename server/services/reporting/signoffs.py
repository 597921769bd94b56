"""Month sign-off: a supervisor (or admin) freezes an officer's month as a snapshot of figures.

The figures are the monthly activity report's (services/reporting/reports.py) for that officer and
month, kept as computed and never recomputed. A later edit or void of a record of that month is
allowed (the officer's record stays true): the change log lists the record under each sign-off
it amends (sync/review.py `officer_changed`: a record moved between two signed-off months
amends both), the supervisor sees those records, and the snapshot beside today's figures with
the difference. Signing off the month again is refused (409) while today's figures are the
latest snapshot's and nothing was amended since; otherwise it adds a new snapshot and keeps the
older one (docs/reports.md "Month sign-off").
"""

from calendar import monthrange
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from server import clock
from server.database import write_transaction
from server.domain.calendar import parse_school_year, school_year_of
from server.errors import Refused
from server.extensions import db
from server.models import MonthSignoff, Record, SignoffAmendment, User
from server.services.access.report_scope import report_scope
from server.services.access.visibility import officers_reviewed_by, records_reviewable_by, reviews_officer
from server.services.audit import log_event
from server.services.reporting.reports import monthly_rows

RECORDS = Record.__table__
AMENDMENTS = SignoffAmendment.__table__


class SignoffRefused(Refused):
    """A sign-off or comparison refused: 404 (no such officer or sign-off), 409, 422."""


def _officer(user: User, officer_id: int) -> User:
    officer = db.session.get(User, officer_id)
    if officer is None or officer.role != "officer" or not reviews_officer(user, officer_id):
        raise SignoffRefused(404, "No such officer among those you supervise.", "officer_id")
    return officer


def parse_month(text: str) -> date:
    """'YYYY-MM' -> the first day of that month (the schema checked the shape)."""
    year, month = (int(part) for part in text.split("-"))
    return date(year, month, 1)


def month_figures(user: User, officer_id: int, month: date) -> list[dict]:
    """The monthly report's rows for one officer and one month: [{category, label, measure, value}].
    Only that month is counted; the minutes rows are the school year's report's, a school with
    minutes in another month of the year showing 0."""
    key = month.strftime("%Y-%m")
    ends = month.replace(day=monthrange(month.year, month.month)[1])
    rows = monthly_rows(report_scope(user, officer_id=officer_id), month, ends, [key],
                        minutes_between=parse_school_year(school_year_of(month)))
    return [{"category": row["category"], "label": row["label"], "measure": row["measure"],
             "value": row["months"][key]} for row in rows]


def _latest(officer_id: int, month: date) -> MonthSignoff | None:
    return db.session.scalars(
        select(MonthSignoff).where(MonthSignoff.officer_id == officer_id, MonthSignoff.month == month)
        .order_by(MonthSignoff.sequence.desc()).limit(1)
    ).first()


def _amendments(signoff_id: int) -> int:
    """How many records were changed, voided, added or moved out since this sign-off."""
    return db.session.scalar(select(func.count()).select_from(AMENDMENTS)
                             .where(AMENDMENTS.c.signoff_id == signoff_id))


def sign_off(user: User, officer_id: int, month_text: str) -> dict:
    """Freeze the officer's month; audited. 409 when signed off already, with the same figures and
    nothing amended since."""
    try:
        return _sign_off(user, officer_id, month_text)
    except IntegrityError as error:
        # Two sign-offs of the same month at once: the database keeps one (officer, month, sequence).
        raise SignoffRefused(409, f"{month_text} was signed off by someone else just now; reload to see it.",
                             "month") from error


def _wait_for_the_officers_pushes(officer_id: int) -> None:
    """Pushes hold a key-share lock on the officer's row while they read the signed-off months
    (sync/review.py signed_off_months): figures are computed once they commit, and a push that
    starts now waits for this sign-off and marks its change as an amendment."""
    db.session.execute(select(User.id).where(User.id == officer_id).with_for_update())


def _sign_off(user: User, officer_id: int, month_text: str) -> dict:
    month = parse_month(month_text)
    with write_transaction():
        officer = _officer(user, officer_id)
        _wait_for_the_officers_pushes(officer_id)
        if month > clock.today().replace(day=1):
            raise SignoffRefused(422, "A month can be signed off once it has begun, not before.", "month")
        latest = _latest(officer_id, month)
        figures = month_figures(user, officer_id, month)
        # Figures can change with no amendment listed (a record moved away before this
        # bookkeeping existed, a report row added since): either is reason to sign off again.
        if latest is not None and _amendments(latest.id) == 0 and not _changed(latest.figures["rows"], figures):
            raise SignoffRefused(409, f"{officer.name}'s {month_text} is already signed off, and nothing was "
                                      "amended and no figure changed since.", "month")
        signoff = MonthSignoff(officer_id=officer_id, month=month, sequence=(latest.sequence + 1) if latest else 1,
                               signed_by_id=user.id, figures={"rows": figures})
        db.session.add(signoff)
        db.session.flush()
        log_event("month.signoff", "success", actor=user, target=f"user:{officer_id}",
                  details={"month": month_text, "sequence": signoff.sequence, "signoff_id": signoff.id})
        return _shown(signoff, officer.name, user.name, amended_records=0)  # just made: nothing amended yet


def _shown(signoff: MonthSignoff, officer_name: str, signer_name: str, amended_records: int) -> dict:
    return {"id": signoff.id, "officer_id": signoff.officer_id, "officer_name": officer_name,
            "month": signoff.month.strftime("%Y-%m"), "sequence": signoff.sequence,
            "signed_by": {"id": signoff.signed_by_id, "name": signer_name}, "signed_at": signoff.signed_at,
            "amended_records": amended_records}


def list_signoffs(user: User, officer_id: int | None, month_text: str | None) -> list[dict]:
    """Sign-offs of the officers `user` reviews, newest month first, each with its amendment count."""
    signer, officer = aliased(User), aliased(User)
    amended = (select(func.count()).select_from(AMENDMENTS).where(AMENDMENTS.c.signoff_id == MonthSignoff.id)
               .correlate(MonthSignoff).scalar_subquery())
    query = (select(MonthSignoff, officer.name.label("officer_name"), signer.name.label("signer_name"),
                    amended.label("amended_records"))
             .join(officer, officer.id == MonthSignoff.officer_id).join(signer, signer.id == MonthSignoff.signed_by_id)
             .where(officers_reviewed_by(user, MonthSignoff.officer_id))
             .order_by(MonthSignoff.month.desc(), officer.name, MonthSignoff.sequence.desc()))
    if officer_id is not None:
        query = query.where(MonthSignoff.officer_id == officer_id)
    if month_text is not None:
        query = query.where(MonthSignoff.month == parse_month(month_text))
    rows = db.session.execute(query).all()
    return [_shown(row.MonthSignoff, row.officer_name, row.signer_name, row.amended_records) for row in rows]


def _differences(frozen: list[dict], current: list[dict]) -> list[dict]:
    """Snapshot beside today's figures over the rows of either: today's rows in their order, then
    any the snapshot had that are gone today (a school's minutes row once no record there is
    left). A row missing on one side counts 0 there."""
    before = {row["category"]: row for row in frozen}
    now = {row["category"]: row for row in current}
    rows = [*current, *(row for row in frozen if row["category"] not in now)]
    differences = []
    for row in rows:
        signed_off = before[row["category"]]["value"] if row["category"] in before else 0
        value = now[row["category"]]["value"] if row["category"] in now else 0
        differences.append({**row, "signed_off": signed_off, "current": value, "difference": value - signed_off})
    return differences


def _changed(frozen: list[dict], current: list[dict]) -> bool:
    return any(row["difference"] != 0 for row in _differences(frozen, current))


def comparison(user: User, signoff_id: int) -> dict:
    """One sign-off: its snapshot, today's figures and the difference, and the records amended since."""
    signoff = db.session.get(MonthSignoff, signoff_id)
    if signoff is None or not reviews_officer(user, signoff.officer_id):
        raise SignoffRefused(404, "No such sign-off among your officers'.")
    officer, signer = db.session.get(User, signoff.officer_id), db.session.get(User, signoff.signed_by_id)
    current = month_figures(user, signoff.officer_id, signoff.month)
    amended = db.session.execute(
        select(RECORDS.c.id, RECORDS.c.kind, RECORDS.c.occurred_on, RECORDS.c.version, RECORDS.c.voided,
               RECORDS.c.updated_at, RECORDS.c.review_status)
        .join(AMENDMENTS, AMENDMENTS.c.record_id == RECORDS.c.id)
        .where(AMENDMENTS.c.signoff_id == signoff.id, records_reviewable_by(user))
        .order_by(RECORDS.c.occurred_on, RECORDS.c.id)
    ).all()
    rows = [{key: value for key, value in row.items() if key != "value"}
            for row in _differences(signoff.figures["rows"], current)]
    return {**_shown(signoff, officer.name, signer.name, _amendments(signoff.id)), "rows": rows,
            "records": [{"id": str(row.id), "kind": row.kind, "occurred_on": row.occurred_on, "version": row.version,
                         "voided": row.voided, "updated_at": row.updated_at, "review": row.review_status}
                        for row in amended]}
