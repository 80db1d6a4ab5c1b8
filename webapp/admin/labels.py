"""Vietnamese words for what the audit log records (unknown codes are shown as they are)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ACTIONS = {
    "login": _l("Đăng nhập"),
    "login_failed": _l("Đăng nhập sai"),
    "user_created": _l("Tạo tài khoản"),
    "user_updated": _l("Sửa tài khoản"),
    "user_role_changed": _l("Đổi vai trò"),
    "user_enabled": _l("Mở khóa tài khoản"),
    "user_disabled": _l("Khóa tài khoản"),
    "password_changed": _l("Đổi mật khẩu"),
    "view_personal_data": _l("Xem thông tin cá nhân"),
    "create_personal_data": _l("Ghi nhận cơ sở (có thông tin cá nhân)"),
    "update_personal_data": _l("Sửa cơ sở (có thông tin cá nhân)"),
    "export_personal_data": _l("Xuất thông tin cá nhân (CSV)"),
    "export_owner_data": _l("Xuất dữ liệu theo yêu cầu của chủ cơ sở"),
    "erase_personal_data": _l("Xoá/ẩn danh thông tin chủ cơ sở"),
    "add_register_photo": _l("Thêm ảnh vào bản ghi sổ"),
    "remove_register_photo": _l("Xoá ảnh của bản ghi sổ"),
}

ENTITIES = {
    "user": _l("Tài khoản"),
    "boarding_house": _l("Cơ sở lưu trú"),
    "inspection": _l("Kiểm tra"),
    "incident": _l("Vụ việc"),
    "photo": _l("Ảnh"),
    "register_entry": _l("Bản ghi sổ"),
}

DETAIL_KEYS = {
    "fields": _l("trường"),
    "page": "trang",
    "rows": _l("số dòng"),
    "filters": _l("bộ lọc"),
    "ip": "IP",
    "username": _l("tên đăng nhập"),
    "role": _l("vai trò"),
    "from": _l("từ"),
    "to": _l("thành"),
    "changed": _l("đã đổi"),
    "found_by": _l("tìm theo"),
    "owner_key": _l("mã băm CCCD"),
    "reason": _l("lý do"),
    "legal_basis": _l("căn cứ pháp lý"),
}

FIELDS = {
    "owner_name": _l("họ tên chủ"),
    "owner_phone": _l("điện thoại"),
    "owner_id_number": "CCCD/CMND",
    "full_name": _l("họ tên"),
    "role": _l("vai trò"),
    "active": _l("hoạt động"),
    "house_record": _l("hồ sơ cơ sở"),
    "field_edit": _l("sửa tại thực địa"),
    "owner_rights": _l("quyền của chủ cơ sở"),
    "id_number": _l("số CCCD/CMND"),
    "phone": _l("số điện thoại"),
}


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def entity_label(code: str) -> str:
    return str(ENTITIES.get(code, code))


def _value(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(FIELDS.get(str(v), str(v))) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_value(v)}" for k, v in value.items()) or _("không")
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return str(FIELDS.get(str(value), str(value)))


def detail_text(detail: dict | None) -> str:
    """``{"fields": ["owner_name"], "page": "house_record"}`` → "trường: họ tên chủ; …"."""
    if not detail:
        return ""
    return "; ".join(f"{str(DETAIL_KEYS.get(k, k))}: {_value(v)}" for k, v in detail.items())
