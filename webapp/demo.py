"""Load the synthetic Tam Phước demo: generate (geo), derive by geometry (geo), store (models).

Everything is written in one transaction, so an interrupted load leaves nothing behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Engine

from geo import assign, synthetic
from geo.crs import to_metric
from geo.i18n import N_, Message
from geo.lazy import deferred
from geo.plan import Plan
from models import dialects, plans, queries, writes
from models import wards as ward_records
from models.tables import (
    BoardingHouse,
    Campaign,
    Incident,
    Inspection,
    ModelStreet,
    Neighbourhood,
    Street,
)
from webapp.clock import local_now
from webapp.services import work_demo
from webapp.services.streets import STREET_WITHIN_M, anchor
from webapp.users import create_demo_users

gpd = deferred("geopandas")
pd = deferred("pandas")

DEMO_WARD = "demo-tam-phuoc"
LEGACY_DEMO_WARDS = ("tam-phuoc",)  # the demo's code before real wards could be set up
DEMO_PLAN = "tam-phuoc"


def load_demo(
    engine: Engine,
    *,
    replace: bool = False,
    seed: int = 2026,
    echo: Callable[[str], None] = lambda _msg: None,
    passwords: dict[str, str] | None = None,
    **sizes,
) -> dict | None:
    """Generate and store the demo ward; ``None`` if it is already there and not replaced.

    Returns the number of rows stored per layer, and under ``"users"`` the demo accounts
    created ({username: (role, password)}) — passwords are random unless given. ``echo``
    gets the progress as ``geo.i18n.Message``s, for the caller to say in its reader's
    language.
    """
    with engine.begin() as conn:
        existing = _demo_ward(conn)
        if existing is not None and not replace:
            return None
        started = time.perf_counter()
        echo(Message(N_("Đang sinh dữ liệu mô phỏng (synthetic) cho phường Tam Phước…")))
        data = synthetic.generate_ward(seed, ward_code=DEMO_WARD, **sizes)
        echo(Message(N_("  xong sau %(seconds)s s"),
                     seconds=f"{time.perf_counter() - started:.1f}"))
        if existing is not None:
            echo(Message(N_("Xóa dữ liệu mô phỏng cũ…")))
            ward_records.delete_ward(conn, existing.id, reason="demo_replaced")
        counts = store_ward(conn, data, echo)
        ward_id = counts.pop("ward_id")
        plan = Plan.preset(DEMO_PLAN)
        plans.save_plan(conn, ward_id, plan.as_mapping(), None)
        counts["users"] = create_demo_users(conn, ward_id, passwords)
        counts.update(work_demo.load(conn, ward_id, local_now()))  # units, "6 rõ" tasks
        _registers(conn, ward_id, data, seed)
    with engine.begin() as conn:
        dialects.refresh_statistics(conn)
    return counts


def _registers(conn, ward_id: int, data: dict, seed: int) -> None:
    """The demo's trees and cameras registers (webapp/demo_registers.py)."""
    from webapp.clock import local_now
    from webapp.demo_registers import add_demo_registers

    ids = {row.code: row.id for row in queries.neighbourhood_names(conn, ward_id)}
    kp = data["neighbourhoods"]
    outlines = list(zip(kp["code"], kp.geometry, strict=True))

    def kp_of(point):
        return next((ids.get(code) for code, outline in outlines if outline.covers(point)),
                    None)

    add_demo_registers(conn, ward_id, list(data["streets"].geometry), kp_of,
                       local_now().date(), seed)


def _demo_ward(conn):
    for code in (DEMO_WARD, *LEGACY_DEMO_WARDS):
        ward = queries.ward_by_code(conn, code)
        if ward is not None and ward.is_synthetic:
            return ward
    return None


def remove_demo(engine: Engine) -> str | None:
    """Remove the synthetic demo ward and all it holds; real wards are not touched.

    Returns the removed ward's name (``None`` if there was no demo). The removal is written
    to the installation's audit log.
    """
    with engine.begin() as conn:
        ward = _demo_ward(conn)
        if ward is None:
            return None
        from webapp.services.wards import remove

        remove(conn, ward, None, force=True)
        return ward.name


