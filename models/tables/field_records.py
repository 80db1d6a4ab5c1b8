"""The records the ward keeps in the field: boarding houses and their inspections,
incidents and their workflow steps, photos, and the devices' submissions."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, WardScoped
from models.tables.spatial import geometry
from models.wardtime import WardTime

# The owner's personal data (Decree 13/2023/NĐ-CP) among boarding_house's columns: selected
# only on request, for allowed roles, and audited (``models.queries``, ``models.listings``).
PERSONAL_COLUMNS = ("owner_name", "owner_phone", "owner_id_number")


class BoardingHouse(WardScoped, Base):
    __tablename__ = "boarding_house"
    __table_args__ = (UniqueConstraint("ward_id", "client_uuid"),)

    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(500))
    # PERSONAL_COLUMNS: never leave models.queries / models.listings unless asked for.
    owner_name: Mapped[str | None] = mapped_column(String(200))
    owner_phone: Mapped[str | None] = mapped_column(String(20))
    owner_id_number: Mapped[str | None] = mapped_column(String(20))
    house_type: Mapped[str] = mapped_column(String(32))
    rooms: Mapped[int] = mapped_column(Integer, default=0)
    residents: Mapped[int] = mapped_column(Integer, default=0)
    classification: Mapped[str | None] = mapped_column(String(16))
    antt_commitment_on: Mapped[date | None] = mapped_column(Date)
    extinguishers: Mapped[int] = mapped_column(Integer, default=0)
    has_alarm: Mapped[bool] = mapped_column(Boolean, default=False)
    has_escape_route: Mapped[bool] = mapped_column(Boolean, default=False)
    model_status: Mapped[str] = mapped_column(String(16), default="none")
    model_recognised_on: Mapped[date | None] = mapped_column(Date)
    last_inspection_on: Mapped[date | None] = mapped_column(Date)
    fire_safety_pass: Mapped[bool | None] = mapped_column(Boolean)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="SET NULL"), index=True
    )
    street_id: Mapped[int | None] = mapped_column(ForeignKey("street.id", ondelete="SET NULL"))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    location_accuracy_m: Mapped[float | None] = mapped_column(Float)
    location_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    geom = mapped_column(geometry("POINT"), nullable=False)


class Inspection(WardScoped, Base):
    __tablename__ = "inspection"
    __table_args__ = (UniqueConstraint("ward_id", "client_uuid"),)

    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4)
    boarding_house_id: Mapped[int] = mapped_column(
        ForeignKey("boarding_house.id", ondelete="CASCADE"), index=True
    )
    inspected_at: Mapped[datetime] = mapped_column(WardTime)
    officer: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str | None] = mapped_column(Text)
    fire_safety_pass: Mapped[bool] = mapped_column(Boolean)
    residents_counted: Mapped[int | None] = mapped_column(Integer)
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_done_on: Mapped[date | None] = mapped_column(Date)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Incident(WardScoped, Base):
    __tablename__ = "incident"
    __table_args__ = (UniqueConstraint("ward_id", "client_uuid"),)

    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4)
    category: Mapped[str] = mapped_column(String(32), index=True)
    observed_at: Mapped[datetime] = mapped_column(WardTime, index=True)
    status: Mapped[str] = mapped_column(String(16), default="reported")
    reporter: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    minutes_no: Mapped[str | None] = mapped_column(String(64))
    fine_vnd: Mapped[int | None] = mapped_column(BigInteger)
    resolved_at: Mapped[datetime | None] = mapped_column(WardTime)
    is_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="SET NULL"), index=True
    )
    street_id: Mapped[int | None] = mapped_column(ForeignKey("street.id", ondelete="SET NULL"))
    model_street_id: Mapped[int | None] = mapped_column(
        ForeignKey("model_street.id", ondelete="SET NULL")
    )
    boarding_house_id: Mapped[int | None] = mapped_column(
        ForeignKey("boarding_house.id", ondelete="SET NULL")
    )
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    location_accuracy_m: Mapped[float | None] = mapped_column(Float)
    location_manual: Mapped[bool] = mapped_column(Boolean, default=False)
    geom = mapped_column(geometry("POINT"), nullable=False)


class IncidentEvent(WardScoped, Base):
    """A step of an incident's workflow (or an extra report attached to it): who, when."""

    __tablename__ = "incident_event"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"),
                                             index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Photo(WardScoped, Base):
    """A photo attached to a record, re-encoded on the server without metadata."""

    __tablename__ = "photo"

    entity: Mapped[str] = mapped_column(String(32), index=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class FieldSubmission(WardScoped, Base):
    """One submission from a device, keyed by the UUID the device gave it.

    Replaying the same UUID with the same content returns what it created; with different
    content it is refused. This is what makes offline queues deliver exactly once.
    """

    __tablename__ = "field_submission"
    __table_args__ = (UniqueConstraint("ward_id", "client_uuid"),)

    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(48))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
