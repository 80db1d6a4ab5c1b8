"""Text as the ward's files and forms hold it: NFC, clean, and folded keys for headers.

One home for these: imports, forms, plans and lookups all call them.

Text hygiene (``clean_text``), the same for field records, desk forms, imports and the API:

* NFC-normalised, so "ư" typed on two keyboards is one string.
* REFUSED (the value is not stored; the user gets a Vietnamese message naming the
  character): NUL, every other control character (C0, DEL, C1 — except tab, line feed and
  carriage return in multi-line fields such as a description; in a one-line field such as
  a name they are read as a space, as a pasted line break means one), bidirectional controls
  (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and lone surrogates. These can
  make a stored name read differently from what it is, break XLSX exports or be refused by
  PostgreSQL; a person never types them on purpose, so refusing is safe and visible.
* STRIPPED silently: zero-width characters (U+200B–U+200D, U+2060, U+FEFF). Copying from
  chat apps and web pages leaves them in otherwise good text; they carry no meaning here.
* Anything that is not a string (a number, a JSON object) in a text field is refused
  ("phải là chữ"), never turned into its ``str()``.

Digit-only fields (CCCD/CMND, phone) go through ``ascii_digits``: NFKC first, so full-width
digits ("０９１２") become ASCII and are ACCEPTED; any other digit (Arabic-Indic, superscript)
is then refused by an ASCII-only check (Python's ``\\d`` would accept them).
"""

from __future__ import annotations

import unicodedata

from geo.i18n import N_, Message


def nfc(value):
    """NFC-normalise every string in ``value`` (dicts and lists included).

    >>> nfc({"a": ["Phu\\u031bo\\u031b\\u0300ng"]}) == {"a": ["Phường"]}
    True
    """
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


def tidy(value) -> str:
    """``value`` as one NFC string without surrounding spaces (``None`` → ``""``): the form of a
    name or a short answer as typed into a form or a plan.

    >>> tidy("  Phu\u031bo\u031b\u0300ng 5 "), tidy(None), tidy(12)
    ('Phường 5', '', '12')
    """
    return "" if value is None else unicodedata.normalize("NFC", str(value)).strip()


ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c")
MULTILINE_CONTROLS = frozenset("\t\n\r")
_STRIP_ZERO_WIDTH = {ord(c): None for c in ZERO_WIDTH}
_LINE_BREAKS_AS_SPACES = {ord(c): " " for c in MULTILINE_CONTROLS}


class TextRefused(ValueError):
    """A text value that cannot be stored; ``args[0]`` is a ``geo.i18n.Message``, a
    predicate such as "phải là chữ." (the caller puts the field's label in front), and
    ``str()`` its Vietnamese."""


def forbidden_character(text: str, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be stored (Vietnamese), or ``None`` when it can.

    >>> forbidden_character("Nhà trọ\\x07"), forbidden_character("a\\nb", multiline=True)
    ('có ký tự điều khiển không in được (U+0007).', None)
    """
    for char in text:
        if char == "\0":
            return Message(N_("có ký tự rỗng (NUL, U+0000)."))
        if char in BIDI_CONTROLS:
            return Message(N_("có ký tự đảo chiều văn bản (U+%(code)s)."), code=f"{ord(char):04X}")
        category = unicodedata.category(char)
        if category == "Cc" and not (multiline and char in MULTILINE_CONTROLS):
            return Message(N_("có ký tự điều khiển không in được (U+%(code)s)."),
                           code=f"{ord(char):04X}")
        if category == "Cs":
            return Message(N_("có ký tự hỏng (U+%(code)s)."), code=f"{ord(char):04X}")
    return None


def clean_text(value, multiline: bool = False) -> str:
    """``value`` as storable text: NFC, zero-width characters removed; raises ``TextRefused``
    for a non-string or a refused character (see the module docstring).

    >>> clean_text("Phu\u031bo\u031b\u0300ng\u200b 5") == "Phường 5"
    True
    >>> clean_text({"$gt": ""})
    Traceback (most recent call last):
    ...
    geo.text.TextRefused: phải là chữ.
    """
    if not isinstance(value, str):
        raise TextRefused(Message(N_("phải là chữ.")))
    value = unicodedata.normalize("NFC", value).translate(_STRIP_ZERO_WIDTH)
    if not multiline:
        value = value.translate(_LINE_BREAKS_AS_SPACES)
    problem = forbidden_character(value, multiline)
    if problem:
        raise TextRefused(problem)
    return value


def ascii_digits(value: str, separators: str = " .-()") -> str:
    """The ASCII digits of ``value`` after NFKC (full-width digits become ASCII), separators
    dropped; raises ``TextRefused`` if anything else is left (other scripts' digits).

    >>> ascii_digits("０７５ １２３"), ascii_digits("+84 912")
    ('075123', '+84912')
    >>> ascii_digits("٠٧٥")
    Traceback (most recent call last):
    ...
    geo.text.TextRefused: chỉ được gồm chữ số 0-9.
    """
    text = unicodedata.normalize("NFKC", clean_text(value))
    text = "".join(c for c in text if c not in separators and not c.isspace())
    body = text[1:] if text.startswith("+") else text
    if not body.isascii() or not body.isdigit():
        raise TextRefused(Message(N_("chỉ được gồm chữ số 0-9.")))
    return text


def _base_letter(char: str) -> str | None:
    parts = unicodedata.normalize("NFD", char)
    if len(parts) > 1 and parts[0].isascii() and parts[0].isalpha() \
            and all(unicodedata.combining(p) for p in parts[1:]):
        return parts[0].lower()
    return None


# Every Latin letter with diacritics (all of Vietnamese's) → its base letter, lower case.
_UNACCENT = {"Đ": "d", "đ": "d", **{chr(c): _base_letter(chr(c)) for c in range(0xC0, 0x1F00)
                                    if _base_letter(chr(c))}}
# The same mapping as two strings, for SQL's ``translate(lower(x), ACCENTED, UNACCENTED)``.
ACCENTED = "".join(_UNACCENT)
UNACCENTED = "".join(_UNACCENT.values())
_UNACCENT_TABLE = str.maketrans(_UNACCENT)


def strip_accents(text: str | None) -> str | None:
    """Lower case without Vietnamese diacritics, one character for one, as SQL's
    ``translate`` with ``ACCENTED``/``UNACCENTED`` does it (so a search folds the same way in
    Python and on PostgreSQL); ``None`` stays ``None`` (a NULL column).

    >>> strip_accents("Đường Số 5"), strip_accents("PHƯỜNG")
    ('duong so 5', 'phuong')
    """
    if text is None:
        return None
    return unicodedata.normalize("NFC", text).lower().translate(_UNACCENT_TABLE)


def fold(text) -> str:
    """Lower-case ASCII key of a header: ``strip_accents``, then punctuation to single spaces.

    >>> fold("Số CCCD/CMND"), fold("  Kinh độ "), fold("SĐT"), fold("DIEN_TICH")
    ('so cccd cmnd', 'kinh do', 'sdt', 'dien tich')
    """
    text = unicodedata.normalize("NFD", strip_accents(str(text)))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def compact(text) -> str:
    """``fold`` without spaces: run-together headers match spaced ones.

    >>> compact("TenKP") == compact("tên KP") == compact("ten_kp")
    True
    >>> compact("Dân số"), compact("DanSo")
    ('danso', 'danso')
    """
    return fold(text).replace(" ", "")

