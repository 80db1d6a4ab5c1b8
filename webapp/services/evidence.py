"""Evidence files attached to a task's progress: photos, PDFs (biên bản, quyết định) and
XLSX lists. The kind is read from the content, never the name; photos go through the
photo code (checked by header, re-encoded without EXIF/GPS); PDFs and XLSX are kept as sent
after their structure is checked; every file is size-limited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from webapp.services.photos import PhotoError, check_photo

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_XLSX_UNZIPPED = 50 * 1024 * 1024
KINDS = {"photo": "Ảnh", "pdf": "PDF", "xlsx": "Bảng tính XLSX"}
CONTENT_TYPES = {"photo": "image/jpeg", "pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SUFFIXES = {"photo": ".jpg", "pdf": ".pdf", "xlsx": ".xlsx"}


@dataclass(frozen=True)
class Evidence:
    kind: str
    filename: str
    data: bytes
    sha256: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def _label(name: str) -> str:
    name = " ".join(str(name or "tệp").split())
    return name if len(name) <= 60 else name[:57] + "…"


def _stem(name: str) -> str:
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in base)[:80].strip("_")
    return safe or "minh-chung"


def _is_xlsx(raw: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    # The archive's own claim of its unpacked size: a zip bomb is refused unread.
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names and \
        sum(m.file_size for m in members) <= MAX_XLSX_UNZIPPED


def check_evidence(name: str, raw: bytes) -> Evidence:
    """One upload checked and cleaned; ``ValueError`` with a Vietnamese reason if refused."""
    label = _label(name)
    if not raw:
        raise ValueError(f"Tệp “{label}” rỗng.")
    if len(raw) > MAX_BYTES:
        raise ValueError(f"Tệp “{label}” lớn quá {MAX_BYTES // (1024 * 1024)} MB.")
    if raw.startswith(b"%PDF-"):
        if b"%%EOF" not in raw[-2048:]:
            raise ValueError(f"Tệp “{label}” không phải PDF hoàn chỉnh.")
        kind, data = "pdf", raw
    elif raw.startswith(b"PK\x03\x04"):
        if not _is_xlsx(raw):
            raise ValueError(f"Tệp “{label}” không phải bảng tính XLSX hợp lệ.")
        kind, data = "xlsx", raw
    else:
        try:
            data = check_photo(raw, name).clean().data
        except PhotoError:
            raise ValueError(f"Tệp “{label}” không được nhận: minh chứng là ảnh (JPEG, PNG, "
                             "WebP), PDF hoặc bảng tính XLSX.") from None
        kind = "photo"
    return Evidence(kind, _stem(name) + SUFFIXES[kind], data, hashlib.sha256(raw).hexdigest())


def check_all(uploads: list[tuple[str, bytes]], errors: list) -> list[Evidence]:
    """Every upload of one update; problems go to ``errors`` as ``("files", message)``."""
    if len(uploads) > MAX_FILES:
        errors.append(("files", f"Tối đa {MAX_FILES} tệp minh chứng cho một lần cập nhật."))
    out = []
    for name, raw in uploads[:MAX_FILES]:
        try:
            out.append(check_evidence(name, raw))
        except ValueError as err:
            errors.append(("files", str(err)))
    return out
