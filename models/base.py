"""Declarative base and the columns every table shares."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Stable constraint names so Alembic migrations are identical on both backends.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _utc_now() -> datetime:
    """Now in UTC to the microsecond, when the statement runs."""
    return datetime.now(UTC).replace(tzinfo=None)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=False), server_default=func.current_timestamp(), nullable=False
    )
    # Set by Python on every update, to the microsecond: caches key on a layer's latest
    # change (models.fingerprints.layer_fingerprint), and SQLite's CURRENT_TIMESTAMP has whole
    # seconds (two edits in one second looked like one), PostgreSQL's is the transaction's
    # start (a later edit could carry an earlier time).
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=False),
        server_default=func.current_timestamp(),
        onupdate=_utc_now,
        nullable=False,
    )


class WardScoped(Timestamped):
    """Every row carries its ward: the tenant key a distributed database shards on."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)

    @declared_attr
    def ward_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr signature
        return mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True, nullable=False)


class OptionallyWardScoped(Timestamped):
    """Rows that belong to a ward or, with ``ward_id`` NULL, to the whole installation
    (super-admin accounts and the audit of ward set-up and removal)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)

    @declared_attr
    def ward_id(cls) -> Mapped[int | None]:  # noqa: N805 - SQLAlchemy declared_attr signature
        return mapped_column(ForeignKey("ward.id", ondelete="CASCADE"), index=True, nullable=True)
