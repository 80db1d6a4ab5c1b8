"""The ward and its places: the ward, its khu phố, streets, model streets (with their
events and re-checks) and campaigns."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JsonDocument, Timestamped, WardScoped
from models.tables.spatial import geometry


class Ward(Timestamped, Base):
    __tablename__ = "ward"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(200))
    metric_epsg: Mapped[int] = mapped_column(Integer)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    boundary = mapped_column(geometry("MULTIPOLYGON"), nullable=False)


class Neighbourhood(WardScoped, Base):
    __tablename__ = "neighbourhood"
    __table_args__ = (UniqueConstraint("ward_id", "code"),)

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    head_name: Mapped[str | None] = mapped_column(String(200))
    boundary = mapped_column(geometry("MULTIPOLYGON"), nullable=False)


class Street(WardScoped, Base):
    __tablename__ = "street"

    name: Mapped[str] = mapped_column(String(200))
    street_class: Mapped[str] = mapped_column(String(32))
    length_m: Mapped[float] = mapped_column(Float)
    # False: the source had no name; ``name`` is a label made from the class and the
    # nearest named street ("Hẻm gần đường …").
    named: Mapped[bool] = mapped_column(Boolean, default=True)
    source_ref: Mapped[str | None] = mapped_column(String(200))  # e.g. OSM way ids
    geom = mapped_column(geometry("LINESTRING"), nullable=False)


class ModelStreet(WardScoped, Base):
    """A model street or cluster; ``level='ward'`` is the ward demonstration route."""

    __tablename__ = "model_street"

    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="SET NULL"), index=True
    )
    registered_on: Mapped[date | None] = mapped_column(Date)
    target_date: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    achieved_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    # The latest re-check of each of the ward's criteria ({code: met}); the dated history
    # is in ``model_street_check``.
    criteria: Mapped[dict] = mapped_column(JsonDocument, default=dict)
    frontage_households: Mapped[int] = mapped_column(Integer, default=0)
    commitments_signed: Mapped[int] = mapped_column(Integer, default=0)
    budget_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    socialised_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    sponsors: Mapped[str | None] = mapped_column(Text)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("street.id", ondelete="SET NULL"))
    geom = mapped_column(geometry("GEOMETRY"), nullable=False)


class ModelStreetEvent(WardScoped, Base):
    """One change of a model street: created, edited, status moved (with its date), re-checked."""

    __tablename__ = "model_street_event"

    model_street_id: Mapped[int] = mapped_column(
        ForeignKey("model_street.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    on_date: Mapped[date | None] = mapped_column(Date)
    changes: Mapped[dict] = mapped_column(JsonDocument, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class ModelStreetCheck(WardScoped, Base):
    """A dated re-check of a model street against the ward's criteria (photos attach to it)."""

    __tablename__ = "model_street_check"

    model_street_id: Mapped[int] = mapped_column(
        ForeignKey("model_street.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    checked_on: Mapped[date] = mapped_column(Date)
    results: Mapped[dict] = mapped_column(JsonDocument, default=dict)  # {code: {met, note}}
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Campaign(WardScoped, Base):
    __tablename__ = "campaign"

    name: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    units: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # The khu phố it covers, when chosen by khu phố; ``area`` is then their union. Both
    # empty: the whole ward.
    neighbourhood_ids: Mapped[list] = mapped_column(JsonDocument, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    area = mapped_column(geometry("MULTIPOLYGON"), nullable=True)
