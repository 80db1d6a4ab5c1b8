"""The plan and the ranking: published snapshots, rubric and plan versions, and what staff
enter by hand (target values, manual scores, the monthly report's rows)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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

from models.base import Base, JsonDocument, WardScoped
from models.wardtime import WardTime


class RankingSnapshot(WardScoped, Base):
    """A published monthly ranking, append-only (``models.ledger``): publishing a month
    again adds a revision that supersedes the one before; the latest revision is official.

    ``prev_hash``/``row_hash`` chain the ward's snapshots (``models.ledger``).
    """

    __tablename__ = "ranking_snapshot"
    __table_args__ = (UniqueConstraint("ward_id", "month", "revision"),)

    month: Mapped[str] = mapped_column(String(7))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    rubric_version: Mapped[str] = mapped_column(String(64))
    rows: Mapped[list] = mapped_column(JsonDocument)
    published_at: Mapped[datetime] = mapped_column(WardTime)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    # Published before the month ended (by an admin, with ``reason``).
    early: Mapped[bool] = mapped_column(Boolean, default=False)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("ranking_snapshot.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class TargetSnapshot(WardScoped, Base):
    """The plan's target figures of a month as published, append-only like the rankings
    (``models.ledger``): frozen once, when the month's ranking is published or by the
    explicit "công bố tiến độ chỉ tiêu"; never revised, so the public page never shows a
    figure the ward did not publish.
    """

    __tablename__ = "target_snapshot"
    __table_args__ = (UniqueConstraint("ward_id", "month"),)

    month: Mapped[str] = mapped_column(String(7))
    plan_version: Mapped[str] = mapped_column(String(64))
    rows: Mapped[list] = mapped_column(JsonDocument)
    published_at: Mapped[datetime] = mapped_column(WardTime)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class RubricVersion(WardScoped, Base):
    """A ward's ranking rubric as edited by an admin; the newest is in force."""

    __tablename__ = "rubric_version"
    __table_args__ = (UniqueConstraint("ward_id", "version"),)

    version: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict] = mapped_column(JsonDocument)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class PlanVersion(WardScoped, Base):
    """A ward's plan (targets, phases, base year, route name, report header) as saved by its
    admin; the newest is in force. The body is the YAML document of ``data/plans/``."""

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("ward_id", "version"),)

    version: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict] = mapped_column(JsonDocument)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class TargetValue(WardScoped, Base):
    """The month's value of a manual target (one the data cannot compute), entered by staff."""

    __tablename__ = "target_value"
    __table_args__ = (UniqueConstraint("ward_id", "month", "target_code"),)

    month: Mapped[str] = mapped_column(String(7))
    target_code: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class ManualScore(WardScoped, Base):
    """Points of a manual criterion entered by staff for one khu phố and month."""

    __tablename__ = "manual_score"
    __table_args__ = (UniqueConstraint("ward_id", "month", "neighbourhood_id", "criterion"),)

    month: Mapped[str] = mapped_column(String(7))
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="CASCADE"))
    criterion: Mapped[str] = mapped_column(String(64))
    points: Mapped[float] = mapped_column(Float)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class MonthlyReportEntry(WardScoped, Base):
    """What staff write into one row (one target) of the month's progress report (Bảng 3).

    The figures come from the data; these are the parts the data cannot know.
    """

    __tablename__ = "monthly_report_entry"
    __table_args__ = (UniqueConstraint("ward_id", "month", "target_code"),)

    month: Mapped[str] = mapped_column(String(7))
    target_code: Mapped[str] = mapped_column(String(64))
    result_text: Mapped[str | None] = mapped_column(Text)
    difficulties: Mapped[str | None] = mapped_column(Text)
    proposals: Mapped[str | None] = mapped_column(Text)
    next_deadline: Mapped[date | None] = mapped_column(Date)
    percent_override: Mapped[float | None] = mapped_column(Float)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
