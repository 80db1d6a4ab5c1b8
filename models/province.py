"""Reads across every ward for the province view: per-ward counts and the latest
published ranking of each ward. Nothing personal, nothing per record."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from geo.vocabulary import OPEN_INCIDENT_STATUSES
from models import dialects
from models.tables import BoardingHouse, Incident, Neighbourhood, RankingSnapshot, Ward


def ward_summaries(conn: Connection) -> list[dict]:
    """Per ward (by code): khu phố, incidents, open incidents and boarding houses."""
    def per_ward(table, *extra):
        stmt = select(table.ward_id, func.count(), *extra).group_by(table.ward_id)
        return {row[0]: row[1:] for row in conn.execute(stmt)}

    open_now = func.sum(func.cast(Incident.status.in_(OPEN_INCIDENT_STATUSES), Incident.id.type))
    incidents = per_ward(Incident, open_now)
    houses = per_ward(BoardingHouse)
    neighbourhoods = per_ward(Neighbourhood)
    out = []
    for ward in conn.execute(select(Ward.id, Ward.code, Ward.name).order_by(Ward.code)):
        total, still_open = incidents.get(ward.id, (0, 0))
        out.append({"id": ward.id, "code": ward.code, "name": ward.name,
                    "neighbourhoods": neighbourhoods.get(ward.id, (0,))[0],
                    "incidents": total, "open_incidents": int(still_open or 0),
                    "boarding_houses": houses.get(ward.id, (0,))[0]})
    return out


def latest_published(conn: Connection) -> list:
    """Each ward's official ranking of its latest published month (latest revision):
    rows of ``ward_id``, ``month``, ``revision`` and ``rows``."""
    snap = RankingSnapshot.__table__
    latest_month = (select(snap.c.ward_id, func.max(snap.c.month).label("month"))
                    .group_by(snap.c.ward_id).subquery())
    latest_revision = (select(snap.c.ward_id, snap.c.month,
                              func.max(snap.c.revision).label("revision"))
                       .join(latest_month, (latest_month.c.ward_id == snap.c.ward_id)
                             & (latest_month.c.month == snap.c.month))
                       .group_by(snap.c.ward_id, snap.c.month).subquery())
    stmt = (select(snap.c.ward_id, snap.c.month, snap.c.revision, snap.c.rows)
            .join(latest_revision, (latest_revision.c.ward_id == snap.c.ward_id)
                  & (latest_revision.c.month == snap.c.month)
                  & (latest_revision.c.revision == snap.c.revision))
            .order_by(snap.c.ward_id))
    return list(conn.execute(stmt))


def snapshot_version(conn: Connection) -> tuple:
    """Changes whenever any ward publishes (snapshots are append-only)."""
    return tuple(conn.execute(select(func.count(), func.max(RankingSnapshot.id))).one())


def ward_outlines(conn: Connection) -> list[tuple[int, bytes]]:
    """``(ward id, boundary as WKB)`` of every ward."""
    return [(ward_id, bytes(wkb)) for ward_id, wkb in
            conn.execute(select(Ward.id, dialects.wkb(Ward.boundary)))]
