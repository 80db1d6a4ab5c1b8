"""The ward's clock has one home, webapp/clock.py: features import it from there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ELSEWHERE = re.compile(r"from webapp\.(?!clock\b)[\w.]+ import [^\n]*\b(local_now|ward_now|"
                       r"local_today)\b|\bfield\.(local_now|ward_now|local_today)\b")


def test_local_now_is_imported_from_the_clock_only():
    found = [str(p.relative_to(ROOT)) for folder in ("webapp", "tests", "bench", "scripts")
             for p in (ROOT / folder).rglob("*.py") if ELSEWHERE.search(p.read_text("utf-8"))]
    assert found == []
