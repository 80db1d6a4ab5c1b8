"""Reading the files a ward already has into a raw GeoDataFrame (or a plain table).

GeoJSON, GeoPackage, zipped Shapefile (honouring its ``.cpg``), KML, and XLSX / CSV sheets
with lon/lat, VN-2000 X/Y or WKT columns. Nothing here knows about layers or the database;
``geo.io`` maps columns and validates rows afterwards.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from geo.i18n import N_, Message, Msgid
from geo.io.errors import ReadError, unreadable
from geo.lazy import deferred
from geo.text import fold

gpd = deferred("geopandas")
pd = deferred("pandas")
pyogrio = deferred("pyogrio")

GIS_SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage",
                ".zip": "Shapefile (zip)", ".kml": "KML", ".osm": "OpenStreetMap (.osm)",
                ".pbf": "OpenStreetMap (.osm.pbf)"}
OSM_SKIPPED = {"no_highway_tag": N_("không có thẻ highway (nhà, sông, đất…)"),
               "area": N_("vùng (area=yes)"), "broken_geometry": N_("thiếu tọa độ nút")}
TABLE_SUFFIXES = {".xlsx": "Excel (XLSX)", ".csv": "CSV"}
# Archives (.zip, and .xlsx, which is a zip): a ward's layers unpack to a few MB; a bomb of
# zeros compresses 1000:1, so these bound the disk and memory one upload can cost.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 500
_CHUNK = 1024 * 1024


@dataclass
class RawFile:
    """What was read: the rows, where they came from, and whether geometry is still to build.

    ``frame`` is a GeoDataFrame (CRS may be ``None``) for GIS formats, a DataFrame of cells
    for sheets. Its index is the row number the user sees: the line in the sheet (the
    header is line 1), or the feature's position (from 1) in a GIS file.
    """

    frame: pd.DataFrame
    kind: str
    tabular: bool
    notes: list[str] = field(default_factory=list)
    epsg: int | None = None  # a sheet's CRS when it says so (our XLSX "Thông tin" sheet)
    osm: bool = False  # OpenStreetMap ways (an extract, or an export with ``highway``)


def read_file(path: str | os.PathLike, layer_hint: str | None = None) -> RawFile:
    """Read ``path`` by its suffix; raise ``ReadError`` with a ``geo.i18n.Message``."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in TABLE_SUFFIXES:
            frame, epsg = _read_xlsx(path) if suffix == ".xlsx" else (_read_csv(path), None)
            return RawFile(frame, TABLE_SUFFIXES[suffix], tabular=True, epsg=epsg)
        if suffix == ".zip":
            return _read_zip(path, layer_hint)
        if suffix in (".osm", ".pbf"):
            return _read_osm(path)
        if suffix == ".shp":
            raise ReadError(Message(N_("Shapefile phải được nén .zip cùng các tệp .shx, .dbf, "
                                       ".prj (và .cpg).")))
        if suffix in GIS_SUFFIXES:
            frame = _numbered(_read_gis(path, layer_hint))
            return RawFile(frame, GIS_SUFFIXES[suffix], tabular=False,
                           osm="highway" in frame.columns)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is the file's problem
        raise ReadError(unreadable(path.name, exc)) from exc
    raise ReadError(Message(N_("Không hỗ trợ định dạng “%(format)s”: dùng GeoJSON, GeoPackage, "
                               "Shapefile (.zip), KML, OpenStreetMap (.osm, .osm.pbf), XLSX hoặc "
                               "CSV."), format=suffix or path.name))


def _read_osm(path: Path) -> RawFile:
    from geo.io.osm import read_osm

    frame, skipped = read_osm(path)
    notes = [Message(N_("Bỏ qua %(n)s đối tượng OSM: %(reason)s."), n=n,
                     reason=Msgid(OSM_SKIPPED[reason]) if reason in OSM_SKIPPED else reason)
             for reason, n in skipped.items() if n]
    return RawFile(_numbered(frame), GIS_SUFFIXES[path.suffix.lower()], tabular=False,
                   notes=notes, osm=True)


def _read_gis(path: Path, layer_hint: str | None, encoding: str | None = None):
    if path.suffix.lower() == ".gpkg":
        from geo.io import gpkg

        return gpkg.read(path, layer_hint)
    layers = [name for name, _ in pyogrio.list_layers(path)]
    layer = None
    if len(layers) > 1:
        wanted = fold(layer_hint or "")
        layer = next((n for n in layers if fold(n) == wanted), None) or \
            next((n for n in layers if pyogrio.read_info(path, layer=n)["features"]), layers[0])
    kwargs = {"encoding": encoding} if encoding else {}
    return gpd.read_file(path, layer=layer, engine="pyogrio", **kwargs)


