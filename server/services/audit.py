"""The audit trail: who did what, when, and how it ended."""

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
