"""Why a file could not be read, in Vietnamese, without server paths or GDAL's English.

Readers (GDAL through pyogrio, libosmium, openpyxl, pandas, our GeoPackage child process)
fail with English text that often names the temporary folder the upload sits in. The user
gets a Vietnamese sentence about their file; the original text goes to the log.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class ReadError(ValueError):
    """The file cannot be read at all (message in Vietnamese, for the user)."""


# Lower-case fragments of known reader failures → what the user can do about them.
KNOWN_FAILURES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("not recognized as a supported file format", "not recognised as",
      "unsupported file format", "no driver"),
     "tệp không đúng định dạng theo phần mở rộng của nó, hoặc đã hỏng."),
    (("file is not a zip file", "bad zip", "zipfile"),
     "tệp nén (hoặc tệp Excel .xlsx) bị hỏng hoặc không phải tệp nén."),
    (("file is not a database", "database disk image is malformed", "not a geopackage"),
     "tệp GeoPackage bị hỏng hoặc không phải GeoPackage."),
    (("json", "expecting value", "unexpected character"),
     "nội dung GeoJSON không đúng cú pháp JSON."),
    (("no layers", "has no layer", "layer not found", "no such layer"),
     "tệp không có lớp dữ liệu nào."),
    (("error tokenizing", "fields in line"),
     "bảng CSV có dòng sai số cột (kiểm tra dấu phân cách và dấu ngoặc kép)."),
    (("xml", "kml", "mismatched tag", "not well-formed"),
     "nội dung KML/OSM (XML) không đúng cú pháp."),
    (("pbf", "osm", "protobuf", "osmium"),
     "tệp OpenStreetMap bị hỏng hoặc bị cắt dở."),
    (("permission denied", "no such file"),
     "máy chủ không mở được tệp đã tải lên; hãy tải lại."),
)
GENERIC = "tệp bị hỏng hoặc không đúng định dạng."


def unreadable(file_name: str, exc: BaseException) -> str:
    """The Vietnamese message for a reader failure on ``file_name`` (the user's own name);
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
    return f"Không đọc được tệp {file_name}: {reason}"
