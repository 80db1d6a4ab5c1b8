"""Forms of the set-up pages (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from geo.crs import metric_crs_choices
from geo.plan import presets
from webapp.forms import Form as FlaskForm


def _crs_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(e), f"EPSG:{e} — {label}")
                            for e, label in metric_crs_choices().items()]


class FirstAdminForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[
        DataRequired("Nhập tên đăng nhập."), Length(3, 80, "Từ 3 đến 80 ký tự."),
        Regexp(r"^[a-z0-9._-]+$", message="Chỉ dùng chữ thường không dấu, số, dấu . _ -")])
    full_name = StringField("Họ và tên", validators=[Optional(), Length(max=200)])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu.")])
    confirm = PasswordField("Nhập lại mật khẩu", validators=[
        EqualTo("password", "Hai lần nhập mật khẩu không khớp.")])


class WardForm(FlaskForm):
    code = StringField("Mã phường", validators=[
        DataRequired("Nhập mã phường."), Length(2, 64),
        Regexp(r"^[a-z0-9][a-z0-9-]+$", message="Chữ thường không dấu, số và dấu gạch ngang.")])
    name = StringField("Tên phường", validators=[DataRequired("Nhập tên phường."),
                                                 Length(3, 200)])
    province = StringField("Tỉnh / thành phố", validators=[Optional(), Length(max=200)])
    boundary = FileField("Tệp ranh giới phường", validators=[FileRequired(
        "Chọn tệp ranh giới (GeoJSON, GeoPackage, Shapefile .zip hoặc KML).")])
    source_epsg = SelectField("Hệ tọa độ của tệp (khi tệp không ghi, ví dụ thiếu .prj)")
    metric_epsg = SelectField("Hệ tọa độ mét của phường")
    preset = SelectField("Kế hoạch khởi đầu")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_epsg.choices = [("", "Theo tệp"), ("4326", "EPSG:4326 — WGS 84")] + \
            _crs_choices("")[1:]
        self.metric_epsg.choices = _crs_choices("Tự chọn theo tỉnh")
        self.preset.choices = list(presets().items())


class BoundaryForm(FlaskForm):
    boundary = FileField("Tệp ranh giới mới", validators=[FileRequired("Chọn tệp ranh giới.")])
    source_epsg = SelectField("Hệ tọa độ của tệp (khi tệp không ghi)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_epsg.choices = [("", "Theo tệp"), ("4326", "EPSG:4326 — WGS 84")] + \
            _crs_choices("")[1:]


class RemoveForm(FlaskForm):
    confirm_code = StringField("Gõ lại mã phường để xác nhận",
                               validators=[DataRequired("Gõ lại mã phường.")])
    force = BooleanField("Xóa cả dữ liệu nghiệp vụ (vụ việc, nhà trọ, xếp hạng đã công bố…)")
