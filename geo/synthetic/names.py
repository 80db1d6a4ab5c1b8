"""Word lists, tables and non-spatial attribute helpers for the synthetic demo ward.

Used by ``geo.synthetic`` only: everything here is invented demo content. Surname weights
follow the commonly cited national shares (Nguyễn ≈ 38 %, Trần ≈ 11 %, …). All strings are
NFC; ``geo.synthetic`` normalises again before output.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from geo.lazy import deferred

pd = deferred("pandas")

SURNAMES: dict[str, float] = {
    "Nguyễn": 38.4, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 3.0, "Huỳnh": 2.5,
    "Phan": 4.5, "Vũ": 2.0, "Võ": 2.5, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3,
    "Ngô": 1.3, "Dương": 1.0, "Lý": 0.5, "Đinh": 0.6, "Trương": 0.6, "Lâm": 0.4, "Mai": 0.4,
    "Tô": 0.3, "Châu": 0.3, "Tạ": 0.2, "Lương": 0.3,
}
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Minh", "Đức", "Quốc", "Thanh", "Hữu", "Công", "Hoàng",
               "Ngọc", "Xuân", "Tấn", "Trọng", "Duy", "Thành")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Hồng",
                 "Phương", "Thùy", "Minh", "Hoài")
GIVEN_MALE = ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Hiếu", "Khánh",
              "Khoa", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang", "Sơn",
              "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Tâm",
              "Hòa", "Lợi", "Tùng", "Kiên", "Hoàng", "Phát", "Tín", "Danh")
GIVEN_FEMALE = ("Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh",
                "Loan", "Mai", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Trang",
                "Tuyết", "Vân", "Yến", "Nga", "Hồng", "Thủy", "Diễm", "Trinh", "Ly", "Xuân",
                "Hiền", "Nhi", "My")

# Main-road names (people, events) used all over southern Vietnam.
MAIN_ROADS = ("Đường Đồng Khởi", "Đường Nguyễn Văn Cừ", "Đường Phạm Văn Thuận",
              "Đường Võ Thị Sáu", "Đường Nguyễn Thị Minh Khai", "Đường Huỳnh Văn Nghệ",
              "Đường Hà Huy Giáp", "Đường Bùi Văn Hòa", "Đường Trần Phú", "Đường Lê Duẩn",
              "Đường Phan Đình Phùng", "Đường Cách Mạng Tháng Tám", "Đường Hùng Vương",
              "Đường Nguyễn Ái Quốc", "Đường Lý Thường Kiệt", "Đường Trương Định",
              "Đường Nguyễn Hữu Cảnh", "Đường Đặng Văn Trơn", "Đường Võ Nguyên Giáp",
              "Đường Tôn Đức Thắng")
PROVINCIAL_ROADS = ("Đường tỉnh 769", "Đường tỉnh 25C")

HOUSE_PREFIX = {"rooming_house": "Nhà trọ", "serviced_apartment": "Căn hộ dịch vụ",
                "guesthouse": "Nhà nghỉ", "hotel": "Khách sạn",
                "dormitory": "Ký túc xá công nhân"}
HOUSE_NAMES = ("Minh Tâm", "Phúc Lộc", "Hồng Phát", "Thanh Bình", "An Khang", "Hoàng Gia",
               "Kim Ngân", "Bảo Anh", "Thịnh Vượng", "Tân Phát", "Hưng Thịnh", "Ngọc Lan",
               "Phương Nam", "Sao Mai", "Bình An", "Thành Đạt", "Hạnh Phúc", "Mai Anh",
               "Tường Vy", "Gia Huy", "Phú Quý", "Tài Lộc", "Hoa Sen", "Thiên Phúc", "Vạn Phát",
               "Đức Trí", "Kim Long", "Ánh Dương", "Hòa Bình", "Tâm An", "Bảo Ngọc", "Song Anh")

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "encroachment_sidewalk": (
        "Bày bán hàng hóa lấn chiếm vỉa hè", "Kê bàn ghế kinh doanh ăn uống trên vỉa hè",
        "Dựng mái che, bạt che lấn chiếm vỉa hè", "Để xe máy của khách tràn ra vỉa hè",
        "Tập kết vật liệu xây dựng trên vỉa hè", "Đặt bục, bậc tam cấp lấn ra vỉa hè"),
    "encroachment_road": (
        "Họp chợ tự phát dưới lòng đường", "Buôn bán hàng rong dưới lòng đường",
        "Đậu xe tải, xe ba gác chiếm dụng lòng đường", "Tập kết vật liệu xây dựng dưới lòng đường",
        "Phơi nông sản, để hàng hóa dưới lòng đường"),
    "illegal_advertising": (
        "Dán quảng cáo, rao vặt trái phép trên cột điện", "Treo băng rôn quảng cáo không phép",
        "Đặt biển quảng cáo di động trên vỉa hè", "Sơn số điện thoại khoan cắt bê tông lên tường",
        "Treo biển cho thuê phòng trọ trên cây xanh"),
    "construction_order": (
        "Xây dựng nhà ở không có giấy phép", "Xây dựng sai nội dung giấy phép",
        "Cơi nới thêm phòng trọ trái phép", "Không che chắn công trình, để rơi vãi vật liệu",
        "Xây dựng trên đất nông nghiệp"),
    "residence": (
        "Người thuê trọ chưa đăng ký tạm trú", "Chủ cơ sở không thông báo lưu trú",
        "Không cập nhật sổ quản lý người lưu trú", "Người lưu trú quá hạn tạm trú"),
    "drugs": (
        "Nhóm đối tượng tụ tập sử dụng trái phép chất ma túy",
        "Phát hiện dụng cụ sử dụng ma túy tại phòng trọ",
        "Tàng trữ trái phép chất ma túy (số lượng nhỏ)"),
    "fire_safety": (
        "Không trang bị bình chữa cháy", "Lối thoát nạn bị khóa, bị chắn",
        "Câu mắc điện không an toàn", "Để xe, hàng hóa dễ cháy chắn lối thoát nạn",
        "Bình chữa cháy hết hạn sử dụng"),
    "sanitation": (
        "Đổ rác thải không đúng nơi quy định", "Xả nước thải ra đường",
        "Điểm tập kết rác tự phát ven đường", "Đốt rác gây ô nhiễm",
        "Để chất thải xây dựng ven đường"),
}

FINDINGS_PASS = ("Đảm bảo điều kiện PCCC, lối thoát nạn thông thoáng",
                 "Có bình chữa cháy còn hạn, sổ lưu trú cập nhật đầy đủ",
                 "Đạt yêu cầu; nhắc chủ cơ sở duy trì thông báo lưu trú")
FINDINGS_FAIL = ("Thiếu bình chữa cháy", "Lối thoát nạn bị chắn", "Hệ thống điện không an toàn",
                 "Bình chữa cháy hết hạn", "Chưa thông báo lưu trú cho người thuê mới",
                 "Không có đèn chiếu sáng sự cố")

CAMPAIGN_UNITS = ("UBND phường, Công an phường, Đội quản lý trật tự đô thị, Ban điều hành các "
                  "khu phố, Đoàn Thanh niên phường")
# (starts, ends, name): peak campaigns; incident spikes are generated in these periods.
CAMPAIGNS = (
    ("2025-03-03", "2025-03-31", "Đợt ra quân cao điểm lập lại trật tự đô thị tháng 3/2025"),
    ("2025-08-11", "2025-09-05",
     "Đợt ra quân cao điểm chào mừng 80 năm Cách mạng Tháng Tám và Quốc khánh 2/9"),
    ("2025-12-08", "2026-01-31",
     "Đợt cao điểm bảo đảm trật tự đô thị dịp Tết Nguyên đán Bính Ngọ 2026"),
    ("2026-03-09", "2026-04-05", "Đợt ra quân cao điểm lập lại trật tự đô thị tháng 3/2026"),
    ("2026-07-06", "2026-07-31",
     "Đợt ra quân cao điểm ra mắt tuyến đường, cụm dân cư kiểu mẫu tháng 7/2026"),
    ("2026-10-12", "2026-11-08",
     "Đợt ra quân cao điểm xử lý tái lấn chiếm vỉa hè, lòng đường tháng 10/2026"),
)

MOBILE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "034",
                   "035", "036", "037", "038", "039", "086", "088", "070", "077", "079", "081",
                   "083", "084", "085")
# CCCD province codes: Đồng Nai most, then the provinces workers commonly come from.
CCCD_PROVINCES = {"075": 0.45, "079": 0.1, "040": 0.08, "038": 0.07, "052": 0.05,
                  "036": 0.05, "087": 0.05, "094": 0.05, "051": 0.05, "042": 0.05}

CRITERIA = ("clean", "no_encroachment", "no_illegal_ads", "lighting", "trees", "camera")
# Incident simulation tables (used by geo.synthetic).
CATEGORY_SHARE = {"encroachment_sidewalk": 0.27, "encroachment_road": 0.13,
                  "illegal_advertising": 0.20, "sanitation": 0.13, "construction_order": 0.10,
                  "residence": 0.09, "fire_safety": 0.055, "drugs": 0.025}
MONTH_FACTOR = {  # Jan..Dec: Tết and dry season for encroachment, rain for sanitation
    "enc": (1.55, 1.45, 1.2, 1.1, 0.9, 0.8, 0.75, 0.75, 0.75, 0.8, 0.95, 1.3),
    "illegal_advertising": (1.2, 1.1, 1, 1, 1, 0.9, 0.9, 0.9, 0.9, 1, 1, 1.15),
    "sanitation": (0.9, 1.1, 0.8, 0.8, 1.1, 1.2, 1.25, 1.25, 1.2, 1.1, 0.9, 0.9),
    "construction_order": (0.9, 0.7, 1.2, 1.3, 1.2, 1, 0.9, 0.8, 0.8, 0.9, 1.1, 1.2),
    "house": (1.2, 1.3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.1),
}
HOURS = {  # relative weight of each hour 0..23
    "day": (0, 0, 0, 0, 0, 1, 3, 5, 6, 6, 5, 4, 3, 3, 4, 5, 6, 6, 5, 3, 2, 1, 0, 0),
    "office": (0, 0, 0, 0, 0, 0, 0, 3, 6, 6, 6, 4, 1, 3, 6, 6, 5, 2, 1, 1, 1, 1, 0, 0),
    "night": (2, 1, 1, 0, 0, 0, 0, 1, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2, 3, 4, 5, 5, 4, 3),
}
FINE_RANGE = {"encroachment_sidewalk": (2e6, 4e6), "encroachment_road": (4e6, 6e6),
              "illegal_advertising": (1e6, 5e6), "construction_order": (1e7, 2e7),
              "residence": (5e5, 2e6), "drugs": (1e6, 2e6), "fire_safety": (5e5, 5e6),
              "sanitation": (5e5, 3e6)}
MINUTES_SHARE = {"encroachment_sidewalk": 0.35, "encroachment_road": 0.4,
                 "illegal_advertising": 0.2, "construction_order": 0.8, "residence": 0.6,
                 "drugs": 0.9, "fire_safety": 0.6, "sanitation": 0.3}


def person_names(rng: np.random.Generator, n: int,
                 female_share: float = 0.5) -> tuple[list[str], np.ndarray]:
    """``n`` random Vietnamese full names and a boolean array marking female names.

    >>> names, female = person_names(np.random.default_rng(1), 2)
    >>> len(names), female.dtype
    (2, dtype('bool'))
    """
    sur = list(SURNAMES)
    w = np.array(list(SURNAMES.values()))
    s = rng.choice(len(sur), n, p=w / w.sum())
    female = rng.random(n) < female_share
    mid_m = rng.choice(len(MIDDLE_MALE), n)
    mid_f = rng.choice(len(MIDDLE_FEMALE), n)
    giv_m = rng.choice(len(GIVEN_MALE), n)
    giv_f = rng.choice(len(GIVEN_FEMALE), n)
    out = []
    for i in range(n):
        mid, names, g = ((MIDDLE_FEMALE[mid_f[i]], GIVEN_FEMALE, giv_f[i]) if female[i]
                         else (MIDDLE_MALE[mid_m[i]], GIVEN_MALE, giv_m[i]))
        given = names[g] if names[g] != mid else names[(g + 1) % len(names)]  # no "Minh Minh"
        out.append(f"{sur[s[i]]} {mid} {given}")
    return out, female


def phones(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` 10-digit Vietnamese mobile numbers (``09…``, ``03…``, ``08…``, ``07…``)."""
    pre = rng.choice(len(MOBILE_PREFIXES), n)
    tail = rng.integers(0, 10_000_000, n)
    return [f"{MOBILE_PREFIXES[p]}{t:07d}" for p, t in zip(pre, tail, strict=True)]


