"""Push: idempotent by mutation_id, conflicts detected by base version, every revision kept.

Push runs as ONE write transaction per batch, through the change log
(server/services/sync/changes.py), which locks the records the batch touches and numbers
changes in commit order. Mutations are decided one by one in memory, in order, against
the state the earlier ones left, then written set-based.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from marshmallow import ValidationError
from sqlalchemy import bindparam, select

from server.domain.assignments import assigned_on
from server.extensions import db
from server.models import OfficerAssignment, User
from server.models.base import utcnow
from server.schemas.fields import UNSTORABLE_MESSAGE, is_unstorable
from server.schemas.record_loading import load_record_data
from server.schemas.records import DATA_SCHEMAS
from server.services.sync.changes import ChangeLog, in_write_transaction
from server.services.sync.participation import participation_after
from server.services.sync.review import late_entry_after, officer_changed, signed_off_months
from server.services.sync.record_shapes import change_of, revision_snapshot, split_loaded_data

VOID_REASON_MAX = 500
# data -> a list field (topics) -> its items: anything deeper is not a record.
MAX_DATA_DEPTH = 3


# --- push --------------------------------------------------------------------

@dataclass(frozen=True)
class Pusher:
    """Who pushes, read before the write lock: the transaction's start expires the session's
    User, and reloading it would be one more round trip while every other writer waits."""

    id: int
    name: str


@dataclass
class Batch:
    """One push: who sends it, from which device, and the change log it writes through."""

    user: Pusher  # the officer whose records these are
    device_id: str
    assignments: list[tuple[int, date, date | None]]
    log: ChangeLog
    actor_id: int  # who sends the batch: the officer, or an admin entering for them (history, replay scope)
    late_after: timedelta  # a record first saved this long after its event is a late entry
    signoffs: dict[date, int] = field(default_factory=dict)  # the officer's signed-off months


@dataclass
class Proposal:
    """A mutation checked on its own, before the batch takes the write lock."""

    parsed: dict
    envelope_errors: dict
    columns: dict = field(default_factory=dict)  # empty: a void that keeps the record's content
    data_errors: dict | None = None


class Rejected(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _parse_uuid(value, name: str, errors: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(value if type(value) is str else str(value))
    except (ValueError, TypeError, AttributeError):
        errors[name] = ["Not a valid UUID."]
        return None


def _parse_envelope(mutation) -> tuple[dict, dict]:
    """The mutation's own fields (not its data), with an error per bad field."""
    if not isinstance(mutation, dict):
        return {}, {"_mutation": ["Must be an object."]}
    errors: dict = {}
    parsed = {
        "mutation_id": _parse_uuid(mutation.get("mutation_id"), "mutation_id", errors),
        "id": _parse_uuid(mutation.get("id"), "id", errors),
        "kind": mutation.get("kind"),
        "base_version": mutation.get("base_version"),
        "voided": mutation.get("voided", False),
        "void_reason": mutation.get("void_reason"),
        "data": mutation.get("data") if mutation.get("data") is not None else {},
    }
    if not isinstance(parsed["kind"], str) or parsed["kind"] not in DATA_SCHEMAS:  # a list is unhashable
        errors["kind"] = [f"Must be one of: {', '.join(DATA_SCHEMAS)}."]
    base = parsed["base_version"]
    if base is not None and (isinstance(base, bool) or not isinstance(base, int) or base < 1):
        errors["base_version"] = ["Must be null (new record) or an integer of at least 1."]
    if not isinstance(parsed["voided"], bool):
        errors["voided"] = ["Must be true or false."]
    reason = parsed["void_reason"]
    if reason is not None and (not isinstance(reason, str) or len(reason) > VOID_REASON_MAX):
        errors["void_reason"] = [f"Must be text of at most {VOID_REASON_MAX} characters."]
    elif parsed["voided"] is True and not (reason or "").strip():
        errors["void_reason"] = ["Required when voiding a record."]
    if not isinstance(parsed["data"], dict):
        errors["data"] = ["Must be an object."]
    elif _depth(parsed["data"]) > MAX_DATA_DEPTH:
        errors["data"] = [f"Nested more than {MAX_DATA_DEPTH} levels deep."]
    for name, messages in _unstorable_text_errors(parsed, with_data="data" not in errors).items():
        errors.setdefault(name, messages)
    return parsed, errors


