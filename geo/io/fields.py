"""The fields each importable layer takes, the headers they go by, and the mapping guess."""

from __future__ import annotations

from dataclasses import dataclass

from geo import vocabulary as vocab
from geo.i18n import N_
from geo.text import compact, fold


@dataclass(frozen=True)
class Field:
    name: str          # the database column (or x / y / wkt for coordinates)
    label: str         # a msgid (N_), for the page and the error messages
    aliases: tuple[str, ...] = ()
    required: bool = False


# Coordinates in a sheet: lon/lat or projected X/Y, or a WKT geometry column.
COORDINATE_FIELDS = (
    Field("x", N_("Kinh độ / X"), ("lon", "lng", "long", "longitude", "kinh do", "x", "toa do x",
                               "easting", "dong")),
    Field("y", N_("Vĩ độ / Y"), ("lat", "latitude", "vi do", "y", "toa do y", "northing", "bac")),
    Field("wkt", N_("Hình học (WKT)"), ("wkt", "geometry", "geom", "hinh hoc")),
)

LAYER_FIELDS: dict[str, tuple[Field, ...]] = {
    "neighbourhoods": (
        Field("code", N_("mã khu phố"), ("ma", "ma kp", "ma khu pho", "so hieu", "id kp", "ma so",
                                     "ma ap", "code"), required=True),
        Field("name", N_("tên khu phố"), ("ten", "ten kp", "ten khu pho", "khu pho", "khu pho ap",
                                      "ten ap", "ten to dan pho"), required=True),
        Field("population", N_("dân số"), ("dan so", "so dan", "nhan khau", "so nhan khau",
                                       "tong dan so")),
        Field("households", N_("số hộ"), ("so ho", "ho", "ho gia dinh", "so ho gia dinh",
                                      "tong so ho")),
        Field("head_name", N_("trưởng khu phố"), ("truong khu pho", "truong kp", "truong ap",
                                               "ten truong kp", "ho ten truong kp")),
        # Not stored (the area comes from the boundary): compared, to catch a wrong CRS.
        Field("declared_area", N_("diện tích ghi trong tệp (đối chiếu)"),
              ("dien tich", "dtich", "dien tich m2", "dien tich ha", "shape area", "area")),
    ),
    "streets": (
        # Optional: most OSM ways and many survey lines have no name; they are labelled.
        Field("name", N_("tên đường"), ("name:vi", "ten", "ten duong", "duong", "tuyen duong",
                                    "ten tuyen", "street", "road name")),
        Field("street_class", N_("loại đường"), ("highway", "loai", "loai duong", "cap",
                                             "cap duong", "phan cap", "class", "phan loai")),
    ),
    "boarding-houses": (
        Field("name", N_("tên cơ sở"), ("ten", "ten co so", "ten nha tro", "co so", "nha tro"),
              required=True),
        Field("address", N_("địa chỉ"), ("dia chi", "dc", "so nha"), required=True),
        Field("owner_name", N_("chủ cơ sở"), ("chu co so", "chu nha", "chu nha tro", "ho ten chu",
                                          "ho ten chu co so", "owner")),
        Field("owner_phone", N_("số điện thoại"), ("sdt", "so dien thoai", "dien thoai", "dt",
                                               "dien thoai chu co so", "phone")),
        Field("owner_id_number", N_("số CCCD/CMND"), ("cccd", "cmnd", "so cccd", "so cmnd",
                                                  "so cccd cmnd", "so cccd cmnd chu co so")),
        Field("house_type", N_("loại hình"), ("loai hinh", "loai", "loai co so", "type"),
              required=True),
        Field("rooms", N_("số phòng"), ("so phong", "phong", "so phong tro"), required=True),
        Field("residents", N_("số người ở"), ("so nguoi", "so nguoi o", "nguoi o",
                                               "so nguoi o tro"), required=True),
        Field("classification", N_("xếp loại"), ("xep loai", "phan loai")),
        Field("antt_commitment_on", N_("ngày ký cam kết ANTT"), ("ngay ky cam ket", "cam ket antt",
                                                             "ngay ky cam ket antt",
                                                             "ngay cam ket")),
        Field("extinguishers", N_("số bình chữa cháy"), ("binh chua chay", "so binh chua chay")),
        Field("has_alarm", N_("báo cháy"), ("bao chay", "he thong bao chay")),
        Field("has_escape_route", N_("lối thoát nạn"), ("loi thoat nan",)),
        Field("model_status", N_("mô hình"), ("mo hinh", "trang thai mo hinh")),
        Field("model_recognised_on", N_("ngày công nhận mô hình"), ("ngay cong nhan",
                                                                "ngay cong nhan mo hinh")),
        Field("last_inspection_on", N_("ngày kiểm tra gần nhất"), ("kiem tra gan nhat",
                                                               "ngay kiem tra")),
        Field("fire_safety_pass", N_("đạt PCCC"), ("pccc", "dat pccc",
                                                   "pccc lan kiem tra gan nhat")),
    ),
    "incidents": (
        Field("category", N_("loại vi phạm"), ("loai vi pham", "loai", "vi pham", "hanh vi"),
              required=True),
        Field("observed_at", N_("ngày phát hiện"), ("ngay", "thoi diem", "thoi gian",
                                                    "ngay phat hien", "ngay gio",
                                                    "thoi diem phat hien"),
              required=True),
        Field("status", N_("trạng thái"), ("trang thai", "tinh trang")),
        Field("description", N_("mô tả"), ("mo ta", "noi dung", "ghi chu", "chi tiet")),
        Field("minutes_no", N_("số biên bản"), ("so bien ban", "bien ban")),
        Field("fine_vnd", N_("số tiền phạt"), ("tien phat", "so tien phat", "muc phat")),
        Field("resolved_at", N_("ngày xử lý xong"), ("ngay xu ly", "ngay xu ly xong",
                                                     "xu ly xong")),
    ),
    "model-streets": (
        Field("name", N_("tên tuyến/cụm"), ("ten", "ten tuyen", "ten cum", "tuyen kieu mau"),
              required=True),
        Field("level", N_("cấp"), ("cap", "cap quan ly")),
        Field("kind", N_("loại"), ("loai", "tuyen cum")),
        Field("status", N_("trạng thái"), ("trang thai", "tinh trang")),
        Field("registered_on", N_("ngày đăng ký"), ("ngay dang ky",)),
        Field("target_date", N_("hạn hoàn thành"), ("han hoan thanh", "thoi han")),
        Field("started_on", N_("ngày bắt đầu thực hiện"), ("ngay bat dau",)),
        Field("achieved_on", N_("ngày đạt chuẩn"), ("ngay dat chuan", "ngay hoan thanh")),
        Field("accepted_on", N_("ngày nghiệm thu"), ("ngay nghiem thu", "ngay cong nhan")),
        Field("frontage_households", N_("số hộ mặt tiền"), ("so ho mat tien", "ho mat tien")),
        Field("commitments_signed", N_("số hộ ký cam kết"), ("so ho ky cam ket", "da ky cam ket")),
        Field("budget_vnd", N_("kinh phí ngân sách"), ("kinh phi ngan sach", "ngan sach")),
        Field("socialised_vnd", N_("kinh phí xã hội hóa"), ("kinh phi xa hoi hoa", "xa hoi hoa")),
        Field("sponsors", N_("nhà tài trợ"), ("nha tai tro", "don vi dong gop")),
        Field("criteria", N_("tiêu chí đạt"), ("tieu chi", "tieu chi dat")),
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
    "level": vocab.MODEL_STREET_LEVELS,
    "kind": vocab.MODEL_STREET_KINDS,
}


# A field whose codes depend on the layer ("status" of a model street is not an incident's).
LAYER_CHOICES: dict[str, dict[str, dict]] = {
    "model-streets": {"status": vocab.MODEL_STREET_STATUSES},
}


def code_of(field: str, value, layer: str | None = None):
    """The vocabulary code of ``value`` in field ``field`` (labels accepted), else ``value``.

    >>> code_of("category", "Lấn chiếm vỉa hè"), code_of("category", "LAN CHIEM VIA HE")
    ('encroachment_sidewalk', 'encroachment_sidewalk')
    >>> code_of("house_type", "Nhà trọ"), code_of("category", "chợ")
    ('rooming_house', 'chợ')
    """
    vocabulary = LAYER_CHOICES.get(layer or "", {}).get(field) or CHOICES.get(field)
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
    >>> m = guess_mapping(["MaKP", "TenKP", "DanSo", "SoHo", "TruongKP", "DIEN_TICH"],
    ...                   "neighbourhoods", tabular=False)
    >>> m["code"], m["name"], m["population"], m["households"]
    ('MaKP', 'TenKP', 'DanSo', 'SoHo')
    >>> m["head_name"], m["declared_area"]
    ('TruongKP', 'DIEN_TICH')
    >>> guess_mapping(["TenDuong", "LoaiDuong"], "streets", tabular=False)
    {'name': 'TenDuong', 'street_class': 'LoaiDuong'}
    """
    folded, compacted = {}, {}
    for column in columns:
        folded.setdefault(fold(column), column)
        compacted.setdefault(compact(column), column)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    # Exact names first (our own exports), then Shapefile names, then aliases as written,
    # then aliases run together ("TenKP", "DanSo", "ten_duong", "DIEN_TICH").
    for rank in range(4):
        for f in fields_of(layer, tabular):
            if f.name in mapping:
                continue
            if rank == 0:
                keys, table = (f.name, f.name.replace("_", " ")), folded
            elif rank == 1:
                keys, table = (shp_name(f.name),), folded
            else:
                keys, table = f.aliases, folded if rank == 2 else compacted
            key_of = fold if table is folded else compact
            for key in keys:
                column = table.get(key_of(key))
                if column is not None and column not in used:
                    mapping[f.name] = column
                    used.add(column)
                    break
    return mapping
