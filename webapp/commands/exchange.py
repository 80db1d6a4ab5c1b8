"""Command-line export and import of layers."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.commands import (
    N_,
    LazyChoice,
    _,
    command,
    database,
    language,
    option,
    refused,
    ward_or_fail,
)


def _layers() -> list[str]:
    from models import queries

    return list(queries.LAYERS)


def _import_layers() -> list[str]:
    from geo.io import IMPORT_LAYERS

    return list(IMPORT_LAYERS)


@command("export", help=N_("Xuất một lớp dữ liệu ra tệp.\n\nKhông kèm thông tin cá nhân trừ "
                            "khi có --personal."))
@with_appcontext
@option("--layer", required=True, type=LazyChoice(_layers), help=N_("Lớp cần xuất."))
@option("--format", "fmt", required=True,
        type=click.Choice(["gpkg", "geojson", "shp", "xlsx", "csv"]), help=N_("Định dạng tệp."))
@option("--crs", default="4326", show_default=True, type=click.Choice(["4326", "ward"]),
        help=N_("EPSG:4326 hoặc hệ VN-2000 của phường."))
@option("--ward", "ward_code", help=N_("Mã phường (bắt buộc khi có nhiều phường)."))
@option("--personal", is_flag=True,
        help=N_("Kèm họ tên, điện thoại, CCCD chủ cơ sở (ghi nhật ký)."))
@option("-o", "--output", required=True, type=click.Path(dir_okay=False), help=N_("Tệp đích."))
def export_command(layer, fmt, crs, ward_code, personal, output) -> None:
    from pathlib import Path

    from webapp.exchange.files import export_layer

    with database().transaction() as conn:
        ward = ward_or_fail(conn, ward_code, N_("xuất dữ liệu"))
        out = export_layer(conn, ward, layer, fmt, crs, personal, None, via="cli",
                           locale=language())
    Path(output).write_bytes(out.body)
    done = dict(rows=out.rows, layer=layer, format=fmt, path=output)
    click.echo(_("Đã xuất %(rows)s đối tượng (%(layer)s, %(format)s) vào %(path)s — CÓ thông "
                 "tin cá nhân, đã ghi nhật ký.", **done) if personal
               else _("Đã xuất %(rows)s đối tượng (%(layer)s, %(format)s) vào %(path)s.", **done))


@command("import", help=N_(
    "Nhập một tệp vào một lớp, tất cả hoặc không.\n\nTệp GeoJSON, GeoPackage, Shapefile .zip, "
    "KML, XLSX hoặc CSV; một dòng có lỗi thì không lưu dòng nào."))
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@option("--layer", required=True, type=LazyChoice(_import_layers), help=N_("Lớp nhận dữ liệu."))
@option("--ward", "ward_code", help=N_("Mã phường (bắt buộc khi có nhiều phường)."))
@option("--map", "mappings", multiple=True, metavar=N_("TRƯỜNG=CỘT"),
        help=N_("Ghép cột, vd. --map name=TEN_KP (lặp lại được)."))
@option("--crs", "source_epsg", type=int, help=N_("EPSG của tệp khi tệp không ghi (vd. 5899)."))
@option("--replace", is_flag=True,
        help=N_("Khu phố, đường phố: thay thế toàn bộ lớp (điểm được gán lại theo vị trí)."))
@option("--snap", is_flag=True,
        help=N_("Khu phố: khớp các khe hở/chồng lấn mỏng hơn dung sai cấu trúc."))
@option("--tolerance", default=50.0, show_default=True,
        help=N_("Dung sai ngoài ranh giới (m)."))
@option("--dry-run", is_flag=True, help=N_("Chỉ kiểm tra, không lưu."))
def import_command(file, layer, ward_code, mappings, source_epsg, replace, snap, tolerance,
                   dry_run) -> None:
    from pathlib import Path

    from geo.io import ReadError
    from webapp.services import exchange

    db = database()
    with db.engine.connect() as conn:
        ward = ward_or_fail(conn, ward_code, N_("nhập dữ liệu"))
        click.echo(_("Phường: %(name)s (%(code)s).", name=ward.name, code=ward.code))
        req = exchange.ImportRequest(Path(file), layer, source_epsg=source_epsg,
                                     replace=replace, tolerance_m=tolerance,
                                     snap_slivers=snap)
        try:
            plan = exchange.dry_run(conn, ward, req)
        except ReadError as err:
            raise refused(err) from None
    mapping = dict(plan.mapping)
    for item in mappings:
        target, _equals, source = item.partition("=")
        if not source:
            raise click.ClickException(_("--map cần dạng TRƯỜNG=CỘT: %(item)s", item=item))
        mapping[target.strip()] = source.strip()
    if mappings:
        req.mapping = mapping
        with db.engine.connect() as conn:
            plan = exchange.dry_run(conn, ward, req)
    _print_plan(plan)
    if dry_run or not plan.ok:
        if not plan.ok:
            raise click.ClickException(_("Không nhập dòng nào (sửa lỗi rồi chạy lại)."))
        click.echo(_("Kiểm tra thử: không lưu gì."))
        return
    with click.progressbar(length=plan.check.total, label=_("Đang nhập")) as bar:
        result = exchange.commit(db.engine, ward, req, None, via="cli", progress=bar.update)
    if layer == "streets":
        click.echo(_("Đã nhập lớp đường phố: %(done)s",
                     done=_(exchange.describe_streets(result))))
        return
    click.echo(_("Đã nhập %(rows)s dòng (%(layer)s): ", rows=result["rows"], layer=layer)
               + ", ".join(f"{k}: {v}" for k, v in result.items() if k not in ("layer", "rows")))


def _print_plan(plan) -> None:
    check = plan.check
    click.echo(_("%(kind)s, %(rows)s dòng, hệ tọa độ %(crs)s.", kind=_(plan.raw.kind),
                 rows=check.total, crs=_(check.source_crs)))
    if plan.mapping:
        click.echo(_("Ghép cột: %(pairs)s",
                     pairs=", ".join(f"{k}←{v}" for k, v in plan.mapping.items())))
    for note in check.notes:
        click.echo("  " + _("Lưu ý: %(note)s", note=_(note)))
    for line in check.summary:
        click.echo(f"  {_(line)}")
    if plan.missing:
        click.echo("  " + _("Thiếu cột bắt buộc: %(fields)s", fields=plan.missing))
    for error in check.errors[:200]:
        click.echo("  " + _("Dòng %(row)s — %(field)s: %(message)s", row=error.row,
                            field=error.field, message=_(error.message)))
    if len(check.errors) > 200:
        click.echo("  " + _("… và %(count)s lỗi khác.", count=len(check.errors) - 200))
    if check.summary:
        return
    click.echo(_("Hợp lệ %(valid)s/%(total)s dòng, %(errors)s lỗi.",
                 valid=check.total - check.error_rows, total=check.total,
                 errors=len(check.errors)))


COMMANDS = (export_command, import_command)
