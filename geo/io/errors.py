"""Why a file could not be read, in the reader's language, without server paths or GDAL's
English.

Readers (GDAL through pyogrio, libosmium, openpyxl, pandas, our GeoPackage child process)
fail with English text that often names the temporary folder the upload sits in. The user
gets a sentence about their file (a ``geo.i18n.Message``: Vietnamese as a ``str``, their
language where it is shown); the original text goes to the log.
"""

from __future__ import annotations

import logging

from geo.i18n import N_, Message, Msgid

log = logging.getLogger(__name__)


class ReadError(ValueError):
    """The file cannot be read at all; ``args[0]`` is the ``Message`` for the user (keep it
    whole: ``err.args[0]``, not ``str(err)``, which is its Vietnamese)."""


# Lower-case fragments of known reader failures → what the user can do about them.
KNOWN_FAILURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("not recognized as a supported file format", "not recognised as",
      "unsupported file format", "no driver"),
     N_("tệp không đúng định dạng theo phần mở rộng của nó, hoặc đã hỏng.")),
    (("file is not a zip file", "bad zip", "zipfile"),
     N_("tệp nén (hoặc tệp Excel .xlsx) bị hỏng hoặc không phải tệp nén.")),
    (("file is not a database", "database disk image is malformed", "not a geopackage"),
     N_("tệp GeoPackage bị hỏng hoặc không phải GeoPackage.")),
    (("json", "expecting value", "unexpected character"),
     N_("nội dung GeoJSON không đúng cú pháp JSON.")),
    (("no layers", "has no layer", "layer not found", "no such layer"),
     N_("tệp không có lớp dữ liệu nào.")),
    (("error tokenizing", "fields in line"),
     N_("bảng CSV có dòng sai số cột (kiểm tra dấu phân cách và dấu ngoặc kép).")),
    (("xml", "kml", "mismatched tag", "not well-formed"),
     N_("nội dung KML/OSM (XML) không đúng cú pháp.")),
    (("pbf", "osm", "protobuf", "osmium"),
     N_("tệp OpenStreetMap bị hỏng hoặc bị cắt dở.")),
    (("permission denied", "no such file"),
     N_("máy chủ không mở được tệp đã tải lên; hãy tải lại.")),
)
GENERIC = N_("tệp bị hỏng hoặc không đúng định dạng.")


def unreadable(file_name: str, exc: BaseException) -> Message:
    """The message for a reader failure on ``file_name`` (the user's own name);
    the exception itself is logged, never shown.

    >>> unreadable("ranh.gpkg", ValueError("/tmp/x/ranh.gpkg: file is not a database"))
    'Không đọc được tệp ranh.gpkg: tệp GeoPackage bị hỏng hoặc không phải GeoPackage.'
    >>> unreadable("a.geojson", RuntimeError("Segment 7 of /srv/tmp/a: kaboom"))
    'Không đọc được tệp a.geojson: tệp bị hỏng hoặc không đúng định dạng.'
    """
    log.warning("could not read %s: %r", file_name, exc)
    text = str(exc).lower()
    reason = next((message for fragments, message in KNOWN_FAILURES
                   if any(f in text for f in fragments)), GENERIC)
    return Message(N_("Không đọc được tệp %(file_name)s: %(reason)s"), file_name=file_name,
                   reason=Msgid(reason))
