"""The wheel is the application: built offline, installed into a fresh virtual environment
and run from a folder outside the source tree, it migrates, loads the demo and serves the
map, its static files and the layers (issue 12: data/, static/, templates and migrations
ship in it)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODE = ("geo", "models", "webapp")
# The repository folder of each file the wheel carries under another package name.
RENAMED = {"data": "urbanorder_data", "static": "urbanorder_static"}


def _tracked(*folders: str) -> list[str]:
    """Files of the checkout under ``folders``, committed or new but not ignored."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                             *folders], cwd=ROOT, capture_output=True, text=True, check=True)
    return [name for name in listed.stdout.splitlines() if (ROOT / name).is_file()]


def _in_wheel(name: str) -> str:
    top, _, rest = name.partition("/")
    return f"{RENAMED.get(top, top)}/{rest}"


def test_every_package_is_listed_in_pyproject():
    """``[tool.setuptools] packages`` is explicit (data/ and static/ are mapped), so a new
    package must be added there or the wheel silently lacks it."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {str(init.parent.relative_to(ROOT)).replace("/", ".")
             for top in CODE for init in (ROOT / top).rglob("__init__.py")}
    assert found - listed == set(), "packages missing from pyproject.toml"
    assert listed - found == set(RENAMED.values())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout (the tree's own build/ folder would carry
    stale files into it), offline, with this environment's setuptools."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    for name in _tracked():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name).read_bytes())
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
                    "--no-build-isolation", "--wheel-dir", str(work / "dist"), str(source)],
                   check=True, capture_output=True, timeout=300)
    (built,) = (work / "dist").glob("urbanorder-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_code_data_static_templates_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = _tracked(*CODE, *RENAMED)
    missing = [name for name in shipped if _in_wheel(name) not in names]
    assert missing == []
    for expected in ("urbanorder_data/plans/tam-phuoc.yaml", "urbanorder_data/rubric.yaml",
                     "urbanorder_data/osm_highway.yaml", "urbanorder_data/vn2000_zones.yaml",
                     "urbanorder_data/README.md", "urbanorder_static/css/app.css",
                     "urbanorder_static/vendor/leaflet-geoman/leaflet-geoman.min.js",
                     "webapp/templates/base.html", "models/migrations/env.py",
                     "models/migrations/versions/0001_initial_schema.py"):
        assert expected in names
    assert not [name for name in names if name.startswith(("tests/", "bench/", "data/"))]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new virtual environment with the wheel installed, no network. Its other packages
    come from this environment's site-packages, listed in a .pth file: a listed folder's own
    .pth files are not run, so the checkout's editable-install finder stays out."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True).stdout.strip()
    Path(own, "shared-environment.pth").write_text(sysconfig.get_path("purelib") + "\n")
    # --ignore-installed: this environment's urbanorder (editable) is visible through the
    # .pth and must be neither taken as already installed nor uninstalled.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--ignore-installed", str(wheel)], check=True, capture_output=True,
                   timeout=300, env=_outside_env(venv))
    return venv


def _outside_env(venv: Path) -> dict[str, str]:
    """The environment of someone who installed the wheel: no source tree on the path, no
    test settings; the database in the default instance folder."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "DATABASE_URL", "SECRET_KEY", "VIRTUAL_ENV")
           and not key.startswith("URBANORDER_")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["URBANORDER_TILE_URL"] = ""  # no basemap: nothing is fetched from outside
    return env


def _urbanorder(venv: Path, cwd: Path, *args: str) -> str:
    done = subprocess.run([str(venv / "bin" / "urbanorder"), *args], cwd=cwd, text=True,
                          capture_output=True, env=_outside_env(venv), timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_the_installed_wheel_runs_init_demo_and_serve_outside_the_tree(installed, tmp_path):
    python = installed / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import json, geo.resources, webapp, models.migrate; print(json.dumps("
         "[webapp.__file__, str(geo.resources.DATA_DIR), str(geo.resources.STATIC_DIR), "
         "str(models.migrate.MIGRATIONS)]))"],
        cwd=tmp_path, env=_outside_env(installed), capture_output=True, text=True, check=True)
    for path in json.loads(where.stdout):
        assert Path(path).resolve().is_relative_to(installed.resolve()), path
        assert not Path(path).resolve().is_relative_to(ROOT)

    assert "Cơ sở dữ liệu sẵn sàng (sqlite" in _urbanorder(installed, tmp_path, "init")
    database = installed / "var" / "urbanorder-instance" / "urbanorder.db"
    assert database.is_file()  # the installed app's instance folder, not site-packages
    demo = _urbanorder(installed, tmp_path, "demo")
    password = re.search(r"^\s+admin\s.*mật khẩu: (\S+)$", demo, re.MULTILINE).group(1)

    port = _free_port()
    server = subprocess.Popen([str(installed / "bin" / "urbanorder"), "serve", "--port",
                               str(port), "--threads", "2"], cwd=tmp_path,
                              env=_outside_env(installed), start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                login = browser.open(f"{base}/").read().decode()  # / sends to the sign-in
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not answer in 60 s"
                time.sleep(0.2)
        token = re.search(r'name="csrf-token" content="([^"]+)"', login).group(1)
        form = urllib.parse.urlencode({"username": "admin", "password": password,
                                       "csrf_token": token}).encode()
        ward_map = browser.open(f"{base}/auth/login", data=form).read().decode()
        assert "MÔ PHỎNG" in ward_map  # the demo ward's map page, rendered from a template
        with browser.open(f"{base}/static/css/app.css") as css:
            assert css.status == 200 and b"{" in css.read()
        with browser.open(f"{base}/api/v1/neighbourhoods?ward=demo-tam-phuoc") as layer:
            features = json.loads(layer.read())["features"]
        assert len(features) == 26
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
