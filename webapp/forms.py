"""The base of every form: Flask-WTF (CSRF) with WTForms' own messages in Vietnamese.

WTForms ships no Vietnamese catalogue; the few built-in messages our forms can show are
translated here, so a bad choice never answers in English.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from geo.text import TextRefused, clean_text

MESSAGES = {
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Not a valid choice": "Lựa chọn không hợp lệ.",
    "This field is required.": "Trường này bắt buộc.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid value, must be one of: %(values)s.": "Giá trị không hợp lệ, chỉ nhận: %(values)s.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Phải dài từ %(min)d đến %(max)d ký tự.",
    "Field must be at least %(min)d character long.": "Phải dài ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Phải dài ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Không được dài quá %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Không được dài quá %(max)d ký tự.",
    "Field must be equal to %(other_name)s.": "Phải giống trường %(other_name)s.",
    "Not a valid integer value.": "Không phải số nguyên.",
    "Not a valid decimal value.": "Không phải số.",
    "Not a valid float value.": "Không phải số.",
    "Not a valid date value.": "Không phải ngày hợp lệ.",
    "The CSRF token is missing.": "Biểu mẫu thiếu mã bảo vệ (CSRF): tải lại trang.",
    "The CSRF token is invalid.": "Biểu mẫu hết hạn (CSRF): tải lại trang.",
    "The CSRF token has expired.": "Biểu mẫu hết hạn (CSRF): tải lại trang.",
    "The CSRF session token is missing.": "Phiên làm việc hết hạn: tải lại trang.",
    "The CSRF tokens do not match.": "Biểu mẫu không khớp phiên làm việc: tải lại trang.",
}


class _Vietnamese:
    def gettext(self, text: str) -> str:
        return MESSAGES.get(text, text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        text = singular if n == 1 else plural
        return MESSAGES.get(text, text)


def _clean(multiline: bool):
    """A WTForms filter: ``geo.text.clean_text``; a refusal becomes the field's error."""
    def clean(value):
        if not isinstance(value, str):
            return value
        try:
            return clean_text(value, multiline=multiline)
        except TextRefused as refused:
            raise ValueError(f"Giá trị {refused}") from None
    return clean


class Form(FlaskForm):
    """Every text field is cleaned as the field records are (``geo.text``); passwords are
    checked by the request guard only (``webapp.input_guard``), never rewritten."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _Vietnamese()

        def bind_field(self, form, unbound_field, options):
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                multiline = issubclass(kind, TextAreaField)
                options["filters"] = [_clean(multiline), *unbound_field.kwargs.get(
                    "filters", ()), *options.get("filters", ())]
            return super().bind_field(form, unbound_field, options)
