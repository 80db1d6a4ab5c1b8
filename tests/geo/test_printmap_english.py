"""The printed maps in English: the frame's words, numbers and dates in the reader's language,
the ward's own texts (khu phố names, tiers, criteria, streets) as the ward wrote them."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from babel.messages.extract import extract_from_file

from geo import printmap
from geo.i18n import translations
from geo.printmap import fonts
from tests.geo.test_printmap import (
    POPPLER,
    _layers,
    _pdfinfo,
    _rows,
    _text,
    hotspot_inputs,
)
from tests.test_catalogue import ROOT, VIETNAMESE

# The synthetic ward's own texts in the fixtures: printed as written, in any language (the
# default rubric's tier labels are our words: said in English).
WARD_TEXTS = ("Phường Tam Phước", "Tam Phước", "KHU PHỐ 1", "Quốc lộ 51", "Lấn chiếm/km",
              "3 vụ / 2,5 km", "Chưa chấm")


@pytest.fixture(autouse=True)
def _poppler():
    if not POPPLER:
        pytest.skip("poppler-utils (pdftoppm, pdftotext, pdfinfo) not installed")


def _frame_vietnamese(text: str) -> list[str]:
    """The Vietnamese left on the page once the ward's own texts are taken out."""
    text = re.sub(r"Khu phố \d", " ", text)
    for ward_text in WARD_TEXTS:
        text = text.replace(ward_text, " ")
    return [line.strip() for line in text.splitlines() if VIETNAMESE.search(line)]


def _meta(**values):
    return printmap.example_meta(locale="en", printed_at=datetime(2026, 11, 5, 9, 5),
                                 criteria_labels={"encroachment_per_km": "Lấn chiếm/km"},
                                 **values)


def test_english_ranking_map_and_atlas(tmp_path):
    path = tmp_path / "en.pdf"
    path.write_bytes(printmap.ranking_pdf(_layers(), _rows(), _meta(), "A3", atlas=True))
    assert _pdfinfo(path)["Title"].strip() == "NEIGHBOURHOOD RANKING MAP — OCTOBER 2026"
    text = _text(path)
    overview, first = text.split("\f")[:2]
    for expected in ("NEIGHBOURHOOD RANKING MAP — OCTOBER 2026", "SYNTHETIC DATA",
                     "DRAFT — NOT PUBLISHED", "Neighbourhood rating (number in the circle: rank)",
                     "Rank", "Neighbourhood", "Points", "Rating", "Change", "Missing data",
                     "Streets", "Ward boundary", "PREPARED BY", "CHAIRPERSON",
                     "(Signature and full name)", "Tam Phước, November 5, 2026",
                     "Scale 1:", "(A3 paper)", "Source: urbanorder — data of Phường Tam Phước",
                     "printed Nov 5, 2026, 09:05", "Excellent (≥ 90 points): 1"):
        assert expected in overview, expected
    assert re.search(r"85\.72 Good\s+▼\s?2", overview)  # English decimals and tier
    assert _frame_vietnamese(overview) == []
    for expected in ("KHU PHỐ 1 (KP01) — OCTOBER 2026", "Rank 1/6 — 92.50 points — Excellent",
                     "Against last month: ▲ 1 (+1.50 points)", "Criterion",
                     "Legend — incidents of October 2026", "Drugs (1 incident)",
                     "Residence violation (1 incident)", "not applicable", "12.5/20"):
        assert expected in first, expected
    assert _frame_vietnamese(first) == []


def test_the_vietnamese_ranking_map_is_unchanged_by_the_locale(tmp_path):
    vi, explicit = tmp_path / "vi.pdf", tmp_path / "explicit.pdf"
    when = datetime(2026, 11, 5, 9, 5)
    vi.write_bytes(printmap.ranking_pdf(_layers(), _rows(),
                                        printmap.example_meta(printed_at=when), "A4"))
    explicit.write_bytes(printmap.ranking_pdf(
        _layers(), _rows(), printmap.example_meta(printed_at=when, locale="vi"), "A4"))
    assert _text(vi) == _text(explicit)
    assert "BẢN ĐỒ XẾP HẠNG KHU PHỐ THÁNG 10/2026" in _text(vi) and "85,72" in _text(vi)


