"""The ward's data model (DESIGN.md "Data model"), geometry stored in EPSG:4326.

Vocabularies (categories, statuses) are plain strings validated by ``geo.vocabulary``
before they reach the database, so adding a category is a data change, not a migration.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
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

from models.base import Base, JsonDocument, OptionallyWardScoped, Timestamped, WardScoped
from models.wardtime import WardTime

SRID = 4326


def _geometry(kind: str) -> Geometry:
    return Geometry(kind, srid=SRID, spatial_index=True)


class Ward(Timestamped, Base):
    __tablename__ = "ward"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(200))
    metric_epsg: Mapped[int] = mapped_column(Integer)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    boundary = mapped_column(_geometry("MULTIPOLYGON"), nullable=False)


class Neighbourhood(WardScoped, Base):
    __tablename__ = "neighbourhood"
    __table_args__ = (UniqueConstraint("ward_id", "code"),)

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    head_name: Mapped[str | None] = mapped_column(String(200))
    boundary = mapped_column(_geometry("MULTIPOLYGON"), nullable=False)


class Street(WardScoped, Base):
    __tablename__ = "street"

    name: Mapped[str] = mapped_column(String(200))
    street_class: Mapped[str] = mapped_column(String(32))
    length_m: Mapped[float] = mapped_column(Float)
    # False: the source had no name; ``name`` is a label made from the class and the
    # nearest named street ("Hẻm gần đường …").
    named: Mapped[bool] = mapped_column(Boolean, default=True)
    source_ref: Mapped[str | None] = mapped_column(String(200))  # e.g. OSM way ids
    geom = mapped_column(_geometry("LINESTRING"), nullable=False)


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
    geom = mapped_column(_geometry("GEOMETRY"), nullable=False)


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
    area = mapped_column(_geometry("MULTIPOLYGON"), nullable=True)


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
    geom = mapped_column(_geometry("POINT"), nullable=False)


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
    geom = mapped_column(_geometry("POINT"), nullable=False)


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


class LedgerPurge(WardScoped, Base):
    """Permission, for the length of one transaction, to delete a ward's audit log and
    snapshots: the triggers refuse every other delete (``models.ledger.purge_permit``)."""

    __tablename__ = "ledger_purge"
    __table_args__ = (UniqueConstraint("ward_id"),)

    reason: Mapped[str] = mapped_column(String(200))


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


class IncidentEvent(WardScoped, Base):
    """A step of an incident's workflow (or an extra report attached to it): who, when."""

    __tablename__ = "incident_event"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"),
                                             index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


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


import models.work  # noqa: E402,F401  (its tables complete the metadata)
from models import registers as _registers  # noqa: E402,F401  (its tables join the metadata)
