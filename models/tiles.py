"""Mapbox vector tiles of the map layers, one ward's or the whole province's.

PostGIS builds the tile itself (``ST_AsMVTGeom`` + ``ST_AsMVT``); on SpatiaLite the rows of
the tile are found through the spatial index, projected and clipped with shapely and
encoded with ``mapbox-vector-tile``. Both give the same features and properties.

Below ``AGGREGATE_BELOW_ZOOM`` a point layer is not sent point by point: it is counted per
cell of a ``CELLS`` × ``CELLS`` grid over the tile, each cell one point carrying ``count``
(a whole province's incidents would otherwise be millions of points). The counts come from
the cells the database keeps on every write (``models.tile_cells``), not from the points:
the same SQL on both backends, summing a few hundred cells where the points were tens of
thousands. Tiles carry only the columns listed in ``TileLayer.properties``: never owners'
personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy import Connection, and_, func, select, true
from sqlalchemy.sql.schema import Table

from geo import webtiles
from geo.lazy import deferred
from models import dialects, fingerprints, layer_filters, queries, tile_cells
from models.tables import BoardingHouse, Incident, Neighbourhood, Ward

mvt = deferred("mapbox_vector_tile")

EXTENT = 4096  # tile coordinates per side (the MVT default)
BUFFER = 64  # tile units drawn beyond the edge, so lines and outlines join across tiles
AGGREGATE_BELOW_ZOOM = 14
CELLS = 16  # grid cells per tile side when points are counted: 16 px on a 256 px tile


@dataclass(frozen=True)
class TileLayer:
    """A layer as tiles: its table and geometry, the ward column that scopes it, and the
    only columns its features carry."""

    name: str
    table: Table
    geom: str
    properties: tuple[str, ...]
    scope_column: str = "ward_id"
    points: bool = False  # counted per grid cell below AGGREGATE_BELOW_ZOOM

    def scope(self, ward_id: int | None):
        """The rows of one ward (``None``: of every ward)."""
        return true() if ward_id is None else self.table.c[self.scope_column] == ward_id


TILE_LAYERS: dict[str, TileLayer] = {
    "wards": TileLayer("wards", Ward.__table__, "boundary", ("code", "name"),
                       scope_column="id"),
    # ``ward_id`` with ``code`` names a khu phố across wards (the choropleth's ranking key).
    "neighbourhoods": TileLayer("neighbourhoods", Neighbourhood.__table__, "boundary",
                                ("code", "name", "ward_id")),
    "incidents": TileLayer("incidents", Incident.__table__, "geom",
                           ("category", "status", "is_repeat"), points=True),
    "boarding-houses": TileLayer("boarding-houses", BoardingHouse.__table__, "geom",
                                 ("name", "house_type", "model_status"), points=True),
}
assert not any(set(t.properties) & set(queries.PERSONAL_COLUMNS) for t in TILE_LAYERS.values())


def fingerprint(conn: Connection, layer: TileLayer, ward_id: int | None) -> tuple:
    """Changes whenever a row of the layer in scope is added, removed or edited."""
    return fingerprints.table_fingerprint(conn, layer.table, layer.scope(ward_id))


def filterable(layer: TileLayer) -> queries.Layer | None:
    """The API layer whose filters (months, categories, status, khu phố) the tiles of
    ``layer`` accept, if any: the ward map's filters apply to its tiles too."""
    return queries.LAYERS.get(layer.name) if layer.name != "wards" else None


def render(conn: Connection, layer: TileLayer, z: int, x: int, y: int,
           ward_id: int | None, flt: queries.LayerFilter | None = None) -> bytes:
    """The MVT (protobuf bytes, uncompressed) of tile ``z/x/y`` of ``layer``, only the rows
    passing ``flt`` (see ``filterable``); ``b""`` when the tile holds nothing."""
    aggregate = layer.points and z < AGGREGATE_BELOW_ZOOM
    if conn.dialect.name == "postgresql":
        build = _postgis_cells if aggregate else _postgis_features
    else:
        build = _python_cells if aggregate else _python_features
    where = None
    if flt:
        where = and_(true(), *layer_filters.filter_clauses(conn, filterable(layer), flt))
    return build(conn, layer, z, x, y, ward_id, where) or b""


def _rows_in_tile(conn: Connection, layer: TileLayer, z: int, x: int, y: int,
                  ward_id: int | None, margin: float, where=None):
    """The WHERE of the rows of the scope within the tile (grown by ``margin`` of its
    width) that pass ``where``, by the spatial index's boxes: the callers clip or bin what
    comes."""
    minx, miny, maxx, maxy = webtiles.tile_bounds_mercator(z, x, y)
    pad = (maxx - minx) * margin
    lon0, lat0 = webtiles.mercator_to_lonlat(minx - pad, miny - pad)
    lon1, lat1 = webtiles.mercator_to_lonlat(maxx + pad, maxy + pad)
    box = dialects.bbox_filter(conn.dialect.name, layer.table, layer.geom,
                               (lon0, lat0, lon1, lat1), exact=False)
    return and_(layer.scope(ward_id), box, true() if where is None else where)


def _cell_indices(lon, lat, z: int, x: int, y: int):
    """Column and row (from the north edge) of the ``CELLS`` × ``CELLS`` grid cell of the
    tile a point falls in, on SQL expressions or numpy arrays alike (filtered tiles only:
    the others read the kept counts). Linear in degrees within the tile: over one tile the
    difference from Web Mercator is below 0.5 % of a cell at these latitudes."""
    lon0, lat0, lon1, lat1 = webtiles.tile_bounds_lonlat(z, x, y)
    return (lon - lon0) * (CELLS / (lon1 - lon0)), (lat1 - lat) * (CELLS / (lat1 - lat0))


