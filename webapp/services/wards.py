"""A ward's life: created from a boundary file, outline changed, removed — for the CLI and
the super-admin pages alike. Each change is one transaction and is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyproj import CRS

from geo import boundary as geo_boundary
from geo import io as geoio
from geo import vocabulary as vocab
from geo.crs import metric_crs_choices, metric_epsg_for
from geo.i18n import N_, Joined, Message, Msgid
from geo.plan import Plan, starting_plan
from geo.text import tidy
from models import plans, queries, records
from models import wards as ward_records
from webapp.clock import local_now

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
OUTSIDE_TOLERANCE_M = 50.0
OUTSIDE_EXAMPLES = 20
# Msgids, said in the reader's language where shown (webapp.i18n.Labels, a Message's value).
LAYER_LABELS = {"neighbourhoods": N_("khu phố"), "streets": N_("đoạn đường"),
                "model-streets": N_("tuyến/cụm kiểu mẫu"),
                "boarding-houses": N_("cơ sở cho thuê trọ"), "incidents": N_("vụ vi phạm")}
RECORD_LABELS = {"boarding_house": N_("cơ sở cho thuê trọ"), "inspection": N_("lượt kiểm tra"),
                 "incident": N_("vụ vi phạm"), "model_street": N_("tuyến/cụm kiểu mẫu"),
                 "campaign": N_("đợt ra quân"), "ranking_snapshot": N_("xếp hạng đã công bố"),
                 "target_snapshot": N_("tiến độ chỉ tiêu đã công bố"),
                 "monthly_report_entry": N_("mục báo cáo tháng"),
                 "target_value": N_("số liệu chỉ tiêu"),
                 "register_entry": N_("bản ghi sổ theo dõi")}


class WardError(ValueError):
    """A ward change that cannot be made; the message (``args[0]``, a ``geo.i18n.Message``)
    is for the person making it, said in their language where shown."""


@dataclass
class Outline:
    """A boundary read from a file: the MultiPolygon (EPSG:4326) and what was done to it."""

    shape: object
    notes: list[str] = field(default_factory=list)


def read_outline(path: Path, source_epsg: int | None = None) -> Outline:
    """The ward outline in a GeoJSON / GeoPackage / zipped Shapefile / KML file, any CRS."""
    try:
        raw = geoio.read_file(path, layer_hint="ward")
    except geoio.ReadError as err:
        raise WardError(err.args[0]) from None
    if raw.tabular:
        raise WardError(Message(N_("Ranh giới phường phải là tệp bản đồ (GeoJSON, GeoPackage, "
                                   "Shapefile nén .zip hoặc KML), không phải bảng tính.")))
    try:
        shape, notes = geo_boundary.ward_outline(raw.frame, source_epsg)
    except geo_boundary.BoundaryError as err:
        raise WardError(err.args[0]) from None
    return Outline(shape, [*raw.notes, *notes])


def check_code(conn, code: str) -> str:
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise WardError(Message(N_("Mã phường “%(code)s” không hợp lệ: 2–64 ký tự, chữ thường "
                                   "không dấu, số và dấu gạch ngang (ví dụ: ho-nai, "
                                   "phuong-12-go-vap)."), code=code))
    if queries.ward_by_code(conn, code) is not None:
        raise WardError(Message(N_("Mã phường “%(code)s” đã có."), code=code))
    return code


def choose_metric_crs(epsg: int | None, province: str | None, outline) -> tuple[int, str]:
    """The ward's metric CRS: the one asked for (any projected CRS in metres), else the
    province's VN-2000 zone."""
    if epsg is None:
        return metric_epsg_for(province, outline.centroid.x)
    try:
        crs = CRS.from_epsg(int(epsg))
    except Exception:  # noqa: BLE001 - pyproj raises its own CRSError and ValueError
        raise WardError(Message(N_("Không có hệ tọa độ EPSG:%(epsg)s."), epsg=epsg)) from None
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in ("metre", "meter"):
        raise WardError(Message(N_("EPSG:%(epsg)s (%(name)s) không phải hệ tọa độ phẳng theo mét: "
                                   "chọn một hệ VN-2000, ví dụ 5899, 9210, 9212, 5897."),
                                epsg=epsg, name=crs.name))
    return int(epsg), metric_crs_choices().get(int(epsg), crs.name)


def create(tx, *, code: str, name: str, province: str | None, outline: Outline,
           metric_epsg: int | None = None, preset: str = "mac-dinh",
           user_id: int | None = None, synthetic: bool = False) -> dict:
    """Create a ward with its outline and its starting plan (a preset of ``data/plans``)."""
    code = check_code(tx, code)
    name = tidy(name)
    if not 3 <= len(name) <= 200:
        raise WardError(Message(N_("Tên phường phải có từ 3 đến 200 ký tự (ví dụ: Phường Hồ "
                                   "Nai).")))
    province = tidy(province) or None
    epsg, why = choose_metric_crs(metric_epsg, province, outline.shape)
    try:
        plan = starting_plan(preset, name, local_now().date())
    except ValueError as err:
        raise WardError(err.args[0]) from None
    ward_id = ward_records.insert_ward(tx, code, name, outline.shape, epsg, synthetic, province)
    plans.save_plan(tx, ward_id, plan.as_mapping(), user_id)
    area = geo_boundary.area_km2(outline.shape, epsg)
    records.audit(tx, None, user_id, "ward_created", "ward", ward_id, code=code, name=name,
                  metric_epsg=epsg, area_km2=round(area, 3), plan=plan.version)
    records.audit(tx, ward_id, user_id, "ward_created", "ward", ward_id, code=code,
                  metric_epsg=epsg, plan=plan.version)
    return {"id": ward_id, "code": code, "name": name, "metric_epsg": epsg, "crs_reason": why,
            "area_km2": area, "plan": plan.name, "notes": outline.notes}


