"""Models, one file per entity; imported here so Alembic sees them all."""

from server.models.assignment import OfficerAssignment, PrincipalSchool, Supervision
from server.models.audit import AuditEvent
from server.models.feedback import PrincipalFeedback
from server.models.record import (
    CONFIRMATION_STATES,
    RECORD_KINDS,
    AppliedMutation,
    ChangeCounter,
    Record,
    RecordRevision,
)
from server.models.lockout import UnknownEmailLockout
from server.models.recovery_code import RecoveryCode
from server.models.release import Release
from server.models.signoff import MonthSignoff, SignoffAmendment
from server.models.school import NonSchoolDay, School, SchoolTerm
from server.models.session import UserSession
from server.models.user import ROLES, SECOND_FACTOR_ROLES, User

__all__ = [
    "AppliedMutation", "AuditEvent", "ChangeCounter", "CONFIRMATION_STATES", "MonthSignoff", "NonSchoolDay",
    "OfficerAssignment", "PrincipalFeedback", "PrincipalSchool", "Record", "RecordRevision", "RecoveryCode", "Release", "RECORD_KINDS", "ROLES",
    "SECOND_FACTOR_ROLES", "School", "SchoolTerm", "SignoffAmendment", "Supervision", "UnknownEmailLockout", "User", "UserSession",
]
