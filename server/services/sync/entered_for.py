"""An admin enters a training course for an officer from the review screens (issue 13: the
120-hour basic course is often on paper before the officer has the app).

The record is the officer's, written through the same push as the phone's, so every rule of a
training record holds and it reaches the officer's phone in pull. The revision and the
mutation's answer name the admin who entered it, and the entry is audited."""

from server.database import write_transaction
from server.extensions import db
from server.models import User
from server.services.admin.service import AdminRefused
from server.services.audit import log_event
from server.services.sync.push import push

ENTERED_KIND = "training"
REVIEW_SCREENS_DEVICE = "review-screens"


def enter_training(admin: User, officer_id: int, entry: dict) -> dict:
    """Create one training record owned by the officer; returns the push result for it (404 when
    no officer has this id)."""
    officer = db.session.get(User, officer_id)
    if officer is None or officer.role != "officer":
        raise AdminRefused(404, "No officer with this id.", "officer_id")
    mutation = {"mutation_id": entry["mutation_id"], "id": entry["id"], "kind": ENTERED_KIND,
                "base_version": None, "data": entry["data"], "voided": False, "void_reason": None}
    [result] = push(officer, REVIEW_SCREENS_DEVICE, [mutation], actor=admin)
    with write_transaction():
        log_event("training.entered_for_officer", "success" if result["status"] != "rejected" else "failure",
                  actor=admin, target=f"record:{entry['id']}",
                  details={"officer_id": officer.id, "status": result["status"]})
    return result
