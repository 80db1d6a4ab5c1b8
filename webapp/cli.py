"""The ``urbanorder`` command: init, demo, serve (plus Flask's routes and shell).

It speaks Vietnamese, or English with ``--lang en`` (or ``URBANORDER_LANG=en``):
``webapp.commands.language``.
"""

from __future__ import annotations

import copy
import time

import click
from flask import current_app
from flask.cli import FlaskGroup

from webapp import create_app
from webapp.commands import (
    LANGUAGE_VARIABLE,
    LANGUAGES,
    N_,
    AppGroup,
    LazyChoice,
    _,
    backup,
    choose_language,
    exchange,
    option,
    printing,
    refused,
    said_by_us,
    setup,
    ward_or_fail,
)
from webapp.commands import database as _database

# The options Flask gives its group, in our words (Flask's own are English only).
_FLASK_OPTIONS = {
    "env_file": N_("Nạp biến môi trường từ tệp này (cần python-dotenv); biến đã có trong môi "
                   "trường vẫn được ưu tiên."),
    "app": N_("Ứng dụng Flask hoặc hàm tạo ứng dụng cần nạp, dạng “module:tên” (mặc định: "
              "ứng dụng urbanorder)."),
    "debug": N_("Bật hoặc tắt chế độ gỡ lỗi."),
    "version": N_("Hiện phiên bản Python, Flask và Werkzeug rồi thoát."),
}


