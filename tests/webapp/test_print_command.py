"""``urbanorder print-ranking`` run as itself: the database and the print code, no app."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = ("import json, sys\nsys.argv = ['urbanorder', *json.loads(sys.argv[1])]\n"
       "from webapp import cli\ncode = 0\ntry:\n    cli.main()\n"
       "except SystemExit as end:\n    code = end.code or 0\n"
       "print(json.dumps(sorted(m for m in ('webapp.auth', 'webapp.map', 'flask_limiter', "
       "'flask_login', 'matplotlib.pyplot') if m in sys.modules)))\nsys.exit(code)")


def _urbanorder(url: str, instance: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "URBANORDER_INSTANCE": str(instance),
           "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", RUN, json.dumps(args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_print_ranking_builds_no_app(demo_url, tmp_path):
    out = tmp_path / "a3.pdf"
    done = _urbanorder(demo_url, tmp_path, "print-ranking", "--month", "2026-10",
                       "--paper", "A3", "-o", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    *lines, loaded = done.stdout.strip().splitlines()
    assert "Đã in bản đồ xếp hạng tháng 10/2026" in "\n".join(lines)
    assert json.loads(loaded) == []  # no blueprint, extension or pyplot was imported
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                              text=True).stdout
        assert "BẢN ĐỒ XẾP HẠNG KHU PHỐ THÁNG 10/2026" in text and "Xếp loại" in text


def test_print_ranking_says_what_is_wrong_in_vietnamese(demo_url, tmp_path):
    done = _urbanorder(demo_url, tmp_path, "print-ranking", "--month", "2026-10",
                       "--ward", "KHONGCO", "-o", str(tmp_path / "x.pdf"))
    assert done.returncode != 0 and "Không có phường mã “KHONGCO”" in done.stderr
    assert not (tmp_path / "x.pdf").exists()