def cccd_numbers(rng: np.random.Generator, female: np.ndarray) -> list[str]:
    """12-digit citizen ID numbers: province code, gender/century digit, birth year, serial."""
    n = len(female)
    codes = list(CCCD_PROVINCES)
    w = np.array(list(CCCD_PROVINCES.values()))
    prov = rng.choice(len(codes), n, p=w / w.sum())
    year = rng.integers(1955, 2004, n)
    serial = rng.integers(0, 1_000_000, n)
    out = []
    for i in range(n):
        century = 0 if year[i] < 2000 else 2
        out.append(f"{codes[prov[i]]}{century + int(female[i])}{year[i] % 100:02d}"
                   f"{serial[i]:06d}")
    return out


def campaigns() -> pd.DataFrame:
    """The peak campaigns (đợt ra quân cao điểm) of 2025–2026 as a DataFrame."""
    return pd.DataFrame({
        "name": [c[2] for c in CAMPAIGNS],
        "starts_on": [dt.date.fromisoformat(c[0]) for c in CAMPAIGNS],
        "ends_on": [dt.date.fromisoformat(c[1]) for c in CAMPAIGNS],
        "units": [CAMPAIGN_UNITS] * len(CAMPAIGNS)})


def place_name(ward_name: str) -> str:
    """'Phường Tam Phước (dữ liệu mô phỏng)' -> 'Tam Phước' (for local street names)."""
    core = ward_name.split("(")[0].strip()
    for head in ("Phường ", "phường ", "Xã ", "xã "):
        core = core.removeprefix(head)
    return "số" if core.isdigit() or not core else core