def store_ward(conn, data: dict, echo: Callable[[str], None]) -> dict[str, int]:
    """Store a generated ward (dict of GeoDataFrames from ``geo.synthetic``) on ``conn``."""
    ward = data["ward"].iloc[0]
    epsg = int(ward["metric_epsg"])
    ward_id = ward_records.insert_ward(conn, ward["code"], ward["name"], ward.geometry, epsg,
                                  bool(ward["is_synthetic"]), province="Đồng Nai")

    echo(Message(N_("Ghi khu phố, đường phố, tuyến/cụm kiểu mẫu…")))
    kp = data["neighbourhoods"]
    kp_ids = writes.insert_features(conn, Neighbourhood.__table__, kp.rename_geometry("boundary"),
                                     "boundary", ward_id, returning_key="code")
    streets = data["streets"].copy()
    streets["length_m"] = to_metric(streets, epsg).length.round(1)
    streets["_key"] = range(len(streets))
    street_ids = writes.insert_features(conn, Street.__table__, streets.rename_geometry("geom"),
                                         "geom", ward_id, returning_key="_key")
    model = data["model_streets"].copy()
    model["neighbourhood_id"] = model["neighbourhood_code"].map(kp_ids)
    anchors = gpd.GeoDataFrame(geometry=model.geometry.map(anchor).to_numpy(), crs=4326)
    street_frame = _with_ids(streets, streets["_key"].map(street_ids))
    model["street_id"] = assign.nearest_feature(anchors, street_frame, epsg, STREET_WITHIN_M[
        "model-streets"])["id"].astype("Int64").to_numpy()
    model["_key"] = range(len(model))
    model_ids = writes.insert_features(conn, ModelStreet.__table__, model.rename_geometry("geom"),
                                        "geom", ward_id, returning_key="_key")

    layers = {
        "neighbourhoods": _with_ids(kp, kp["code"].map(kp_ids)),
        "streets": _with_ids(streets, streets["_key"].map(street_ids)),
        "model_streets": _with_ids(model, model["_key"].map(model_ids)),
    }
    campaigns = data["campaigns"]
    campaign_ids = writes.insert_rows(conn, Campaign.__table__, campaigns, ward_id)

    echo(Message(N_("Ghi %(count)s cơ sở cho thuê trọ…"), count=len(data["boarding_houses"])))
    houses = data["boarding_houses"].copy()
    houses = houses.join(_links(houses, layers, epsg)[["neighbourhood_id", "street_id"]])
    houses["_key"] = range(len(houses))
    house_ids = writes.insert_features(conn, BoardingHouse.__table__,
                                        houses.rename_geometry("geom"), "geom", ward_id,
                                        returning_key="_key")
    inspections = data["inspections"].copy()
    inspections["boarding_house_id"] = inspections["house_index"].map(
        dict(zip(houses.index, houses["_key"].map(house_ids), strict=True))).astype("Int64")
    writes.insert_rows(conn, Inspection.__table__, inspections, ward_id)

    echo(Message(N_("Ghi %(count)s vụ vi phạm (gán khu phố, đường, tái vi phạm)…"),
                 count=len(data["incidents"])))
    incidents = data["incidents"].copy()
    incidents = incidents.join(_links(incidents, layers, epsg, street_within_m=60))
    incidents["boarding_house_id"] = incidents["house_index"].map(
        dict(zip(houses.index, houses["_key"].map(house_ids), strict=True))).astype("Int64")
    incidents["campaign_id"] = _campaign_of(incidents["observed_at"], campaigns, campaign_ids)
    incidents["is_repeat"] = assign.flag_repeats(incidents, epsg)
    writes.insert_features(conn, Incident.__table__, incidents.rename_geometry("geom"), "geom",
                            ward_id)
    return {
        "ward_id": ward_id,
        "neighbourhoods": len(kp), "streets": len(streets), "model_streets": len(model),
        "boarding_houses": len(houses), "inspections": len(inspections),
        "incidents": len(incidents), "repeats": int(incidents["is_repeat"].sum()),
        "campaigns": len(campaigns),
    }


def _with_ids(gdf: gpd.GeoDataFrame, ids: pd.Series) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": ids.astype("int64").to_numpy()},
                            geometry=gdf.geometry.to_numpy(), crs=gdf.crs)


def _links(points, layers, epsg, street_within_m=100.0) -> pd.DataFrame:
    return assign.link_points(points, layers["neighbourhoods"], layers["streets"],
                              layers["model_streets"], epsg, street_within_m=street_within_m)


def _campaign_of(observed_at: pd.Series, campaigns: pd.DataFrame, ids: list[int]) -> pd.Series:
    """The campaign whose period contains each observation (``<NA>`` outside all)."""
    result = pd.Series(pd.NA, index=observed_at.index, dtype="Int64")
    day = pd.to_datetime(observed_at).dt.normalize()
    for campaign_id, (_, row) in zip(ids, campaigns.iterrows(), strict=True):
        inside = (day >= pd.Timestamp(row["starts_on"])) & (day <= pd.Timestamp(row["ends_on"]))
        result[inside & result.isna()] = campaign_id
    return result
