"""Layers out as GeoDataFrames or rows, the wards, and a record's links (rows go in through
``models.writes``; caches key on ``models.fingerprints``).

Backend differences are delegated to ``models.dialects``; callers pass a Connection and
never see SQL. Owner personal data leaves this module only through ``PERSONAL_COLUMNS``
requested explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import numpy as np
import shapely
from sqlalchemy import (
    Connection,
    Integer,
    and_,
    bindparam,
    func,
    select,
)
from sqlalchemy.sql.schema import Table

from geo.lazy import deferred
from models import dialects
from models.layer_filters import (
    FilterShape,
    LayerFilter,
    bound_filter_clauses,
    filter_shape,
    filter_values,
)
from models.tables import (
    PERSONAL_COLUMNS,
    SRID,
    BoardingHouse,
    Incident,
    ModelStreet,
    Neighbourhood,
    Street,
    Ward,
)

gpd = deferred("geopandas")
pd = deferred("pandas")

_INTERNAL_COLUMNS = {"ward_id", "client_uuid", "created_at", "updated_at", "reporter"}


@dataclass(frozen=True)
class Layer:
    """A map/API layer: which table, which geometry, which filters make sense for it."""

    name: str
    table: Table
    geom: str
    date_column: str | None = None
    category_column: str | None = None
    status_column: str | None = None
    neighbourhood_column: str | None = None
    joins: tuple[str, ...] = field(default_factory=tuple)
    order_by: str = "id"

    def public_columns(self) -> list[str]:
        skip = _INTERNAL_COLUMNS | set(PERSONAL_COLUMNS) | {self.geom}
        return [c.name for c in self.table.columns if c.name not in skip]


LAYERS: dict[str, Layer] = {
    "neighbourhoods": Layer("neighbourhoods", Neighbourhood.__table__, "boundary",
                            neighbourhood_column="id", order_by="code"),
    "streets": Layer("streets", Street.__table__, "geom"),
    "model-streets": Layer("model-streets", ModelStreet.__table__, "geom",
                           status_column="status", neighbourhood_column="neighbourhood_id",
                           joins=("neighbourhood",)),
    "boarding-houses": Layer("boarding-houses", BoardingHouse.__table__, "geom",
                             status_column="model_status", neighbourhood_column="neighbourhood_id",
                             joins=("neighbourhood", "street")),
    "incidents": Layer("incidents", Incident.__table__, "geom", date_column="observed_at",
                       category_column="category", status_column="status",
                       neighbourhood_column="neighbourhood_id", joins=("neighbourhood", "street")),
}


# The joined tables' aliases, the same objects on every call so that expressions built on
# them (models.layer_json caches its features' expression) fit every statement.
KHU_PHO = Neighbourhood.__table__.alias("kp")
STREET = Street.__table__.alias("st")


def layer_select(conn: Connection, layer: Layer, ward_id: int, flt: LayerFilter, columns):
    """``columns`` of ``layer``'s rows in the ward that pass ``flt``, and the joined tables
    (``kp``: khu phố, ``st``: street) for their names."""
    stmt = bound_layer_select(conn.dialect.name, layer, filter_shape(flt), columns)
    joined = {"kp": KHU_PHO, "st": STREET}
    return stmt.params(ward_id=ward_id, **filter_values(layer, flt)), joined


def bound_layer_select(dialect: str, layer: Layer, shape: FilterShape, columns):
    """``layer_select`` with its values left as parameters: ``ward_id`` and those of
    ``bound_filter_clauses``, for a statement built once and run with many values."""
    table = layer.table
    stmt = select(*columns).select_from(table)
    if "neighbourhood" in layer.joins:
        stmt = stmt.outerjoin(KHU_PHO, KHU_PHO.c.id == table.c.neighbourhood_id)
    if "street" in layer.joins:
        stmt = stmt.outerjoin(STREET, STREET.c.id == table.c.street_id)
    ward = bindparam("ward_id", type_=Integer)
    return stmt.where(and_(table.c.ward_id == ward,
                           *bound_filter_clauses(dialect, layer, shape)))


def read_layer(
    conn: Connection, layer: Layer, ward_id: int, flt: LayerFilter | None = None,
    columns: list[str] | None = None, with_personal_data: bool = False,
    geometry: bool = True,
) -> gpd.GeoDataFrame | pd.DataFrame:
    """``layer`` as a GeoDataFrame in EPSG:4326 for ``geo`` analyses.

    ``geometry=False`` returns a plain DataFrame of the attributes (cheaper when an
    analysis only counts).
    """
    table = layer.table
    names = columns or layer.public_columns()
    if with_personal_data:
        names = [*names, *(c for c in PERSONAL_COLUMNS if c in table.c)]
    selected = [table.c[n] for n in names]
    if geometry:
        selected.append(dialects.wkb(table.c[layer.geom]).label("__wkb"))
    stmt, _ = layer_select(conn, layer, ward_id, flt or LayerFilter(), selected)
    rows = [tuple(row) for row in conn.execute(stmt.order_by(table.c.id))]
    frame = pd.DataFrame.from_records(rows, columns=[*names, "__wkb"][:len(selected)])
    if not geometry:
        return frame
    shapes = shapely.from_wkb([bytes(b) for b in frame.pop("__wkb")]) if len(frame) else []
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs=SRID), crs=SRID)


def read_rows(conn: Connection, layer: Layer, ward_id: int, flt: LayerFilter | None = None,
              columns: tuple[str, ...] = ()) -> list[tuple]:
    """The few rows of ``layer`` a one-point look-up needs: ``(*columns, geometry)`` tuples
    (shapely, EPSG:4326) in id order, without building a DataFrame."""
    table = layer.table
    selected = [*(table.c[name] for name in columns), dialects.wkb(table.c[layer.geom])]
    stmt, _ = layer_select(conn, layer, ward_id, flt or LayerFilter(), selected)
    return [(*row[:-1], shapely.from_wkb(bytes(row[-1])))
            for row in conn.execute(stmt.order_by(table.c.id))]


WARD_COLUMNS = (Ward.id, Ward.code, Ward.name, Ward.province, Ward.metric_epsg,
                Ward.is_synthetic)


class WardRow(NamedTuple):
    """A ward as ``wards`` gives it (``WARD_COLUMNS``), where it was read alongside other
    columns (``models.sessions.active_user``)."""

    id: int
    code: str
    name: str
    province: str | None
    metric_epsg: int
    is_synthetic: bool


# Built once: every request resolves its ward, and building the statement cost more than
# the database's answer.
_WARD_BY_CODE = select(*WARD_COLUMNS).where(Ward.code == bindparam("code"))
_WARDS = select(*WARD_COLUMNS).order_by(Ward.id)


def ward_by_code(conn: Connection, code: str):
    return conn.execute(_WARD_BY_CODE, {"code": code}).first()


def wards(conn: Connection) -> list:
    return list(conn.execute(_WARDS))


def ward_extent(conn: Connection, ward_id: int) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of the ward boundary."""
    wkb = conn.execute(select(dialects.wkb(Ward.boundary)).where(Ward.id == ward_id)).scalar_one()
    return tuple(shapely.from_wkb(bytes(wkb)).bounds)


