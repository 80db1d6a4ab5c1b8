"""Importing a ward's files: a dry run that stores nothing, then one all-or-nothing commit.

The rows are read, mapped and checked by ``geo.io``; this module adds what needs the
database (khu phố codes already taken) and stores. Points get their khu phố, street and
model street by geometry (``geo.assign``), incidents their repeat flag. Replacing the khu
phố boundaries keeps the ids of codes still present (manual scores stay attached),
removes the others, and re-assigns every boarding house, incident and khu-phố model street
to its khu phố by geometry — in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from geo import assign
from geo import io as geoio
from geo.i18n import N_, Joined, Message
from geo.lazy import deferred
from models import model_streets as model_records
from models import queries, records, wards, writes
from models.tables import BoardingHouse, Incident, ModelStreet, Neighbourhood, Street
from webapp.clock import local_now
from webapp.services import streets as streets_service
from webapp.services.field import MODEL_STREET_WITHIN_M, STREET_WITHIN_M

gpd = deferred("geopandas")
pd = deferred("pandas")

TABLES = {"neighbourhoods": Neighbourhood, "streets": Street, "boarding-houses": BoardingHouse,
          "incidents": Incident, "model-streets": ModelStreet}
IMPORT_PERMISSIONS = {"neighbourhoods": ("admin",), "streets": ("admin",),
                      "boarding-houses": ("police", "admin"),
                      "incidents": ("police", "urban_staff", "admin"),
                      "model-streets": ("urban_staff", "admin")}
CHUNK = 500


@dataclass
class ImportRequest:
    path: Path
    layer: str
    mapping: dict[str, str] | None = None  # None: guessed from the headers
    source_epsg: int | None = None
    replace: bool = False
    tolerance_m: float = 50.0
    filename: str = ""
    snap_slivers: bool = False  # khu phố: snap overlaps and gaps thinner than the tolerance


@dataclass
class Plan:
    """A dry run: the file as read, the mapping used and every row checked."""

    raw: geoio.RawFile
    mapping: dict[str, str]
    check: geoio.ImportCheck
    # The required fields no column is mapped to: their labels, said in the reader's language.
    missing: Joined = field(default_factory=lambda: Joined(()))

    @property
    def ok(self) -> bool:
        return self.check.ok and not self.missing


class ImportRefused(Exception):
    """Nothing was stored; ``plan`` says why (or ``message`` when the file was unreadable)."""

    def __init__(self, message: str, plan: Plan | None = None) -> None:
        super().__init__(message)
        self.message, self.plan = message, plan


def dry_run(conn, ward, req: ImportRequest) -> Plan:
    """Read and check ``req.path`` for ``ward``; raise ``geoio.ReadError`` if unreadable."""
    raw = geoio.read_file(req.path, layer_hint=geoio.layer_file_name(req.layer))
    guessed = geoio.guess_mapping(raw.frame.columns, req.layer, raw.tabular)
    mapping = {k: v for k, v in (req.mapping if req.mapping is not None else guessed).items()
               if v in raw.frame.columns}
    if raw.osm and req.layer == "streets":
        mapping = {}  # OSM tags are read as such (geo.io.street_files), not through a mapping
    check = geoio.check_import(
        raw, req.layer, mapping, ward_boundary=queries.ward_boundary(conn, ward.id),
        metric_epsg=ward.metric_epsg, now=local_now(), source_epsg=req.source_epsg,
        tolerance_m=req.tolerance_m, snap_slivers=req.snap_slivers)
    if req.layer == "neighbourhoods" and not req.replace:
        taken = {r.code for r in queries.neighbourhood_names(conn, ward.id)}
        for row, code in check.clean.get("code", pd.Series(dtype=object)).items():
            if code in taken:
                check.errors.append(geoio.RowError(
                    row, Message(N_("mã khu phố")),
                    Message(N_("Mã khu phố “%(code)s” đã có trong phường: chọn “thay thế toàn "
                               "bộ khu phố” để cập nhật ranh giới."), code=code)))
        check.errors.sort(key=lambda e: (e.row, e.field))
    return Plan(raw, mapping, check, Joined(geoio.required_missing(req.layer, mapping)))


def commit(engine, ward, req: ImportRequest, user_id: int | None, via: str = "web",
           progress: Callable[[int], None] | None = None) -> dict:
    """Check again and store everything in one transaction; ``ImportRefused`` if any row
    is wrong (then nothing is stored). Returns counts for the report."""
    progress = progress or (lambda _n: None)
    with engine.begin() as conn:
        plan = dry_run(conn, ward, req)
        if not plan.ok:
            raise ImportRefused(_refusal(plan), plan)
        rows = plan.check.clean
        result = {"layer": req.layer, "rows": len(rows)}
        if req.layer == "neighbourhoods":
            result.update(_store_neighbourhoods(conn, ward, rows, req.replace, progress))
        elif req.layer == "streets":
            result.update(_store_streets(conn, ward, rows, req.replace, progress))
        elif req.layer == "model-streets":
            result.update(_store_model_streets(conn, ward, rows, user_id, progress))
        else:
            result.update(_store_points(conn, ward, req.layer, rows, progress))
        records.audit(conn, ward.id, user_id, "import", TABLES[req.layer].__tablename__, None,
                      layer=req.layer, rows=len(rows), file=req.filename or req.path.name,
                      replace=req.replace, crs=plan.check.source_crs, via=via,
                      snapped=req.snap_slivers)
        return result


def _refusal(plan: Plan) -> Message:
    if plan.missing:
        return Message(N_("Chưa ghép cột cho trường bắt buộc: %(fields)s."),
                       fields=plan.missing)
    if not plan.check.total:
        return Message(N_("Tệp không có dòng dữ liệu nào."))
    return Message(N_("Không nhập: %(rows)s dòng có lỗi (%(errors)s lỗi). Chưa lưu dòng nào."),
                   rows=plan.check.error_rows, errors=len(plan.check.errors))


def _chunks(frame: gpd.GeoDataFrame):
    for start in range(0, len(frame), CHUNK):
        yield frame.iloc[start:start + CHUNK]


def _insert(conn, table, frame: gpd.GeoDataFrame, ward_id: int, progress, key=None) -> dict:
    ids: dict = {}
    for part in _chunks(frame):
        ids.update(writes.insert_features(conn, table.__table__, part, "geom" if table is not
                                           Neighbourhood else "boundary", ward_id,
                                           returning_key=key))
        progress(len(part))
    return ids


def _store_streets(conn, ward, rows: gpd.GeoDataFrame, replace: bool, progress) -> dict:
    return streets_service.store(
        conn, ward, rows, replace,
        lambda fresh: _insert(conn, Street, fresh.rename_geometry("geom"), ward.id, progress))


def _store_model_streets(conn, ward, rows: gpd.GeoDataFrame, user_id, progress) -> dict:
    """Model streets with their khu phố (where a khu-phố-level one lies) and nearest street;
    each gets its "registered" history row, naming the import."""
    rows = rows.copy()
    anchors = gpd.GeoDataFrame(geometry=rows.geometry.map(streets_service.anchor), crs=4326,
                               index=rows.index)
    kp = assign.neighbourhood_of(anchors, _layer(conn, ward, "neighbourhoods", ["id"]),
                                 ward.metric_epsg)
    rows["neighbourhood_id"] = kp.where(rows["level"] == "neighbourhood").astype("Int64")
    near = assign.nearest_feature(anchors, _layer(conn, ward, "streets", ["id"]),
                                  ward.metric_epsg,
                                  streets_service.STREET_WITHIN_M["model-streets"])
    rows["street_id"] = near["id"].astype("Int64").to_numpy()
    rows["status"] = rows["status"].fillna("registered")
    rows["_key"] = range(len(rows))
    ids = _insert(conn, ModelStreet, rows.rename_geometry("geom"), ward.id, progress, key="_key")
    for key, new_id in ids.items():
        row = rows.iloc[key]
        model_records.add_event(conn, ward.id, new_id, "created", user_id,
                                to_status=row["status"], on_date=row.get("registered_on"),
                                note="Nhập từ tệp")
    return {"unassigned": int(rows["neighbourhood_id"].isna().sum()
                              - (rows["level"] == "ward").sum())}


def _layer(conn, ward, name: str, columns: list[str]) -> gpd.GeoDataFrame:
    return queries.read_layer(conn, queries.LAYERS[name], ward.id, columns=columns)


def _store_points(conn, ward, layer: str, rows: gpd.GeoDataFrame, progress) -> dict:
    rows = rows.copy()
    is_incident = layer == "incidents"
    links = assign.link_points(
        rows, _layer(conn, ward, "neighbourhoods", ["id"]), _layer(conn, ward, "streets", ["id"]),
        _layer(conn, ward, "model-streets", ["id"]), ward.metric_epsg,
        street_within_m=STREET_WITHIN_M["incident" if is_incident else "boarding_house"],
        model_street_within_m=MODEL_STREET_WITHIN_M)
    rows["neighbourhood_id"] = links["neighbourhood_id"]
    rows["street_id"] = links["street_id"]
    rows["client_uuid"] = [uuid.uuid4() for _ in range(len(rows))]
    result = {"unassigned": int(links["neighbourhood_id"].isna().sum())}
    if is_incident:
        rows["model_street_id"] = links["model_street_id"]
        result["repeats"] = _flag_repeats(conn, ward, rows)
    _insert(conn, TABLES[layer], rows.rename_geometry("geom"), ward.id, progress)
    return result


def _flag_repeats(conn, ward, rows: gpd.GeoDataFrame) -> int:
    """Repeat flags over the ward's incidents and the new ones together; existing incidents
    whose flag changes (an imported earlier resolution) are updated."""
    old = _layer(conn, ward, "incidents", ["id", "category", "observed_at", "resolved_at",
                                           "is_repeat"])
    new = rows[["category", "observed_at", "resolved_at"]].assign(id=pd.NA, is_repeat=False)
    both = pd.concat([old, gpd.GeoDataFrame(new, geometry=rows.geometry, crs=4326)],
                     ignore_index=True)
    both = gpd.GeoDataFrame(both, geometry="geometry", crs=4326)
    flags = assign.flag_repeats(both, ward.metric_epsg)
    rows["is_repeat"] = flags.iloc[len(old):].to_numpy()
    changed = old[flags.iloc[:len(old)].to_numpy() != old["is_repeat"].astype(bool).to_numpy()]
    for value in (True, False):
        writes.update_by_ids(conn, Incident, changed.loc[flags.iloc[changed.index] == value, "id"],
                    is_repeat=value)
    return int(rows["is_repeat"].sum())


def _store_neighbourhoods(conn, ward, rows: gpd.GeoDataFrame, replace: bool, progress) -> dict:
    existing = {r.code: r.id for r in queries.neighbourhood_names(conn, ward.id)}
    rows = rows.rename_geometry("boundary")
    fresh = rows[~rows["code"].isin(existing)] if replace else rows
    _insert(conn, Neighbourhood, fresh, ward.id, progress)
    result = {"added": len(fresh), "updated": 0, "removed": 0}
    if replace:
        for _, row in rows[rows["code"].isin(existing)].iterrows():
            wards.update_neighbourhood(
                conn, existing[row["code"]], name=row["name"], population=row.get("population"),
                households=row.get("households"), head_name=row.get("head_name"),
                boundary=row.boundary)
            result["updated"] += 1
            progress(1)
        gone = [i for code, i in existing.items() if code not in set(rows["code"])]
        wards.remove_neighbourhoods(conn, ward.id, gone)
        result["removed"] = len(gone)
    result["moved"] = reassign_neighbourhoods(conn, ward)
    return result


def reassign_neighbourhoods(conn, ward) -> dict[str, int]:
    """Set ``neighbourhood_id`` of every boarding house, incident and khu-phố-level model
    street from where it lies; returns how many changed per layer."""
    kp = _layer(conn, ward, "neighbourhoods", ["id"])
    moved = {}
    for layer, table in (("boarding-houses", BoardingHouse), ("incidents", Incident),
                         ("model-streets", ModelStreet)):
        columns = ["id", "neighbourhood_id"] + (["level"] if table is ModelStreet else [])
        features = _layer(conn, ward, layer, columns)
        if table is ModelStreet:
            features = features[features["level"] == "neighbourhood"]
            features = features.set_geometry(features.geometry.map(streets_service.anchor),
                                             crs=4326)
        new = assign.neighbourhood_of(features, kp, ward.metric_epsg)
        old = features["neighbourhood_id"].astype("Int64")
        changed = (new.fillna(-1) != old.fillna(-1))
        moved[layer] = int(changed.sum())
        for value, group in features[changed].groupby(new[changed].fillna(-1)):
            writes.update_by_ids(conn, table, group["id"],
                        neighbourhood_id=None if value == -1 else int(value))
    return moved


def describe_streets(result: dict) -> Message:
    """What a street import did, in a sentence (page and command line), said in the
    reader's language where shown."""
    relinked = result.get("relinked", {})
    parts = [Message(N_("Thêm %(count)s đoạn đường"), count=result["added"])]
    if result.get("already_there"):
        parts.append(Message(N_(", bỏ %(count)s đoạn đã có"), count=result["already_there"]))
    if result.get("removed"):
        parts.append(Message(N_(", thay %(count)s đoạn cũ"), count=result["removed"]))
    parts.append(Message("."))
    if any(relinked.values()):
        parts.append(Message(N_(" Gán lại đường theo vị trí: %(houses)s cơ sở trọ, "
                                "%(incidents)s vụ vi phạm, %(streets)s tuyến/cụm kiểu mẫu."),
                             houses=relinked.get("boarding-houses", 0),
                             incidents=relinked.get("incidents", 0),
                             streets=relinked.get("model-streets", 0)))
    return Joined(parts, separator="")


__all__ = ["ImportRefused", "ImportRequest", "Plan", "commit", "describe_streets", "dry_run",
           "reassign_neighbourhoods"]