def dates_between(rng: np.random.Generator, lo: dt.date, hi: dt.date, n: int) -> np.ndarray:
    """``n`` random days (``datetime64[D]``) from ``lo`` to ``hi`` inclusive."""
    return np.datetime64(lo) + rng.integers(0, max((hi - lo).days, 0) + 1, n)


def day(d64) -> dt.date:
    """A numpy ``datetime64`` as a ``datetime.date``."""
    return pd.Timestamp(d64).date()


def model_street_attributes(rng: np.random.Generator, rows: list[dict], as_of: dt.date) -> None:
    """Fill status, dates, criteria, commitments and funding of model streets ``rows[1:]``.

    ``rows[0]`` is the ward-level demonstration route and is left as it is. Each row needs
    ``kind`` and a metric ``geometry`` (length in metres for streets).
    """
    statuses = [str(x) for x in rng.choice(["registered", "in_progress", "achieved", "accepted"],
                                           len(rows) - 1, p=[0.25, 0.4, 0.2, 0.15])]
    for k, st in enumerate(("registered", "in_progress", "achieved", "accepted")):
        if st not in statuses:
            statuses[k] = st
    for row, st in zip(rows[1:], statuses, strict=True):
        reg = day(dates_between(rng, dt.date(2026, 5, 1), dt.date(2026, 7, 31), 1)[0])
        target = min(reg + dt.timedelta(days=int(rng.integers(180, 300))), dt.date(2027, 5, 31))
        achieved = accepted = None
        if st in ("achieved", "accepted"):
            achieved = day(dates_between(rng, reg + dt.timedelta(days=60),
                                         as_of - dt.timedelta(days=45), 1)[0])
        if st == "accepted":
            accepted = achieved + dt.timedelta(days=int(rng.integers(7, 40)))
        p_true = {"registered": 0.2, "in_progress": 0.55}.get(st, 1.0)
        crit = dict(zip(CRITERIA, (bool(b) for b in rng.random(6) < p_true), strict=True))
        if st == "in_progress" and all(crit.values()):
            crit[CRITERIA[int(rng.integers(6))]] = False
        geom = row["geometry"]
        frontage = (int(geom.length / 1000 * rng.uniform(60, 120)) + 5 if row["kind"] == "street"
                    else int(rng.integers(20, 80)))
        share = {"registered": rng.uniform(0, 0.4), "in_progress": rng.uniform(0.4, 0.95),
                 "achieved": rng.uniform(0.95, 1.0), "accepted": 1.0}[st]
        budget = (geom.length / 1000 * rng.uniform(150, 400) if row["kind"] == "street"
                  else rng.uniform(40, 200))
        row.update(status=st, registered_on=reg, target_date=target, achieved_on=achieved,
                   accepted_on=accepted, criteria=crit, frontage_households=frontage,
                   commitments_signed=int(np.floor(frontage * share)),
                   budget_vnd=int(round(budget)) * 1_000_000,
                   socialised_vnd=int(round(budget * rng.uniform(0.2, 0.7))) * 1_000_000)


