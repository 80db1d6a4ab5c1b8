"""Files uploaded for a dry run, kept until confirmed: one home for the import and ward pages.

An upload waits in the instance folder under a random token that only the uploading
session knows; the confirmation reads it again, and it is removed once used (or after a day).
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
import unicodedata
from pathlib import Path

from flask import current_app, session
from flask_babel import gettext as _

from geo import io as geoio

_TOKEN = re.compile(r"[0-9a-f]{32}")
MAX_AGE_S = 24 * 3600
KEPT_PER_SESSION = 5
MAX_NAME_CHARS = 120  # shown back in messages and kept on disk
MAX_SUFFIX_CHARS = 16
ARCHIVE_SUFFIXES = {".zip", ".xlsx"}


class UploadError(ValueError):
    """The upload cannot be kept (``args[0]``: the message, a ``geo.i18n.Message`` from a
    reader)."""


def _root() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "imports"


def safe_name(filename: str | None) -> str:
    """The upload's name as kept on disk and shown back: its last path part (either slash),
    NFC, letters, digits, ``.``, ``-`` and ``_`` only, at most ``MAX_NAME_CHARS`` characters
    and 200 bytes (a file system's limit is 255 bytes) — cut from the stem, so the suffixes
    (``.osm.pbf``) that choose the reader stay."""
    name = unicodedata.normalize("NFC", str(filename or "")).replace("\\", "/")
    name = re.sub(r"[^\w.\-]", "_", name.rsplit("/", 1)[-1]).lstrip(".") or "tep"
    stem, dot, suffixes = name.partition(".")
    suffixes = suffixes[-MAX_SUFFIX_CHARS:]
    tail = (dot + suffixes) if suffixes else ""
    while len(stem) + len(tail) > MAX_NAME_CHARS or len((stem + tail).encode()) > 200:
        stem = stem[:-1]
    return (stem or "tep") + tail


def save(upload, suffixes) -> str:
    """Keep an uploaded file (a werkzeug FileStorage) whose suffix is one of ``suffixes``;
    returns its token. ``.osm.pbf`` counts by its last suffix. An archive (.zip, .xlsx) is
    refused here when it is broken or claims to unpack to too much (``geo.io``'s bounds)."""
    name = safe_name(upload.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise UploadError(_("Định dạng tệp không hỗ trợ: dùng %(suffixes)s.",
                            suffixes=", ".join(sorted(suffixes))))
    prune()
    token = secrets.token_hex(16)
    folder = _root() / token
    folder.mkdir(parents=True, exist_ok=True)
    try:
        upload.save(folder / name)
        if suffix in ARCHIVE_SUFFIXES:
            geoio.check_archive(folder / name)
    except (OSError, geoio.ReadError) as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadError(err.args[0] if isinstance(err, geoio.ReadError)
                          else _("Không lưu được tệp tải lên; hãy thử lại.")) from None
    session["imports"] = [*session.get("imports", [])[-(KEPT_PER_SESSION - 1):], token]
    return token


def stored(token: str) -> Path | None:
    """The file kept under ``token`` if this session uploaded it and it is still there."""
    if not _TOKEN.fullmatch(token or "") or token not in session.get("imports", []):
        return None
    folder = _root() / token
    files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    return files[0] if files else None


def discard(token: str) -> None:
    if _TOKEN.fullmatch(token or ""):
        shutil.rmtree(_root() / token, ignore_errors=True)
    session["imports"] = [t for t in session.get("imports", []) if t != token]


def prune(max_age_s: float = MAX_AGE_S) -> None:
    """Remove uploads whose dry run was never confirmed (after a day)."""
    root = _root()
    if root.is_dir():
        for folder in root.iterdir():
            if folder.is_dir() and time.time() - folder.stat().st_mtime > max_age_s:
                shutil.rmtree(folder, ignore_errors=True)
