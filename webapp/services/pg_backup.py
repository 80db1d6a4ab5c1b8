"""PostGIS backups with the server's own tools: ``pg_dump -Fc`` and ``pg_restore``.

The dump and the manifest's table hashes come from one snapshot: the hashes are computed
inside a REPEATABLE READ transaction whose snapshot pg_dump is told to use, so writes made
while the backup runs are in neither (and the manifest describes exactly the dump).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from geo.i18n import N_, Message, Msgid
from models import backup as fingerprinting
from models.engine import make_engine
from webapp.services.backup_archive import BackupError


def _libpq(url: str) -> tuple[str, dict]:
    """A libpq URI without the password (which goes in the environment, not in ``ps``)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    return uri, env


def tool_major(name: str) -> int:
    """The major version of ``pg_dump`` / ``pg_restore`` on PATH."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(Message(
            N_("Không tìm thấy chương trình %(name)s trên máy này (PATH). Hãy cài gói "
               "postgresql-client cùng phiên bản chính với máy chủ PostgreSQL "
               "(Debian/Ubuntu: sudo apt-get install postgresql-client)."), name=name))
    output = subprocess.run([path, "--version"], capture_output=True, text=True,
                            check=False).stdout
    match = re.search(r"\)\s*(\d+)", output)
    if match is None:
        raise BackupError(Message(N_("Không đọc được phiên bản của %(name)s: %(output)s."),
                                  name=name, output=repr(output.strip())))
    return int(match.group(1))


def _run(args: list[str], env: dict, what: str) -> None:
    """Run a tool; ``what`` (a msgid) names the step in the refusal when it fails."""
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-3:]
        raise BackupError(Message(N_("%(what)s không thành công (mã %(code)s): %(detail)s"),
                                  what=Msgid(what), code=done.returncode,
                                  detail=" / ".join(detail)))


def dump(url: str, destination: Path) -> dict:
    """Write ``pg_dump -Fc`` of ``url`` to ``destination``; what the manifest says of it."""
    dump_major = tool_major("pg_dump")
    uri, env = _libpq(url)
    engine = make_engine(url)
    try:
        connection = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with connection as conn, conn.begin():
            server_major = fingerprinting.pg_server_major(conn)
            if dump_major < server_major:
                raise BackupError(Message(
                    N_("pg_dump trên máy này là bản %(dump)s, cũ hơn máy chủ PostgreSQL "
                       "%(server)s: hãy cài postgresql-client-%(server)s."),
                    dump=dump_major, server=server_major))
            snapshot = fingerprinting.pg_export_snapshot(conn)
            _run([shutil.which("pg_dump"), "--format=custom", "--no-owner",
                  "--no-privileges", f"--snapshot={snapshot}", f"--file={destination}",
                  f"--dbname={uri}"], env, N_("Sao lưu bằng pg_dump"))
            return {"tables": fingerprinting.fingerprints(conn),
                    "schema_revision": fingerprinting.schema_revision(conn),
                    "server_version": server_major, "pg_dump_version": dump_major}
    finally:
        engine.dispose()


def restore(dump_file: Path, url: str, *, replace: bool, dump_major: int) -> None:
    """Load ``dump_file`` into ``url`` in one transaction (``replace``: drop what it holds).

    Extension comments are left out: only the extension's owner may set them, and a ward's
    database user is usually not a superuser.
    """
    restore_major = tool_major("pg_restore")
    if restore_major < dump_major:
        raise BackupError(Message(N_("pg_restore trên máy này là bản %(restore)s, cũ hơn "
                                     "pg_dump %(dump)s đã tạo bản sao lưu: hãy cài "
                                     "postgresql-client %(dump)s trở lên."),
                                  restore=restore_major, dump=dump_major))
    uri, env = _libpq(url)
    pg_restore = shutil.which("pg_restore")
    listing = subprocess.run([pg_restore, "--list", str(dump_file)], capture_output=True,
                             text=True, check=False)
    if listing.returncode != 0:
        raise BackupError(Message(N_("Tệp dữ liệu PostgreSQL trong bản sao lưu bị hỏng "
                                     "(pg_restore không đọc được).")))
    kept = [line for line in listing.stdout.splitlines() if " COMMENT - EXTENSION " not in line]
    list_file = dump_file.with_suffix(".list")
    list_file.write_text("\n".join(kept) + "\n")
    args = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
            "--single-transaction", f"--use-list={list_file}", f"--dbname={uri}"]
    if replace:
        args += ["--clean", "--if-exists"]
    _run([*args, str(dump_file)], env, N_("Phục hồi bằng pg_restore"))
