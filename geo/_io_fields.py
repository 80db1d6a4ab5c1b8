"""The fields each importable layer takes, the headers they go by, and the mapping guess."""

from __future__ import annotations

from dataclasses import dataclass

from geo import vocabulary as vocab
from geo._io_read import fold


@dataclass(frozen=True)
class Field:
    name: str          # the database column (or x / y / wkt for coordinates)
    label: str         # Vietnamese, for the page and the error messages
    aliases: tuple[str, ...] = ()
    required: bool = False


# Coordinates in a sheet: lon/lat or projected X/Y, or a WKT geometry column.
COORDINATE_FIELDS = (
    Field("x", "Kinh độ / X", ("lon", "lng", "long", "longitude", "kinh do", "x", "toa do x",
                               "easting", "dong")),
    Field("y", "Vĩ độ / Y", ("lat", "latitude", "vi do", "y", "toa do y", "northing", "bac")),
    Field("wkt", "Hình học (WKT)", ("wkt", "geometry", "geom", "hinh hoc")),
)

LAYER_FIELDS: dict[str, tuple[Field, ...]] = {
    "neighbourhoods": (
        Field("code", "mã khu phố", ("ma", "ma kp", "ma khu pho", "makp", "so hieu", "id kp"),
              required=True),
        Field("name", "tên khu phố", ("ten", "ten kp", "ten khu pho", "khu pho", "khu pho ap"),
              required=True),
        Field("population", "dân số", ("dan so", "so dan", "nhan khau", "so nhan khau")),
        Field("households", "số hộ", ("so ho", "ho", "ho gia dinh", "so ho gia dinh")),
        Field("head_name", "trưởng khu phố", ("truong khu pho", "truong kp", "truong ap")),
    ),
    "streets": (
        Field("name", "tên đường", ("ten", "ten duong", "duong", "tuyen duong"), required=True),
        Field("street_class", "loại đường", ("loai", "loai duong", "cap", "cap duong",
                                             "phan cap", "class")),
    ),
    "boarding-houses": (
        Field("name", "tên cơ sở", ("ten", "ten co so", "ten nha tro", "co so", "nha tro"),
              required=True),
        Field("address", "địa chỉ", ("dia chi", "dc", "so nha"), required=True),
        Field("owner_name", "chủ cơ sở", ("chu co so", "chu nha", "chu nha tro", "ho ten chu",
                                          "ho ten chu co so", "owner")),
        Field("owner_phone", "số điện thoại", ("sdt", "so dien thoai", "dien thoai", "dt",
                                               "dien thoai chu co so", "phone")),
        Field("owner_id_number", "số CCCD/CMND", ("cccd", "cmnd", "so cccd", "so cmnd",
                                                  "so cccd cmnd", "so cccd cmnd chu co so")),
        Field("house_type", "loại hình", ("loai hinh", "loai", "loai co so", "type"),
              required=True),
        Field("rooms", "số phòng", ("so phong", "phong", "so phong tro"), required=True),
        Field("residents", "số người ở", ("so nguoi", "so nguoi o", "nguoi o", "so nguoi o tro"),
              required=True),
        Field("classification", "xếp loại", ("xep loai", "phan loai")),
        Field("antt_commitment_on", "ngày ký cam kết ANTT", ("ngay ky cam ket", "cam ket antt",
                                                             "ngay ky cam ket antt",
                                                             "ngay cam ket")),
        Field("extinguishers", "số bình chữa cháy", ("binh chua chay", "so binh chua chay")),
        Field("has_alarm", "báo cháy", ("bao chay", "he thong bao chay")),
        Field("has_escape_route", "lối thoát nạn", ("loi thoat nan",)),
        Field("model_status", "mô hình", ("mo hinh", "trang thai mo hinh")),
        Field("model_recognised_on", "ngày công nhận mô hình", ("ngay cong nhan",
                                                                "ngay cong nhan mo hinh")),
        Field("last_inspection_on", "ngày kiểm tra gần nhất", ("kiem tra gan nhat",
                                                               "ngay kiem tra")),
        Field("fire_safety_pass", "đạt PCCC", ("pccc", "dat pccc", "pccc lan kiem tra gan nhat")),
    ),
    "incidents": (
        Field("category", "loại vi phạm", ("loai vi pham", "loai", "vi pham", "hanh vi"),
              required=True),
        Field("observed_at", "ngày phát hiện", ("ngay", "thoi diem", "thoi gian", "ngay phat hien",
                                                "ngay gio", "thoi diem phat hien"),
              required=True),
        Field("status", "trạng thái", ("trang thai", "tinh trang")),
        Field("description", "mô tả", ("mo ta", "noi dung", "ghi chu", "chi tiet")),
        Field("minutes_no", "số biên bản", ("so bien ban", "bien ban")),
        Field("fine_vnd", "số tiền phạt", ("tien phat", "so tien phat", "muc phat")),
        Field("resolved_at", "ngày xử lý xong", ("ngay xu ly", "ngay xu ly xong", "xu ly xong")),
    ),
}
IMPORT_LAYERS = tuple(LAYER_FIELDS)