def test_english_published_state_and_a_wards_own_signatures(tmp_path):
    signatures = ({"title": "NGƯỜI LẬP BIỂU", "hint": "(Ký, ghi rõ họ tên)"},
                  {"title": "KT. TRƯỞNG BAN", "name": "Trần Văn Bình"})
    path = tmp_path / "p.pdf"
    path.write_bytes(printmap.ranking_pdf(_layers(), _rows(), _meta(
        synthetic=False, published_at=datetime(2026, 11, 3, 9, 30),
        published_by="Nguyễn Văn An", signatures=signatures), "A4"))
    text = _text(path)
    assert "PUBLISHED Nov 3, 2026, 09:30 by Nguyễn Văn An" in text
    # The plan's own signature blocks are the ward's text: printed as the ward wrote them,
    # but for the words that are ours.
    assert "KT. TRƯỞNG BAN" in text and "Trần Văn Bình" in text
    assert "PREPARED BY" in text and "(Signature and full name)" in text
    assert "NGƯỜI LẬP BIỂU" not in text


def test_english_hotspot_and_coverage_maps(tmp_path):
    layers = _layers()
    cells, repeats = hotspot_inputs(layers)
    areas = [{"z": 3.2, "cls": "hot_99", "count": 1234, "cells": 1,
              "neighbourhood": "Khu phố 1", "street": "Quốc lộ 51"}]
    hot = tmp_path / "hot.pdf"
    hot.write_bytes(printmap.hotspot_pdf(layers, cells, repeats, areas, _meta(), "A4"))
    text = _text(hot)
    for expected in ("URBAN ORDER VIOLATION HOTSPOT MAP", "Hotspot — 99% confidence (1 cell)",
                     "Cold spot — 95% confidence (1 cell)",
                     "Repeat violations: Sidewalk encroachment (1 place)", "Legend",
                     "Hotspot areas, worst first (1 area)", "Nearest street", "3.20", "1,234"):
        assert expected in text, expected
    assert _frame_vietnamese(text) == []
    rows = [{"code": f"KP0{i}", "name": f"Khu phố {i}", "houses": 3 * (i != 6),
             "model_houses": int(i == 1), "share_near_model": 0.5 if i < 3 else 0.0,
             "gap": i != 1} for i in range(1, 7)]
    cov = tmp_path / "cov.pdf"
    cov.write_bytes(printmap.coverage_pdf(layers, rows, _meta(), "A4"))
    text = _text(cov)
    for expected in ("MODEL BOARDING HOUSE COVERAGE MAP", "GAP", "Within 300 m",
                     "Gap neighbourhoods first (5/6 neighbourhoods)", "75% or more",
                     "Premises within 300 m of a model house"):
        assert expected in text, expected
    assert _frame_vietnamese(text) == []


def test_a_bad_paper_is_refused_in_the_readers_language():
    with pytest.raises(ValueError, match="only A4 or A3"):
        printmap.ranking_pdf(_layers(), _rows(), _meta(), "A5")


def test_the_vietnamese_faces_hold_every_glyph_of_the_english_prints(tmp_path):
    """A character outside the cut face would print from the full one (or as a box)."""
    from fontTools.ttLib import TTFont

    cmaps = [TTFont(fonts.build_face(face, tmp_path / f"{face}.ttf")).getBestCmap()
             for face in fonts.FACES]
    said, english = set(), translations("en")
    for folder in ("geo/printmap", "geo/report"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for _, message, _, _ in extract_from_file(
                    "python", path, keywords={"translate": None, "N_": None,
                                              "translate_plural": (1, 2)}):
                if isinstance(message, tuple):  # the English singular and plural
                    said |= {english.ngettext(*message, n) for n in (1, 2)}
                else:
                    said.add(english.gettext(message))
    assert len(said) > 100 and "NEIGHBOURHOOD RANKING MAP — %(month)s" in said
    missing = {c for text in said for c in text if c != "\n"
               and not all(ord(c) in cmap for cmap in cmaps)}
    assert not missing, missing


def test_only_the_draft_state_of_a_ranking_is_red():
    """The line under the ward is a draft warning on a ranking, a plain description on the
    hotspot and coverage maps (also unpublished): red italics for the first only."""
    from matplotlib.colors import to_hex

    from geo.printmap.frame import BANNER_RED, Page, header, publication_state

    meta = _meta()
    for state, red in ((publication_state(meta), True), ("Getis-Ord Gi* analysis", False)):
        page = Page("A4")
        header(page, "TITLE", meta, state)
        line = next(t for t in page.fig.texts if t.get_text() == state)
        assert (to_hex(line.get_color()) == BANNER_RED) is red, state
        page.close()
