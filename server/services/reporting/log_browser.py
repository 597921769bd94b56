"""The log browser: synced records, filtered, sorted and paginated in SQL, and a record's history.

Read scope is records_visible_to (officers: own; principals: meetings at their
schools; supervisors: their officers; admins: all): a record outside it is
reported as absent (404), never as forbidden. A search or history view by anyone but an
officer is audited here (`records.browse`, `records.history`; services/audit.py log_records_read).
"""

import uuid
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from server.extensions import db
from server.models import Record, RecordRevision, School, User
from server.schemas.log_browser import SUBTYPE_FILTERS
from server.services.sync.record_shapes import as_seen_by, change_of, iso_utc
from server.services.sync.review import ACTIONS as REVIEW_DECISION_ACTIONS
from server.services.access.report_scope import OutOfScope, report_scope
from server.services.audit import log_records_read
from server.services.access.visibility import records_visible_to, sees_review_state

RECORDS = Record.__table__
REVISIONS = RecordRevision.__table__
OWNER = aliased(User, name="owner")
CONFIRMER = aliased(User, name="confirmer")
REVIEWER = aliased(User, name="reviewer")
REVIEW_ACTIONS = frozenset(REVIEW_DECISION_ACTIONS.values())  # revisions a principal is not shown

SORTS = {  # one column per name the query schema allows (SORT_NAMES)
    "occurred_at": RECORDS.c.occurred_at,
    "updated_at": RECORDS.c.updated_at,
    "kind": RECORDS.c.kind,
    "officer": OWNER.name,
    "school": School.name,
    "confirmation": RECORDS.c.confirmation_status,
}


class RecordNotFound(LookupError):
    """No such record, or not one this user may read."""

    message = "No such record among those you may see."


def _filters(user: User, args: dict):
    parts = [records_visible_to(user)]
    if args.get("officer_id") is not None:
        parts.append(RECORDS.c.owner_id == args["officer_id"])
    if args.get("school_id") is not None:
        parts.append(RECORDS.c.school_id == args["school_id"])
    if args.get("kind"):
        parts.append(RECORDS.c.kind == args["kind"])
    for name, kind in SUBTYPE_FILTERS.items():  # activity_type, basis (involvements), provider (training)
        if args.get(name):
            parts.append(and_(RECORDS.c.kind == kind, RECORDS.c.subtype == args[name]))
    if args.get("subtype"):
        parts.append(RECORDS.c.subtype == args["subtype"])
    if args.get("date_from") is not None:
        parts.append(RECORDS.c.occurred_on >= args["date_from"])
    if args.get("date_to") is not None:
        parts.append(RECORDS.c.occurred_on <= args["date_to"])
    if args.get("confirmation"):
        parts.append(RECORDS.c.confirmation_status == args["confirmation"])
    if args.get("voided") is not None:
        parts.append(RECORDS.c.voided.is_(args["voided"]))
    parts += _review_filters(args)
    return and_(*parts)


def _review_filters(args: dict) -> list:
    """The supervisor's queue: review status, late entries, records amended after a sign-off."""
    parts = []
    if args.get("review"):
        parts.append(RECORDS.c.review_status == args["review"])
    if args.get("late_entry") is not None:
        parts.append(RECORDS.c.late_entry.is_(args["late_entry"]))
    if args.get("amended") is not None:
        amended = RECORDS.c.amended_signoff_id.is_not(None)
        parts.append(amended if args["amended"] else ~amended)
    return parts


def _item(row) -> dict:
    mapping = row._mapping
    item = change_of(mapping, row.owner_name, row.confirmer_name)
    item.update(
        # A training record may have no school (record_kinds: school_optional).
        school=({"id": row.school_id, "name": row.school_name, "code": row.school_code}
                if row.school_id is not None else None),
        occurred_on=row.occurred_on,
        subtype=row.subtype,
        quantity=row.quantity,
        last_device_id=row.last_device_id,
        late_entry=row.late_entry,
        amended_after_signoff=row.amended_signoff_id is not None,
    )
    return item