class _Commands(AppGroup, FlaskGroup):
    """Flask's group that finds its own commands without building the app (the app adds
    none) or loading the installed extensions' plugin commands (still found by name, e.g.
    ``urbanorder limiter``), so ``urbanorder --help`` answers at once; its help, its
    commands' and its options' are said in the user's language (``AppGroup``). Flask's own
    commands (run, shell, routes: a developer's, not a ward's) keep Flask's English."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Copies: Flask's options are shared by every Flask command line of the process.
        self.params = [said_by_us(copy.copy(param), _FLASK_OPTIONS[param.name])
                       if param.name in _FLASK_OPTIONS else param for param in self.params]

    def list_commands(self, ctx) -> list[str]:
        return sorted(self.commands)

    def get_command(self, ctx, name: str):
        return self.commands.get(name) or super().get_command(ctx, name)


@click.group(cls=_Commands, create_app=create_app, load_dotenv=False, set_debug_flag=False,
             help=N_("urbanorder — bản đồ trật tự đô thị phường.\n\nCác lệnh hiển thị tiếng "
                     "Việt; thêm --lang en (đặt trước --help) hoặc đặt URBANORDER_LANG=en để "
                     "hiển thị tiếng Anh."))
@option("--lang", type=click.Choice(LANGUAGES), envvar=LANGUAGE_VARIABLE, is_eager=True,
        expose_value=False, callback=choose_language,
        help=N_("Ngôn ngữ của lệnh: vi (mặc định) hoặc en; hoặc biến URBANORDER_LANG."))
def cli() -> None:
    pass


def _roles() -> dict[str, str]:
    from webapp.auth.permissions import ROLE_LABELS

    return ROLE_LABELS


def _role_label(role: str) -> str:
    return _(_roles()[role])


def _migrate() -> None:
    from models import migrate

    db = _database()
    started = time.perf_counter()
    migrate.upgrade(db.engine)
    seconds = f"{time.perf_counter() - started:.1f}"
    click.echo(_("Cơ sở dữ liệu sẵn sàng (%(dialect)s, %(seconds)s s).",
                 dialect=db.engine.dialect.name, seconds=seconds))


@cli.command("init", help=N_("Tạo hoặc nâng cấp lược đồ CSDL (Alembic)."))
def init_command() -> None:
    _migrate()


@cli.command("demo", help=N_("Nạp dữ liệu MÔ PHỎNG phường Tam Phước."))
@option("--replace", is_flag=True, help=N_("Xóa và tạo lại dữ liệu mô phỏng."))
@option("--if-empty", is_flag=True,
        help=N_("Chỉ nạp khi CSDL chưa có phường và chưa có tài khoản nào."))
@option("--remove", is_flag=True, help=N_("Xóa phường mô phỏng (các phường thật giữ nguyên)."))
@option("--seed", default=2026, show_default=True, help=N_("Hạt giống sinh dữ liệu."))
def demo_command(replace: bool, if_empty: bool, remove: bool, seed: int) -> None:
    from models import queries, records
    from webapp.demo import load_demo, remove_demo

    db = _database()
    _migrate()
    if remove:
        removed = remove_demo(db.engine)
        click.echo(_("Đã xóa phường mô phỏng %(name)s.", name=removed) if removed
                   else _("Không có phường mô phỏng nào."))
        return
    with db.engine.connect() as conn:
        if if_empty and (queries.wards(conn) or records.any_user(conn)):
            click.echo(_("CSDL đã có phường hoặc tài khoản — không nạp dữ liệu mô phỏng."))
            return
    started = time.perf_counter()
    counts = load_demo(db.engine, replace=replace, seed=seed, echo=lambda m: click.echo(_(m)))
    if counts is None:
        click.echo(_("Dữ liệu mô phỏng Tam Phước đã có — bỏ qua (dùng --replace để tạo lại)."))
        return
    users = counts.pop("users")
    summary = ", ".join(f"{name}: {count}" for name, count in counts.items())
    seconds = f"{time.perf_counter() - started:.1f}"
    click.echo(_("Đã nạp dữ liệu mô phỏng sau %(seconds)s s — %(summary)s.",
                 seconds=seconds, summary=summary))
    if users:
        click.echo("\n" + _("Tài khoản mô phỏng (mật khẩu chỉ in MỘT lần này — hãy ghi lại):"))
        for username, (role, password) in users.items():
            click.echo(f"  {username:<10} {_role_label(role):<32} "
                       + _("mật khẩu: %(password)s", password=password))
        click.echo(_("Đổi mật khẩu: urbanorder user passwd TÊN") + "\n")


@cli.command("synth", help=N_("Sinh dữ liệu MÔ PHỎNG cấp tỉnh để thử tải."))
@option("--wards", default=100, show_default=True, help=N_("Số phường mô phỏng."))
@option("--houses-per-ward", default=5000, show_default=True,
        help=N_("Số cơ sở cho thuê trọ của mỗi phường."))
@option("--incidents-per-ward", default=20000, show_default=True,
        help=N_("Số vụ việc của mỗi phường."))
def synth_command(wards: int, houses_per_ward: int, incidents_per_ward: int) -> None:
    from webapp.synth import generate_province

    db = _database()
    _migrate()
    started = time.perf_counter()
    totals: dict[str, int] = {}
    with click.progressbar(length=wards, label=_("Sinh và ghi các phường mô phỏng")) as bar:
        for counts in generate_province(db.engine, wards, houses_per_ward=houses_per_ward,
                                        incidents_per_ward=incidents_per_ward,
                                        progress=lambda _code: bar.update(1)):
            for name, value in counts.items():
                if name != "ward_id":
                    totals[name] = totals.get(name, 0) + value
    summary = ", ".join(f"{name}: {count:,}" for name, count in totals.items())
    seconds = f"{time.perf_counter() - started:.0f}"
    click.echo(_("Xong sau %(seconds)s s — %(summary)s.", seconds=seconds,
                 summary=summary or _("đã có sẵn")))


@cli.group("user", help=N_("Quản lý tài khoản."))
def user_group() -> None:
    pass


def _user_action(action):
    from webapp.users import UserError

    try:
        with _database().transaction() as conn:
            return action(conn)
    except UserError as err:
        raise refused(err) from None


@user_group.command("add", help=N_("Tạo tài khoản mới."))
@click.argument("username")
@option("--role", type=LazyChoice(_roles), required=True,
        help=N_("superadmin: quản trị mọi phường; province: xem mọi phường "
                "(cả hai không thuộc phường nào)."))
@option("--ward", "ward_code",
        help=N_("Mã phường (bắt buộc khi có nhiều phường; không dùng cho superadmin, "
                "province)."))
@option("--name", "full_name", help=N_("Họ và tên."))
@option("--password", help=N_("Mật khẩu (để trống: tạo ngẫu nhiên và in ra)."))
def user_add(username, role, ward_code, full_name, password) -> None:
    from webapp.auth.permissions import INSTALLATION_ROLES
    from webapp.users import create_user

    _migrate()  # the first account of a new installation comes before any other command
    ward = None
    if role not in INSTALLATION_ROLES:
        with _database().engine.connect() as conn:
            ward = ward_or_fail(conn, ward_code, N_("tài khoản mới"))
    elif ward_code:
        raise click.ClickException(_("Tài khoản %(role)s không thuộc phường nào: bỏ --ward.",
                                     role=role))
    _user_id, password = _user_action(lambda conn: create_user(
        conn, ward.id if ward else None, username, role, password, full_name))
    click.echo(_("Đã tạo %(username)s (%(role)s, %(ward)s). Mật khẩu: %(password)s",
                 username=username, role=_role_label(role),
                 ward=ward.name if ward else _("mọi phường"), password=password))


@user_group.command("passwd",
                    help=N_("Đặt lại mật khẩu (đăng xuất mọi phiên của người dùng)."))
@click.argument("username")
@option("--password", help=N_("Mật khẩu mới (để trống: tạo ngẫu nhiên và in ra)."))
def user_passwd(username, password) -> None:
    from webapp.users import set_password

    password = _user_action(lambda conn: set_password(conn, username, password))
    click.echo(_("Đã đổi mật khẩu của %(username)s. Mật khẩu mới: %(password)s",
                 username=username, password=password))


@user_group.command("disable", help=N_("Khóa tài khoản (đăng xuất mọi phiên)."))
@click.argument("username")
def user_disable(username) -> None:
    from webapp.users import set_active

    _user_action(lambda conn: set_active(conn, username, False))
    click.echo(_("Đã khóa tài khoản %(username)s.", username=username))


@user_group.command("enable", help=N_("Mở khóa tài khoản."))
@click.argument("username")
def user_enable(username) -> None:
    from webapp.users import set_active

    _user_action(lambda conn: set_active(conn, username, True))
    click.echo(_("Đã mở khóa tài khoản %(username)s.", username=username))


@cli.command("verify",
             help=N_("Kiểm tra chuỗi mã của nhật ký và xếp hạng đã công bố."))
@option("--ward", "ward_code", help=N_("Chỉ kiểm tra phường này (mã phường)."))
def verify_command(ward_code: str | None) -> None:
    from webapp.services.verification import verify
    from webapp.services.wards import WardError

    with _database().engine.connect() as conn:
        try:
            lines, intact = verify(conn, ward_code)
        except WardError as err:
            raise refused(err) from None
    click.echo("\n".join(_(line) for line in lines))
    if not intact:
        raise SystemExit(1)


@cli.command("serve", help=N_("Chạy máy chủ web.\n\nMột tiến trình: waitress; --workers lớn "
                              "hơn 1: gunicorn (chỉ trên Linux/Unix)."))
@option("--host", default="127.0.0.1", show_default=True,
        help=N_("Địa chỉ lắng nghe (0.0.0.0: mọi giao diện mạng)."))
@option("--port", default=5000, show_default=True, type=int, help=N_("Cổng lắng nghe."))
@option("--threads", default=8, show_default=True, type=int,
        help=N_("Số luồng mỗi tiến trình."))
@option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
        help=N_("Số tiến trình (>1: gunicorn, chỉ trên Linux/Unix; 1: waitress)."))
def serve_command(host: str, port: int, threads: int, workers: int) -> None:
    from webapp.serving import serve

    serve(current_app._get_current_object(), host, port, threads, workers)


def main() -> None:
    cli(prog_name="urbanorder")


for _command in (*backup.COMMANDS, *exchange.COMMANDS, *printing.COMMANDS, *setup.COMMANDS):
    cli.add_command(_command)
from webapp.commands.tasks import tasks_group  # noqa: E402  (the plan's tasks: warn, import)

cli.add_command(tasks_group)
