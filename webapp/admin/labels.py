"""Vietnamese words for what the audit log records (unknown codes are shown as they are)."""

from __future__ import annotations

ACTIONS = {
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập sai",
    "user_created": "Tạo tài khoản",
    "user_updated": "Sửa tài khoản",
    "user_role_changed": "Đổi vai trò",
    "user_enabled": "Mở khóa tài khoản",
    "user_disabled": "Khóa tài khoản",
    "password_changed": "Đổi mật khẩu",
    "view_personal_data": "Xem thông tin cá nhân",
    "create_personal_data": "Ghi nhận cơ sở (có thông tin cá nhân)",
    "update_personal_data": "Sửa cơ sở (có thông tin cá nhân)",
    "export_personal_data": "Xuất thông tin cá nhân (CSV)",
    "export_owner_data": "Xuất dữ liệu theo yêu cầu của chủ cơ sở",
    "erase_personal_data": "Xoá/ẩn danh thông tin chủ cơ sở",
}

ENTITIES = {
    "user": "Tài khoản",
    "boarding_house": "Cơ sở lưu trú",
    "inspection": "Kiểm tra",
    "incident": "Vụ việc",
    "photo": "Ảnh",
}

DETAIL_KEYS = {
    "fields": "trường",
    "page": "trang",
    "rows": "số dòng",
    "filters": "bộ lọc",
    "ip": "IP",
    "username": "tên đăng nhập",
    "role": "vai trò",
    "from": "từ",
    "to": "thành",
    "changed": "đã đổi",
    "found_by": "tìm theo",
    "owner_key": "mã băm CCCD",
    "reason": "lý do",
    "legal_basis": "căn cứ pháp lý",
}

FIELDS = {
    "owner_name": "họ tên chủ",
    "owner_phone": "điện thoại",
    "owner_id_number": "CCCD/CMND",
    "full_name": "họ tên",
    "role": "vai trò",
    "active": "hoạt động",
    "house_record": "hồ sơ cơ sở",
    "field_edit": "sửa tại thực địa",
    "owner_rights": "quyền của chủ cơ sở",
    "id_number": "số CCCD/CMND",
    "phone": "số điện thoại",
}


def action_label(code: str) -> str:
    return ACTIONS.get(code, code)


def entity_label(code: str) -> str:
    return ENTITIES.get(code, code)


def _value(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(FIELDS.get(str(v), str(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_value(v)}" for k, v in value.items()) or "không"
    if isinstance(value, bool):
        return "có" if value else "không"
    return FIELDS.get(str(value), str(value))


def detail_text(detail: dict | None) -> str:
    """``{"fields": ["owner_name"], "page": "house_record"}`` → "trường: họ tên chủ; …"."""
    if not detail:
        return ""
    return "; ".join(f"{DETAIL_KEYS.get(k, k)}: {_value(v)}" for k, v in detail.items())
