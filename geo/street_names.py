"""A street's text as stored: names normalised, an unnamed segment's label, the column's limit.

Used by ``geo.streets`` as it prepares a ward's street layer and by ``geo.osm_highways`` as
it reads OSM ways' names. The labels are the ward's data ("Hẻm gần đường Lê Lợi", stored as
the street's name), Vietnamese like its named streets, not interface text.
"""

from __future__ import annotations

import re
import unicodedata

from geo.lazy import deferred
from geo.vocabulary import STREET_CLASSES

pd = deferred("pandas")

MAX_TEXT = 200
# A name already saying what kind of road it is takes no "đường" in front of it.
_STREET_WORD = re.compile(r"(đường|quốc lộ|ql|tỉnh lộ|đt|hẻm|hương lộ|kiệt|ngõ|ngách|phố|đại lộ)"
                          r"(?![^\W\d_])", re.IGNORECASE)


def normalise_name(value) -> str | None:
    """A street name as stored: NFC, trimmed, inner whitespace collapsed; ``None`` if blank.

    >>> normalise_name("  Nguye\u0302\u0303n   Tư Giản "), normalise_name(" "), normalise_name(None)
    ('Nguyễn Tư Giản', None, None)
    """
    if not isinstance(value, str):
        if value is None or pd.isna(value):
            return None
        value = str(value)
    return " ".join(unicodedata.normalize("NFC", value).split()) or None


def join_refs(refs) -> str | None:
    unique = sorted({r for r in refs if isinstance(r, str)})
    text = ";".join(unique)
    while len(text) > MAX_TEXT:  # keep whole references, say that some are left out
        unique.pop()
        text = ";".join(unique) + ";…"
    return text or None


def unnamed_label(code: str, nearest: str | None) -> str:
    kind = STREET_CLASSES[code]
    if nearest is None:
        return f"{kind} không tên"
    street = nearest if _STREET_WORD.match(nearest) else f"đường {nearest}"
    return shortened(f"{kind} gần {street}")


def shortened(text: str | None) -> str | None:
    """At most ``MAX_TEXT`` characters (the database column), an ellipsis saying so."""
    if text is None or len(text) <= MAX_TEXT:
        return text
    return text[:MAX_TEXT - 1].rstrip() + "…"
