"""The base of every form: Flask-WTF (CSRF) with WTForms' own messages in the request's
language (``webapp.form_messages`` for Vietnamese, WTForms' own English otherwise).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from geo.text import TextRefused, clean_text
from webapp.form_messages import MESSAGES
from webapp.i18n import current_language


class _Translations:
    """WTForms' own messages (English is their source) in the request's language."""

    def gettext(self, text: str) -> str:
        return text if current_language() != "vi" else MESSAGES.get(text, text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


def _clean(multiline: bool):
    """A WTForms filter: ``geo.text.clean_text``; a refusal becomes the field's error."""
    def clean(value):
        if not isinstance(value, str):
            return value
        try:
            return clean_text(value, multiline=multiline)
        except TextRefused as refused:
            raise ValueError(_("Giá trị %(problem)s", problem=refused)) from None
    return clean


class Form(FlaskForm):
    """Every text field is cleaned as the field records are (``geo.text``); passwords are
    checked by the request guard only (``webapp.input_guard``), never rewritten."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _Translations()

        def bind_field(self, form, unbound_field, options):
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                multiline = issubclass(kind, TextAreaField)
                options["filters"] = [_clean(multiline), *unbound_field.kwargs.get(
                    "filters", ()), *options.get("filters", ())]
            return super().bind_field(form, unbound_field, options)