def neighbourhood_names(conn: Connection, ward_id: int) -> list:
    stmt = select(Neighbourhood.id, Neighbourhood.code, Neighbourhood.name).where(
        Neighbourhood.ward_id == ward_id).order_by(Neighbourhood.code)
    return list(conn.execute(stmt))


def incident_date_range(conn: Connection, ward_id: int) -> tuple[datetime | None, datetime | None]:
    stmt = select(func.min(Incident.observed_at), func.max(Incident.observed_at)).where(
        Incident.ward_id == ward_id)
    return tuple(conn.execute(stmt).one())


def layer_counts(conn: Connection, ward_id: int) -> dict[str, int]:
    return {
        name: conn.execute(select(func.count()).select_from(layer.table).where(
            layer.table.c.ward_id == ward_id)).scalar_one()
        for name, layer in LAYERS.items()
    }


def ward_boundary(conn: Connection, ward_id: int):
    """The ward's boundary as a shapely geometry (EPSG:4326)."""
    wkb = conn.execute(select(dialects.wkb(Ward.boundary)).where(Ward.id == ward_id)).scalar_one()
    return shapely.from_wkb(bytes(wkb))


def around(lon: float, lat: float, metres: float) -> tuple[float, float, float, float]:
    """A lon/lat box reaching at least ``metres`` from a point (generous at these latitudes)."""
    dlat = metres / 110_000
    dlon = metres / (110_000 * max(0.2, float(np.cos(np.radians(lat)))))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def link_names(conn: Connection, ward_id: int, table: Table, record_id: int) -> dict:
    """Khu phố, street and (for incidents) model street a record was assigned to."""
    kp, st = Neighbourhood.__table__, Street.__table__
    columns = [table.c.id, kp.c.code.label("kp_code"), kp.c.name.label("kp_name"),
               st.c.name.label("street_name")]
    stmt = (select(*columns).select_from(table)
            .outerjoin(kp, kp.c.id == table.c.neighbourhood_id)
            .outerjoin(st, st.c.id == table.c.street_id))
    if "model_street_id" in table.c:
        ms = ModelStreet.__table__
        stmt = stmt.outerjoin(ms, ms.c.id == table.c.model_street_id).add_columns(
            ms.c.name.label("model_street_name"), table.c.is_repeat)
    row = conn.execute(stmt.where(table.c.ward_id == ward_id, table.c.id == record_id)).mappings()
    row = row.one()
    return {
        "neighbourhood": {"code": row["kp_code"], "name": row["kp_name"]}
        if row["kp_code"] else None,
        "street": row["street_name"],
        "model_street": row.get("model_street_name"),
        **({"is_repeat": bool(row["is_repeat"])} if "is_repeat" in row else {}),
    }


def house_for_edit(conn: Connection, ward_id: int, house_uuid, personal: bool = True):
    """One boarding house by its client UUID, with lon/lat (and owner data if ``personal``)."""
    bh, kp = BoardingHouse.__table__, Neighbourhood.__table__
    skip = {"geom", "created_at", "updated_at"} | (set() if personal else set(PERSONAL_COLUMNS))
    stmt = (select(*(c for c in bh.c if c.name not in skip), func.ST_X(bh.c.geom).label("lon"),
                   func.ST_Y(bh.c.geom).label("lat"), kp.c.name.label("neighbourhood_name"))
            .outerjoin(kp, kp.c.id == bh.c.neighbourhood_id)
            .where(bh.c.ward_id == ward_id, bh.c.client_uuid == house_uuid))
    return conn.execute(stmt).first()