def _filtered_cells(conn, layer: TileLayer, z, x, y, ward_id, where) -> list[tuple]:
    """(column, row, count) of the points passing ``where``, binned in Python."""
    column = layer.table.c[layer.geom]
    stmt = select(func.ST_X(column), func.ST_Y(column)).where(
        _rows_in_tile(conn, layer, z, x, y, ward_id, 0, where))
    coords = np.array(conn.execute(stmt).all(), dtype=float).reshape(-1, 2)
    across, down = _cell_indices(coords[:, 0], coords[:, 1], z, x, y)
    cells = np.floor(np.column_stack([across, down])).astype(int)
    inside = ((cells >= 0) & (cells < CELLS)).all(axis=1)
    keys, counts = np.unique(cells[inside], axis=0, return_counts=True)
    return [(cx, cy, n) for (cx, cy), n in zip(keys.tolist(), counts.tolist(), strict=True)]


# --- PostGIS: the database encodes ------------------------------------------------------

def _postgis_features(conn, layer: TileLayer, z, x, y, ward_id, where=None) -> bytes | None:
    table = layer.table
    envelope = func.ST_MakeEnvelope(*webtiles.tile_bounds_mercator(z, x, y), 3857)
    shape = func.ST_AsMVTGeom(func.ST_Transform(table.c[layer.geom], 3857), envelope,
                              EXTENT, BUFFER, True)
    rows = (select(table.c.id, *(table.c[p] for p in layer.properties), shape.label("geom"))
            .where(_rows_in_tile(conn, layer, z, x, y, ward_id, BUFFER / EXTENT, where))
            .subquery("tile_rows"))
    return conn.execute(select(func.ST_AsMVT(
        rows.table_valued(), layer.name, EXTENT, "geom", "id"))).scalar()


def _postgis_cells(conn, layer: TileLayer, z, x, y, ward_id, where=None) -> bytes | None:
    if where is None:  # the counts kept per cell (models.tile_cells) are of every row
        counted = tile_cells.counts_in_tile(layer.name, z, x, y, CELLS, ward_id).subquery("cells")
    else:  # a filtered tile (the ward map's filters) counts its own points
        column = layer.table.c[layer.geom]
        across, down = _cell_indices(func.ST_X(column), func.ST_Y(column), z, x, y)
        column_index, row_index = func.floor(across).label("cx"), func.floor(down).label("cy")
        counted = (select(column_index, row_index, func.count().label("count"))
                   .where(_rows_in_tile(conn, layer, z, x, y, ward_id, 0, where))
                   .group_by(column_index, row_index).subquery("cells"))
    step = EXTENT / CELLS
    rows = (select(counted.c.count, func.ST_MakePoint((counted.c.cx + 0.5) * step,
                                                      (counted.c.cy + 0.5) * step).label("geom"))
            .subquery("tile_rows"))
    return conn.execute(select(func.ST_AsMVT(rows.table_valued(), layer.name, EXTENT,
                                             "geom"))).scalar()


# --- SpatiaLite: select through the index, encode in Python -------------------------------

def _encode(layer: TileLayer, features: list[dict]) -> bytes:
    """Features in tile units (0–``EXTENT``, y up) as an MVT."""
    if not features:
        return b""
    return mvt.encode([{"name": layer.name, "features": features}], default_options={
        "extents": EXTENT, "on_invalid_geometry": mvt.encoder.on_invalid_geometry_make_valid})


def _to_tile_units(z, x, y):
    """A ``shapely.transform`` function from lon/lat to the tile's units (y up)."""
    minx, miny, maxx, _ = webtiles.tile_bounds_mercator(z, x, y)
    scale = EXTENT / (maxx - minx)
    return lambda coords: (webtiles.lonlat_to_mercator(coords) - (minx, miny)) * scale


def _python_features(conn, layer: TileLayer, z, x, y, ward_id, where=None) -> bytes:
    table = layer.table
    stmt = (select(table.c.id, *(table.c[p] for p in layer.properties),
                   dialects.wkb(table.c[layer.geom]).label("wkb"))
            .where(_rows_in_tile(conn, layer, z, x, y, ward_id, BUFFER / EXTENT, where))
            .order_by(table.c.id))
    rows = conn.execute(stmt).all()
    if not rows:
        return b""
    shapes = shapely.transform(shapely.from_wkb([bytes(r.wkb) for r in rows]),
                               _to_tile_units(z, x, y))
    clipped = shapely.clip_by_rect(shapes, -BUFFER, -BUFFER, EXTENT + BUFFER, EXTENT + BUFFER)
    features = []
    for row, shape in zip(rows, clipped, strict=True):
        if shape.is_empty:
            continue
        properties = {p: row._mapping[p] for p in layer.properties
                      if row._mapping[p] is not None}
        features.append({"id": row.id, "geometry": shape, "properties": properties})
    return _encode(layer, features)


def _python_cells(conn, layer: TileLayer, z, x, y, ward_id, where=None) -> bytes:
    if where is None:
        counted = conn.execute(tile_cells.counts_in_tile(
            layer.name, z, x, y, CELLS, ward_id).order_by("cx", "cy")).all()
    else:
        counted = _filtered_cells(conn, layer, z, x, y, ward_id, where)
    step = EXTENT / CELLS
    features = [{"geometry": shapely.Point((cx + 0.5) * step, EXTENT - (cy + 0.5) * step),
                 "properties": {"count": int(count)}}
                for cx, cy, count in counted]
    return _encode(layer, features)


def decode(tile: bytes) -> dict:
    """The layers of a tile as ``mapbox_vector_tile.decode`` reads them (tests, bench)."""
    return mvt.decode(tile) if tile else {}