def _selectable():
    return (
        select(RECORDS, OWNER.name.label("owner_name"), CONFIRMER.name.label("confirmer_name"),
               REVIEWER.name.label("reviewer_name"),
               School.name.label("school_name"), School.code.label("school_code"))
        .join(OWNER, OWNER.id == RECORDS.c.owner_id)
        .outerjoin(School, School.id == RECORDS.c.school_id)
        .outerjoin(CONFIRMER, CONFIRMER.id == RECORDS.c.confirmed_by_id)
        .outerjoin(REVIEWER, REVIEWER.id == RECORDS.c.reviewed_by_id)
    )


def _refuse_principal_filters_out_of_scope(user: User, args: dict) -> None:
    """A principal's officer filter, or another school, raises OutOfScope exactly as in their
    reports: the same question must not get a 403 there and an answer here."""
    if user.role == "principal":
        report_scope(user, args.get("officer_id"), args.get("school_id"))
    if not sees_review_state(user):
        # Filtering by a state one may not see would reveal it record by record.
        for name in ("review", "late_entry", "amended"):
            if args.get(name) is not None:
                raise OutOfScope(name, "Review states are between officers and their supervisors.")


def browse(user: User, args: dict) -> dict:
    """One page of records matching the filters, with the total count of matches (audited)."""
    try:
        _refuse_principal_filters_out_of_scope(user, args)
    except OutOfScope as refusal:
        log_records_read("records.browse", user, "denied", filters=args, rows=0, reason=refusal.message)
        raise
    where = _filters(user, args)
    total = db.session.scalar(select(func.count()).select_from(RECORDS).where(where))
    column = SORTS[args["sort"]]
    ordering = column.desc() if args["order"] == "desc" else column.asc()
    # The record id breaks ties, so pages never overlap or skip a row.
    tie = RECORDS.c.id.desc() if args["order"] == "desc" else RECORDS.c.id.asc()
    rows = db.session.execute(
        _selectable().where(where).order_by(ordering, tie).limit(args["limit"]).offset(args["offset"])
    ).all()
    log_records_read("records.browse", user, "success", filters=args, rows=len(rows), total=total)
    return {"items": [as_seen_by(user, _item(row)) for row in rows], "total": total, "limit": args["limit"],
            "offset": args["offset"], "sort": args["sort"], "order": args["order"]}


# --- history -------------------------------------------------------------------------

def _flatten(snapshot: dict | None) -> dict:
    """A revision snapshot as field -> value, the fields a person would name."""
    if not snapshot:
        return {}
    flat = dict(snapshot.get("data") or {})
    for key in ("voided", "void_reason"):
        if key in snapshot:
            flat[key] = snapshot[key]
    confirmation = snapshot.get("confirmation") or {}
    if confirmation:
        flat["confirmation"] = confirmation.get("status")
        flat["confirmation_comment"] = confirmation.get("comment")
    review = snapshot.get("review") or {}
    if review:
        flat["review"] = review.get("status")
        flat["review_comment"] = review.get("comment")
    return flat


def diff(before: dict | None, after: dict | None) -> list[dict]:
    """What changed from one snapshot to the next: [{field, from, to}], fields in a stable order."""
    old, new = _flatten(before), _flatten(after)
    changes = []
    for name in list(new) + [key for key in old if key not in new]:
        if old.get(name) != new.get(name):
            changes.append({"field": name, "from": old.get(name), "to": new.get(name)})
    return changes


