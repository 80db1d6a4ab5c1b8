"""The ward's vocabularies: codes stored in the database, Vietnamese labels, map colours.

Colours are chosen to stay distinguishable when printed in greys (different lightness)
and for the common red-green colour blindness (no red/green pair carries meaning alone).
"""

from __future__ import annotations

from geo.i18n import N_

INCIDENT_CATEGORIES: dict[str, dict[str, str]] = {
    # Labels are msgids; English lives in the catalogue only (a second copy here drifted).
    "encroachment_sidewalk": {"vi": N_("Lấn chiếm vỉa hè"), "colour": "#d7301f"},
    "encroachment_road": {"vi": N_("Lấn chiếm lòng đường"), "colour": "#7f0000"},
    "illegal_advertising": {"vi": N_("Quảng cáo, rao vặt trái phép"), "colour": "#ec7014"},
    "construction_order": {"vi": N_("Vi phạm trật tự xây dựng"), "colour": "#8c6bb1"},
    "residence": {"vi": N_("Vi phạm cư trú"), "colour": "#2171b5"},
    "drugs": {"vi": N_("Ma túy"), "colour": "#252525"},
    "fire_safety": {"vi": N_("Vi phạm PCCC"), "colour": "#fec44f"},
    "sanitation": {"vi": N_("Vệ sinh môi trường"), "colour": "#41ab5d"},
}

ENCROACHMENT = ("encroachment_sidewalk", "encroachment_road")
PUBLIC_ORDER = ("residence", "drugs", "fire_safety")

INCIDENT_STATUSES: dict[str, str] = {
    "reported": N_("Mới ghi nhận"),
    "verified": N_("Đã xác minh"),
    "minutes_issued": N_("Đã lập biên bản"),
    "resolved": N_("Đã xử lý xong"),
    "dismissed": N_("Không vi phạm / hủy"),
}
OPEN_INCIDENT_STATUSES = ("reported", "verified", "minutes_issued")

MODEL_STREET_STATUSES: dict[str, dict[str, str]] = {
    "registered": {"vi": N_("Đã đăng ký"), "colour": "#9ecae1"},
    "in_progress": {"vi": N_("Đang thực hiện"), "colour": "#3182bd"},
    "achieved": {"vi": N_("Đạt chuẩn"), "colour": "#31a354"},
    "accepted": {"vi": N_("Đã nghiệm thu, công nhận"), "colour": "#006d2c"},
}
MODEL_STREET_LEVELS = {"ward": N_("Cấp phường (trục điểm)"), "neighbourhood": N_("Cấp khu phố")}
MODEL_STREET_KINDS = {"street": N_("Tuyến đường"), "cluster": N_("Cụm dân cư")}
MODEL_STREET_CRITERIA: dict[str, str] = {
    "clean": N_("Sạch, đẹp"),
    "no_encroachment": N_("Không lấn chiếm"),
    "no_illegal_ads": N_("Không quảng cáo trái phép"),
    "lighting": N_("Có chiếu sáng"),
    "trees": N_("Có cây xanh"),
    "camera": N_("Có camera an ninh"),
}
DEMONSTRATION_ROUTE_COLOUR = "#e31a1c"

STREET_CLASSES: dict[str, str] = {
    "national": N_("Quốc lộ"),
    "provincial": N_("Tỉnh lộ"),
    "main": N_("Đường chính"),
    "local": N_("Đường nội bộ"),
    "alley": N_("Hẻm"),
}

HOUSE_TYPES: dict[str, str] = {
    "rooming_house": N_("Nhà trọ"),
    "serviced_apartment": N_("Căn hộ dịch vụ"),
    "guesthouse": N_("Nhà nghỉ"),
    "hotel": N_("Khách sạn"),
    "dormitory": N_("Ký túc xá"),
}
CLASSIFICATIONS: dict[str, str] = {"good": N_("Tốt"), "average": N_("Trung bình"),
                                   "poor": N_("Yếu")}
MODEL_HOUSE_STATUSES: dict[str, dict[str, str]] = {
    "none": {"vi": N_("Chưa tham gia mô hình"), "colour": "#969696"},
    "candidate": {"vi": N_("Đang xây dựng mô hình"), "colour": "#6baed6"},
    "recognised": {"vi": N_("Nhà trọ an toàn, văn minh, tự quản"), "colour": "#08519c"},
}


def label(vocabulary: dict, code: str | None, lang: str = "vi") -> str:
    """The human label of ``code`` in ``vocabulary`` (the code itself if unknown).

    >>> label(INCIDENT_CATEGORIES, "drugs")
    'Ma túy'
    """
    if code is None:
        return ""
    entry = vocabulary.get(code)
    if entry is None:
        return code
    return entry if isinstance(entry, str) else entry.get(lang, entry.get("vi", code))
