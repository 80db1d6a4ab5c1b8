"""``urbanorder ward …`` and ``urbanorder plan …``: set up a ward and its plan, no Python."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.commands import LazyChoice, database


def _presets() -> dict:
    from geo.plan import presets

    return presets()


def _fail(err: Exception):
    raise click.ClickException(str(err)) from None


@click.group("ward", cls=AppGroup)
def ward_group() -> None:
    """Tạo, xem, đổi ranh giới, xóa phường. Create, list, re-outline, remove wards."""


@ward_group.command("create")
@click.option("--code", required=True, help="Mã phường, vd. ho-nai (chữ thường, số, -).")
@click.option("--name", required=True, help="Tên phường, vd. “Phường Hồ Nai”.")
@click.option("--province", help="Tỉnh/thành phố (chọn hệ VN-2000), vd. “Đồng Nai”.")
@click.option("--boundary", "boundary_file", required=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Ranh giới: GeoJSON, GeoPackage, Shapefile .zip hoặc KML (mọi hệ tọa độ).")
@click.option("--crs", "metric_epsg", type=int,
              help="Hệ tọa độ mét của phường (EPSG), mặc định theo tỉnh: 5897 Hà Nội, 9210 "
                   "TP.HCM, 9212 Bình Phước cũ, 5899 Đồng Nai…")
@click.option("--source-crs", "source_epsg", type=int,
              help="EPSG của tệp ranh giới khi tệp không ghi (.prj thiếu).")
@click.option("--plan", "preset", default="mac-dinh", show_default=True,
              type=LazyChoice(lambda: sorted(_presets())),
              help="Kế hoạch khởi đầu (mẫu trong data/plans).")
def ward_create(code, name, province, boundary_file, metric_epsg, source_epsg, preset) -> None:
    """Tạo phường mới từ tệp ranh giới."""
    from geo import formatting as fmt
    from webapp.services import wards as service
    db = database()

    try:
        outline = service.read_outline(Path(boundary_file), source_epsg)
        with db.transaction() as tx:
            made = service.create(tx, code=code, name=name, province=province, outline=outline,
                                  metric_epsg=metric_epsg, preset=preset)
    except service.WardError as err:
        _fail(err)
    for note in made["notes"]:
        click.echo(f"  Lưu ý: {note}")
    click.echo(f"Đã tạo {made['name']} (mã {made['code']}): "
               f"{fmt.number(made['area_km2'], 2)} km², hệ tọa độ mét EPSG:{made['metric_epsg']} "
               f"— {made['crs_reason']}; kế hoạch: {made['plan']}.")
    click.echo(f"Tiếp theo: urbanorder user add TÊN --role admin --ward {made['code']}; "
               f"urbanorder import khu-pho.zip --layer neighbourhoods --ward {made['code']}.")


@ward_group.command("list")
def ward_list() -> None:
    """Liệt kê các phường và dữ liệu của từng phường."""
    from models import queries
    from webapp.services import wards as service
    db = database()

    with db.engine.connect() as conn:
        wards = queries.wards(conn)
        if not wards:
            click.echo("Chưa có phường nào. Tạo: urbanorder ward create --code … --name … "
                       "--boundary ranh-gioi.geojson")
            return
        for ward in wards:
            held = service.holdings(conn, ward.id)
            tag = " [MÔ PHỎNG]" if ward.is_synthetic else ""
            click.echo(f"{ward.code:<20} {ward.name}{tag} — {ward.province or 'không rõ tỉnh'}, "
                       f"EPSG:{ward.metric_epsg}; khu phố {held['setup']['neighbourhood']}, "
                       f"đường {held['setup']['street']}, tài khoản {held['setup']['app_user']}, "
                       f"cơ sở trọ {held['records']['boarding_house']}, vụ vi phạm "
                       f"{held['records']['incident']}")


@ward_group.command("set-boundary")
@click.argument("code")
@click.option("--boundary", "boundary_file", required=True,
              type=click.Path(exists=True, dir_okay=False))
@click.option("--source-crs", "source_epsg", type=int, help="EPSG của tệp khi tệp không ghi.")
@click.option("--dry-run", is_flag=True, help="Chỉ báo cáo, không đổi.")
def ward_set_boundary(code, boundary_file, source_epsg, dry_run) -> None:
    """Đổi ranh giới phường; báo các đối tượng nằm ngoài ranh giới mới."""
    from geo import formatting as fmt
    from webapp.services import wards as service
    db = database()

    try:
        outline = service.read_outline(Path(boundary_file), source_epsg)
        with db.transaction() as tx:
            ward = service.ward_named(tx, code)
            if dry_run:
                report = {"outside": service.outside(tx, ward, outline.shape), "moved": {},
                          "notes": outline.notes}
            else:
                report = service.set_boundary(tx, ward, outline, None)
    except service.WardError as err:
        _fail(err)
    for note in report["notes"]:
        click.echo(f"  Lưu ý: {note}")
    for item in report["outside"].values():
        click.echo(f"Ngoài ranh giới mới (quá {fmt.integer(service.OUTSIDE_TOLERANCE_M)} m): "
                   f"{item['count']} {item['label']}")
        for feature_id, label, metres in item["examples"][:10]:
            click.echo(f"    #{feature_id} {label} — cách ranh giới {metres} m")
    if not report["outside"]:
        click.echo("Mọi đối tượng của phường nằm trong ranh giới mới.")
    if dry_run:
        click.echo("Kiểm tra thử: chưa đổi gì.")
        return
    moved = ", ".join(f"{service.LAYER_LABELS[k]}: {v}" for k, v in report["moved"].items())
    click.echo(f"Đã đổi ranh giới {ward.name} ({fmt.number(report['area_km2'], 2)} km²); "
               f"gán lại khu phố — {moved}.")


@ward_group.command("remove")
@click.argument("code")
@click.option("--force", is_flag=True, help="Xóa cả khi phường đã có dữ liệu (vụ việc, nhà trọ…).")
@click.option("--yes", is_flag=True, help="Không hỏi lại.")
def ward_remove(code, force, yes) -> None:
    """Xóa một phường và mọi dữ liệu của nó (hỏi lại trước khi xóa)."""
    from webapp.services import wards as service
    db = database()

    with db.engine.connect() as conn:
        try:
            ward = service.ward_named(conn, code)
        except service.WardError as err:
            _fail(err)
        held = service.holdings(conn, ward.id)
    listed = ", ".join(f"{n} {service.RECORD_LABELS[k]}" for k, n in held["records"].items() if n)
    click.echo(f"{ward.name} ({ward.code}): {listed or 'chưa có dữ liệu nghiệp vụ'}; "
               f"{held['setup']['neighbourhood']} khu phố, {held['setup']['street']} đoạn đường, "
               f"{held['setup']['app_user']} tài khoản.")
    if not yes:
        click.confirm(f"Xóa hẳn {ward.name} và mọi dữ liệu trên?", abort=True)
    try:
        with db.transaction() as tx:
            service.remove(tx, ward, None, force=force)
    except service.WardError as err:
        _fail(err)
    click.echo(f"Đã xóa {ward.name}.")


@click.group("plan", cls=AppGroup)
def plan_group() -> None:
    """Kế hoạch của phường: xuất, nhập (YAML), các mẫu. A ward's plan as YAML."""


