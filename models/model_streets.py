"""Model streets and clusters, their history and re-checks; peak campaigns (đợt ra quân)."""

from __future__ import annotations

import json

import shapely
from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from models import dialects
from models.tables import (
    Campaign,
    Incident,
    ModelStreet,
    ModelStreetCheck,
    ModelStreetEvent,
    Neighbourhood,
    Street,
    User,
)
from models.writes import ewkt

FIELDS = ("name", "level", "kind", "status", "neighbourhood_id", "registered_on",
          "target_date", "started_on", "achieved_on", "accepted_on", "frontage_households",
          "commitments_signed", "budget_vnd", "socialised_vnd", "sponsors", "street_id")


def _columns():
    ms, kp, st = ModelStreet.__table__, Neighbourhood.__table__, Street.__table__
    return ms, kp, st, [*(ms.c[f] for f in ("id", *FIELDS, "criteria", "updated_at")),
                        kp.c.name.label("neighbourhood_name"), kp.c.code.label("kp_code"),
                        st.c.name.label("street_name"),
                        dialects.geojson(ms.c.geom).label("geojson")]


def listing(conn: Connection, ward_id: int, level: str | None = None,
            status: str | None = None, neighbourhood_id: int | None = None) -> list:
    ms, kp, st, columns = _columns()
    where = [ms.c.ward_id == ward_id]
    if level:
        where.append(ms.c.level == level)
    if status:
        where.append(ms.c.status == status)
    if neighbourhood_id:
        where.append(ms.c.neighbourhood_id == neighbourhood_id)
    stmt = (select(*columns).select_from(ms)
            .outerjoin(kp, kp.c.id == ms.c.neighbourhood_id)
            .outerjoin(st, st.c.id == ms.c.street_id)
            .where(*where).order_by(ms.c.level.desc(), kp.c.code, ms.c.name))
    return list(conn.execute(stmt))


def one(conn: Connection, ward_id: int, model_street_id: int):
    ms, kp, st, columns = _columns()
    stmt = (select(*columns).select_from(ms)
            .outerjoin(kp, kp.c.id == ms.c.neighbourhood_id)
            .outerjoin(st, st.c.id == ms.c.street_id)
            .where(ms.c.ward_id == ward_id, ms.c.id == model_street_id))
    return conn.execute(stmt).first()


def insert_model_street(conn: Connection, ward_id: int, values: dict, geometry) -> int:
    row = {**values, "ward_id": ward_id, "geom": ewkt(geometry)}
    return conn.execute(insert(ModelStreet).returning(ModelStreet.id), [row]).scalar_one()


def update_model_street(conn: Connection, ward_id: int, model_street_id: int, values: dict,
                        geometry=None) -> None:
    if geometry is not None:
        values = {**values, "geom": ewkt(geometry)}
    conn.execute(update(ModelStreet).where(ModelStreet.ward_id == ward_id,
                                           ModelStreet.id == model_street_id).values(**values))


def add_event(conn: Connection, ward_id: int, model_street_id: int, action: str,
              user_id: int | None, *, from_status=None, to_status=None, on_date=None,
              changes: dict | None = None, note: str | None = None) -> None:
    conn.execute(insert(ModelStreetEvent), [{
        "ward_id": ward_id, "model_street_id": model_street_id, "action": action,
        "from_status": from_status, "to_status": to_status, "on_date": on_date,
        "changes": changes or {}, "note": note, "user_id": user_id}])


def events(conn: Connection, ward_id: int, model_street_id: int) -> list:
    ev = ModelStreetEvent
    stmt = (select(ev.id, ev.created_at, ev.action, ev.from_status, ev.to_status, ev.on_date,
                   ev.changes, ev.note, User.full_name, User.username)
            .outerjoin(User, User.id == ev.user_id)
            .where(ev.ward_id == ward_id, ev.model_street_id == model_street_id)
            .order_by(ev.id.desc()))
    return list(conn.execute(stmt))


def add_check(conn: Connection, ward_id: int, model_street_id: int, month: str, checked_on,
              results: dict, note: str | None, user_id: int | None) -> int:
    stmt = insert(ModelStreetCheck).returning(ModelStreetCheck.id)
    return conn.execute(stmt, [{
        "ward_id": ward_id, "model_street_id": model_street_id, "month": month,
        "checked_on": checked_on, "results": results, "note": note,
        "user_id": user_id}]).scalar_one()


def checks(conn: Connection, ward_id: int, model_street_id: int) -> list:
    ck = ModelStreetCheck
    stmt = (select(ck.id, ck.month, ck.checked_on, ck.results, ck.note, ck.created_at,
                   User.full_name, User.username)
            .outerjoin(User, User.id == ck.user_id)
            .where(ck.ward_id == ward_id, ck.model_street_id == model_street_id)
            .order_by(ck.checked_on.desc(), ck.id.desc()))
    return list(conn.execute(stmt))


def street_union(conn: Connection, ward_id: int, street_ids: list[int]):
    """The union of the ward's street segments with these ids (a model street picked from
    the street layer), or ``None`` if none of them is the ward's."""
    stmt = select(dialects.wkb(Street.geom)).where(Street.ward_id == ward_id,
                                                   Street.id.in_(street_ids))
    shapes = [shapely.from_wkb(bytes(b)) for b in conn.execute(stmt).scalars()]
    return shapely.line_merge(shapely.union_all(shapes)) if shapes else None


