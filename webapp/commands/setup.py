"""``urbanorder ward …`` and ``urbanorder plan …``: set up a ward and its plan, no Python."""

from __future__ import annotations

from pathlib import Path

import click

from webapp.commands import N_, AppGroup, LazyChoice, _, database, group, language, option, refused


def _presets() -> dict:
    from geo.plan import presets

    return presets()


def _fail(err: Exception):
    raise refused(err) from None


@group("ward", cls=AppGroup, help=N_("Tạo, xem, đổi ranh giới, xóa phường."))
def ward_group() -> None:
    pass


@ward_group.command("create", help=N_("Tạo phường mới từ tệp ranh giới."))
@option("--code", required=True, help=N_("Mã phường, vd. ho-nai (chữ thường, số, -)."))
@option("--name", required=True, help=N_("Tên phường, vd. “Phường Hồ Nai”."))
@option("--province", help=N_("Tỉnh/thành phố (chọn hệ VN-2000), vd. “Đồng Nai”."))
@option("--boundary", "boundary_file", required=True,
        type=click.Path(exists=True, dir_okay=False),
        help=N_("Ranh giới: GeoJSON, GeoPackage, Shapefile .zip hoặc KML (mọi hệ tọa độ)."))
@option("--crs", "metric_epsg", type=int,
        help=N_("Hệ tọa độ mét của phường (EPSG), mặc định theo tỉnh: 5897 Hà Nội, 9210 "
                "TP.HCM, 9212 Bình Phước cũ, 5899 Đồng Nai…"))
@option("--source-crs", "source_epsg", type=int,
        help=N_("EPSG của tệp ranh giới khi tệp không ghi (.prj thiếu)."))
@option("--plan", "preset", default="mac-dinh", show_default=True,
        type=LazyChoice(lambda: sorted(_presets())),
        help=N_("Kế hoạch khởi đầu (mẫu trong data/plans)."))
def ward_create(code, name, province, boundary_file, metric_epsg, source_epsg, preset) -> None:
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
        click.echo("  " + _("Lưu ý: %(note)s", note=_(note)))
    click.echo(_("Đã tạo %(name)s (mã %(code)s): %(area)s km², hệ tọa độ mét EPSG:%(epsg)s — "
                 "%(reason)s; kế hoạch: %(plan)s.", name=made["name"], code=made["code"],
                 area=fmt.number(made["area_km2"], 2, locale=language()),
                 epsg=made["metric_epsg"], reason=_(made["crs_reason"]), plan=made["plan"]))
    click.echo(_("Tiếp theo: urbanorder user add TÊN --role admin --ward %(code)s; urbanorder "
                 "import khu-pho.zip --layer neighbourhoods --ward %(code)s.", code=made["code"]))


@ward_group.command("list", help=N_("Liệt kê các phường và dữ liệu của từng phường."))
def ward_list() -> None:
    from models import queries
    from webapp.services import wards as service
    db = database()

    with db.engine.connect() as conn:
        wards = queries.wards(conn)
        if not wards:
            click.echo(_("Chưa có phường nào. Tạo: urbanorder ward create --code … --name … "
                         "--boundary ranh-gioi.geojson"))
            return
        for ward in wards:
            held = service.holdings(conn, ward.id)
            tag = " " + _("[MÔ PHỎNG]") if ward.is_synthetic else ""
            click.echo(f"{ward.code:<20} {ward.name}{tag} — " + _(
                "%(province)s, EPSG:%(epsg)s; khu phố %(neighbourhoods)s, đường %(streets)s, "
                "tài khoản %(users)s, cơ sở trọ %(houses)s, vụ vi phạm %(incidents)s",
                province=ward.province or _("không rõ tỉnh"), epsg=ward.metric_epsg,
                neighbourhoods=held["setup"]["neighbourhood"], streets=held["setup"]["street"],
                users=held["setup"]["app_user"], houses=held["records"]["boarding_house"],
                incidents=held["records"]["incident"]))


@ward_group.command("set-boundary", help=N_(
    "Đổi ranh giới phường.\n\nBáo các đối tượng nằm ngoài ranh giới mới; --dry-run chỉ báo "
    "cáo, không đổi gì."))
@click.argument("code")
@option("--boundary", "boundary_file", required=True,
        type=click.Path(exists=True, dir_okay=False),
        help=N_("Ranh giới: GeoJSON, GeoPackage, Shapefile .zip hoặc KML (mọi hệ tọa độ)."))