def _too_big() -> ReadError:
    return ReadError(Message(N_("Tệp nén quá lớn: giải nén ra hơn %(mb)s MB. Hãy chia nhỏ dữ "
                                "liệu hoặc chỉ nén các tệp cần nhập."),
                             mb=MAX_UNZIPPED_BYTES // 2**20))


def check_archive(path: str | os.PathLike) -> None:
    """Refuse a zip (or XLSX) that is not one, has too many members, or says it unpacks to
    more than ``MAX_UNZIPPED_BYTES`` — before anything is unpacked. The sizes are the
    archive's own claim; ``extract_zip`` counts the real bytes as it streams."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(Message(N_("Tệp nén bị hỏng hoặc không phải tệp .zip/.xlsx."))) from None
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise ReadError(Message(N_("Tệp nén có %(n)s tệp bên trong; tối đa %(limit)s."),
                                n=len(members), limit=MAX_ARCHIVE_MEMBERS))
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise _too_big()


def extract_zip(path: str | os.PathLike, folder: Path) -> None:
    """Unpack the files of the zip at ``path`` into ``folder``, flat, in chunks, stopping at
    ``MAX_UNZIPPED_BYTES`` of real output (a member's header can lie about its size)."""
    check_archive(path)
    written = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                name = Path(member.filename).name  # flat: no path from the archive is trusted
                if member.is_dir() or not name or name.startswith("."):
                    continue
                with archive.open(member) as source, open(folder / name, "wb") as target:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > MAX_UNZIPPED_BYTES:
                            raise _too_big()
                        target.write(chunk)
    except ReadError:
        raise
    except OSError as exc:  # a member name the disk refuses (too long), or a full disk
        raise ReadError(Message(N_("Không giải nén được tệp nén vào thư mục tạm (tên tệp bên "
                                   "trong quá dài hoặc hết chỗ trên đĩa)."))) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
            RuntimeError, ValueError) as exc:  # bad CRC, encrypted, unknown compression
        raise ReadError(Message(N_("Tệp nén bị hỏng hoặc có mật khẩu, không giải nén được."))) \
            from exc


def _read_zip(path: Path, layer_hint: str | None) -> RawFile:
    with tempfile.TemporaryDirectory() as tmp:
        extract_zip(path, Path(tmp))
        shapes = sorted(Path(tmp).glob("*.shp")) + sorted(Path(tmp).glob("*.SHP"))
        if not shapes:
            inner = [p for p in Path(tmp).iterdir() if p.suffix.lower() in GIS_SUFFIXES]
            if inner:
                frame = _numbered(_read_gis(inner[0], layer_hint))
                return RawFile(frame, GIS_SUFFIXES[inner[0].suffix.lower()], tabular=False)
            raise ReadError(Message(N_("Trong tệp .zip không có Shapefile (.shp).")))
        frames, notes = [], []
        for shp in shapes:
            missing = [s for s in (".shx", ".dbf") if not _sidecar(shp, s)]
            if missing:
                raise ReadError(Message(N_("Shapefile %(name)s thiếu tệp %(missing)s."),
                                        name=shp.name, missing=", ".join(missing)))
            encoding = None
            if not _sidecar(shp, ".cpg"):
                encoding = "UTF-8" if _dbf_is_utf8(_sidecar_path(shp, ".dbf")) else "CP1258"
                notes.append(Message(N_("%(name)s không có tệp .cpg: đọc bảng mã %(encoding)s."),
                                     name=shp.name, encoding=encoding))
            frame = _read_gis(shp, layer_hint, encoding)
            if not _sidecar(shp, ".prj"):
                frame = frame.set_crs(None, allow_override=True)
                notes.append(Message(N_("%(name)s không có tệp .prj (hệ tọa độ)."), name=shp.name))
            frames.append(frame)
        crs = {f.crs.to_string() if f.crs else None for f in frames}
        if len(crs) > 1:
            raise ReadError(Message(N_("Các Shapefile trong tệp .zip có hệ tọa độ khác nhau.")))
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return RawFile(_numbered(gpd.GeoDataFrame(frame, crs=frames[0].crs)),
                       "Shapefile (zip)", tabular=False, notes=notes,
                       osm="highway" in frame.columns)


def _numbered(frame):
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _sidecar_path(shp: Path, suffix: str) -> Path:
    for candidate in (shp.with_suffix(suffix), shp.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return shp.with_suffix(suffix)


def _sidecar(shp: Path, suffix: str) -> bool:
    return _sidecar_path(shp, suffix).exists()


def _dbf_is_utf8(dbf: Path) -> bool:
    try:
        dbf.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise ReadError(Message(N_("Tệp CSV trống.")))
    return _table(rows)


def _read_xlsx(path: Path) -> tuple[pd.DataFrame, int | None]:
    from openpyxl import load_workbook

    check_archive(path)  # an XLSX is a zip: the same bounds before openpyxl unpacks it
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        epsg = None
        if "Thông tin" in book.sheetnames:
            for key, value, *_ in book["Thông tin"].iter_rows(values_only=True):
                match = re.match(r"EPSG:(\d+)", str(value or ""))
                if fold(key or "") == "he toa do" and match:
                    epsg = int(match.group(1))
    finally:
        book.close()
    if not rows:
        raise ReadError(Message(N_("Trang tính đầu tiên của tệp Excel trống.")))
    return _table(rows), epsg


def _table(rows: list[list]) -> pd.DataFrame:
    """Cells under the first non-empty row; the index is each row's line number."""
    numbered = [(i + 1, r) for i, r in enumerate(rows)
                if any(v is not None and str(v).strip() for v in r)]
    if not numbered:
        raise ReadError(Message(N_("Tệp không có dòng dữ liệu nào.")))
    (_, header), body = numbered[0], numbered[1:]
    names, seen = [], set()
    for i, value in enumerate(header):
        name = unicodedata.normalize("NFC", str(value).strip()) if value not in (None, "") \
            else Message(N_("cột %(n)s"), n=i + 1)
        while name in seen:
            name += "_"
        seen.add(name)
        names.append(name)
    width = len(names)
    cells = [(list(r) + [None] * width)[:width] for _, r in body]
    return pd.DataFrame(cells, columns=names, dtype=object, index=[n for n, _ in body])
