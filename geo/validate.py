"""Validation of records entered in the field: pure, with a message per field.

Each ``validate_*`` takes the submitted payload (already parsed from JSON) and returns
``(clean, errors)``: ``clean`` holds typed values ready to store, ``errors`` is a list of
``geo.schema.FieldError`` — ``(field, message)`` pairs with a stable ``code``, the message
a ``geo.i18n.Message`` (Vietnamese as a ``str``, any language through ``translate``); a caller
stores nothing unless ``errors`` is empty. The limits are ``geo.schema``'s, which the field
pages and their scripts read too.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.field_reader import Errors, FieldReader
from geo.i18n import N_, Figure, Joined, Message, Msgid
from geo.numbers import INT64_MAX, NumberRefused, finite
from geo.schema import (
    BOARDING_HOUSE,
    EARLIEST,
    ID_NUMBER_PATTERN,
    ID_NUMBER_PROBLEM,
    INCIDENT,
    INSPECTION,
    MAX_ACCURACY_M,
    MAX_RESIDENTS_PER_ROOM,
    PHONE_PATTERN,
    PHONE_PROBLEM,
    TRANSITION,
    WARN_ACCURACY_M,
    FieldError,
)
from geo.text import (
    TextRefused,
    ascii_digits,
)

__all__ = ["EARLIEST", "ID_NUMBER_PROBLEM", "MAX_ACCURACY_M", "WARN_ACCURACY_M"]  # re-exported
INCIDENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "reported": ("verified", "dismissed"),
    "verified": ("minutes_issued", "resolved", "dismissed"),
    "minutes_issued": ("resolved",),
    "resolved": (),
    "dismissed": (),
}


def normalise_phone(raw: str) -> str | None:
    """A Vietnamese phone number as ``0…`` digits, or ``None`` if it is not one.

    >>> normalise_phone("+84 912.345.678"), normalise_phone("0251 3812 345"), normalise_phone("12")
    ('0912345678', '02513812345', None)
    """
    try:
        digits = ascii_digits(raw)
    except TextRefused:
        return None
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if re.fullmatch(PHONE_PATTERN, digits):
        return digits
    return None


def normalise_id_number(raw: str) -> str | None:
    """A CCCD (12 digits) or CMND (9) as ASCII digits, or ``None`` if it is not one.

    >>> [normalise_id_number(v) for v in ("０７５ 123 456 789", "075-123", "٠٧٥١٢٣٤٥٦٧٨٩")]
    ['075123456789', None, None]
    """
    try:
        digits = ascii_digits(raw)
    except TextRefused:
        return None
    return digits if re.fullmatch(ID_NUMBER_PATTERN, digits) else None


def validate_uuid(payload: dict, field: str = "uuid") -> tuple[uuid.UUID | None, Errors]:
    try:
        return uuid.UUID(str(payload.get(field))), []
    except ValueError:
        return None, [FieldError(field, Message(N_("Thiếu mã định danh bản ghi (UUID) hoặc mã "
                                                   "không hợp lệ.")), "bad_uuid")]


def validate_location(location) -> tuple[dict, Errors]:
    """``{"lon", "lat", "accuracy_m", "manual"}`` checked for type, range and accuracy."""
    def refuse(message: str, code: str = "no_location") -> tuple[dict, Errors]:
        return {}, [FieldError("location", message, code)]

    if not isinstance(location, dict):
        return refuse(Message(N_("Chưa có vị trí: bật GPS hoặc đặt ghim trên bản đồ.")))
    try:
        lon, lat = finite(location["lon"]), finite(location["lat"])
    except KeyError:
        return refuse(Message(N_("Vị trí không hợp lệ (thiếu kinh độ/vĩ độ).")))
    except NumberRefused as refused:
        return refuse(Message(N_("Kinh độ/vĩ độ %(problem)s"), problem=refused.args[0]))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return refuse(Message(N_("Vị trí không hợp lệ (ngoài phạm vi kinh độ/vĩ độ).")))
    manual = location.get("manual") in (True, "true", 1)
    accuracy = location.get("accuracy_m")
    try:
        accuracy = None if accuracy in (None, "") else finite(accuracy)
    except NumberRefused as refused:
        return refuse(Message(N_("Độ chính xác GPS %(problem)s"), problem=refused.args[0]),
                      "inaccurate_location")
    if accuracy is not None and accuracy < 0:
        return refuse(Message(N_("Độ chính xác GPS không được âm.")), "inaccurate_location")
    if not manual and (accuracy is None or accuracy > MAX_ACCURACY_M):
        shown = Msgid(N_("không rõ")) if accuracy is None else \
            Message("±%(metres)s m", metres=Figure(fmt.integer, accuracy))
        return refuse(Message(N_("Vị trí GPS kém chính xác (%(shown)s, cần ≤ %(limit)s m): hãy "
                                 "đặt ghim bằng tay trên bản đồ."),
                              shown=shown, limit=Figure(fmt.integer, MAX_ACCURACY_M)),
                      "inaccurate_location")
    return {"lon": lon, "lat": lat, "accuracy_m": accuracy, "manual": manual}, []


def validate_boarding_house(payload: dict, today: date) -> tuple[dict, Errors]:
    r = FieldReader(payload, BOARDING_HOUSE)
    r.text("name", N_("tên cơ sở"), required=True)
    r.text("address", N_("địa chỉ"), required=True)
    r.text("owner_name", N_("họ tên chủ cơ sở"), required=True)
    r.text("owner_phone", N_("số điện thoại chủ cơ sở"), required=True)
    if r.clean.get("owner_phone"):
        phone = normalise_phone(r.clean["owner_phone"])
        if phone is None:
            r.fail("owner_phone", Message(PHONE_PROBLEM), "bad_phone")
        r.clean["owner_phone"] = phone
    r.digits("owner_id_number", N_("số CCCD/CMND"))
    if r.clean.get("owner_id_number") and not normalise_id_number(r.clean["owner_id_number"]):
        r.fail("owner_id_number", Message(ID_NUMBER_PROBLEM), "bad_id_number")
    r.choice("house_type", N_("loại hình"), vocab.HOUSE_TYPES, required=True)
    r.integer("rooms", N_("số phòng"), required=True)
    r.integer("residents", N_("số người đang ở"), required=True)
    r.choice("classification", N_("phân loại"), vocab.CLASSIFICATIONS)
    r.day("antt_commitment_on", N_("ngày ký cam kết ANTT"), today)
    r.integer("extinguishers", N_("số bình chữa cháy"))
    r.boolean("has_alarm", N_("hệ thống báo cháy"))
    r.boolean("has_escape_route", N_("lối thoát nạn"))
    r.choice("model_status", N_("trạng thái mô hình"), vocab.MODEL_HOUSE_STATUSES)
    r.day("model_recognised_on", N_("ngày công nhận mô hình"), today)
    status = r.clean.get("model_status") or "none"
    r.clean["model_status"] = status
    if status == "recognised" and not r.clean.get("model_recognised_on") and \
            not any(f == "model_recognised_on" for f, _ in r.errors):
        r.fail("model_recognised_on", Message(N_("Cơ sở đã được công nhận mô hình: nhập ngày "
                                                 "công nhận.")), "required")
    if status != "recognised":
        r.clean["model_recognised_on"] = None
    for field in ("extinguishers",):
        r.clean[field] = r.clean.get(field) or 0
    for field in ("has_alarm", "has_escape_route"):
        r.clean[field] = bool(r.clean.get(field))
    if r.clean.get("residents") is not None and r.clean.get("rooms") and \
            r.clean["residents"] > r.clean["rooms"] * MAX_RESIDENTS_PER_ROOM:
        r.fail("residents", Message(N_("Số người ở quá lớn so với số phòng (hơn %(n)s "
                                       "người/phòng)."), n=MAX_RESIDENTS_PER_ROOM), "inconsistent")
    return r.clean, r.errors


def validate_inspection(payload: dict, now: datetime) -> tuple[dict, Errors]:
    r = FieldReader(payload, INSPECTION)
    r.moment("inspected_at", N_("thời điểm kiểm tra"), now, required=True)
    r.text("findings", N_("nội dung ghi nhận"))
    r.boolean("fire_safety_pass", N_("kết quả PCCC"), required=True)
    r.integer("residents_counted", N_("số người thực tế"))
    inspected = r.clean.get("inspected_at")
    r.day("follow_up_on", N_("ngày hẹn kiểm tra lại"), now.date(), not_future=False,
          not_before=inspected.date() if inspected else None)
    if r.clean.get("fire_safety_pass") is False and not r.clean.get("follow_up_on") and \
            not any(f == "follow_up_on" for f, _ in r.errors):
        r.fail("follow_up_on", Message(N_("Không đạt PCCC: cần hẹn ngày kiểm tra lại.")),
               "required")
    r.integer("extinguishers", N_("số bình chữa cháy"))
    r.boolean("has_alarm", N_("hệ thống báo cháy"))
    r.boolean("has_escape_route", N_("lối thoát nạn"))
    return r.clean, r.errors


def validate_incident(payload: dict, now: datetime,
                      categories: tuple[str, ...]) -> tuple[dict, Errors]:
    r = FieldReader(payload, INCIDENT)
    labels = {c: vocab.INCIDENT_CATEGORIES[c] for c in categories}
    r.choice("category", N_("loại vi phạm"), labels, required=True)
    if payload.get("category") in vocab.INCIDENT_CATEGORIES and payload["category"] not in labels:
        r.errors = [error for error in r.errors if error.field != "category"]
        r.fail("category", Message(N_("Vai trò của bạn không ghi nhận loại vi phạm này.")),
               "not_allowed")
    r.moment("observed_at", N_("thời điểm phát hiện"), now, required=True)
    r.text("description", N_("mô tả"))
    r.integer("attach_to", N_("vụ việc gộp vào"))
    house, errors = (None, [])
    if payload.get("boarding_house_uuid"):
        house, errors = validate_uuid(payload, "boarding_house_uuid")
    r.clean["boarding_house_uuid"] = house
    r.errors += errors
    return r.clean, r.errors


def validate_transition(payload: dict, current: str) -> tuple[dict, Errors]:
    r = FieldReader(payload, TRANSITION)
    allowed = INCIDENT_TRANSITIONS.get(current, ())
    r.choice("to", N_("bước xử lý"), vocab.INCIDENT_STATUSES, required=True)
    target = r.clean.get("to")
    if target and target not in allowed:
        names = Joined(vocab.INCIDENT_STATUSES[s] for s in allowed) if allowed \
            else Msgid(N_("không còn bước nào"))
        r.fail("to", Message(N_("Vụ việc đang ở trạng thái “%(current)s”: chỉ chuyển được sang "
                                "%(names)s."),
                             current=Msgid(vocab.INCIDENT_STATUSES[current]), names=names),
               "not_allowed")
    r.text("minutes_no", N_("số biên bản"))
    r.integer("fine_vnd", N_("số tiền phạt"), column_max=INT64_MAX)
    r.text("note", N_("ghi chú"))
    if target == "minutes_issued" and not r.clean.get("minutes_no"):
        r.fail("minutes_no", Message(N_("Lập biên bản: cần nhập số biên bản.")), "required")
    return r.clean, r.errors
