"""Creating and changing accounts: shared by the CLI, the admin pages and the demo."""

from __future__ import annotations

import unicodedata

from sqlalchemy import Connection

from geo.i18n import N_, Message
from models import records
from webapp.auth.passwords import generate_password, hash_password, password_problem
from webapp.auth.permissions import INSTALLATION_ROLES

DEMO_USERS = (
    ("quantri", "superadmin", "Quản trị hệ thống (mô phỏng)"),
    ("admin", "admin", "Quản trị viên (mô phỏng)"),
    ("congan", "police", "Cán bộ Công an phường (mô phỏng)"),
    ("dothi", "urban_staff", "Cán bộ quản lý đô thị (mô phỏng)"),
    ("lanhdao", "leader", "Lãnh đạo phường (mô phỏng)"),
)


class UserError(ValueError):
    """A user change that cannot be made; the message (``args[0]``, a ``geo.i18n.Message``)
    is for the person making it, said in their language where shown."""


def normalise_username(username: str) -> str:
    """The one form of a username for storage, lookup and the sign-in limiter: NFC,
    casefolded, without surrounding whitespace (NBSP included) or invisible characters —
    otherwise " admin" or "admin\u00a0" would be another key to the per-account limit.

    >>> normalise_username("\u00a0Admin\u200b "), normalise_username("ĐỖ")
    ('admin', 'đỗ')
    """
    text = unicodedata.normalize("NFC", username)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))
    return text.strip().casefold()


def create_user(conn: Connection, ward_id: int | None, username: str, role: str,
                password: str | None = None, full_name: str | None = None,
                by_user_id: int | None = None) -> tuple[int, str]:
    """Create a user; returns (id, password) — the password generated if none was given."""
    username = normalise_username(username)
    if role not in records.ROLES:
        raise UserError(Message(N_("Vai trò không hợp lệ: %(role)s. Chọn một trong: "
                                   "%(roles)s."), role=role, roles=", ".join(records.ROLES)))
    if (role in INSTALLATION_ROLES) != (ward_id is None):
        raise UserError(Message(N_("Chỉ tài khoản quản trị hệ thống (superadmin) và cán bộ cấp "
                                   "tỉnh (province) không thuộc phường nào; mọi vai trò khác "
                                   "phải thuộc một phường.")))
    if records.user_by_username(conn, username) is not None:
        raise UserError(Message(N_("Tên đăng nhập '%(username)s' đã có người dùng."),
                                username=username))
    password = password or generate_password()
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    user_id = records.add_user(conn, ward_id, username, hash_password(password), role,
                               unicodedata.normalize("NFC", full_name) if full_name else None)
    records.audit(conn, ward_id, by_user_id, "user_created", "user", user_id, username=username,
                  role=role)
    return user_id, password


def set_password(conn: Connection, username: str, password: str | None = None,
                 by_user_id: int | None = None) -> str:
    row = records.user_by_username(conn, normalise_username(username))
    if row is None:
        raise UserError(Message(N_("Không có người dùng '%(username)s'."), username=username))
    password = password or generate_password()
    problem = password_problem(password)
    if problem:
        raise UserError(problem)
    records.update_user(conn, row.id, password_hash=hash_password(password), end_sessions=True)
    records.audit(conn, row.ward_id, by_user_id, "password_changed", "user", row.id)
    return password


def set_active(conn: Connection, username: str, active: bool,
               by_user_id: int | None = None) -> None:
    row = records.user_by_username(conn, normalise_username(username))
    if row is None:
        raise UserError(Message(N_("Không có người dùng '%(username)s'."), username=username))
    records.update_user(conn, row.id, active=active, end_sessions=not active)
    records.audit(conn, row.ward_id, by_user_id, "user_enabled" if active else "user_disabled",
                  "user", row.id)


def create_demo_users(conn: Connection, ward_id: int,
                      passwords: dict[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """One user per role for the demo ward, and a super-admin if the installation has none
    (so someone trying the demo can set up a real ward): {username: (role, password)}."""
    created = {}
    for username, role, full_name in DEMO_USERS:
        if records.user_by_username(conn, username) is not None:
            continue
        if role == "superadmin" and records.superadmins(conn):
            continue
        _, password = create_user(conn, None if role == "superadmin" else ward_id, username,
                                  role, (passwords or {}).get(username), full_name)
        created[username] = (role, password)
    return created
