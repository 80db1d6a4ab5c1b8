"""Command-line export and import of layers."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.commands import LazyChoice, database, ward_or_fail


def _layers() -> list[str]:
    from models import queries

    return list(queries.LAYERS)


def _import_layers() -> list[str]:
    from geo.io import IMPORT_LAYERS

    return list(IMPORT_LAYERS)


@click.command("export")
@with_appcontext
@click.option("--layer", required=True, type=LazyChoice(_layers))
@click.option("--format", "fmt", required=True,
              type=click.Choice(["gpkg", "geojson", "shp", "xlsx", "csv"]))
@click.option("--crs", default="4326", show_default=True, type=click.Choice(["4326", "ward"]),
              help="EPSG:4326 hoặc hệ VN-2000 của phường.")
@click.option("--ward", "ward_code", help="Mã phường (bắt buộc khi có nhiều phường).")
@click.option("--personal", is_flag=True,
              help="Kèm họ tên, điện thoại, CCCD chủ cơ sở (ghi nhật ký).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def export_command(layer, fmt, crs, ward_code, personal, output) -> None:
    """Xuất một lớp dữ liệu ra tệp. Export a layer (no personal data unless --personal)."""
    from pathlib import Path

    from webapp.exchange.files import export_layer

    with database().transaction() as conn:
        ward = ward_or_fail(conn, ward_code, "xuất dữ liệu")
        out = export_layer(conn, ward, layer, fmt, crs, personal, None, via="cli")
    Path(output).write_bytes(out.body)
    click.echo(f"Đã xuất {out.rows} đối tượng ({layer}, {fmt}) vào {output}"
               + (" — CÓ thông tin cá nhân, đã ghi nhật ký." if personal else "."))


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--layer", required=True, type=LazyChoice(_import_layers))
@click.option("--ward", "ward_code", help="Mã phường (bắt buộc khi có nhiều phường).")
@click.option("--map", "mappings", multiple=True, metavar="TRƯỜNG=CỘT",
              help="Ghép cột, vd. --map name=TEN_KP (lặp lại được).")
@click.option("--crs", "source_epsg", type=int, help="EPSG của tệp khi tệp không ghi (vd. 5899).")
@click.option("--replace", is_flag=True,
              help="Khu phố, đường phố: thay thế toàn bộ lớp (điểm được gán lại theo vị trí).")
@click.option("--snap", is_flag=True,
              help="Khu phố: khớp các khe hở/chồng lấn mỏng hơn dung sai cấu trúc.")
@click.option("--tolerance", default=50.0, show_default=True, help="Dung sai ngoài ranh giới (m).")
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra, không lưu.")
def import_command(file, layer, ward_code, mappings, source_epsg, replace, snap, tolerance,
                   dry_run) -> None:
    """Nhập tệp GeoJSON/GPKG/Shapefile zip/KML/XLSX/CSV vào một lớp (tất cả hoặc không)."""
    from pathlib import Path

    from geo.io import ReadError
    from webapp.services import exchange

    db = database()
    with db.engine.connect() as conn:
        ward = ward_or_fail(conn, ward_code, "nhập dữ liệu")
        click.echo(f"Phường: {ward.name} ({ward.code}).")
        req = exchange.ImportRequest(Path(file), layer, source_epsg=source_epsg,
                                     replace=replace, tolerance_m=tolerance,
                                     snap_slivers=snap)
        try:
            plan = exchange.dry_run(conn, ward, req)
        except ReadError as err:
            raise click.ClickException(str(err)) from None
    mapping = dict(plan.mapping)
    for item in mappings:
        target, _, source = item.partition("=")
        if not source:
            raise click.ClickException(f"--map cần dạng TRƯỜNG=CỘT: {item}")
        mapping[target.strip()] = source.strip()
    if mappings:
        req.mapping = mapping
        with db.engine.connect() as conn:
            plan = exchange.dry_run(conn, ward, req)
    _print_plan(plan)
    if dry_run or not plan.ok:
        if not plan.ok:
            raise click.ClickException("Không nhập dòng nào (sửa lỗi rồi chạy lại).")
        click.echo("Kiểm tra thử: không lưu gì.")
        return
    with click.progressbar(length=plan.check.total, label="Đang nhập") as bar:
        result = exchange.commit(db.engine, ward, req, None, via="cli", progress=bar.update)
    if layer == "streets":
        click.echo(f"Đã nhập lớp đường phố: {exchange.describe_streets(result)}")
        return
    click.echo(f"Đã nhập {result['rows']} dòng ({layer}): "
               + ", ".join(f"{k}: {v}" for k, v in result.items() if k not in ("layer", "rows")))


def _print_plan(plan) -> None:
    check = plan.check
    click.echo(f"{plan.raw.kind}, {check.total} dòng, hệ tọa độ {check.source_crs}.")
    if plan.mapping:
        click.echo("Ghép cột: " + ", ".join(f"{k}←{v}" for k, v in plan.mapping.items()))
    for note in check.notes:
        click.echo(f"  Lưu ý: {note}")
    for line in check.summary:
        click.echo(f"  {line}")
    if plan.missing:
        click.echo(f"  Thiếu cột bắt buộc: {', '.join(plan.missing)}")
    for error in check.errors[:200]:
        click.echo(f"  Dòng {error.row} — {error.field}: {error.message}")
    if len(check.errors) > 200:
        click.echo(f"  … và {len(check.errors) - 200} lỗi khác.")
    if check.summary:
        return
    click.echo(f"Hợp lệ {check.total - check.error_rows}/{check.total} dòng, "
               f"{len(check.errors)} lỗi.")


COMMANDS = (export_command, import_command)