@plan_group.command("presets")
def plan_presets() -> None:
    """Các kế hoạch mẫu có sẵn (data/plans)."""
    from geo.plan import presets

    for code, name in presets().items():
        click.echo(f"{code:<14} {name}")


@plan_group.command("export")
@click.option("--ward", "ward_code", help="Mã phường.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def plan_export(ward_code, output) -> None:
    """Xuất kế hoạch đang áp dụng của phường ra tệp YAML."""
    from webapp.services import plans as plan_service
    from webapp.services import wards as service
    db = database()

    with db.engine.connect() as conn:
        try:
            ward = service.ward_named(conn, ward_code, "xuất kế hoạch")
        except service.WardError as err:
            _fail(err)
        plan = plan_service.plan_for(conn, ward)
    Path(output).write_text(plan.to_yaml(), encoding="utf-8")
    click.echo(f"Đã xuất kế hoạch “{plan.name}” ({plan.version}) của {ward.name} vào {output}.")


@plan_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--ward", "ward_code", help="Mã phường.")
def plan_import(file, ward_code) -> None:
    """Nhập kế hoạch từ tệp YAML thành phiên bản mới của phường."""
    from geo.plan import PlanError
    from webapp.services import plans as plan_service
    from webapp.services import wards as service
    db = database()

    try:
        plan = plan_service.from_upload(Path(file).read_text(encoding="utf-8"))
        with db.transaction() as tx:
            ward = service.ward_named(tx, ward_code, "nhập kế hoạch")
            stored = plan_service.save(tx, ward, plan, None, action="import_plan")
    except PlanError as err:
        raise click.ClickException("Kế hoạch chưa dùng được:\n  - " +
                                   "\n  - ".join(err.problems)) from None
    except (service.WardError, UnicodeDecodeError) as err:
        _fail(err)
    click.echo(f"Đã nhập kế hoạch “{stored.name}” thành phiên bản {stored.version} của "
               f"{ward.name}.")


COMMANDS = (ward_group, plan_group)
