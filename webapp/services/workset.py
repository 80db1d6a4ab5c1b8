"""The field officer's look-ups: the working set kept on the phone for offline use, what
is at a point (to prefill an address) and the boarding houses near a point.

Owner personal data (Decree 13/2023/NĐ-CP) goes into a working set only for roles that may
see it, only in the user's own ward, and every such download is audited.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from geo import assign
from geo.lazy import deferred
from models import queries, records, workset
from models.tables import PERSONAL_COLUMNS
from webapp.auth.permissions import can
from webapp.extensions import db

gpd = deferred("geopandas")
pd = deferred("pandas")

EDGE_M = 200.0  # streets this far outside a khu phố come with it
PLACE_STREET_M = 60.0
LONLAT_DECIMALS = 7


class UnknownNeighbourhood(LookupError):
    """No khu phố of the ward has this code."""


def iso_utc(moment: datetime) -> str:
    """``2026-11-01T02:30:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def may_download_personal(ward, user) -> bool:
    """Owner data only for roles that may see it, and only in their own ward (a super-admin
    working in a ward they chose does not get it)."""
    return can("view_personal_data", user) and getattr(user, "home_ward_id", None) == ward.id


def _area(boundary, metric_epsg: int):
    """``boundary`` grown by ``EDGE_M`` metres (simplified: it only selects features)."""
    grown = gpd.GeoSeries([boundary], crs=4326).to_crs(epsg=metric_epsg).buffer(EDGE_M, 4)
    return grown.simplify(2.0).to_crs(epsg=4326).iloc[0]


def _house(row: dict, personal: bool) -> dict:
    out = {}
    for key, value in row.items():
        if key in PERSONAL_COLUMNS and not personal:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif key in ("lon", "lat") and value is not None:
            value = round(float(value), LONLAT_DECIMALS)
        elif key == "uuid" and value is not None:
            value = str(value)
        out[key] = value
    return out


def working_set(ward, user, code: str | None, *, limit: int) -> dict:
    """The ward's (or one khu phố's) houses, streets, khu phố and model streets.

    Raises ``UnknownNeighbourhood`` for a code the ward does not have.
    """
    conn = db.conn
    kp_id, area, chosen = None, None, None
    if code:
        found = workset.neighbourhood(conn, ward.id, code)
        if found is None:
            raise UnknownNeighbourhood(code)
        kp_id, kp_code, kp_name, boundary = found
        chosen = {"code": kp_code, "name": kp_name}
        area = _area(boundary, ward.metric_epsg)
    personal = may_download_personal(ward, user)
    rows = workset.houses(conn, ward.id, kp_id, limit + 1, personal=personal)
    truncated = len(rows) > limit
    houses = [_house(row, personal) for row in rows[:limit]]
    body = {
        "generated_at": iso_utc(datetime.now(UTC)),
        "ward": {"code": ward.code, "name": ward.name,
                 "extent": list(queries.ward_extent(conn, ward.id))},
        "neighbourhood": chosen,
        "limit": limit,
        "truncated": truncated,
        "personal": personal,
        "houses": houses,
        "streets": workset.streets(conn, ward.id, area),
        "neighbourhoods": workset.neighbourhoods(conn, ward.id),
        "model_streets": workset.model_streets(conn, ward.id, area),
    }
    if personal:
        with db.transaction() as tx:
            records.audit(tx, ward.id, user.id, "download_personal_data", "boarding_house",
                          None, count=len(houses), neighbourhood=code or None,
                          fields=list(PERSONAL_COLUMNS), page="field_working_set")
    return body


def _near(conn, ward, layer: str, lon: float, lat: float, metres: float, **kwargs):
    flt = queries.LayerFilter(bbox=queries.around(lon, lat, metres))
    return queries.read_layer(conn, queries.LAYERS[layer], ward.id, flt, **kwargs)


def _point(lon: float, lat: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy([lon], [lat]), crs=4326)


def place(conn, ward, lon: float, lat: float) -> dict:
    """The nearest named street (within 60 m) and the khu phố at a point, and an address
    hint made of them ("Đường 51, Khu phố 3")."""
    point = _point(lon, lat)
    streets = _near(conn, ward, "streets", lon, lat, PLACE_STREET_M * 1.5,
                    columns=["id", "name", "named"])
    streets = streets[streets["named"].astype(bool)]
    nearest = assign.nearest_feature(point, streets, ward.metric_epsg,
                                     PLACE_STREET_M)["id"].iloc[0]
    street = None if pd.isna(nearest) else \
        streets.loc[streets["id"] == nearest, "name"].iloc[0]
    kps = _near(conn, ward, "neighbourhoods", lon, lat, assign.EDGE_TOLERANCE_M * 1.5,
                columns=["id", "code", "name"])
    inside = assign.neighbourhood_of(point, kps, ward.metric_epsg).iloc[0]
    kp = None
    if not pd.isna(inside):
        match = kps[kps["id"] == inside].iloc[0]
        kp = {"code": match["code"], "name": match["name"]}
    hint = ", ".join(part for part in (street, kp and kp["name"]) if part)
    return {"street": street, "neighbourhood": kp, "address_hint": hint}


def nearby_houses(conn, ward, lon: float, lat: float, radius_m: float) -> list[dict]:
    """Boarding houses within ``radius_m`` of a point, nearest first (no owner data)."""
    found = _near(conn, ward, "boarding-houses", lon, lat, radius_m * 1.5,
                  columns=["id", "client_uuid", "name", "address", "last_inspection_on"])
    if found.empty:
        return []
    found["distance_m"] = assign.distances_m(found, lon, lat, ward.metric_epsg)
    found = found[found["distance_m"] <= radius_m].sort_values(["distance_m", "id"])
    out = []
    for row, geometry in zip(found.itertuples(index=False), found.geometry, strict=True):
        inspected = row.last_inspection_on
        out.append({"id": int(row.id), "uuid": str(row.client_uuid), "name": row.name,
                    "address": row.address,
                    "lon": round(geometry.x, LONLAT_DECIMALS),
                    "lat": round(geometry.y, LONLAT_DECIMALS),
                    "last_inspection_on": None if pd.isna(inspected) else
                    pd.Timestamp(inspected).date().isoformat(),
                    "distance_m": round(float(row.distance_m), 1)})
    return out
