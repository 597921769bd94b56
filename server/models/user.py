from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from server.extensions import db
from server.models.base import utcnow

ROLES = ("officer", "principal", "supervisor", "admin")
# Who may (and, when SECOND_FACTOR_REQUIRED is on, must) sign in with an authenticator app.
SECOND_FACTOR_ROLES = ("supervisor", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('officer', 'principal', 'supervisor', 'admin')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Bumped on password change or deactivation: outstanding sessions stop working.
    session_epoch: Mapped[int] = mapped_column(default=0)
    # TOTP (RFC 6238): the confirmed secret, one waiting to be confirmed during set-up, and the
    # last time step accepted, so a code that was seen once cannot sign in again.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @staticmethod
    def normalise_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.session_epoch = (self.session_epoch or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def may_use_second_factor(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive users
        return bool(self.active)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"