# Codes that may arrive as their Vietnamese (or English) labels.
CHOICES: dict[str, dict] = {
    "category": vocab.INCIDENT_CATEGORIES,
    "status": vocab.INCIDENT_STATUSES,
    "house_type": vocab.HOUSE_TYPES,
    "classification": vocab.CLASSIFICATIONS,
    "model_status": vocab.MODEL_HOUSE_STATUSES,
    "street_class": vocab.STREET_CLASSES,
}


def code_of(field: str, value):
    """The vocabulary code of ``value`` in field ``field`` (labels accepted), else ``value``.

    >>> code_of("category", "Lấn chiếm vỉa hè"), code_of("category", "LAN CHIEM VIA HE")
    ('encroachment_sidewalk', 'encroachment_sidewalk')
    >>> code_of("house_type", "Nhà trọ"), code_of("category", "chợ")
    ('rooming_house', 'chợ')
    """
    vocabulary = CHOICES.get(field)
    if vocabulary is None or not isinstance(value, str):
        return value
    if value in vocabulary:
        return value
    key = fold(value)
    for code, entry in vocabulary.items():
        labels = [entry] if isinstance(entry, str) else [entry.get("vi", ""), entry.get("en", "")]
        if key in {fold(code), *(fold(t) for t in labels if t)}:
            return code
    return value


def fields_of(layer: str, tabular: bool) -> tuple[Field, ...]:
    return (*LAYER_FIELDS[layer], *(COORDINATE_FIELDS if tabular else ()))


def shp_name(name: str) -> str:
    """A column's name in a Shapefile (at most 10 characters)."""
    return name[:10]


def guess_mapping(columns, layer: str, tabular: bool) -> dict[str, str]:
    """``{field: source column}`` guessed from the headers of an uploaded file.

    Exact matches of the field's own name (our own exports) win, then its Shapefile name,
    then the Vietnamese / English aliases, all compared without accents or case.

    >>> guess_mapping(["Tên", "Địa chỉ", "SĐT", "Số phòng", "Kinh độ", "Vĩ độ"],
    ...               "boarding-houses", tabular=True)["owner_phone"]
    'SĐT'
    """
    folded = {}
    for column in columns:
        folded.setdefault(fold(column), column)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for rank in range(3):
        for f in fields_of(layer, tabular):
            if f.name in mapping:
                continue
            keys = [(fold(f.name), fold(f.name.replace("_", " ")))] if rank == 0 else \
                [(fold(shp_name(f.name)),)] if rank == 1 else [tuple(f.aliases)]
            for key in (k for group in keys for k in group):
                column = folded.get(fold(key))
                if column is not None and column not in used:
                    mapping[f.name] = column
                    used.add(column)
                    break
    return mapping
