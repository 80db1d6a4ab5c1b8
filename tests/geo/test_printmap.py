"""Printed maps are real PDFs: page size, rendering (poppler), text with diacritics, atlas."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from geo import printmap

POPPLER = all(shutil.which(tool) for tool in ("pdftoppm", "pdftotext", "pdfinfo"))


@pytest.fixture(autouse=True)
def _poppler():
    if not POPPLER:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("poppler-utils (pdftoppm, pdftotext, pdfinfo) required in CI")
        pytest.skip("poppler-utils (pdftoppm, pdftotext, pdfinfo) not installed")


def _layers():
    x0, y0, d = 106.90, 10.84, 0.006
    cells = [box(x0 + i * d, y0 + j * d, x0 + (i + 1) * d, y0 + (j + 1) * d)
             for j in range(2) for i in range(3)]
    kp = gpd.GeoDataFrame({"id": range(1, 7), "code": [f"KP{i:02d}" for i in range(1, 7)],
                           "name": [f"Khu phố {i}" for i in range(1, 7)]},
                          geometry=cells, crs=4326)
    streets = gpd.GeoDataFrame(
        {"name": ["Quốc lộ 51", "Đường Tam Phước 1"], "street_class": ["national", "local"]},
        geometry=[LineString([(x0, y0), (x0 + 3 * d, y0 + 2 * d)]),
                  LineString([(x0, y0 + d), (x0 + 3 * d, y0 + d)])], crs=4326)
    ward = gpd.GeoDataFrame(geometry=[box(x0, y0, x0 + 3 * d, y0 + 2 * d)], crs=4326)
    model = gpd.GeoDataFrame({"neighbourhood_id": [1], "name": ["Tuyến 1"],
                              "status": ["achieved"]},
                             geometry=[LineString([(x0 + 0.001, y0 + 0.003),
                                                   (x0 + 0.005, y0 + 0.003)])], crs=4326)
    houses = gpd.GeoDataFrame({"neighbourhood_id": [1, 2], "model_status": ["recognised", "none"]},
                              geometry=[Point(x0 + 0.002, y0 + 0.002),
                                        Point(x0 + 0.008, y0 + 0.002)], crs=4326)
    incidents = gpd.GeoDataFrame({"neighbourhood_id": [1, 1], "category": ["drugs", "residence"]},
                                 geometry=[Point(x0 + 0.003, y0 + 0.004),
                                           Point(x0 + 0.004, y0 + 0.001)], crs=4326)
    return {"ward": ward, "neighbourhoods": kp, "streets": streets, "model_streets": model,
            "houses": houses, "incidents": incidents}


def _rows():
    totals = [92.5, 85.724, 77.1, 60.0, 41.25]
    tiers = ["excellent", "good", "good", "pass", "below"]
    rows = [{"neighbourhood_id": i + 1, "code": f"KP{i + 1:02d}", "name": f"Khu phố {i + 1}",
             "total": t, "rank": i + 1, "tier": tier, "status": "ranked",
             "rank_change": [1, -2, 0, None, 3][i], "total_change": 1.5, "street_km": 1.2,
             "earned": t, "available": 100.0,
             "criteria": {"encroachment_per_km": {"points": 12.5, "max": 20, "value": 1.2,
                                                  "note": "3 vụ / 2,5 km"},
                          "campaign_turnout": {"points": None, "max": 5, "value": None,
                                               "note": "Chưa chấm"}}}
            for i, (t, tier) in enumerate(zip(totals, tiers, strict=True))]
    rows.append({"neighbourhood_id": 6, "code": "KP06", "name": "Khu phố 6", "total": None,
                 "rank": None, "tier": None, "status": "insufficient_data",
                 "rank_change": None, "total_change": None, "criteria": {}})
    return rows


def _pdfinfo(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.parametrize(("paper", "size"), [("A4", (842, 595)), ("A3", (1191, 842))])
def test_ranking_pdf_page_text_and_render(tmp_path, paper, size):
    meta = printmap.example_meta(criteria_labels={"encroachment_per_km": "Lấn chiếm/km"})
    body = printmap.ranking_pdf(_layers(), _rows(), meta, paper)
    assert body.startswith(b"%PDF")
    path = tmp_path / "ranking.pdf"
    path.write_bytes(body)
    info = _pdfinfo(path)
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == size and int(info["Pages"]) == 1
    text = _text(path)
    for expected in ("BẢN ĐỒ XẾP HẠNG KHU PHỐ THÁNG 10/2026", "Khu phố", "NGƯỜI LẬP BIỂU",
                     "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "DỮ LIỆU MÔ PHỎNG",
                     "BẢN NHÁP — CHƯA CÔNG BỐ", "85,72", "Nguồn: urbanorder", "Thiếu dữ liệu"):
        assert expected in text, expected
    assert re.search(r"ngày \d\d tháng \d\d năm \d{4}", text)
    table_ranks = re.findall(r"^\s*(\d)\s+Khu phố \d", text, re.M)
    assert table_ranks == ["1", "2", "3", "4", "5"]
    for sign in (r"▲\s?1", r"▼\s?2", r"77,10 Tốt\s+="):
        assert re.search(sign, text), sign
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    image = Image.open(png).convert("L")
    assert sum(1 for count in image.histogram() if count) > 10  # not blank
    w, h = image.size
    table_area = image.crop((int(w * 0.64), int(h * 0.15), int(w * 0.97), int(h * 0.6)))
    assert sum(table_area.histogram()[:100]) > 200  # dark pixels: text and rules


def test_published_state_and_fonts_embedded(tmp_path):
    from datetime import datetime

    meta = printmap.example_meta(synthetic=False, published_at=datetime(2026, 11, 3, 9, 30),
                                 published_by="Nguyễn Văn An")
    path = tmp_path / "p.pdf"
    path.write_bytes(printmap.ranking_pdf(_layers(), _rows(), meta, "A4"))
    text = _text(path)
    assert "ĐÃ CÔNG BỐ ngày 03/11/2026 09:30 bởi Nguyễn Văn An" in text
    assert "DỮ LIỆU MÔ PHỎNG" not in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout \
        if shutil.which("pdffonts") else "DejaVuSans TrueType yes"
    assert "DejaVuSans" in fonts and "Type 3" not in fonts


def test_atlas_has_one_page_per_khu_pho(tmp_path):
    meta = printmap.example_meta(criteria_labels={"encroachment_per_km": "Lấn chiếm/km"})
    path = tmp_path / "atlas.pdf"
    path.write_bytes(printmap.ranking_pdf(_layers(), _rows(), meta, "A4", atlas=True))
    assert int(_pdfinfo(path)["Pages"]) == 1 + 6
    text = _text(path)
    assert "KHU PHỐ 1 (KP01) — THÁNG 10/2026" in text
    assert "Lấn chiếm/km" in text and "12,5/20" in text and "Ma túy (1 vụ)" in text


def test_bad_paper_is_refused():
    with pytest.raises(ValueError, match="A4 hoặc A3"):
        printmap.ranking_pdf(_layers(), _rows(), printmap.example_meta(), "A5")


def hotspot_inputs(layers) -> tuple:
    """A hot and a cold cell on the first two khu phố, and a repeat location."""
    kp = layers["neighbourhoods"]
    cells = gpd.GeoDataFrame({"cls": ["hot_99", "cold_95"], "count": [5, 0], "z": [3.2, -2.1]},
                             geometry=list(kp.geometry[:2]), crs=4326)
    repeats = gpd.GeoDataFrame({"category": ["encroachment_sidewalk"], "count": [4]},
                               geometry=[Point(106.903, 10.843)], crs=4326)
    return cells, repeats


def test_hotspot_and_coverage_pdfs(tmp_path):
    layers = _layers()
    cells, repeats = hotspot_inputs(layers)
    areas = [{"z": 3.2, "cls": "hot_99", "count": 5, "cells": 1,
              "neighbourhood": "Khu phố 1", "street": "Quốc lộ 51"}]
    meta = printmap.example_meta(subtitle="từ 01/05/2026 đến 31/10/2026")
    hot = tmp_path / "hot.pdf"
    hot.write_bytes(printmap.hotspot_pdf(layers, cells, repeats, areas, meta, "A3"))
    text = _text(hot)
    assert "BẢN ĐỒ ĐIỂM NÓNG" in text and "Điểm nóng — tin cậy 99%" in text
    assert "NGƯỜI LẬP BIỂU" in text and "3,20" in text
    rows = [{"code": f"KP0{i}", "name": f"Khu phố {i}", "houses": 3 * (i != 6),
             "model_houses": int(i == 1), "share_near_model": 0.5 if i < 3 else 0.0,
             "gap": i != 1} for i in range(1, 7)]
    cov = tmp_path / "cov.pdf"
    cov.write_bytes(printmap.coverage_pdf(layers, rows, meta, "A4"))
    text = _text(cov)
    assert "BẢN ĐỒ ĐỘ PHỦ NHÀ TRỌ MÔ HÌNH" in text and "TRỐNG" in text and "50%" in text


def test_atlas_drawn_by_two_processes_matches_one(tmp_path):
    """Two workers draw runs of pages that pypdf joins: same pages, same text, progress."""
    from geo.printmap.parallel import parallel_atlas_pdf

    meta = printmap.example_meta(criteria_labels={"encroachment_per_km": "Lấn chiếm/km"})
    layers, rows = _layers(), _rows()
    codes = sorted(layers["neighbourhoods"]["code"])
    seen: list[int] = []
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    one.write_bytes(printmap.ranking_pdf(layers, rows, meta, "A4", atlas=True, workers=1))
    two.write_bytes(parallel_atlas_pdf(printmap.atlas_run_pdf, layers, rows, meta, "A4", codes,
                                       2, seen.append))
    assert _pdfinfo(two)["Pages"].strip() == _pdfinfo(one)["Pages"].strip() == "7"
    assert _pdfinfo(two)["Title"].strip() == "BẢN ĐỒ XẾP HẠNG KHU PHỐ THÁNG 10/2026"
    assert _text(two) == _text(one)
    assert seen == list(range(1, 8))
