"""The audit trail: who did what, when, and how it ended."""

from datetime import date

from flask import has_request_context, request

from server.database import write_transaction
from server.extensions import db
from server.models import AuditEvent, User


def client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def log_event(action: str, outcome: str, *, actor: User | None = None, email: str | None = None,
              target: str | None = None, details: dict | None = None) -> AuditEvent:
    """Add an audit event to the current unit of work (the caller commits)."""
    event = AuditEvent(
        action=action,
        outcome=outcome,
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else email,
        target=target,
        ip=client_address(),
        details=details or {},
    )
    db.session.add(event)
    return event


# Officers read only their own records: their syncs and searches need no trace, and pull stays
# as fast as it was. Everyone else reads other people's records, so each read is accounted for.
READERS_AUDITED = frozenset({"principal", "supervisor", "admin"})


def audit_filters(args: dict) -> dict:
    """Query arguments as they go into an event's details: JSON-ready, unset ones left out."""
    return {key: (value.isoformat() if isinstance(value, date) else value)
            for key, value in args.items() if value is not None}


def log_records_read(action: str, reader: User, outcome: str, *, filters: dict, rows: int,
                     target: str | None = None, **details) -> None:
    """One event, in its own write transaction, for a read of other people's records
    (pull, log browser, history): who, which filters, how many rows and how it ended."""
    if reader.role not in READERS_AUDITED:
        return
    with write_transaction():
        log_event(action, outcome, actor=reader, target=target,
                  details={"filters": audit_filters(filters), "rows": rows, **details})


def audited(action: str, target: str, details: dict, work, *, refusals: type[Exception],
            actor: User | None = None, email: str | None = None):
    """Run work(session) and its success event in one write transaction; a refusal
    (an exception of type `refusals`) is audited as a failure on its own, then re-raised."""
    try:
        with write_transaction() as session:
            result = work(session)
            log_event(action, "success", actor=actor, email=email, target=target, details=details)
        return result
    except refusals as refusal:
        with write_transaction():
            log_event(action, "failure", actor=actor, email=email, target=target,
                      details={**details, "reason": str(refusal)})
        raise
