"""Rules for the plan's own records: model streets / clusters (their status steps and monthly
re-checks against the ward's criteria) and peak campaigns (đợt ra quân).

Pure: payloads in (form fields or an import row), typed values and messages out (each a
``geo.i18n.Message``: Vietnamese as a ``str``, the reader's language where it is shown).

>>> clean, errors = validate_model_street({"name": "Tuyến Nguyễn Ái Quốc", "level": "ward",
...     "kind": "street", "status": "registered", "registered_on": "01/06/2026"},
...     today=date(2026, 7, 1))
>>> errors, clean["registered_on"]
([], datetime.date(2026, 6, 1))
>>> next_statuses("in_progress")
('achieved', 'registered')
"""

from __future__ import annotations

from datetime import date

import shapely

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.field_reader import FieldReader
from geo.i18n import N_, Figure, Lower, Message, Msgid
from geo.numbers import INT64_MAX

STATUS_ORDER = ("registered", "in_progress", "achieved", "accepted")
# The date column each status is reached on.
STATUS_DATES = {"registered": "registered_on", "in_progress": "started_on",
                "achieved": "achieved_on", "accepted": "accepted_on"}
MAX_VND = 1_000_000_000_000  # 1,000 tỷ đồng: no model street costs more
MAX_HOUSEHOLDS = 100_000
MAX_NOTE = 2000
MAX_VERTICES = 5000


def next_statuses(status: str) -> tuple[str, ...]:
    """Where a model street may go from ``status``: one step on, or one step back (a
    correction, which needs a note)."""
    i = STATUS_ORDER.index(status) if status in STATUS_ORDER else 0
    ahead = STATUS_ORDER[i + 1:i + 2]
    back = STATUS_ORDER[i - 1:i] if i > 0 else ()
    return (*ahead, *back)


def validate_model_street(payload: dict, today: date) -> tuple[dict, list]:
    """Fields of a model street (not its geometry or status steps); ``(clean, errors)``."""
    r = FieldReader(payload)
    r.text("name", N_("tên tuyến/cụm"), required=True, max_len=300)
    r.choice("level", N_("cấp"), vocab.MODEL_STREET_LEVELS, required=True)
    r.choice("kind", N_("loại"), vocab.MODEL_STREET_KINDS, required=True)
    r.choice("status", N_("trạng thái"), vocab.MODEL_STREET_STATUSES)
    r.clean["status"] = r.clean.get("status") or "registered"
    r.day("registered_on", N_("ngày đăng ký"), today)
    r.day("target_date", N_("hạn hoàn thành"), today, not_future=False)
    for field in ("started_on", "achieved_on", "accepted_on"):
        r.day(field, {"started_on": N_("ngày bắt đầu thực hiện"),
                      "achieved_on": N_("ngày đạt chuẩn"),
                      "accepted_on": N_("ngày nghiệm thu")}[field], today)
    r.integer("frontage_households", N_("số hộ mặt tiền"), 0, MAX_HOUSEHOLDS)
    r.integer("commitments_signed", N_("số hộ đã ký cam kết"), 0, MAX_HOUSEHOLDS)
    r.integer("budget_vnd", N_("kinh phí ngân sách"), 0, MAX_VND, column_max=INT64_MAX)
    r.integer("socialised_vnd", N_("kinh phí xã hội hóa"), 0, MAX_VND, column_max=INT64_MAX)
    r.text("sponsors", N_("nhà tài trợ, đơn vị đóng góp"), max_len=MAX_NOTE)
    clean = r.clean
    for field in ("frontage_households", "commitments_signed", "budget_vnd", "socialised_vnd"):
        clean[field] = clean.get(field) or 0
    if clean["commitments_signed"] > clean["frontage_households"] and \
            clean["frontage_households"]:
        r.fail("commitments_signed", Message(N_("Số hộ đã ký cam kết không được nhiều hơn số hộ "
                                                "mặt tiền.")))
    registered = clean.get("registered_on")
    if registered and clean.get("target_date") and clean["target_date"] < registered:
        r.fail("target_date", Message(N_("Hạn hoàn thành không được trước ngày đăng ký.")))
    return clean, r.errors


