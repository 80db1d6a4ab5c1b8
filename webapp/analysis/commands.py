"""Command-line printing of ranking maps (added to the ``urbanorder`` group)."""

from __future__ import annotations

import click

from webapp.cli import cli
from webapp.extensions import db


@cli.command("print-ranking")
@click.option("--month", required=True, help="Tháng xếp hạng, dạng yyyy-mm (ví dụ 2026-10).")
@click.option("--paper", default="A4", show_default=True, help="Khổ giấy: A4 hoặc A3 (ngang).")
@click.option("--atlas", is_flag=True, help="Thêm một trang cho mỗi khu phố.")
@click.option("--ward", "ward_code", help="Mã phường (bắt buộc khi có nhiều phường).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
def print_ranking_command(month, paper, atlas, ward_code, output) -> None:
    """In bản đồ xếp hạng khu phố ra PDF. Print the ranking map (PDF)."""
    from webapp import printing

    try:
        month, paper = printing.check_month(month), printing.check_paper(paper)
    except printing.PrintError as bad:
        raise click.ClickException(str(bad)) from None
    from webapp.services.wards import WardError, ward_named

    with db.engine.connect() as conn:
        try:
            ward = ward_named(conn, ward_code, "in bản đồ")
        except WardError as err:
            raise click.ClickException(str(err)) from None
        body = printing.ranking_pdf(conn, ward, month, paper, atlas)
    with open(output, "wb") as out:
        out.write(body)
    click.echo(f"Đã in bản đồ xếp hạng tháng {month[5:]}/{month[:4]} ({ward.name}, khổ "
               f"{paper}{', kèm trang từng khu phố' if atlas else ''}) ra {output}.")
