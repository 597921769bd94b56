"""The semester review rule (KY 8), with no I/O: an activity of type SEMESTER_REVIEW that the
officer's supervisor and the school's principal each confirm or dispute. The decisions are written
by services/sync/participation.py; compliance (services/reporting/compliance.py) reads the state."""

# In the order texts name them ("the supervisor and the principal").
PARTIES = ("supervisor", "principal")


def party_status(participation: dict | None, party: str) -> str:
    """A party's decision: pending until it confirms or disputes."""
    return ((participation or {}).get(party) or {}).get("status", "pending")


def state(participation: dict | None) -> str:
    """met once every party confirmed; disputed when any party disputed; else pending."""
    statuses = {party_status(participation, party) for party in PARTIES}
    if statuses == {"confirmed"}:
        return "met"
    return "disputed" if "disputed" in statuses else "pending"