def _unstorable_text_errors(parsed: dict, with_data: bool) -> dict:
    """Each field holding text the database cannot store. Checked before anything of the mutation
    is kept (a conflict keeps its proposal; a rejection keeps its errors), so one such mutation is
    rejected alone instead of failing the batch's write."""
    errors = {}
    # Only text: any other void_reason is already refused, and may nest deeper than a walk may go.
    if isinstance(parsed["void_reason"], str) and is_unstorable(parsed["void_reason"]):
        errors["void_reason"] = [UNSTORABLE_MESSAGE]
    if with_data and not _plainly_storable(parsed["data"]):
        for name, value in parsed["data"].items():
            if _holds_unstorable(name):
                errors["data"] = ["A field name holds characters that cannot be stored."]
            elif _holds_unstorable(value):
                errors[name] = [UNSTORABLE_MESSAGE]
    return errors


# Values that hold no text, so need no walk (most of a record's values are numbers).
TEXTLESS = frozenset({int, float, bool, type(None)})


def _plainly_storable(data: dict) -> bool:
    """True when every name and text value of `data` is storable, found with one search over
    them all (a line break is storable, so joining cannot make a match); nested lists and
    objects are walked. The usual record takes this path instead of a search per field."""
    texts = []
    for name, value in data.items():
        for item in (name, value):
            if type(item) is str:
                texts.append(item)
            elif type(item) not in TEXTLESS and _holds_unstorable(item):
                return False
    return not is_unstorable("\n".join(texts))


