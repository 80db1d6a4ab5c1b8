"""The top navigation: links a user's role allows, for the features this app has."""

from __future__ import annotations

from flask import current_app

from webapp.auth.permissions import can

LINKS = (
    ("setup.wards", "Phường", "manage_wards"),
    ("province.index", "Toàn tỉnh", "view_province"),
    ("analysis.ranking", "Xếp hạng", "view_analysis"),
    ("analysis.hotspots", "Điểm nóng", "view_analysis"),
    ("analysis.coverage", "Nhà trọ mô hình", "view_analysis"),
    ("analysis.targets", "Chỉ tiêu", "view_analysis"),
    ("plan.edit", "Kế hoạch", "edit_plan"),
    ("model_streets.index", "Tuyến kiểu mẫu", "view_analysis"),
    ("campaigns.index", "Đợt ra quân", "view_analysis"),
    ("reports.monthly", "Báo cáo tháng", "view_analysis"),
    ("work.board", "Nhiệm vụ", "view_work"),
    ("field.home", "Thực địa", "record_incident"),
    ("incidents.index", "Vụ việc", "view_analysis"),
    ("houses.index", "Nhà trọ", "view_analysis"),
    ("houses.follow_ups", "Hẹn kiểm tra lại", "inspect_boarding_house"),
    ("registers.index", "Sổ theo dõi", "view_analysis"),
    ("admin.users", "Tài khoản", "manage_users"),
    ("admin.audit", "Nhật ký truy cập", "read_audit"),
    ("exchange.index", "Xuất/nhập dữ liệu", "view_analysis"),
)


def nav_links() -> list[tuple[str, str]]:
    return [(endpoint, text) for endpoint, text, permission in LINKS
            if endpoint in current_app.view_functions and can(permission)]
