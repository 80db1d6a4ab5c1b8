"""Text as the ward's files and forms hold it: NFC, and folded keys for matching headers.

One home for these: imports, forms, plans and lookups all call them.
"""

from __future__ import annotations

import unicodedata


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


def fold(text) -> str:
    """Lower-case ASCII key of a header: accents dropped, punctuation to single spaces.

    >>> fold("Số CCCD/CMND"), fold("  Kinh độ "), fold("SĐT"), fold("DIEN_TICH")
    ('so cccd cmnd', 'kinh do', 'sdt', 'dien tich')
    """
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def compact(text) -> str:
    """``fold`` without spaces: run-together headers match spaced ones.

    >>> compact("TenKP") == compact("tên KP") == compact("ten_kp")
    True
    >>> compact("Dân số"), compact("DanSo")
    ('danso', 'danso')
    """
    return fold(text).replace(" ", "")


def vn_int(value: float) -> str:
    """A whole number with Vietnamese thousands dots: ``12345.6`` → ``"12.346"``.

    >>> vn_int(12345.6)
    '12.346'
    """
    return f"{value:,.0f}".replace(",", ".")