def inspections(rng: np.random.Generator, ext: np.ndarray, escape: np.ndarray,
                alarm: np.ndarray, residents: np.ndarray):
    """0–3 inspections per boarding house; a failed one gets a follow-up date.

    Returns the inspections DataFrame and, per house, the date and fire-safety result of
    its last inspection (``None`` when never inspected).
    """
    n = len(ext)
    k = rng.choice(4, n, p=[0.22, 0.45, 0.23, 0.1])
    hi = np.repeat(np.arange(n), k)
    when = (np.datetime64("2025-01-06T08:00") + rng.integers(0, 682, len(hi)) * 1440
            + rng.integers(0, 8 * 60, len(hi))).astype("datetime64[m]")
    order = np.lexsort((when, hi))
    hi, when = hi[order], when[order]
    nth = np.arange(len(hi)) - np.searchsorted(hi, hi)
    p = (0.85 - 0.35 * (ext[hi] == 0) - 0.2 * ~escape[hi] + 0.05 * alarm[hi] + 0.08 * (nth > 0))
    passed = rng.random(len(hi)) < np.clip(p, 0.05, 0.97)
    findings = []
    for j, h in enumerate(hi):
        if passed[j]:
            findings.append(FINDINGS_PASS[rng.integers(len(FINDINGS_PASS))])
            continue
        f = (["Thiếu bình chữa cháy"] if ext[h] == 0 else []) + (
            ["Lối thoát nạn bị chắn"] if not escape[h] else [])
        findings.append("; ".join(f or [FINDINGS_FAIL[rng.integers(len(FINDINGS_FAIL))]]))
    officers = person_names(rng, 8, 0.25)[0]
    follow = [None if ok else day(t) + dt.timedelta(days=int(d)) for ok, t, d in
              zip(passed, when, rng.integers(15, 31, len(hi)), strict=True)]
    inspections = pd.DataFrame({
        "house_index": hi, "inspected_at": when.astype("datetime64[ns]"),
        "officer": [officers[i] for i in rng.integers(0, 8, len(hi))], "findings": findings,
        "fire_safety_pass": passed,
        "residents_counted": np.maximum(residents[hi] + rng.integers(-3, 3, len(hi)), 0),
        "follow_up_on": pd.Series(follow, dtype=object)})
    last = np.r_[hi[1:] != hi[:-1], True] if len(hi) else np.zeros(0, bool)
    last_on, last_pass = np.full(n, None, object), np.full(n, None, object)
    last_on[hi[last]] = [day(t) for t in when[last]]
    last_pass[hi[last]] = [bool(v) for v in passed[last]]
    return inspections, last_on, last_pass
