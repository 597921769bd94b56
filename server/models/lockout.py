from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db


class UnknownEmailLockout(db.Model):
    """Failed sign-ins for an email that has no account, counted like an account's own
    (User.failed_logins / locked_until), so the lockout answers alike whether the account exists.
    Keyed by a hash: what people type into the email box is not kept."""

    __tablename__ = "unknown_email_lockouts"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