def check_geometry(geom, kind: str) -> tuple[object | None, str | None]:
    """A model street is a line (a street), a cluster a polygon (or a line along it)."""
    if geom is None or geom.is_empty:
        return None, Message(N_("Chưa vẽ tuyến/cụm trên bản đồ hoặc chọn đoạn đường."))
    geom = shapely.force_2d(geom)
    if shapely.get_num_coordinates(geom) > MAX_VERTICES:
        return None, Message(N_("Hình vẽ có quá nhiều điểm (tối đa %(n)s)."), n=MAX_VERTICES)
    lines, areas = ("LineString", "MultiLineString"), ("Polygon", "MultiPolygon")
    allowed = lines if kind == "street" else (*lines, *areas)
    if geom.geom_type not in allowed:
        return None, Message(N_("Tuyến đường phải là một đường (line).") if kind == "street"
                             else N_("Cụm dân cư phải là một vùng (polygon) hoặc một đường."))
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        if geom.geom_type not in allowed:
            return None, Message(N_("Hình vẽ tự cắt: vẽ lại."))
    return geom, None


def status_step(current: dict, to_status: str, on: date | None, note: str | None,
                today: date) -> tuple[dict, str | None]:
    """The columns to set when a model street moves to ``to_status`` on ``on``, or an error.

    Moving on records the date of the new status; moving back (a correction) clears the
    dates after it and needs a note saying why.
    """
    status = current.get("status") or "registered"
    if to_status not in next_statuses(status):
        return {}, Message(N_("Không chuyển được từ “%(current)s” sang “%(to)s”."),
                           current=_label(status), to=_label(to_status))
    on = on or today
    if on > today:
        return {}, Message(N_("Ngày chuyển trạng thái không được ở tương lai."))
    back = STATUS_ORDER.index(to_status) < STATUS_ORDER.index(status)
    if back and not (note or "").strip():
        return {}, Message(N_("Lùi trạng thái cần ghi lý do (ví dụ: kiểm tra lại không còn đạt "
                              "chuẩn)."))
    previous = current.get(STATUS_DATES[status]) if not back else None
    if previous and on < previous:
        return {}, Message(N_("Ngày chuyển không được trước ngày %(status)s (%(day)s)."),
                           status=Lower(_label(status)), day=Figure(fmt.day, previous))
    values = {"status": to_status}
    if back:
        for later in STATUS_ORDER[STATUS_ORDER.index(to_status) + 1:]:
            values[STATUS_DATES[later]] = None
    else:
        values[STATUS_DATES[to_status]] = on
    return values, None


def validate_check(payload: dict, criteria: list[dict], today: date) -> tuple[dict, list]:
    """A re-check against the ward's criteria: ``{code: {"met": bool, "note": str}}``."""
    r = FieldReader(payload)
    r.day("checked_on", N_("ngày kiểm tra"), today, required=True)
    r.text("note", N_("ghi chú chung"), max_len=MAX_NOTE)
    results = {}
    for criterion in criteria:
        code = criterion["code"]
        r.boolean(f"met-{code}", criterion["label"], required=True)
        r.text(f"note-{code}", Message(N_("ghi chú tiêu chí %(criterion)s"),
                                       criterion=criterion["label"]), max_len=500)
        results[code] = {"met": r.clean.pop(f"met-{code}", None),
                         "note": r.clean.pop(f"note-{code}", None)}
    return {"checked_on": r.clean.get("checked_on"), "note": r.clean.get("note"),
            "results": results}, r.errors


def validate_campaign(payload: dict, today: date) -> tuple[dict, list]:
    r = FieldReader(payload)
    r.text("name", N_("tên đợt ra quân"), required=True, max_len=300)
    r.day("starts_on", N_("ngày bắt đầu"), today, required=True, not_future=False)
    r.day("ends_on", N_("ngày kết thúc"), today, required=True, not_future=False)
    r.text("units", N_("đơn vị tham gia"), max_len=MAX_NOTE)
    r.text("note", N_("ghi chú"), max_len=MAX_NOTE)
    clean = r.clean
    if clean.get("starts_on") and clean.get("ends_on") and clean["ends_on"] < clean["starts_on"]:
        r.fail("ends_on", Message(N_("Ngày kết thúc không được trước ngày bắt đầu.")))
    if clean.get("starts_on") and clean.get("ends_on") and \
            (clean["ends_on"] - clean["starts_on"]).days > 366:
        r.fail("ends_on", Message(N_("Một đợt ra quân dài tối đa một năm.")))
    return clean, r.errors


def _label(status: str) -> Msgid:
    return Msgid(vocab.label(vocab.MODEL_STREET_STATUSES, status))
