"""People and the audit trail: accounts, their sign-ins, the audit log and the permit to
purge a ward's ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JsonDocument, OptionallyWardScoped, WardScoped


class User(OptionallyWardScoped, Base):
    """An account; a super-admin (``ward_id`` NULL) manages wards and works in any of them."""

    # "user" is reserved in PostgreSQL.
    __tablename__ = "app_user"

    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on password change or disabling: old sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The interface language the user chose (webapp.i18n.LANGUAGES); NULL: not chosen, the
    # browser decides.
    language: Mapped[str | None] = mapped_column(String(8))
    # Where the early-warning digest goes (``webapp.services.mail``); None: no e-mail.
    email: Mapped[str | None] = mapped_column(String(254))


class UserSession(OptionallyWardScoped, Base):
    """One sign-in on one device, known to the server so that signing out ends it for good:
    a request still in flight at sign-out may bring the session cookie back, but not the
    session. The cookie holds the token; the table holds its SHA-256."""

    __tablename__ = "user_session"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditLog(OptionallyWardScoped, Base):
    """Who saw or changed what, and when (``created_at``, UTC); rows are only ever added
    (the database refuses the rest) and each is hash-chained to the one before.

    Rows without a ward record installation-wide events (a ward created or removed).
    """

    __tablename__ = "audit_log"

    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JsonDocument, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class LedgerPurge(WardScoped, Base):
    """Permission, for the length of one transaction, to delete a ward's audit log and
    snapshots: the triggers refuse every other delete (``models.ledger.purge_permit``)."""

    __tablename__ = "ledger_purge"
    __table_args__ = (UniqueConstraint("ward_id"),)

    reason: Mapped[str] = mapped_column(String(200))
