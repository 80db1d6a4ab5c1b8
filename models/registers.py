"""Registers a ward defines as data (``geo.registers``): their types and entries, and all
their SQL.

An entry's attributes are one JSON document validated against its type before it gets
here; filters read it with SQLAlchemy's JSON paths, which both backends run
(``json_extract`` on SpatiaLite, ``->>`` on PostGIS). Geometry is EPSG:4326 like every
layer; its kind (point, line, polygon) is the type's.
"""

from __future__ import annotations

import uuid
from datetime import date

from geoalchemy2 import Geometry
from sqlalchemy import (
    Connection,
    ForeignKey,
    String,
    UniqueConstraint,
    Uuid,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from models import dialects
from models.base import Base, JsonDocument, WardScoped
from models.tables import SRID, Neighbourhood, Photo, User


class RegisterType(WardScoped, Base):
    """A register the ward keeps (cameras, trees, alleys…): its definition document."""

    __tablename__ = "register_type"
    __table_args__ = (UniqueConstraint("ward_id", "code"),)

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    geometry_kind: Mapped[str] = mapped_column(String(16))
    definition: Mapped[dict] = mapped_column(JsonDocument)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class RegisterEntry(WardScoped, Base):
    """One thing in a register; ``client_uuid`` makes a phone's submission arrive once."""

    __tablename__ = "register_entry"
    __table_args__ = (UniqueConstraint("ward_id", "client_uuid"),)

    register_type_id: Mapped[int] = mapped_column(
        ForeignKey("register_type.id", ondelete="CASCADE"), index=True)
    client_uuid: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4)
    attributes: Mapped[dict] = mapped_column(JsonDocument, default=dict)
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhood.id", ondelete="SET NULL"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    geom = mapped_column(Geometry("GEOMETRY", srid=SRID, spatial_index=True), nullable=False)


TYPES, ENTRIES = RegisterType.__table__, RegisterEntry.__table__


# --- types ---------------------------------------------------------------------------------

def types(conn: Connection, ward_id: int) -> list:
    stmt = (select(TYPES.c.id, TYPES.c.code, TYPES.c.name, TYPES.c.geometry_kind,
                   TYPES.c.definition, func.count(ENTRIES.c.id).label("entries"))
            .outerjoin(ENTRIES, ENTRIES.c.register_type_id == TYPES.c.id)
            .where(TYPES.c.ward_id == ward_id).group_by(TYPES.c.id).order_by(TYPES.c.name))
    return list(conn.execute(stmt))


def type_by_code(conn: Connection, ward_id: int, code: str):
    stmt = select(TYPES).where(TYPES.c.ward_id == ward_id, TYPES.c.code == code)
    return conn.execute(stmt).first()


def add_type(conn: Connection, ward_id: int, definition: dict, user_id: int | None) -> int:
    return conn.execute(insert(TYPES).returning(TYPES.c.id), [{
        "ward_id": ward_id, "code": definition["code"], "name": definition["name"],
        "geometry_kind": definition["geometry"], "definition": definition,
        "created_by": user_id}]).scalar_one()


def replace_definition(conn: Connection, ward_id: int, type_id: int, definition: dict) -> None:
    conn.execute(TYPES.update().where(TYPES.c.ward_id == ward_id, TYPES.c.id == type_id)
                 .values(name=definition["name"], definition=definition))


def all_attributes(conn: Connection, ward_id: int, type_id: int) -> list:
    """(id, attributes) of every entry of a register: to check them against a new form."""
    stmt = select(ENTRIES.c.id, ENTRIES.c.attributes).where(
        ENTRIES.c.ward_id == ward_id, ENTRIES.c.register_type_id == type_id).order_by(
        ENTRIES.c.id)
    return list(conn.execute(stmt))


# --- entries -------------------------------------------------------------------------------

def insert_entry(conn: Connection, values: dict, geometry_ewkt: str) -> int:
    return conn.execute(insert(ENTRIES).returning(ENTRIES.c.id),
                        [{**values, "geom": geometry_ewkt}]).scalar_one()


def insert_entries(conn: Connection, rows: list[dict]) -> int:
    """Many entries at once (an import): ``rows`` carry their ``geom`` as EWKT."""
    if rows:
        conn.execute(insert(ENTRIES), rows)
    return len(rows)


def update_entry(conn: Connection, ward_id: int, entry_id: int, values: dict,
                 geometry_ewkt: str | None = None) -> None:
    if geometry_ewkt is not None:
        values = {**values, "geom": geometry_ewkt}
    conn.execute(ENTRIES.update().where(ENTRIES.c.ward_id == ward_id, ENTRIES.c.id == entry_id)
                 .values(**values))