def outside(conn, ward, shape, tolerance_m: float = OUTSIDE_TOLERANCE_M) -> dict[str, dict]:
    """Per layer, the features that would lie beyond ``shape`` (more than the tolerance):
    their count and the first few (id, name, metres)."""
    found = {}
    for layer, label in LAYER_LABELS.items():
        columns = ["id", "name"] if layer != "incidents" else ["id", "category"]
        frame = queries.read_layer(conn, queries.LAYERS[layer], ward.id, columns=columns)
        if frame.empty:
            continue
        metres = geo_boundary.reach_outside(frame.geometry, shape, ward.metric_epsg, tolerance_m)
        beyond = frame[metres > 0].assign(metres=metres[metres > 0]).sort_values(
            "metres", ascending=False)
        if len(beyond):
            found[layer] = {"label": label, "count": len(beyond), "examples": [
                (int(r.id), _example_name(r), round(float(r.metres)))
                for r in beyond.head(OUTSIDE_EXAMPLES).itertuples()]}
    return found


def _example_name(row) -> str:
    """How a feature beyond the new outline is named: its own name, an incident by its
    category's label (a ``Msgid``: said in the reader's language), else "(chưa có tên)"."""
    if getattr(row, "category", None):
        return Msgid(vocab.label(vocab.INCIDENT_CATEGORIES, row.category))
    return str(getattr(row, "name", None) or "") or Msgid(N_("(chưa có tên)"))


def set_boundary(tx, ward, outline: Outline, user_id: int | None) -> dict:
    """Replace the ward's outline; re-assign points to khu phố; report what lies outside."""
    beyond = outside(tx, ward, outline.shape)
    ward_records.set_boundary(tx, ward.id, outline.shape)
    # Here, not at the top: finding a ward (every command's ward_named) needs none of the
    # field and import services that this brings, nor the auth they import.
    from webapp.services.exchange import reassign_neighbourhoods

    moved = reassign_neighbourhoods(tx, ward)
    area = geo_boundary.area_km2(outline.shape, ward.metric_epsg)
    records.audit(tx, ward.id, user_id, "ward_boundary_changed", "ward", ward.id,
                  area_km2=round(area, 3),
                  outside={layer: item["count"] for layer, item in beyond.items()})
    return {"outside": beyond, "moved": moved, "area_km2": area, "notes": outline.notes}


def holdings(conn, ward_id: int) -> dict[str, dict[str, int]]:
    return {"records": ward_records.counts(conn, ward_id, ward_records.RECORD_TABLES),
            "setup": ward_records.counts(conn, ward_id, ward_records.SETUP_TABLES)}


def remove(tx, ward, user_id: int | None, force: bool = False) -> dict[str, int]:
    """Remove the ward and all it holds; refused while it holds records unless ``force``.

    The removal is written to the installation's audit log (the ward's own log goes with it).
    """
    held = holdings(tx, ward.id)
    if any(held["records"].values()) and not force:
        listed = Joined([Message(N_("%(count)s %(label)s"), count=n,
                                  label=Msgid(RECORD_LABELS[k]))
                          for k, n in held["records"].items() if n])
        raise WardError(Message(N_("%(ward)s đang có dữ liệu (%(listed)s): không xóa. Nếu thật "
                                   "sự muốn xóa cả dữ liệu này, dùng --force (trang quản trị: "
                                   "đánh dấu “xóa cả dữ liệu”) — hãy sao lưu trước."),
                                ward=ward.name, listed=listed))
    ward_records.delete_ward(tx, ward.id, user_id)
    records.audit(tx, None, user_id, "ward_removed", "ward", ward.id, code=ward.code,
                  name=ward.name, synthetic=bool(ward.is_synthetic), **held["records"])
    return {**held["records"], **held["setup"]}


def ward_named(conn, code: str | None, purpose: str = N_("thao tác này")):
    """The ward ``code`` names; without a code, the only ward — or the only real ward when the
    other is the demo (said so by the caller). Several wards: the caller must name one.
    ``purpose`` is a msgid ("nhập kế hoạch"), said in the reader's language."""
    all_wards = queries.wards(conn)
    if code:
        ward = queries.ward_by_code(conn, code)
        if ward is None:
            if all_wards:
                raise WardError(Message(N_("Không có phường mã “%(code)s” (có: %(known)s)."),
                                        code=code, known=", ".join(w.code for w in all_wards)))
            raise WardError(Message(N_("Không có phường mã “%(code)s” (chưa có phường nào)."),
                                    code=code))
        return ward
    real = [w for w in all_wards if not w.is_synthetic]
    if len(all_wards) == 1:
        return all_wards[0]
    if len(real) == 1:
        return real[0]
    if not all_wards:
        raise WardError(Message(N_("Chưa có phường nào: tạo phường bằng 'urbanorder ward "
                                   "create' hoặc nạp dữ liệu mô phỏng bằng 'urbanorder demo'.")))
    raise WardError(Message(N_("Có %(count)s phường: chọn phường cho %(purpose)s bằng --ward "
                               "(%(codes)s)."), count=len(all_wards), purpose=Msgid(purpose),
                            codes=", ".join(w.code for w in all_wards)))


def preset_names() -> dict[str, str]:
    from geo.plan import presets

    return presets()


__all__ = ["Outline", "Plan", "WardError", "create", "holdings", "outside", "read_outline",
           "remove", "set_boundary", "ward_named"]
