"""Fingerprints of a ward's layers and tables: count, last id and last update, which change
whenever a row is added, removed or edited — the keys of the caches (layers' ETags, the
locators, tiles, the analysis)."""

from __future__ import annotations

import functools

from sqlalchemy import Connection, Integer, bindparam, func, literal, select, union_all
from sqlalchemy.sql.schema import Table

from models.queries import LAYERS, Layer
from models.tables import Ward


def _fingerprint_select(table: Table, key):
    ward = bindparam("ward_id", type_=Integer)
    where = (table.c.id if table is Ward.__table__ else table.c.ward_id) == ward
    return select(literal(key).label("layer"), func.count(), func.max(table.c.id),
                  func.max(table.c.updated_at)).select_from(table).where(where)


def layer_fingerprint(conn: Connection, layer: Layer, ward_id: int) -> tuple:
    """Changes whenever a row of the layer is added, removed or edited (for caches)."""
    return tuple(conn.execute(_fingerprint_select(layer.table, 0),
                              {"ward_id": ward_id}).one())[1:]


def table_fingerprint(conn: Connection, table: Table, *where) -> tuple:
    """Count, last id and last update of the rows of ``table`` matching ``where``."""
    stmt = select(func.count(), func.max(table.c.id), func.max(table.c.updated_at)).where(
        *where)
    return tuple(conn.execute(stmt).one())


@functools.cache
def _fingerprints_statement(names: tuple[str, ...]):
    # Built once per set of layers: each field record asks, and building costs more than
    # the database's answer.
    parts = [_fingerprint_select(Ward.__table__, -1)]
    parts += [_fingerprint_select(LAYERS[name].table, i) for i, name in enumerate(names)]
    return union_all(*parts)


def layers_fingerprint(conn: Connection, ward_id: int, names: tuple[str, ...]) -> tuple:
    """``layer_fingerprint`` of each of the layers ``names`` and of the ward's own row (its
    boundary), in one round trip."""
    rows = sorted(tuple(row) for row in conn.execute(_fingerprints_statement(names),
                                                     {"ward_id": ward_id}))
    return tuple(row[1:] for row in rows)