@option("--source-crs", "source_epsg", type=int, help=N_("EPSG của tệp khi tệp không ghi."))
@option("--dry-run", is_flag=True, help=N_("Chỉ báo cáo, không đổi."))
def ward_set_boundary(code, boundary_file, source_epsg, dry_run) -> None:
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
    locale = language()
    for note in report["notes"]:
        click.echo("  " + _("Lưu ý: %(note)s", note=_(note)))
    for item in report["outside"].values():
        click.echo(_("Ngoài ranh giới mới (quá %(metres)s m): %(count)s %(label)s",
                     metres=fmt.integer(service.OUTSIDE_TOLERANCE_M, locale=locale),
                     count=item["count"], label=_(item["label"])))
        for feature_id, label, metres in item["examples"][:10]:
            click.echo(f"    #{feature_id} " + _("%(label)s — cách ranh giới %(metres)s m",
                                                 label=label, metres=metres))
    if not report["outside"]:
        click.echo(_("Mọi đối tượng của phường nằm trong ranh giới mới."))
    if dry_run:
        click.echo(_("Kiểm tra thử: chưa đổi gì."))
        return
    moved = ", ".join(f"{_(service.LAYER_LABELS[k])}: {v}" for k, v in report["moved"].items())
    click.echo(_("Đã đổi ranh giới %(name)s (%(area)s km²); gán lại khu phố — %(moved)s.",
                 name=ward.name, area=fmt.number(report["area_km2"], 2, locale=locale),
                 moved=moved))


@ward_group.command("remove", help=N_(
    "Xóa một phường và mọi dữ liệu của nó.\n\nHỏi lại trước khi xóa (trừ khi có --yes)."))
@click.argument("code")
@option("--force", is_flag=True,
        help=N_("Xóa cả khi phường đã có dữ liệu (vụ việc, nhà trọ…)."))
@option("--yes", is_flag=True, help=N_("Không hỏi lại."))
def ward_remove(code, force, yes) -> None:
    from webapp.services import wards as service
    db = database()

    with db.engine.connect() as conn:
        try:
            ward = service.ward_named(conn, code)
        except service.WardError as err:
            _fail(err)
        held = service.holdings(conn, ward.id)
    listed = ", ".join(_("%(count)s %(label)s", count=n, label=_(service.RECORD_LABELS[k]))
                       for k, n in held["records"].items() if n)
    click.echo(f"{ward.name} ({ward.code}): " + _(
        "%(records)s; %(neighbourhoods)s khu phố, %(streets)s đoạn đường, %(users)s tài khoản.",
        records=listed or _("chưa có dữ liệu nghiệp vụ"),
        neighbourhoods=held["setup"]["neighbourhood"], streets=held["setup"]["street"],
        users=held["setup"]["app_user"]))
    if not yes:
        click.confirm(_("Xóa hẳn %(name)s và mọi dữ liệu trên?", name=ward.name), abort=True)
    try:
        with db.transaction() as tx:
            service.remove(tx, ward, None, force=force)
    except service.WardError as err:
        _fail(err)
    click.echo(_("Đã xóa %(name)s.", name=ward.name))


@group("plan", cls=AppGroup, help=N_("Kế hoạch của phường: xuất, nhập (YAML), các mẫu."))
def plan_group() -> None:
    pass


@plan_group.command("presets", help=N_("Các kế hoạch mẫu có sẵn (data/plans)."))
def plan_presets() -> None:
    from geo.plan import presets

    for code, name in presets().items():
        click.echo(f"{code:<14} {name}")


@plan_group.command("export",
                    help=N_("Xuất kế hoạch đang áp dụng của phường ra tệp YAML."))
@option("--ward", "ward_code", help=N_("Mã phường."))
@option("-o", "--output", required=True, type=click.Path(dir_okay=False), help=N_("Tệp đích."))
def plan_export(ward_code, output) -> None:
    from webapp.services import plans as plan_service
    from webapp.services import wards as service
    db = database()

    with db.engine.connect() as conn:
        try:
            ward = service.ward_named(conn, ward_code, N_("xuất kế hoạch"))
        except service.WardError as err:
            _fail(err)
        plan = plan_service.plan_for(conn, ward)
    Path(output).write_text(plan.to_yaml(), encoding="utf-8")
    click.echo(_("Đã xuất kế hoạch “%(plan)s” (%(version)s) của %(ward)s vào %(path)s.",
                 plan=plan.name, version=plan.version, ward=ward.name, path=output))


@plan_group.command("import",
                    help=N_("Nhập kế hoạch từ tệp YAML thành phiên bản mới của phường."))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@option("--ward", "ward_code", help=N_("Mã phường."))
def plan_import(file, ward_code) -> None:
    from geo.plan import PlanError
    from webapp.services import plans as plan_service
    from webapp.services import wards as service
    db = database()

    try:
        plan = plan_service.from_upload(Path(file).read_text(encoding="utf-8"))
        with db.transaction() as tx:
            ward = service.ward_named(tx, ward_code, N_("nhập kế hoạch"))
            stored = plan_service.save(tx, ward, plan, None, action="import_plan")
    except PlanError as err:
        raise click.ClickException(_("Kế hoạch chưa dùng được:") + "\n  - " +
                                   "\n  - ".join(_(p) for p in err.problems)) from None
    except (service.WardError, UnicodeDecodeError) as err:
        _fail(err)
    click.echo(_("Đã nhập kế hoạch “%(plan)s” thành phiên bản %(version)s của %(ward)s.",
                 plan=stored.name, version=stored.version, ward=ward.name))


COMMANDS = (ward_group, plan_group)
