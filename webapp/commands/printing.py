"""Command-line printing of ranking maps (no Flask app: only the database and the print code)."""

from __future__ import annotations

import click

from webapp.commands import engine_without_app, ward_or_fail


@click.command("print-ranking")
@click.option("--month", required=True, help="Tháng xếp hạng, dạng yyyy-mm (ví dụ 2026-10).")
@click.option("--paper", default="A4", show_default=True, help="Khổ giấy: A4 hoặc A3 (ngang).")
@click.option("--atlas", is_flag=True, help="Thêm một trang cho mỗi khu phố.")
@click.option("--ward", "ward_code", help="Mã phường (bắt buộc khi có nhiều phường).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
def print_ranking_command(month, paper, atlas, ward_code, output) -> None:
    """In bản đồ xếp hạng khu phố ra PDF. Print the ranking map (PDF)."""
    from geo import formatting as fmt
    from webapp import printing

    try:  # fmt.BadMonth and printing.PrintError: the message is for the user
        month, paper = fmt.parse_month(month), printing.check_paper(paper)
    except ValueError as bad:
        raise click.ClickException(str(bad)) from None
    with engine_without_app() as engine, engine.connect() as conn:
        ward = ward_or_fail(conn, ward_code, "in bản đồ")
        body = printing.ranking_pdf(conn, ward, month, paper, atlas)
    with open(output, "wb") as out:
        out.write(body)
    click.echo(f"Đã in bản đồ xếp hạng tháng {fmt.month(month)} ({ward.name}, khổ "
               f"{paper}{', kèm trang từng khu phố' if atlas else ''}) ra {output}.")


COMMANDS = (print_ranking_command,)
