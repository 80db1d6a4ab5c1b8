"""Command-line printing of ranking maps (no Flask app: only the database and the print code)."""

from __future__ import annotations

import click

from webapp.commands import (
    N_,
    _,
    choose_language,
    command,
    engine_without_app,
    language,
    option,
    refused,
    ward_or_fail,
)


@command("print-ranking", help=N_("In bản đồ xếp hạng khu phố ra PDF."))
@option("--month", required=True, help=N_("Tháng xếp hạng, dạng yyyy-mm (ví dụ 2026-10)."))
@option("--paper", default="A4", show_default=True, help=N_("Khổ giấy: A4 hoặc A3 (ngang)."))
@option("--atlas", is_flag=True, help=N_("Thêm một trang cho mỗi khu phố."))
@option("--ward", "ward_code", help=N_("Mã phường (bắt buộc khi có nhiều phường)."))
@option("--lang", type=click.Choice(["vi", "en"]), is_eager=True, callback=choose_language,
        help=N_("Ngôn ngữ của bản in và của lệnh: vi hoặc en (mặc định: --lang của "
                "urbanorder, URBANORDER_LANG, hoặc vi)."))
@option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
        help=N_("Tệp PDF đích."))
def print_ranking_command(month, paper, atlas, ward_code, lang, output) -> None:
    from geo import formatting as fmt
    from webapp import printing

    lang = language()  # this command's --lang (choose_language), else the command line's
    try:  # fmt.BadMonth and printing.PrintError: the message is for the user
        month, paper = fmt.parse_month(month), printing.check_paper(paper)
    except ValueError as bad:
        raise refused(bad) from None
    with engine_without_app() as engine, engine.connect() as conn:
        ward = ward_or_fail(conn, ward_code, N_("in bản đồ"))
        body = printing.ranking_pdf(conn, ward, month, paper, atlas, locale=lang)
    with open(output, "wb") as out:
        out.write(body)
    done = dict(month=fmt.month(month, locale=language()), ward=ward.name, paper=paper,
                output=output)
    click.echo(_("Đã in bản đồ xếp hạng tháng %(month)s (%(ward)s, khổ %(paper)s, kèm trang "
                 "từng khu phố) ra %(output)s.", **done) if atlas
               else _("Đã in bản đồ xếp hạng tháng %(month)s (%(ward)s, khổ %(paper)s) ra "
                      "%(output)s.", **done))


COMMANDS = (print_ranking_command,)
