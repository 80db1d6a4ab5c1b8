"""Start-up imports only what serving a request needs (issue 11 point 5).

pandas, geopandas, scipy, matplotlib and folium load on first use (``geo.lazy``): building
the app or asking ``urbanorder --help`` must not import them. Each check runs in a new
interpreter, since this test process has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "geopandas", "scipy", "matplotlib", "folium", "pyogrio", "osmium")
REPORT = f"import json, sys; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"


def _loaded(code: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", f"{code}\n{REPORT}"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_building_the_app_imports_no_analysis_libraries(tmp_path):
    code = ("from webapp import create_app\n"
            f"create_app({{'DATABASE_URL': 'sqlite:///{tmp_path / 'a.db'}', "
            "'SECRET_KEY': 't'})")
    assert _loaded(code) == []


def test_command_line_help_imports_no_analysis_libraries():
    code = ("import contextlib, io, sys\nsys.argv = ['urbanorder', '--help']\n"
            "from webapp import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.suppress(SystemExit):\n    cli.main()")
    assert _loaded(code) == []


def test_command_line_help_builds_no_app_and_opens_no_database():
    """``urbanorder --help`` lists every command from click alone: no SQLAlchemy, Alembic,
    app or extension is imported (a ward PC answers at once)."""
    code = ("import contextlib, io, sys\nsys.argv = ['urbanorder', '--help']\n"
            "from webapp import cli\nout = io.StringIO()\n"
            "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
            "    cli.main()\n"
            "print(json.dumps([out.getvalue(), sorted({m.split('.')[0] for m in sys.modules})]))")
    result = subprocess.run([sys.executable, "-c", f"import json\n{code}"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    shown, modules = json.loads(result.stdout.strip().splitlines()[-1])
    for command in ("init", "demo", "serve", "backup", "export", "import", "print-ranking",
                    "ward", "plan", "user", "verify"):
        assert f"  {command} " in shown, command
    assert not {"sqlalchemy", "alembic", "flask_limiter", "flask_login", "models",
                "shapely"} & set(modules)


def test_a_deferred_library_loads_on_first_use():
    assert _loaded("from geo import assign\nassign.gpd.GeoDataFrame") == ["pandas", "geopandas"]


@pytest.mark.parametrize("module", ["geo.printmap"])
def test_paper_sizes_agree_with_the_printed_maps(module):
    import importlib

    from webapp import printing
    assert printing.PAPERS == importlib.import_module(module).PAPERS
