"""The ``urbanorder`` command: init, demo, serve (plus Flask's routes and shell)."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import FlaskGroup

from models import migrate, queries
from webapp import create_app
from webapp.extensions import db


@click.group(cls=FlaskGroup, create_app=create_app, load_dotenv=False, set_debug_flag=False)
def cli() -> None:
    """urbanorder — bản đồ trật tự đô thị phường / ward urban-order map."""


def _migrate() -> None:
    started = time.perf_counter()
    migrate.upgrade(db.engine)
    click.echo(f"Cơ sở dữ liệu sẵn sàng ({db.engine.dialect.name}, "
               f"{time.perf_counter() - started:.1f} s).")


@cli.command("init")
def init_command() -> None:
    """Tạo / nâng cấp lược đồ CSDL (Alembic). Create or upgrade the schema."""
    _migrate()


@cli.command("demo")
@click.option("--replace", is_flag=True, help="Xóa và tạo lại dữ liệu mô phỏng.")
@click.option("--if-empty", is_flag=True, help="Chỉ nạp khi CSDL chưa có phường nào.")
@click.option("--seed", default=2026, show_default=True, help="Hạt giống sinh dữ liệu.")
def demo_command(replace: bool, if_empty: bool, seed: int) -> None:
    """Nạp dữ liệu MÔ PHỎNG phường Tam Phước. Load the synthetic Tam Phước demo."""
    from webapp.demo import load_demo

    _migrate()
    with db.engine.connect() as conn:
        if if_empty and queries.wards(conn):
            click.echo("CSDL đã có dữ liệu phường — không nạp dữ liệu mô phỏng.")
            return
    started = time.perf_counter()
    counts = load_demo(db.engine, replace=replace, seed=seed, echo=click.echo)
    if counts is None:
        click.echo("Dữ liệu mô phỏng Tam Phước đã có — bỏ qua (dùng --replace để tạo lại).")
        return
    summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
    click.echo(f"Đã nạp dữ liệu mô phỏng sau {time.perf_counter() - started:.1f} s — {summary}.")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve_command(host: str, port: int, threads: int) -> None:
    """Chạy máy chủ web (waitress). Serve the app with a production WSGI server."""
    import waitress

    app = current_app._get_current_object()
    click.echo(f"Bản đồ trật tự đô thị: http://{host}:{port}/  (Ctrl+C để dừng)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="urbanorder")


def main() -> None:
    cli(prog_name="urbanorder")