# Titles a display name may start with; the first other word is what a device is named after.
_TITLES = {"officer", "sgt", "sgt.", "sergeant", "lt", "lt.", "cpl", "cpl.", "deputy", "principal", "dr", "dr.",
           "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "mx", "mx."}


def _first_name(name: str | None) -> str:
    words = (name or "").split()
    for word in words:
        if word.lower() not in _TITLES:
            return word
    return words[0] if words else "Unknown"


def device_names(device_ids: set[str]) -> dict[str, str]:
    """Readable names for devices, derived from the revisions (no table of devices): the person
    whose change first came from the device, numbered among that person's devices by first use,
    and the day of that first sync. "Dana's phone, added 3 Sep"; "Dana's phone 2, added 5 Oct"."""
    device_ids = {one for one in device_ids if one}
    if not device_ids:
        return {}
    first_use = db.session.execute(
        select(REVISIONS.c.device_id, REVISIONS.c.actor_id, func.min(REVISIONS.c.created_at).label("first"))
        .where(REVISIONS.c.device_id.in_(device_ids))
        .group_by(REVISIONS.c.device_id, REVISIONS.c.actor_id)
    ).all()
    owner_of: dict[str, tuple] = {}
    for row in first_use:
        if row.device_id not in owner_of or row.first < owner_of[row.device_id][1]:
            owner_of[row.device_id] = (row.actor_id, row.first)
    actors = {actor_id for actor_id, _ in owner_of.values()}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(actors))).all())
    # Each person's devices in order of first use, to number a second phone.
    ranks: dict[int, list[str]] = {}
    for row in db.session.execute(
        select(REVISIONS.c.actor_id, REVISIONS.c.device_id, func.min(REVISIONS.c.created_at).label("first"))
        .where(REVISIONS.c.actor_id.in_(actors), REVISIONS.c.device_id.is_not(None))
        .group_by(REVISIONS.c.actor_id, REVISIONS.c.device_id)
        .order_by(func.min(REVISIONS.c.created_at), REVISIONS.c.device_id)
    ):
        ranks.setdefault(row.actor_id, []).append(row.device_id)
    labels = {}
    for device_id, (actor_id, first) in owner_of.items():
        order = ranks.get(actor_id, [device_id])
        number = order.index(device_id) + 1 if device_id in order else 1
        suffix = f" {number}" if number > 1 else ""
        labels[device_id] = f"{_first_name(names.get(actor_id))}'s phone{suffix}, added {first.day} {first:%b}"
    return labels


def history(user: User, record_id: uuid.UUID) -> dict:
    """Every revision of a visible record, oldest first: accepted changes and rejected proposals (audited)."""
    target = f"record:{record_id}"
    row = db.session.execute(
        _selectable().where(RECORDS.c.id == record_id, records_visible_to(user))
    ).first()
    if row is None:
        log_records_read("records.history", user, "failure", filters={}, rows=0, target=target,
                         reason=RecordNotFound.message)
        raise RecordNotFound(str(record_id))
    actor = aliased(User, name="actor")
    revisions = db.session.execute(
        select(REVISIONS, actor.name.label("actor_name"), actor.role.label("actor_role"))
        .join(actor, actor.id == REVISIONS.c.actor_id)
        .where(REVISIONS.c.record_id == record_id)
        .order_by(REVISIONS.c.id)
    ).all()
    accepted_by_version: dict[int, dict] = {}
    previous: dict | None = None
    entries = []
    for revision in revisions:
        if not sees_review_state(user) and revision.action in REVIEW_ACTIONS:
            continue
        snapshot = as_seen_by(user, revision.snapshot)
        if revision.outcome == "accepted":
            changes = diff(previous, snapshot)
            previous = snapshot
            if revision.version is not None:
                accepted_by_version[revision.version] = snapshot
        else:
            # A losing proposal, against the version its device had seen.
            changes = diff(accepted_by_version.get(revision.base_version), snapshot)
        entries.append({
            "id": revision.id,
            "version": revision.version,
            "base_version": revision.base_version,
            "outcome": revision.outcome,
            "action": revision.action,
            "actor": {"id": revision.actor_id, "name": revision.actor_name, "role": revision.actor_role},
            "device_id": revision.device_id,
            "mutation_id": str(revision.mutation_id) if revision.mutation_id else None,
            "at": iso_utc(revision.created_at),
            "changes": changes,
            "snapshot": snapshot,
        })
    devices = device_names({entry["device_id"] for entry in entries} | {row.last_device_id})
    for entry in entries:
        entry["device_name"] = devices.get(entry["device_id"])
    record = as_seen_by(user, _item(row))
    record["last_device_name"] = devices.get(row.last_device_id)
    log_records_read("records.history", user, "success", filters={}, rows=len(entries), target=target)
    return {"record": record, "revisions": entries}


def occurred_range_ok(date_from: date | None, date_to: date | None) -> bool:
    return date_from is None or date_to is None or date_from <= date_to
