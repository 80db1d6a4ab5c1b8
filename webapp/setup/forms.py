"""Forms of the set-up pages (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from geo.crs import metric_crs_choices
from geo.plan import presets
from webapp.forms import Form as FlaskForm
from webapp.i18n import say


def _crs_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(e), _("EPSG:%(epsg)s — %(text)s", epsg=e, text=say(label)))
                            for e, label in metric_crs_choices().items()]


class FirstAdminForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Nhập tên đăng nhập.")), Length(3, 80, _l("Từ 3 đến 80 ký tự.")),
        Regexp(r"^[a-z0-9._-]+$", message=_l("Chỉ dùng chữ thường không dấu, số, dấu . _ -"))])
    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=200)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu."))])
    confirm = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        EqualTo("password", _l("Hai lần nhập mật khẩu không khớp."))])


class WardForm(FlaskForm):
    code = StringField(_l("Mã phường"), validators=[
        DataRequired(_l("Nhập mã phường.")), Length(2, 64),
        Regexp(r"^[a-z0-9][a-z0-9-]+$", message=_l("Chữ thường không dấu, số và dấu gạch ngang."))])
    name = StringField(_l("Tên phường"), validators=[DataRequired(_l("Nhập tên phường.")),
                                                 Length(3, 200)])
    province = StringField(_l("Tỉnh / thành phố"), validators=[Optional(), Length(max=200)])
    boundary = FileField(_l("Tệp ranh giới phường"), validators=[FileRequired(
        _l("Chọn tệp ranh giới (GeoJSON, GeoPackage, Shapefile .zip hoặc KML)."))])
    source_epsg = SelectField(_l("Hệ tọa độ của tệp (khi tệp không ghi, ví dụ thiếu .prj)"))
    metric_epsg = SelectField(_l("Hệ tọa độ mét của phường"))
    preset = SelectField(_l("Kế hoạch khởi đầu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_epsg.choices = [("", _("Theo tệp")), ("4326", "EPSG:4326 — WGS 84")] + \
            _crs_choices("")[1:]
        self.metric_epsg.choices = _crs_choices(_("Tự chọn theo tỉnh"))
        self.preset.choices = list(presets().items())


class BoundaryForm(FlaskForm):
    boundary = FileField(_l("Tệp ranh giới mới"),
                         validators=[FileRequired(_l("Chọn tệp ranh giới."))])
    source_epsg = SelectField(_l("Hệ tọa độ của tệp (khi tệp không ghi)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_epsg.choices = [("", _("Theo tệp")), ("4326", "EPSG:4326 — WGS 84")] + \
            _crs_choices("")[1:]


class RemoveForm(FlaskForm):
    confirm_code = StringField(_l("Gõ lại mã phường để xác nhận"),
                               validators=[DataRequired(_l("Gõ lại mã phường."))])
    force = BooleanField(_l("Xóa cả dữ liệu nghiệp vụ (vụ việc, nhà trọ, xếp hạng đã công bố…)"))