def delete_entry(conn: Connection, ward_id: int, entry_id: int) -> int:
    """Delete an entry and its photos; how many photos went with it."""
    photos = conn.execute(delete(Photo).where(
        Photo.ward_id == ward_id, Photo.entity == "register_entry",
        Photo.entity_id == entry_id)).rowcount
    conn.execute(delete(ENTRIES).where(ENTRIES.c.ward_id == ward_id, ENTRIES.c.id == entry_id))
    return photos


def entry_uuid_taken(conn: Connection, ward_id: int, client_uuid: uuid.UUID) -> bool:
    stmt = select(ENTRIES.c.id).where(ENTRIES.c.ward_id == ward_id,
                                      ENTRIES.c.client_uuid == client_uuid)
    return conn.execute(stmt).first() is not None


def _columns():
    creator, editor, kp = User.__table__.alias("creator"), User.__table__.alias("editor"), \
        Neighbourhood.__table__
    columns = [ENTRIES.c.id, ENTRIES.c.client_uuid, ENTRIES.c.attributes,
               ENTRIES.c.created_at, ENTRIES.c.updated_at, ENTRIES.c.register_type_id,
               dialects.geojson(ENTRIES.c.geom).label("geojson"),
               creator.c.full_name.label("created_by_name"),
               editor.c.full_name.label("updated_by_name"), kp.c.name.label("kp_name")]
    joined = (ENTRIES.outerjoin(creator, creator.c.id == ENTRIES.c.created_by)
              .outerjoin(editor, editor.c.id == ENTRIES.c.updated_by)
              .outerjoin(kp, kp.c.id == ENTRIES.c.neighbourhood_id))
    return columns, joined


def entry(conn: Connection, ward_id: int, type_id: int, entry_id: int):
    columns, joined = _columns()
    stmt = select(*columns).select_from(joined).where(
        ENTRIES.c.ward_id == ward_id, ENTRIES.c.register_type_id == type_id,
        ENTRIES.c.id == entry_id)
    return conn.execute(stmt).first()


def entry_by_id(conn: Connection, ward_id: int, entry_id: int):
    """An entry's register code and khu phố name (for the answer to a submission)."""
    kp = Neighbourhood.__table__
    stmt = (select(ENTRIES.c.id, TYPES.c.code, kp.c.name.label("kp_name"),
                   kp.c.code.label("kp_code"))
            .join(TYPES, TYPES.c.id == ENTRIES.c.register_type_id)
            .outerjoin(kp, kp.c.id == ENTRIES.c.neighbourhood_id)
            .where(ENTRIES.c.ward_id == ward_id, ENTRIES.c.id == entry_id))
    return conn.execute(stmt).first()


def _where(ward_id: int, type_id: int, choices: dict, date_field: str | None,
           date_from: date | None, date_to: date | None) -> list:
    """``choices``: {field: code} (a yes/no as True/False); a date field's range as ISO text
    (dates are stored as ``YYYY-MM-DD``, whose text order is the calendar's)."""
    where = [ENTRIES.c.ward_id == ward_id, ENTRIES.c.register_type_id == type_id]
    for name, wanted in choices.items():
        path = ENTRIES.c.attributes[name]
        where.append(path.as_boolean() == wanted if isinstance(wanted, bool)
                     else path.as_string() == wanted)
    if date_field:
        path = ENTRIES.c.attributes[date_field].as_string()
        if date_from:
            where.append(path >= date_from.isoformat())
        if date_to:
            where.append(path <= date_to.isoformat())
    return where


def list_entries(conn: Connection, ward_id: int, type_id: int, *, choices=None,
                 date_field=None, date_from=None, date_to=None, limit: int | None = 50,
                 offset: int = 0) -> tuple[list, int]:
    """One page of entries, newest first, and how many match in all."""
    where = _where(ward_id, type_id, choices or {}, date_field, date_from, date_to)
    total = conn.execute(select(func.count()).select_from(ENTRIES).where(*where)).scalar_one()
    columns, joined = _columns()
    stmt = (select(*columns).select_from(joined).where(*where)
            .order_by(ENTRIES.c.id.desc()).offset(offset))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(conn.execute(stmt)), total


def entries_in_bbox(conn: Connection, ward_id: int, type_id: int, bbox, limit: int) -> list:
    """Entries whose geometry meets ``bbox``: (id, attributes, GeoJSON geometry text)."""
    stmt = (select(ENTRIES.c.id, ENTRIES.c.attributes,
                   dialects.geojson(ENTRIES.c.geom).label("geojson"))
            .where(ENTRIES.c.ward_id == ward_id, ENTRIES.c.register_type_id == type_id,
                   dialects.bbox_filter(conn.dialect.name, ENTRIES, "geom", bbox))
            .order_by(ENTRIES.c.id).limit(limit))
    return list(conn.execute(stmt))
