"""The top navigation: links a user's role allows, for the features this app has."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from geo.i18n import pgettext
from webapp.auth.permissions import can

LINKS = (
    ("setup.wards", _l("Phường"), "manage_wards"),
    ("province.index", _l("Toàn tỉnh"), "view_province"),
    ("analysis.ranking", _l("Xếp hạng"), "view_analysis"),
    ("analysis.hotspots", _l("Điểm nóng"), "view_analysis"),
    ("analysis.coverage", _l("Nhà trọ mô hình"), "view_analysis"),
    ("analysis.targets", _l("Chỉ tiêu"), "view_analysis"),
    ("plan.edit", _l("Kế hoạch"), "edit_plan"),
    ("model_streets.index", _l("Tuyến kiểu mẫu"), "view_analysis"),
    ("campaigns.index", _l("Đợt ra quân"), "view_analysis"),
    ("reports.monthly", _l("Báo cáo tháng"), "view_analysis"),
    ("work.board", _l("Nhiệm vụ"), "view_work"),
    ("field.home", _l("Thực địa"), "record_incident"),
    ("incidents.index", _l("Vụ việc"), "view_analysis"),
    # The houses as a whole: "Nhà trọ" alone is a house's type (geo.vocabulary).
    ("houses.index", pgettext("the houses", "Nhà trọ"), "view_analysis"),
    ("houses.follow_ups", _l("Hẹn kiểm tra lại"), "inspect_boarding_house"),
    ("registers.index", _l("Sổ theo dõi"), "view_analysis"),
    ("admin.users", _l("Tài khoản"), "manage_users"),
    ("admin.audit", _l("Nhật ký truy cập"), "read_audit"),
    ("exchange.index", _l("Xuất/nhập dữ liệu"), "view_analysis"),
)


def nav_links() -> list[tuple[str, str]]:
    return [(endpoint, text) for endpoint, text, permission in LINKS
            if endpoint in current_app.view_functions and can(permission)]
