"""The printed maps' Vietnamese font copies, and drawing without geopandas' plot (pyplot)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box

from geo import printmap
from geo.printmap import fonts
from geo.printmap.frame import Page
from geo.printmap.layers import draw

ROOT = Path(__file__).resolve().parents[2]
POPPLER = all(shutil.which(tool) for tool in ("pdffonts", "pdftotext"))
VIETNAMESE = "Đường Nguyễn Thị Ánh Tuyết — ấp Ưu Ơn, ỹ ỵ ự ở ₫ ≥ ▲ ▼"


@pytest.fixture(autouse=True)
def _poppler():
    if not POPPLER:
        pytest.skip("poppler-utils (pdffonts, pdftotext) not installed")


def test_a_face_is_cut_to_vietnamese_and_renamed(tmp_path):
    from fontTools.ttLib import TTFont

    path = fonts.build_face("DejaVuSans-Bold", tmp_path / "copy.ttf")
    copy, full = TTFont(path), TTFont(fonts._source("DejaVuSans-Bold"))
    cmap = copy.getBestCmap()
    assert all(ord(c) in cmap for c in VIETNAMESE + "\u0300\u0301\u0303\u0309\u0323")
    assert ord("☺") not in cmap and ord("☺") in full.getBestCmap()
    assert len(copy.getGlyphOrder()) < len(full.getGlyphOrder()) / 2
    assert copy["name"].getDebugName(1) == "DejaVu Sans VN"
    assert copy["name"].getDebugName(6) == "DejaVuSansVN-Bold"
    assert not list(tmp_path.glob("*.part"))  # written whole, then renamed


def _print(tmp_path, *lines: str) -> tuple[set[str], str]:
    def pages():
        page = Page("A4")
        for i, line in enumerate(lines):
            page.text(20, 180 - 20 * i, line, 14, weight="bold" if i % 2 else "normal")
        yield page

    path = tmp_path / "p.pdf"
    path.write_bytes(printmap._pdf(pages(), printmap.example_meta(), "t"))
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    found = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          text=True).stdout
    return found, text


def test_prints_embed_the_copies_and_fall_back_to_the_full_face(tmp_path):
    assert fonts.families() == [fonts.FAMILY, fonts.FULL]
    found, text = _print(tmp_path, VIETNAMESE, "Nhà trọ an toàn")
    assert found == {"DejaVuSansVN", "DejaVuSansVN-Bold"}  # no full face embedded
    assert VIETNAMESE in text and "Nhà trọ an toàn" in text
    found, text = _print(tmp_path, "Quán ☺ ♣")  # outside the copies: the full DejaVu Sans
    assert "DejaVuSans" in found and "Quán ☺ ♣" in text


def test_an_unusable_cache_prints_with_the_full_faces(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(fonts, "_families", None)
    assert fonts.families(blocked / "fonts") == [fonts.FULL]


def test_draw_puts_polygons_with_holes_and_lines_into_two_collections():
    page = Page("A4")
    ax = page.axes(10, 10, 100, 100)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    holed = Polygon(box(0, 0, 4, 4).exterior.coords, [box(1, 1, 2, 2).exterior.coords])
    shapes = [MultiPolygon([holed, box(5, 5, 6, 6)]), LineString([(0, 9), (9, 9)]),
              MultiLineString([[(0, 8), (1, 8)], [(2, 8), (3, 8)]]), None, Polygon()]
    draw(ax, shapes, facecolor="#cccccc", edgecolor="#222222", hatch="//", linewidth=0.5,
         zorder=2)
    patches, lines = ax.collections
    assert len(patches.get_paths()) == 2 and len(lines.get_segments()) == 3
    assert patches.get_hatch() == "//" and patches.get_zorder() == 2
    assert len(patches.get_paths()[0].to_polygons()) == 2  # the hole is kept
    assert ax.get_xlim() == (0, 10)  # the page's extent, not the data's


def test_printing_imports_no_pyplot():
    code = ("from geo import printmap\nfrom tests.geo.test_printmap import _layers, _rows\n"
            "printmap.ranking_pdf(_layers(), _rows(), printmap.example_meta(), 'A3', "
            "atlas=True)\nimport sys, json\n"
            "print(json.dumps('matplotlib.pyplot' in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) is False