# --- campaigns (đợt ra quân) ------------------------------------------------------------

def campaigns(conn: Connection, ward_id: int) -> list:
    stmt = (select(Campaign.id, Campaign.name, Campaign.starts_on, Campaign.ends_on,
                   Campaign.units, Campaign.note, Campaign.neighbourhood_ids,
                   (Campaign.area.is_not(None)).label("has_area"))
            .where(Campaign.ward_id == ward_id).order_by(Campaign.starts_on.desc()))
    return list(conn.execute(stmt))


def campaign(conn: Connection, ward_id: int, campaign_id: int):
    stmt = select(Campaign.id, Campaign.name, Campaign.starts_on, Campaign.ends_on,
                  Campaign.units, Campaign.note, Campaign.neighbourhood_ids,
                  dialects.geojson(Campaign.area).label("geojson")).where(
        Campaign.ward_id == ward_id, Campaign.id == campaign_id)
    return conn.execute(stmt).first()


def save_campaign(conn: Connection, ward_id: int, values: dict, area,
                  campaign_id: int | None = None) -> int:
    values = {**values, "area": ewkt(area) if area is not None else None}
    if campaign_id is None:
        stmt = insert(Campaign).returning(Campaign.id)
        return conn.execute(stmt, [{**values, "ward_id": ward_id}]).scalar_one()
    conn.execute(update(Campaign).where(Campaign.ward_id == ward_id, Campaign.id == campaign_id)
                 .values(**values))
    return campaign_id


def campaign_results(conn: Connection, ward_id: int, campaign_id: int) -> list:
    """Per category: incidents observed in the campaign's period (and area), how many were
    tagged to it, resolved, and the fines — counted from the records."""
    c = Campaign.__table__
    area = select(c.c.area).where(c.c.id == campaign_id).scalar_subquery()
    period = select(c.c.starts_on, c.c.ends_on).where(c.c.id == campaign_id).subquery()
    inc = Incident.__table__
    day = dialects.ward_date(conn.dialect.name, inc.c.observed_at)
    inside = or_(area.is_(None), func.ST_Intersects(inc.c.geom, area) == (
        1 if conn.dialect.name == "sqlite" else True))
    stmt = (select(inc.c.category, func.count().label("incidents"),
                   func.count().filter(inc.c.campaign_id == campaign_id).label("tagged"),
                   func.count().filter(inc.c.status == "resolved").label("resolved"),
                   func.count().filter(inc.c.is_repeat.is_(True)).label("repeats"),
                   func.coalesce(func.sum(inc.c.fine_vnd), 0).label("fines"))
            .where(inc.c.ward_id == ward_id,
                   day >= select(period.c.starts_on).scalar_subquery(),
                   day <= select(period.c.ends_on).scalar_subquery(),
                   inside)
            .group_by(inc.c.category).order_by(func.count().desc()))
    return list(conn.execute(stmt))


def running_campaigns(conn: Connection, ward_id: int, day, lon: float | None = None,
                      lat: float | None = None) -> list:
    """Campaigns running on ``day``; with a point, only those whose area holds it."""
    stmt = select(Campaign.id, Campaign.name, Campaign.starts_on, Campaign.ends_on).where(
        Campaign.ward_id == ward_id, Campaign.starts_on <= day, Campaign.ends_on >= day)
    if lon is not None and lat is not None:
        point = func.ST_GeomFromText(f"POINT({float(lon)} {float(lat)})", 4326)
        hit = func.ST_Intersects(Campaign.area, point)
        stmt = stmt.where(or_(Campaign.area.is_(None),
                              hit == (1 if conn.dialect.name == "sqlite" else True)))
    return list(conn.execute(stmt.order_by(Campaign.starts_on)))


def campaigns_on(conn: Connection, ward_id: int, day) -> list[tuple]:
    """``(id, area)`` of the campaigns running on ``day`` (shapely in EPSG:4326; ``None``: the
    whole ward), earliest start first: what ``running_campaigns`` filters by a point, for a
    caller that places many points on one day."""
    rows = conn.execute(_CAMPAIGNS_ON, {"ward_id": ward_id, "day": day})
    return [(cid, None if wkb is None else shapely.from_wkb(bytes(wkb))) for cid, wkb in rows]


# Built once: every field request that records an incident runs it.
_CAMPAIGNS_ON = select(Campaign.id, dialects.wkb(Campaign.area)).where(
    Campaign.ward_id == bindparam("ward_id"), Campaign.starts_on <= bindparam("day"),
    Campaign.ends_on >= bindparam("day")).order_by(Campaign.starts_on)


def neighbourhood_union(conn: Connection, ward_id: int, ids: list[int]):
    stmt = select(dialects.wkb(Neighbourhood.boundary)).where(
        Neighbourhood.ward_id == ward_id, Neighbourhood.id.in_(ids))
    shapes = [shapely.from_wkb(bytes(b)) for b in conn.execute(stmt).scalars()]
    return shapely.union_all(shapes) if shapes else None


def parse_geojson(text: str | None):
    return shapely.geometry.shape(json.loads(text)) if text else None
