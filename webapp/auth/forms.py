"""Sign-in and user-management forms (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from webapp.auth.permissions import WARD_ROLE_LABELS
from webapp.forms import Form as FlaskForm
from webapp.i18n import NAMES

# The empty choice leaves the language to the browser (its Accept-Language, else Vietnamese).
ROLE_CHOICES = [(code, _l(msgid)) for code, msgid in WARD_ROLE_LABELS.items()]
LANGUAGE_CHOICES = [("", _l("Theo trình duyệt")), *NAMES.items()]


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"),
                           validators=[DataRequired(_l("Nhập tên đăng nhập."))])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu."))])


class UserForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Nhập tên đăng nhập.")), Length(3, 80, _l("Từ 3 đến 80 ký tự.")),
        Regexp(r"^[a-z0-9._-]+$", message=_l("Chỉ dùng chữ thường không dấu, số, dấu . _ -"))])
    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Vai trò"), choices=ROLE_CHOICES)
    password = PasswordField(_l("Mật khẩu (để trống: tạo ngẫu nhiên)"), validators=[Optional()])


class UserEditForm(FlaskForm):
    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail (nhận cảnh báo nhiệm vụ của đơn vị)"), validators=[
        Optional(), Length(max=254, message=_l("Tối đa 254 ký tự.")),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("E-mail không hợp lệ."))])
    role = SelectField(_l("Vai trò"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Đang hoạt động"))
    language = SelectField(_l("Ngôn ngữ giao diện"), choices=LANGUAGE_CHOICES, default="")
    password = PasswordField(_l("Đặt mật khẩu mới (để trống: giữ nguyên)"), validators=[Optional()])


class AccountForm(FlaskForm):
    """The user's own page: what they may change about their account themselves."""

    language = SelectField(_l("Ngôn ngữ giao diện"), choices=LANGUAGE_CHOICES, default="")