def _holds_unstorable(value) -> bool:
    if isinstance(value, str):
        return is_unstorable(value)
    if isinstance(value, dict):
        return any(_holds_unstorable(key) or _holds_unstorable(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_unstorable(item) for item in value)
    return False


def _depth(value, limit: int = MAX_DATA_DEPTH + 1) -> int:
    """How deeply lists and objects nest (counted no further than `limit`)."""
    if limit == 0 or not isinstance(value, (dict, list)):
        return 0
    children = value.values() if isinstance(value, dict) else value
    # Most children are plain values: only containers are walked (this runs for every mutation).
    return 1 + max((_depth(child, limit - 1) for child in children if isinstance(child, (dict, list))), default=0)


ASSIGNMENTS = OfficerAssignment.__table__
# Built once, like the change log's statements: every push runs it.
OFFICER_ASSIGNMENTS = (select(ASSIGNMENTS.c.school_id, ASSIGNMENTS.c.starts_on, ASSIGNMENTS.c.ends_on)
                       .where(ASSIGNMENTS.c.officer_id == bindparam("officer_id")))


def _officer_assignments(user_id: int) -> list[tuple[int, date, date | None]]:
    return [
        (row.school_id, row.starts_on, row.ends_on)
        for row in db.session.execute(OFFICER_ASSIGNMENTS, {"officer_id": user_id})
    ]


def _assigned(assignments, school_id: int | None, day: date) -> bool:
    """On an assignment at this school that day; a record with no school (a kind declared
    school_optional, such as training) belongs to the officer, not a school, so it is not bound."""
    if school_id is None:
        return True
    return assigned_on(((starts, ends) for school, starts, ends in assignments if school == school_id), day)


def _prepare(mutation, assignments) -> Proposal:
    """Validate the mutation's fields and data and check the school assignment."""
    parsed, errors = _parse_envelope(mutation)
    proposal = Proposal(parsed=parsed, envelope_errors=errors)
    if errors or (parsed["voided"] and not parsed["data"]):
        return proposal
    try:
        loaded = load_record_data(parsed["kind"], parsed["data"])
    except ValidationError as error:
        proposal.data_errors = error.messages
        return proposal
    columns = split_loaded_data(parsed["kind"], loaded)
    if not _assigned(assignments, columns["school_id"], columns["occurred_on"]):
        proposal.data_errors = {"school_id": [
            f"You are not assigned to school {columns['school_id']} on {columns['occurred_on'].isoformat()}."
        ]}
    proposal.columns = columns
    return proposal


def _check_ownership(batch: Batch, parsed: dict, current: dict | None) -> None:
    if current is None:
        if parsed["base_version"] is not None:
            raise Rejected({"base_version": ["No record with this id exists; send null to create it."]})
        if parsed["voided"]:
            raise Rejected({"id": ["No record with this id exists to void."]})
        return
    if current["owner_id"] != batch.user.id:
        raise Rejected({"id": ["This id belongs to a record you do not own."]})
    if current["kind"] != parsed["kind"]:
        raise Rejected({"kind": [f"Cannot change a {current['kind']} record into {parsed['kind']}."]})
    if not _assigned(batch.assignments, current["school_id"], current["occurred_on"]):
        # Edits and voids, like new records, only inside the officer's assignments (docs/sync.md).
        raise Rejected({"school_id": [
            f"You were not assigned to school {current['school_id']} on {current['occurred_on'].isoformat()}; "
            "only records from your own assignments can be changed or voided."
        ]})


def _is_conflict(parsed: dict, current: dict | None) -> bool:
    return current is not None and parsed["base_version"] != current["version"]


def _proposal_snapshot(parsed: dict) -> dict:
    return {"kind": parsed["kind"], "data": parsed["data"], "voided": parsed["voided"],
            "void_reason": parsed["void_reason"]}


def _revise(batch: Batch, parsed: dict, *, version, outcome, action, snapshot, now) -> None:
    batch.log.revise(
        record_id=parsed["id"], version=version, base_version=parsed["base_version"], outcome=outcome,
        action=action, actor_id=batch.actor_id, device_id=batch.device_id, mutation_id=parsed["mutation_id"],
        snapshot=snapshot, created_at=now,
    )


def _apply(batch: Batch, parsed: dict, current: dict | None, columns: dict, now) -> dict:
    """Applies the change in memory and appends its revision; returns the record's new columns."""
    if current is None:
        state = {
            "id": parsed["id"], "kind": parsed["kind"], "owner_id": batch.user.id, "version": 1,
            "voided": False, "void_reason": None, "confirmation_status": None, "confirmation_comment": None,
            "confirmed_by_id": None, "confirmed_at": None, "confirmed_version": None, "created_at": now,
            **columns,
        }
        if parsed["kind"] == "principal_meeting":
            state["confirmation_status"] = "pending"
        action = "create"
    else:
        state = {**current, **columns, "version": current["version"] + 1}
        action = "void" if parsed["voided"] and not current["voided"] else "update"
        if columns and current["kind"] == "principal_meeting" and current["confirmation_status"] != "pending":
            # The principal confirmed what the meeting said before; they must see it again.
            state.update(confirmation_status="pending", confirmation_comment=None, confirmed_by_id=None,
                         confirmed_at=None, confirmed_version=None)
    if parsed["voided"]:
        state.update(voided=True, void_reason=parsed["void_reason"].strip())
    state.update(updated_at=now, last_device_id=batch.device_id,
                 participation=participation_after(state, content_changed=bool(columns)))
    officer_changed(state, current, batch.signoffs, batch.late_after)
    batch.log.put(state, created=current is None)
    _revise(batch, parsed, version=state["version"], outcome="accepted", action=action,
            snapshot=revision_snapshot(state), now=now)
    return state


def _answer(parsed: dict, status: str, *, version=None, record=None, errors=None) -> dict:
    result = {"mutation_id": str(parsed["mutation_id"]) if parsed.get("mutation_id") else None,
              "id": str(parsed["id"]) if parsed.get("id") else None, "status": status, "version": version}
    if record is not None:
        result["record"] = record
    if errors:
        result["errors"] = errors
    return result


def _remember(batch: Batch, parsed: dict, result: dict, now) -> None:
    stored = {key: value for key, value in result.items() if key != "record"} if "record" in result else result
    batch.log.answer(parsed["mutation_id"], user_id=batch.actor_id, device_id=batch.device_id,
                     record_id=parsed["id"], status=result["status"], version=result.get("version"),
                     result=stored, now=now)


def _replay(batch: Batch, parsed: dict, earlier: dict) -> dict:
    """The answer to a retried mutation: what it got the first time, applied again never."""
    if earlier["user_id"] != batch.actor_id:
        return _answer(parsed, "rejected", errors={"mutation_id": ["Already used by another account."]})
    if earlier["record_id"] != parsed["id"]:
        return _answer(parsed, "rejected", errors={"mutation_id": ["Already used for a different record."]})
    result = dict(earlier["result"])
    current = batch.log.records.get(earlier["record_id"])
    if earlier["status"] == "applied":
        result["status"] = "duplicate"
    if current is not None and result["status"] == "conflict":
        result["record"] = change_of(current, batch.user.name)
    return result


def _decide(batch: Batch, proposal: Proposal, now) -> dict:
    parsed = proposal.parsed
    if proposal.envelope_errors:
        return _answer(parsed, "rejected", errors=proposal.envelope_errors)
    earlier = batch.log.answers.get(parsed["mutation_id"])
    if earlier is not None:
        return _replay(batch, parsed, earlier)
    current = batch.log.records.get(parsed["id"])
    try:
        _check_ownership(batch, parsed, current)
        if _is_conflict(parsed, current):
            _revise(batch, parsed, version=None, outcome="rejected_conflict", action="update",
                    snapshot=_proposal_snapshot(parsed), now=now)
            result = _answer(parsed, "conflict", version=current["version"],
                             record=change_of(current, batch.user.name))
        elif current is not None and current["voided"]:
            raise Rejected({"voided": ["This record is void; it can no longer be changed."]})
        elif proposal.data_errors:
            raise Rejected(proposal.data_errors)
        else:
            state = _apply(batch, parsed, current, proposal.columns, now)
            result = _answer(parsed, "applied", version=state["version"])
    except Rejected as rejection:
        result = _answer(parsed, "rejected", errors=rejection.errors)
    _remember(batch, parsed, result, now)
    return result


def push(user: User, device_id: str, mutations: list, actor: User | None = None) -> list[dict]:
    """Apply a batch of mutations to `user`'s records from one device, in order; commits once.

    `actor` is who sends it when not the officer themself (an admin entering a course for them)."""
    # Validation is the slow part and needs no lock: do it before taking one.
    assignments = _officer_assignments(user.id)
    proposals = [_prepare(mutation, assignments) for mutation in mutations]
    pusher = Pusher(user.id, user.name)
    # Read now: the write transaction starts with a rollback, which would make reading it a query.
    actor_id = (actor or user).id
    late_after = late_entry_after()
    record_ids = {p.parsed["id"] for p in proposals if p.parsed.get("id")}
    mutation_ids = {p.parsed["mutation_id"] for p in proposals if p.parsed.get("mutation_id")}

    def decide_and_write() -> list[dict]:
        batch = Batch(pusher, device_id, assignments, ChangeLog.open(record_ids, mutation_ids),
                      actor_id=actor_id, late_after=late_after)
        batch.signoffs = signed_off_months(pusher.id)
        now = utcnow()
        results = [_decide(batch, proposal, now) for proposal in proposals]
        batch.log.write()
        return results

    # Decided again from the same proposals if a concurrent batch wrote the same rows first.
    return in_write_transaction(decide_and_write)
