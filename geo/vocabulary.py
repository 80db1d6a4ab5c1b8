"""The ward's vocabularies: codes stored in the database, Vietnamese labels, map colours.

Colours are chosen to stay distinguishable when printed in greys (different lightness)
and for the common red-green colour blindness (no red/green pair carries meaning alone).
"""

from __future__ import annotations

INCIDENT_CATEGORIES: dict[str, dict[str, str]] = {
    "encroachment_sidewalk": {"vi": "Lấn chiếm vỉa hè", "en": "Sidewalk encroachment",
                              "colour": "#d7301f"},
    "encroachment_road": {"vi": "Lấn chiếm lòng đường", "en": "Road encroachment",
                          "colour": "#7f0000"},
    "illegal_advertising": {"vi": "Quảng cáo, rao vặt trái phép", "en": "Illegal advertising",
                            "colour": "#ec7014"},
    "construction_order": {"vi": "Vi phạm trật tự xây dựng", "en": "Construction order",
                           "colour": "#8c6bb1"},
    "residence": {"vi": "Vi phạm cư trú", "en": "Residence violation", "colour": "#2171b5"},
    "drugs": {"vi": "Ma túy", "en": "Drugs", "colour": "#252525"},
    "fire_safety": {"vi": "Vi phạm PCCC", "en": "Fire safety", "colour": "#fec44f"},
    "sanitation": {"vi": "Vệ sinh môi trường", "en": "Sanitation", "colour": "#41ab5d"},
}

ENCROACHMENT = ("encroachment_sidewalk", "encroachment_road")
PUBLIC_ORDER = ("residence", "drugs", "fire_safety")

INCIDENT_STATUSES: dict[str, str] = {
    "reported": "Mới ghi nhận",
    "verified": "Đã xác minh",
    "minutes_issued": "Đã lập biên bản",
    "resolved": "Đã xử lý xong",
    "dismissed": "Không vi phạm / hủy",
}
OPEN_INCIDENT_STATUSES = ("reported", "verified", "minutes_issued")

MODEL_STREET_STATUSES: dict[str, dict[str, str]] = {
    "registered": {"vi": "Đã đăng ký", "colour": "#9ecae1"},
    "in_progress": {"vi": "Đang thực hiện", "colour": "#3182bd"},
    "achieved": {"vi": "Đạt chuẩn", "colour": "#31a354"},
    "accepted": {"vi": "Đã nghiệm thu, công nhận", "colour": "#006d2c"},
}
MODEL_STREET_LEVELS = {"ward": "Cấp phường (trục điểm)", "neighbourhood": "Cấp khu phố"}
MODEL_STREET_KINDS = {"street": "Tuyến đường", "cluster": "Cụm dân cư"}
MODEL_STREET_CRITERIA: dict[str, str] = {
    "clean": "Sạch, đẹp",
    "no_encroachment": "Không lấn chiếm",
    "no_illegal_ads": "Không quảng cáo trái phép",
    "lighting": "Có chiếu sáng",
    "trees": "Có cây xanh",
    "camera": "Có camera an ninh",
}
DEMONSTRATION_ROUTE_COLOUR = "#e31a1c"

STREET_CLASSES: dict[str, str] = {
    "national": "Quốc lộ",
    "provincial": "Tỉnh lộ",
    "main": "Đường chính",
    "local": "Đường nội bộ",
    "alley": "Hẻm",
}

HOUSE_TYPES: dict[str, str] = {
    "rooming_house": "Nhà trọ",
    "serviced_apartment": "Căn hộ dịch vụ",
    "guesthouse": "Nhà nghỉ",
    "hotel": "Khách sạn",
    "dormitory": "Ký túc xá",
}
CLASSIFICATIONS: dict[str, str] = {"good": "Tốt", "average": "Trung bình", "poor": "Yếu"}
MODEL_HOUSE_STATUSES: dict[str, dict[str, str]] = {
    "none": {"vi": "Chưa tham gia mô hình", "colour": "#969696"},
    "candidate": {"vi": "Đang xây dựng mô hình", "colour": "#6baed6"},
    "recognised": {"vi": "Nhà trọ an toàn, văn minh, tự quản", "colour": "#08519c"},
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
