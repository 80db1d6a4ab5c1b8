"""The plan as work: a ward's units and their people, tasks with the six "rõ", progress
updates with their evidence, and each unit's monthly report (Bảng 3).

The tables are on ``models.base.Base`` (imported at the end of ``models.tables``); the
statements that read and write them are in ``models.work_queries``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, JsonDocument, WardScoped
from models.wardtime import WardTime


class WorkUnit(WardScoped, Base):
    """A unit of the ward that takes tasks: UBND, Công an, a khu phố, MTTQ… (``kind`` from
    ``geo.work.UNIT_KINDS``); a khu phố unit names its khu phố."""

    __tablename__ = "work_unit"
    __table_args__ = (UniqueConstraint("ward_id", "name"),)

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    # Other names the ward's documents use for it ("UBND", "Ủy ban nhân dân phường"), so an
    # imported task table finds the unit: a list of strings.
    aliases: Mapped[list] = mapped_column(JsonDocument, default=list)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="SET NULL"), index=True)


class WorkUnitMember(WardScoped, Base):
    """A user who works for a unit (reports its progress, fills its Bảng 3)."""

    __tablename__ = "work_unit_member"
    __table_args__ = (UniqueConstraint("unit_id", "user_id"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("work_unit.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    position: Mapped[str | None] = mapped_column(String(200))


class WorkTask(WardScoped, Base):
    """A task by the six "rõ": who (lead unit, responsible person), what (product, unit of
    measure, quantity), when (deadline, phase, milestones), responsibility (co-operating
    units), authority (approver), result (value, percent, evidence in ``work_evidence``)."""

    __tablename__ = "work_task"
    __table_args__ = (UniqueConstraint("ward_id", "code"),)

    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    product: Mapped[str] = mapped_column(Text)
    measure_unit: Mapped[str | None] = mapped_column(String(64))
    # The ward's minimum and the quantity the lead unit registered (never lower).
    ward_quantity: Mapped[float | None] = mapped_column(Float)
    target_quantity: Mapped[float | None] = mapped_column(Float)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("work_unit.id"), index=True)
    responsible_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"))
    responsible_name: Mapped[str | None] = mapped_column(String(200))
    co_unit_ids: Mapped[list] = mapped_column(JsonDocument, default=list)
    approver_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_unit.id", ondelete="SET NULL"))
    approver_name: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[date] = mapped_column(Date)
    phase: Mapped[str | None] = mapped_column(String(200))
    milestones: Mapped[list] = mapped_column(JsonDocument, default=list)  # [{on, text}]
    target_code: Mapped[str | None] = mapped_column(String(64))
    model_street_id: Mapped[int | None] = mapped_column(
        ForeignKey("model_street.id", ondelete="SET NULL"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="SET NULL"))
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="SET NULL"))
    # The latest progress (copied from ``work_progress`` in the update's transaction).
    result_value: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float] = mapped_column(Float, default=0.0)
    last_progress_at: Mapped[datetime | None] = mapped_column(WardTime)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))


class WorkProgress(WardScoped, Base):
    """One progress update of a task by a member of a unit."""

    __tablename__ = "work_progress"

    task_id: Mapped[int] = mapped_column(ForeignKey("work_task.id", ondelete="CASCADE"),
                                         index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("work_unit.id", ondelete="SET NULL"))
    value: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime] = mapped_column(WardTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))


class WorkEvidence(WardScoped, Base):
    """A file attached to a progress update: a photo (re-encoded without metadata), a PDF
    (biên bản, quyết định) or an XLSX list; the kind is read from the content."""

    __tablename__ = "work_evidence"

    progress_id: Mapped[int] = mapped_column(
        ForeignKey("work_progress.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("work_task.id", ondelete="CASCADE"),
                                         index=True)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))


class WorkUnitReport(WardScoped, Base):
    """A unit's monthly report (Bảng 3): its rows as filled, and when it was submitted."""

    __tablename__ = "work_unit_report"
    __table_args__ = (UniqueConstraint("ward_id", "unit_id", "month"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("work_unit.id", ondelete="CASCADE"),
                                         index=True)
    month: Mapped[str] = mapped_column(String(7))
    rows: Mapped[list] = mapped_column(JsonDocument, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(WardTime)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id",
                                                                ondelete="SET NULL"))
