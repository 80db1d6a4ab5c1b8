"""Command-line printing of ranking maps (no Flask app: only the database and the print code)."""

from __future__ import annotations

import click

from webapp.commands import engine_without_app, ward_or_fail


@click.command("print-ranking")
@click.option("--month", required=True, help="Tháng xếp hạng, dạng yyyy-mm (ví dụ 2026-10).")
@click.option("--paper", default="A4", show_default=True, help="Khổ giấy: A4 hoặc A3 (ngang).")
@click.option("--atlas", is_flag=True, help="Thêm một trang cho mỗi khu phố.")
@click.option("--ward", "ward_code", help="Mã phường (bắt buộc khi có nhiều phường).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
              help="Ngôn ngữ của bản in. Language of the print (vi, en).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True))
def print_ranking_command(month, paper, atlas, ward_code, lang, output) -> None:
    """In bản đồ xếp hạng khu phố ra PDF. Print the ranking map (PDF)."""
    from geo import formatting as fmt
    from geo.i18n import N_, translate
    from webapp import printing

    try:  # fmt.BadMonth and printing.PrintError: the message is for the user
        month, paper = fmt.parse_month(month), printing.check_paper(paper)
    except ValueError as bad:
        raise click.ClickException(translate(bad.args[0], lang)) from None
    with engine_without_app() as engine, engine.connect() as conn:
        ward = ward_or_fail(conn, ward_code, "in bản đồ")
        body = printing.ranking_pdf(conn, ward, month, paper, atlas, locale=lang)
    with open(output, "wb") as out:
        out.write(body)
    said = N_("Đã in bản đồ xếp hạng tháng %(month)s (%(ward)s, khổ %(paper)s, kèm trang từng "
              "khu phố) ra %(output)s.") if atlas else \
        N_("Đã in bản đồ xếp hạng tháng %(month)s (%(ward)s, khổ %(paper)s) ra %(output)s.")
    done = translate(said, lang, month=fmt.month(month, locale=lang), ward=ward.name,
                     paper=paper, output=output)
    click.echo(done)


COMMANDS = (print_ranking_command,)
