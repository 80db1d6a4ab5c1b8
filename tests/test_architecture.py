"""The dependency rule (docs/architecture.md) is checked, not only written down: the
import-linter contracts of pyproject.toml over the whole import graph, function-level imports
included, so ``make test`` fails on a breach."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "lint-imports is missing: pip install -e '.[test]'"
    # The packages of ``tree``, whichever checkout the environment was installed from.
    return subprocess.run([command, "--no-cache"], cwd=tree, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(tree)})


def test_the_import_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " broken" in result.stdout and "0 broken" in result.stdout


def test_a_breach_is_caught(tmp_path):
    """The contracts have teeth: a copy of the tree where geo imports Flask inside a
    function (the kind of import a quick review misses) is refused."""
    for top in ("geo", "models", "webapp"):
        shutil.copytree(ROOT / top, tmp_path / top,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "geo" / "text.py").open("a", encoding="utf-8") as text:
        text.write("\n\ndef _breach():\n    from flask import current_app\n\n"
                   "    return current_app\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "geo.text -> flask" in result.stdout
