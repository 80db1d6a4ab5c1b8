"""Validation of records entered in the field: pure, with Vietnamese messages per field.

Each ``validate_*`` takes the submitted payload (already parsed from JSON) and returns
``(clean, errors)``: ``clean`` holds typed values ready to store, ``errors`` is a list of
``(field, message)``; a caller stores nothing unless ``errors`` is empty.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

from geo import formatting as fmt
from geo import vocabulary as vocab
from geo.numbers import INT32_MAX, INT64_MAX, NumberRefused, finite, whole
from geo.text import (
    TextRefused,
    ascii_digits,
    clean_text,
)

Errors = list[tuple[str, str]]
EARLIEST = datetime(2020, 1, 1)
MAX_ACCURACY_M = 100.0
WARN_ACCURACY_M = 30.0
INCIDENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "reported": ("verified", "dismissed"),
    "verified": ("minutes_issued", "resolved", "dismissed"),
    "minutes_issued": ("resolved",),
    "resolved": (),
    "dismissed": (),
}


class _Reader:
    """Reads typed fields from a payload, collecting one message per bad field."""

    def __init__(self, payload: dict) -> None:
        self.payload = payload if isinstance(payload, dict) else {}
        self.errors: Errors = []
        self.clean: dict = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.append((field, message))

    def _raw(self, field: str, required: bool, label: str):
        value = self.payload.get(field)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if required:
                self.fail(field, f"Chưa nhập {label}.")
            return None
        return value

    def text(self, field: str, label: str, required: bool = False, max_len: int = 500):
        """Clean text (``geo.text.clean_text``); fields longer than 500 are multi-line."""
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        multiline = max_len > 500
        try:
            value = clean_text(value, multiline=multiline).strip()
        except TextRefused as refused:
            self.fail(field, f"{label.capitalize()} {refused}")
            self.clean[field] = None
            return
        if not value:  # only zero-width characters
            if required:
                self.fail(field, f"Chưa nhập {label}.")
            self.clean[field] = None
            return
        if len(value) > max_len:
            self.fail(field, f"{label.capitalize()} dài quá {max_len} ký tự.")
        self.clean[field] = value if multiline else re.sub(r"\s+", " ", value)

    def digits(self, field: str, label: str, required: bool = False, max_len: int = 30):
        """A digit-only field (phone, CCCD): ASCII digits after NFKC (``ascii_digits``)."""
        self.text(field, label, required, max_len)
        if self.clean.get(field) is None:
            return
        try:
            self.clean[field] = ascii_digits(self.clean[field])
        except TextRefused as refused:
            self.fail(field, f"{label.capitalize()} {refused}")
            self.clean[field] = None

    def integer(self, field: str, label: str, lo: int, hi: int, required: bool = False,
                column_max: int = INT32_MAX):
        """A whole number in ``[lo, hi]`` and within its column (``geo.numbers.whole``)."""
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        try:
            self.clean[field] = whole(value, lo, hi, column_max)
        except NumberRefused as refused:
            self.fail(field, f"{label.capitalize()} {refused}")

    def boolean(self, field: str, label: str, required: bool = False):
        value = self.payload.get(field)
        if value is None or value == "":
            if required:
                self.fail(field, f"Chưa chọn {label}.")
            self.clean[field] = None
            return
        if isinstance(value, bool):
            self.clean[field] = value
        elif value in ("true", "1", 1, "on", "yes"):
            self.clean[field] = True
        elif value in ("false", "0", 0, "off", "no"):
            self.clean[field] = False
        else:
            self.fail(field, f"{label.capitalize()}: chỉ nhận có/không.")

    def choice(self, field: str, label: str, options, required: bool = False):
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        if not isinstance(value, str) or value not in options:
            self.fail(field, f"{label.capitalize()} không hợp lệ: {value}.")
            return
        self.clean[field] = value

    def day(self, field: str, label: str, today: date, required: bool = False,
            not_future: bool = True, not_before: date | None = None):
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        parsed = _parse_date(value)
        if parsed is None:
            self.fail(field, f"{label.capitalize()} không đúng dạng ngày (dd/mm/yyyy).")
        elif not_future and parsed > today:
            self.fail(field, f"{label.capitalize()} không được ở tương lai.")
        elif not_before and parsed < not_before:
            self.fail(field, f"{label.capitalize()} không được trước {fmt.day(not_before)}.")
        else:
            self.clean[field] = parsed

    def moment(self, field: str, label: str, now: datetime, required: bool = False):
        value = self._raw(field, required, label)
        if value is None:
            self.clean[field] = None
            return
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(field, f"{label.capitalize()} không đúng dạng ngày giờ.")
            return
        if parsed.tzinfo is not None:  # stored as the ward's local wall time
            parsed = parsed.astimezone(now.tzinfo).replace(tzinfo=None) if now.tzinfo \
                else parsed.replace(tzinfo=None)
        if parsed > now.replace(tzinfo=None) + _CLOCK_SKEW:
            self.fail(field, f"{label.capitalize()} không được ở tương lai.")
        elif parsed < EARLIEST:
            self.fail(field, f"{label.capitalize()} quá cũ (trước {fmt.day(EARLIEST)}).")
        else:
            self.clean[field] = parsed


# Phones' clocks drift; a few minutes ahead is not "in the future".
_CLOCK_SKEW = datetime(2000, 1, 1, 0, 10) - datetime(2000, 1, 1)


def _parse_date(value) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(str(value), pattern).date()
        except ValueError:
            continue
    return None


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
    if re.fullmatch(r"0[35789][0-9]{8}", digits) or re.fullmatch(r"02[0-9]{9}", digits):
        return digits
    return None


ID_NUMBER_PROBLEM = "Số CCCD phải gồm 12 chữ số (hoặc CMND 9 chữ số)."


def normalise_id_number(raw: str) -> str | None:
    """A CCCD (12 digits) or CMND (9) as ASCII digits, or ``None`` if it is not one.

    >>> [normalise_id_number(v) for v in ("０７５ 123 456 789", "075-123", "٠٧٥١٢٣٤٥٦٧٨٩")]
    ['075123456789', None, None]
    """
    try:
        digits = ascii_digits(raw)
    except TextRefused:
        return None
    return digits if re.fullmatch(r"[0-9]{12}|[0-9]{9}", digits) else None


def validate_uuid(payload: dict, field: str = "uuid") -> tuple[uuid.UUID | None, Errors]:
    try:
        return uuid.UUID(str(payload.get(field))), []
    except ValueError:
        return None, [(field, "Thiếu mã định danh bản ghi (UUID) hoặc mã không hợp lệ.")]


def validate_location(location) -> tuple[dict, Errors]:
    """``{"lon", "lat", "accuracy_m", "manual"}`` checked for type, range and accuracy."""
    if not isinstance(location, dict):
        return {}, [("location", "Chưa có vị trí: bật GPS hoặc đặt ghim trên bản đồ.")]
    try:
        lon, lat = finite(location["lon"]), finite(location["lat"])
    except KeyError:
        return {}, [("location", "Vị trí không hợp lệ (thiếu kinh độ/vĩ độ).")]
    except NumberRefused as refused:
        return {}, [("location", f"Kinh độ/vĩ độ {refused}")]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return {}, [("location", "Vị trí không hợp lệ (ngoài phạm vi kinh độ/vĩ độ).")]
    manual = location.get("manual") in (True, "true", 1)
    accuracy = location.get("accuracy_m")
    try:
        accuracy = None if accuracy in (None, "") else finite(accuracy)
    except NumberRefused as refused:
        return {}, [("location", f"Độ chính xác GPS {refused}")]
    if accuracy is not None and accuracy < 0:
        return {}, [("location", "Độ chính xác GPS không được âm.")]
    if not manual and (accuracy is None or accuracy > MAX_ACCURACY_M):
        shown = "không rõ" if accuracy is None else f"±{fmt.integer(accuracy)} m"
        return {}, [("location", f"Vị trí GPS kém chính xác ({shown}, cần ≤ "
                     f"{fmt.integer(MAX_ACCURACY_M)} m): hãy đặt ghim bằng tay trên bản đồ.")]
    return {"lon": lon, "lat": lat, "accuracy_m": accuracy, "manual": manual}, []


def validate_boarding_house(payload: dict, today: date) -> tuple[dict, Errors]:
    r = _Reader(payload)
    r.text("name", "tên cơ sở", required=True, max_len=300)
    r.text("address", "địa chỉ", required=True, max_len=500)
    r.text("owner_name", "họ tên chủ cơ sở", required=True, max_len=200)
    r.text("owner_phone", "số điện thoại chủ cơ sở", required=True, max_len=30)
    if r.clean.get("owner_phone"):
        phone = normalise_phone(r.clean["owner_phone"])
        if phone is None:
            r.fail("owner_phone", "Số điện thoại không hợp lệ (10 số, bắt đầu bằng 0 hoặc +84).")
        r.clean["owner_phone"] = phone
    r.digits("owner_id_number", "số CCCD/CMND", max_len=20)
    if r.clean.get("owner_id_number") and not normalise_id_number(r.clean["owner_id_number"]):
        r.fail("owner_id_number", ID_NUMBER_PROBLEM)
    r.choice("house_type", "loại hình", vocab.HOUSE_TYPES, required=True)
    r.integer("rooms", "số phòng", 1, 500, required=True)
    r.integer("residents", "số người đang ở", 0, 2000, required=True)
    r.choice("classification", "phân loại", vocab.CLASSIFICATIONS)
    r.day("antt_commitment_on", "ngày ký cam kết ANTT", today)
    r.integer("extinguishers", "số bình chữa cháy", 0, 500)
    r.boolean("has_alarm", "hệ thống báo cháy")
    r.boolean("has_escape_route", "lối thoát nạn")
    r.choice("model_status", "trạng thái mô hình", vocab.MODEL_HOUSE_STATUSES)
    r.day("model_recognised_on", "ngày công nhận mô hình", today)
    status = r.clean.get("model_status") or "none"
    r.clean["model_status"] = status
    if status == "recognised" and not r.clean.get("model_recognised_on") and \
            not any(f == "model_recognised_on" for f, _ in r.errors):
        r.fail("model_recognised_on", "Cơ sở đã được công nhận mô hình: nhập ngày công nhận.")
    if status != "recognised":
        r.clean["model_recognised_on"] = None
    for field in ("extinguishers",):
        r.clean[field] = r.clean.get(field) or 0
    for field in ("has_alarm", "has_escape_route"):
        r.clean[field] = bool(r.clean.get(field))
    if r.clean.get("residents") is not None and r.clean.get("rooms") and \
            r.clean["residents"] > r.clean["rooms"] * 20:
        r.fail("residents", "Số người ở quá lớn so với số phòng (hơn 20 người/phòng).")
    return r.clean, r.errors


def validate_inspection(payload: dict, now: datetime) -> tuple[dict, Errors]:
    r = _Reader(payload)
    r.moment("inspected_at", "thời điểm kiểm tra", now, required=True)
    r.text("findings", "nội dung ghi nhận", max_len=5000)
    r.boolean("fire_safety_pass", "kết quả PCCC", required=True)
    r.integer("residents_counted", "số người thực tế", 0, 2000)
    inspected = r.clean.get("inspected_at")
    r.day("follow_up_on", "ngày hẹn kiểm tra lại", now.date(), not_future=False,
          not_before=inspected.date() if inspected else None)
    if r.clean.get("fire_safety_pass") is False and not r.clean.get("follow_up_on") and \
            not any(f == "follow_up_on" for f, _ in r.errors):
        r.fail("follow_up_on", "Không đạt PCCC: cần hẹn ngày kiểm tra lại.")
    r.integer("extinguishers", "số bình chữa cháy", 0, 500)
    r.boolean("has_alarm", "hệ thống báo cháy")
    r.boolean("has_escape_route", "lối thoát nạn")
    return r.clean, r.errors


def validate_incident(payload: dict, now: datetime,
                      categories: tuple[str, ...]) -> tuple[dict, Errors]:
    r = _Reader(payload)
    labels = {c: vocab.INCIDENT_CATEGORIES[c] for c in categories}
    r.choice("category", "loại vi phạm", labels, required=True)
    if payload.get("category") in vocab.INCIDENT_CATEGORIES and payload["category"] not in labels:
        r.errors = [(f, m) for f, m in r.errors if f != "category"]
        r.fail("category", "Vai trò của bạn không ghi nhận loại vi phạm này.")
    r.moment("observed_at", "thời điểm phát hiện", now, required=True)
    r.text("description", "mô tả", max_len=5000)
    r.integer("attach_to", "vụ việc gộp vào", 1, 2**31 - 1)
    house, errors = (None, [])
    if payload.get("boarding_house_uuid"):
        house, errors = validate_uuid(payload, "boarding_house_uuid")
    r.clean["boarding_house_uuid"] = house
    r.errors += errors
    return r.clean, r.errors


def validate_transition(payload: dict, current: str) -> tuple[dict, Errors]:
    r = _Reader(payload)
    allowed = INCIDENT_TRANSITIONS.get(current, ())
    r.choice("to", "bước xử lý", vocab.INCIDENT_STATUSES, required=True)
    target = r.clean.get("to")
    if target and target not in allowed:
        names = ", ".join(vocab.INCIDENT_STATUSES[s] for s in allowed) or "không còn bước nào"
        r.fail("to", f"Vụ việc đang ở trạng thái “{vocab.INCIDENT_STATUSES[current]}”: chỉ "
                     f"chuyển được sang {names}.")
    r.text("minutes_no", "số biên bản", max_len=64)
    r.integer("fine_vnd", "số tiền phạt", 0, 2_000_000_000, column_max=INT64_MAX)
    r.text("note", "ghi chú", max_len=2000)
    if target == "minutes_issued" and not r.clean.get("minutes_no"):
        r.fail("minutes_no", "Lập biên bản: cần nhập số biên bản.")
    return r.clean, r.errors
