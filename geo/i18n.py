"""Messages in the reader's language for what ``geo`` writes (PDFs, XLSX, validation
messages), without Flask: the same catalogues the web pages use
(``geo.resources.DATA_DIR/translations``), chosen by a ``locale`` argument as
``geo.formatting`` is.

Vietnamese is the source language: a msgid is the Vietnamese text, so ``"vi"`` needs no
catalogue and a message missing from another catalogue stays Vietnamese.

>>> translate("Bản đồ", "en"), translate("Bản đồ", "vi")
('Map', 'Bản đồ')
>>> translate("Bản đồ %(name)s", "en", name="Tam Phước")
'Map of Tam Phước'
>>> translate("một câu chưa có trong danh mục", "en")
'một câu chưa có trong danh mục'
"""

from __future__ import annotations

from functools import lru_cache

from babel.support import NullTranslations, Translations

SOURCE = "vi"


@lru_cache(maxsize=8)
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue of ``locale`` (its language part: ``en_US`` reads ``en``)."""
    # Imported here: geo.resources says its own refusal through Message (it imports this).
    from geo.resources import DATA_DIR

    language = str(locale).replace("-", "_").split("_")[0]
    if language == SOURCE:
        return NullTranslations()
    return Translations.load(str(DATA_DIR / "translations"), [language])


def translate(message: str, locale: str = SOURCE, /, **params) -> str:
    """``message`` (a Vietnamese msgid, or a ``Message`` with its values) in ``locale``, its
    ``%(name)s`` placeholders filled from ``params`` (a value that is a ``Message``, ``Msgid``
    or ``Figure`` said in ``locale`` too).

    >>> translate("Lưu ý: %(note)s", "en", note=Message(N_("Bản đồ %(name)s"), name="X"))
    'Note: Map of X'
    """
    if isinstance(message, Joined):
        return message.separator.join(translate(part, locale) for part in message.parts)
    if isinstance(message, InContext):
        return translations(locale).pgettext(message.context, message.msgid)
    if isinstance(message, Capital):
        text = translate(message.msgid, locale)
        return text[:1].upper() + text[1:]
    if isinstance(message, Lower):
        return translate(message.msgid, locale).lower()
    if isinstance(message, Figure):
        return message.said(locale)
    if isinstance(message, Message) and not params:
        message, params = message.msgid, message.params
    params = {k: translate(v, locale) if isinstance(v, Message | Msgid | Figure) else v
              for k, v in params.items()}
    text = translations(locale).gettext(message)
    return text % params if params else text


def translate_known(text: str, locale: str = SOURCE) -> str:
    """A ward's own words (a signature block's title or hint) in ``locale`` where they are
    one of our msgids, else exactly as written: no placeholders filled (a ward's "100%"
    stays), and "" stays "" (gettext would answer the catalogue's header).

    >>> translate_known("(Ký, ghi rõ họ tên)", "en"), translate_known("Ông Ba", "en")
    ('(Signature and full name)', 'Ông Ba')
    """
    return translations(locale).gettext(text) if text else text


def translate_plural(singular: str, plural: str, count: int, locale: str = SOURCE,
                     **params) -> str:
    """The form of ``singular``/``plural`` for ``count`` in ``locale`` (``%(count)s`` is
    ``count`` unless ``params`` says otherwise)."""
    text = translations(locale).ngettext(singular, plural, count)
    return text % {"count": count, **params}


def N_(message: str) -> str:  # noqa: N802 — the gettext convention extractors know
    """Marks ``message`` for the catalogue where it is defined (a module-level label);
    ``translate`` turns it into the reader's language where it is shown."""
    return message


class Msgid(str):
    """A value that is itself a msgid (a parameter's name, a label), to be said in the
    reader's language when it fills a placeholder of another message."""


class Capital(Msgid):
    """A msgid that opens a sentence where it fills a placeholder: its first letter
    capitalised, in Vietnamese and in its translation.

    >>> str(Capital("tên đơn vị")), translate(Capital("tệp"), "en")
    ('Tên đơn vị', 'File')
    """

    msgid: str

    def __new__(cls, msgid: str) -> Capital:
        self = super().__new__(cls, msgid[:1].upper() + msgid[1:])
        self.msgid = msgid
        return self

    def __reduce__(self):
        return Capital, (self.msgid,)


class Lower(Msgid):
    """A msgid (a label, "Đã đăng ký") said inside a sentence in lower case, in Vietnamese
    and in its translation.

    >>> str(Lower("Bản đồ")), translate(Lower("Bản đồ"), "en")
    ('bản đồ', 'map')
    """

    msgid: str

    def __new__(cls, msgid: str) -> Lower:
        self = super().__new__(cls, msgid.lower())
        self.msgid = msgid
        return self

    def __reduce__(self):
        return Lower, (self.msgid,)


class Figure(str):
    """A number or date inside a ``Message``, written in the reader's locale when the message
    is said: ``format`` is a ``geo.formatting`` function taking ``locale=``. As a ``str`` it
    is the Vietnamese writing.

    >>> from geo import formatting as fmt
    >>> m = Message(N_("Đọc %(n)s đối tượng từ tệp"), n=Figure(fmt.integer, 12345))
    >>> str(m), translate(m, "en")
    ('Đọc 12.345 đối tượng từ tệp', 'Read 12,345 objects from the file')
    """

    def __new__(cls, format, *args, **kwargs) -> Figure:
        self = super().__new__(cls, format(*args, **kwargs))
        self.format, self.args, self.kwargs = format, args, kwargs
        return self

    def said(self, locale: str) -> str:
        return self.format(*self.args, **{**self.kwargs, "locale": locale})

    def __reduce__(self):
        return _figure, (self.format, self.args, self.kwargs)


def _figure(format, args: tuple, kwargs: dict) -> Figure:
    return Figure(format, *args, **kwargs)


class Message(str):
    """A message and its values, for code that does not know who will read it (a service's
    refusal, a validation): as a ``str`` it is the Vietnamese text (logs, a joined summary),
    and ``translate`` says it in any language, where it is shown (the web's templates do so
    for every ``Message`` they print).

    >>> m = Message(N_("Bản đồ %(name)s"), name="Tam Phước")
    >>> str(m), translate(m, "en")
    ('Bản đồ Tam Phước', 'Map of Tam Phước')
    """

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Message:
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid, self.params = msgid, params
        return self

    def __reduce__(self):
        # Pickled (a worker's result) with its values, not as the Vietnamese text only.
        return _message, (self.msgid, self.params)


def _message(msgid: str, params: dict) -> Message:
    return Message(msgid, **params)



class Joined(Message):
    """Msgids (or Messages) listed as one text ("Đã xác minh, Đã xử lý xong"), each said in
    the reader's language: a placeholder's value, or a line of its own.
    >>> translate(Joined([N_("tệp"), N_("Bản đồ")]), "en")
    'file, Map'
    """

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, parts, separator: str = ", ") -> Joined:
        parts = tuple(parts)
        self = super().__new__(cls, separator.join(parts))
        self.parts, self.separator = parts, separator
        return self

    def __reduce__(self):
        return Joined, (self.parts, self.separator)


class InContext(Message):
    """A label whose Vietnamese is also another message's msgid with another meaning (a
    register's geometry "Điểm", a point, is not the ranking's "Điểm", its score): the
    catalogue holds it under ``context`` (``msgctxt``). Made by ``pgettext``; said in the
    reader's language by ``translate`` and, as a ``Message``, by the web's templates.

    >>> translate(pgettext("register geometry", "Điểm"), "en"), translate("Điểm", "en")
    ('Point', 'Points')
    """

    context: str

    def __new__(cls, context: str, msgid: str) -> InContext:
        self = super().__new__(cls, msgid)
        self.context = context
        return self

    def __reduce__(self):
        return InContext, (self.context, self.msgid)


def pgettext(context: str, message: str) -> InContext:
    """Marks ``message`` for the catalogue under ``context`` (the extractors' ``pgettext``,
    keyword ``pgettext:1c,2``), to be translated where it is shown, like ``N_``."""
    return InContext(context, message)


def has(message: str, locale: str) -> bool:
    """Whether the catalogue of ``locale`` translates ``message`` (always, for Vietnamese)."""
    language = str(locale).split("_")[0]
    return language == SOURCE or translations(locale).gettext(message) != message
