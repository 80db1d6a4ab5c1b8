"""Sign-in and user-management forms (Flask-WTF: CSRF on every form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from webapp.auth.permissions import WARD_ROLE_LABELS
from webapp.forms import Form as FlaskForm
from webapp.i18n import NAMES

# The empty choice leaves the language to the browser (its Accept-Language, else Vietnamese).
LANGUAGE_CHOICES = [("", _l("Theo trình duyệt")), *NAMES.items()]


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu.")])


class UserForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[
        DataRequired("Nhập tên đăng nhập."), Length(3, 80, "Từ 3 đến 80 ký tự."),
        Regexp(r"^[a-z0-9._-]+$", message="Chỉ dùng chữ thường không dấu, số, dấu . _ -")])
    full_name = StringField("Họ và tên", validators=[Optional(), Length(max=200)])
    role = SelectField("Vai trò", choices=dict(WARD_ROLE_LABELS))
    password = PasswordField("Mật khẩu (để trống: tạo ngẫu nhiên)", validators=[Optional()])


class UserEditForm(FlaskForm):
    full_name = StringField("Họ và tên", validators=[Optional(), Length(max=200)])
    role = SelectField("Vai trò", choices=dict(WARD_ROLE_LABELS))
    active = BooleanField("Đang hoạt động")
    language = SelectField(_l("Ngôn ngữ giao diện"), choices=LANGUAGE_CHOICES, default="")
    password = PasswordField("Đặt mật khẩu mới (để trống: giữ nguyên)", validators=[Optional()])


class AccountForm(FlaskForm):
    """The user's own page: what they may change about their account themselves."""

    language = SelectField(_l("Ngôn ngữ giao diện"), choices=LANGUAGE_CHOICES, default="")
