"""Tile sources for the offline basemap: an MBTiles (SQLite) or a PMTiles file, read-only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from geo.i18n import N_, Message

CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp",
                 "pbf": "application/x-protobuf"}
_FORMAT_ALIASES = {"jpeg": "jpg", "mvt": "pbf"}
GZIP_MAGIC = b"\x1f\x8b"


class BasemapError(ValueError):
    """The basemap file cannot be served (missing, unreadable, an unsupported format); the
    message (``args[0]``, a ``geo.i18n.Message``) is for whoever starts the server."""


@dataclass
class Source:
    """What the pages and the tile view need to know of a basemap file."""

    path: Path
    ext: str
    attribution: str | None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.ext]

    def get(self, z: int, x: int, y: int) -> tuple[bytes, str | None] | None:
        """The tile's bytes and their Content-Encoding (``None``: as is); ``None``: no tile."""
        raise NotImplementedError


def _sniff(data: bytes | None) -> str | None:
    if not data:
        return None
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "pbf"


class MBTiles(Source):
    """An MBTiles 1.x file: ``tiles`` rows are TMS (row 0 at the south), flipped here."""

    def __init__(self, path: Path) -> None:
        try:
            with self._connect(path) as conn:
                meta = dict(conn.execute("SELECT name, value FROM metadata").fetchall())
                sample = conn.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
        except sqlite3.Error as err:
            raise BasemapError(Message(N_("%(path)s: không đọc được tệp MBTiles (%(error)s)"),
                                       path=str(path), error=str(err))) from err
        fmt = str(meta.get("format") or "").lower() or _sniff(sample and sample[0]) or "png"
        super().__init__(path, _extension(fmt, path), meta.get("attribution") or None)

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)

    def get(self, z: int, x: int, y: int):
        conn = self._connect(self.path)
        try:
            row = conn.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                "AND tile_row = ?", (z, x, (1 << z) - 1 - y)).fetchone()
        finally:
            conn.close()
        if row is None or row[0] is None:
            return None
        data = bytes(row[0])
        return data, "gzip" if self.ext == "pbf" and data.startswith(GZIP_MAGIC) else None


class PMTiles(Source):
    """A PMTiles v3 file, memory-mapped once and read by the ``pmtiles`` package."""

    def __init__(self, path: Path) -> None:
        from pmtiles.reader import MmapSource, Reader
        from pmtiles.tile import Compression, TileType

        try:
            self._file = path.open("rb")
            self._reader = Reader(MmapSource(self._file))
            header, meta = self._reader.header(), self._reader.metadata()
        except Exception as err:  # noqa: BLE001 - any failure means "not a PMTiles file"
            raise BasemapError(Message(N_("%(path)s: không đọc được tệp PMTiles (%(error)s)"),
                                       path=str(path), error=str(err))) from err
        types = {TileType.MVT: "pbf", TileType.PNG: "png", TileType.JPEG: "jpg",
                 TileType.WEBP: "webp"}
        if header["tile_type"] not in types:
            raise BasemapError(Message(N_("%(path)s: loại ô bản đồ %(kind)s không hỗ trợ"),
                                       path=str(path), kind=header["tile_type"].name))
        encodings = {Compression.NONE: None, Compression.UNKNOWN: None,
                     Compression.GZIP: "gzip"}
        if header["tile_compression"] not in encodings:
            raise BasemapError(Message(N_("%(path)s: kiểu nén %(kind)s không hỗ trợ"),
                                       path=str(path), kind=header["tile_compression"].name))
        self._encoding = encodings[header["tile_compression"]]
        attribution = meta.get("attribution") if isinstance(meta, dict) else None
        super().__init__(path, types[header["tile_type"]], attribution or None)

    def get(self, z: int, x: int, y: int):
        data = self._reader.get(z, x, y)
        if not data:
            return None
        return bytes(data), self._encoding


def _extension(fmt: str, path: Path) -> str:
    ext = _FORMAT_ALIASES.get(fmt, fmt)
    if ext not in CONTENT_TYPES:
        raise BasemapError(Message(N_("%(path)s: định dạng ô bản đồ '%(format)s' không hỗ trợ "
                                      "(cần %(known)s)"), path=str(path), format=fmt,
                                   known=", ".join(CONTENT_TYPES)))
    return ext


def open_source(name: str) -> Source:
    """The basemap file ``name`` (.mbtiles or .pmtiles), checked readable."""
    path = Path(name).expanduser()
    if not path.is_file():
        raise BasemapError(Message(N_("Không tìm thấy tệp bản đồ nền: %(path)s"), path=str(path)))
    suffix = path.suffix.lower()
    if suffix == ".mbtiles":
        return MBTiles(path)
    if suffix == ".pmtiles":
        return PMTiles(path)
    raise BasemapError(Message(N_("%(path)s: tệp bản đồ nền phải là .mbtiles hoặc .pmtiles"),
                               path=str(path)))

