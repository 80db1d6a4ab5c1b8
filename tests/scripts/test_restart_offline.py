"""Issue 10 point 9: a ward PC without network, sudo or apt-get can restart the app.

``make run`` runs ``scripts/system-deps.sh run`` first; when SpatiaLite and venv support are
installed it must not call a package manager at all (it used to run ``apt-get update`` on
every start because its SpatiaLite check never matched).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEEDED = ("bash", "python3", "ls", "id", "make", "env", "sh", "dirname", "cat", "touch")


def _link_tools(bin_dir: Path) -> None:
    # Resolved: a venv's python3 linked elsewhere would lose its pyvenv.cfg.
    for tool in NEEDED:
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(_real(tool, found))


def _real(tool: str, found: str) -> Path:
    """The program itself: shims (pyenv) and venv links need their own PATH or folder."""
    if tool == "python3":
        found = subprocess.run([found, "-c", "import sys; print(sys.executable)"],
                               capture_output=True, text=True, check=True).stdout.strip()
    return Path(found).resolve()


def _bin_without_package_managers(tmp_path: Path, trap: Path) -> Path:
    """A PATH with only the tools a restart needs; apt-get and sudo are traps that log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _link_tools(bin_dir)
    for trapped in ("apt-get", "sudo", "apt", "dpkg"):
        script = bin_dir / trapped
        script.write_text(f"#!/bin/sh\necho {trapped} \"$@\" >> {trap}\nexit 1\n")
        script.chmod(0o755)
    return bin_dir


@pytest.fixture
def offline_path(tmp_path):
    trap = tmp_path / "package-manager-calls.log"
    return str(_bin_without_package_managers(tmp_path, trap)), trap


def test_system_deps_calls_no_package_manager_when_installed(offline_path):
    if not any(Path("/usr/lib").glob("*/mod_spatialite.so*")) and \
            not any(Path("/usr/lib").glob("mod_spatialite.so*")):
        pytest.skip("SpatiaLite is not installed on this machine")
    path, trap = offline_path
    result = subprocess.run(["bash", "scripts/system-deps.sh", "run"], cwd=ROOT,
                            env={**os.environ, "PATH": path}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not trap.exists(), trap.read_text()


def test_system_deps_without_apt_get_says_what_to_install(tmp_path):
    """Where something IS missing and there is no apt-get, it says what, in Vietnamese."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _link_tools(bin_dir)
    (bin_dir / "python3").unlink()  # a Python without venv support
    (bin_dir / "python3").write_text("#!/bin/sh\nexit 1\n")
    (bin_dir / "python3").chmod(0o755)
    result = subprocess.run(["bash", "scripts/system-deps.sh", "run"], cwd=ROOT,
                            env={**os.environ, "PATH": str(bin_dir)},
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "python3-venv" in result.stdout
    assert "apt-get không có" in result.stderr and "hãy tự cài" in result.stderr


def test_a_second_make_run_would_not_reinstall_packages(offline_path, tmp_path):
    """With the venv made, ``make setup`` only re-checks system packages (no pip)."""
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "scripts/system-deps.sh"):
        shutil.copy(ROOT / name, checkout / name)
    venv_bin = checkout / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").symlink_to(_real("python3", shutil.which("python3")))
    (checkout / ".venv" / ".installed").touch()  # what the first `make run` leaves
    path, trap = offline_path
    result = subprocess.run(["make", "-n", "setup"], cwd=checkout,
                            env={**os.environ, "PATH": path}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "pip" not in result.stdout, result.stdout
    assert "system-deps.sh run" in result.stdout
