"""The urbanorder command line on both backends: init, demo (idempotent), --if-empty."""

from __future__ import annotations

from sqlalchemy import func, select

from models.tables import Incident, Ward
from webapp import create_app
from webapp.cli import cli
from webapp.extensions import db


def _counts(app):
    with app.app_context():
        conn = db.conn
        return (conn.execute(select(func.count()).select_from(Ward)).scalar(),
                conn.execute(select(func.count()).select_from(Incident)).scalar())


def test_demo_twice_does_not_duplicate(fresh_url, monkeypatch, small_cli_demo):
    monkeypatch.setenv("DATABASE_URL", fresh_url)
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    app = create_app({"DATABASE_URL": fresh_url})
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0, first.output
    assert "Đã nạp dữ liệu mô phỏng" in first.output
    counts = _counts(app)
    assert counts[0] == 1 and counts[1] > 1000
    second = runner.invoke(cli, ["demo"])
    assert second.exit_code == 0 and "bỏ qua" in second.output
    assert _counts(app) == counts
    empty_only = runner.invoke(cli, ["demo", "--if-empty"])
    assert "không nạp" in empty_only.output
    replaced = runner.invoke(cli, ["demo", "--replace", "--seed", "7"])
    assert replaced.exit_code == 0, replaced.output
    assert _counts(app)[0] == 1
    app.extensions["urbanorder_engine"].dispose()


def test_the_first_account_of_an_empty_database(fresh_url, monkeypatch):
    """An IT officer's first command may be ``user add`` on a database never initialised."""
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    app = create_app({"DATABASE_URL": fresh_url})
    result = app.test_cli_runner().invoke(cli, [
        "user", "add", "quantri1", "--role", "superadmin", "--password", "mot-mat-khau-dai-2026"])
    assert result.exit_code == 0, result.output
    assert "Đã tạo quantri1" in result.output
    app.extensions["urbanorder_engine"].dispose()


def test_python_dash_m_webapp_is_the_command():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "webapp", "--help"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Cách dùng: urbanorder" in result.stdout and "  init " in result.stdout
