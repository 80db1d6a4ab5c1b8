"""Throw-away PostgreSQL clusters: a primary and hot-standby replicas made from it with
``pg_basebackup``, each on its own port under one temporary folder, removed afterwards.

The machine's own server is left alone (it is not reconfigured for replication, and a
base backup of it would copy every database on it). PostgreSQL refuses to run as root, so
as root the server programs run as the ``postgres`` account.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

PG_LIB = Path("/usr/lib/postgresql")
PG_SHARE = Path("/usr/share/postgresql")
# Durability is not what a throw-away cluster is for. Commits stay synchronous: a commit
# returns once its WAL is written, which read-your-own-writes relies on (docs/scaling.md).
FAST = ("-c", "fsync=off", "-c", "full_page_writes=off")


def server_binaries() -> Path | None:
    """The newest PostgreSQL server programs here that have PostGIS, if any."""
    for version in sorted((p.name for p in PG_LIB.glob("*")), key=_version, reverse=True):
        bin_dir = PG_LIB / version / "bin"
        if (bin_dir / "pg_basebackup").exists() and \
                (PG_SHARE / version / "extension" / "postgis.control").exists():
            return bin_dir
    return None


def _version(name: str) -> float:
    try:
        return float(name)
    except ValueError:
        return -1.0


def _as_server_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("as root, runuser (util-linux) is needed to start PostgreSQL")
    return [runuser, "-u", "postgres", "--"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """One PostgreSQL cluster (data folder, port) under ``home``."""

    def __init__(self, bin_dir: Path, home: Path, name: str) -> None:
        self.bin_dir, self.home, self.name = bin_dir, home, name
        self.data = home / name
        self.port = _free_port()
        self.running = False

    def run(self, program: str, *args: str) -> str:
        done = subprocess.run([*_as_server_user(), str(self.bin_dir / program), *args],
                              capture_output=True, text=True, timeout=120, cwd=self.home)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr.strip() or done.stdout.strip()}"
                               f"\n{self.log_tail()}")
        return done.stdout

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self, *settings: str) -> None:
        options = " ".join(("-p", str(self.port), "-k", str(self.home),
                            "-c", "listen_addresses=127.0.0.1", *FAST, *settings))
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.home / f"{self.name}.log"),
                 "-o", options, "-w", "-t", "60", "start")
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.running = False

    def log_tail(self, lines: int = 20) -> str:
        log = self.home / f"{self.name}.log"
        return "\n".join(log.read_text().splitlines()[-lines:]) if log.exists() else ""


@contextmanager
def replicated_clusters(replicas: int = 1, bin_dir: Path | None = None):
    """A running primary (``wal_level=replica``) and ``replicas`` streaming hot standbys of
    it; yields ``(primary, [replica, …])`` and always stops and removes them all."""
    bin_dir = bin_dir or server_binaries()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server programs with PostGIS under /usr/lib/postgresql")
    home = Path(tempfile.mkdtemp(prefix="urbanorder-replicas-"))
    clusters: list[Cluster] = []
    try:
        if os.geteuid() == 0:
            shutil.chown(home, "postgres")
        primary = Cluster(bin_dir, home, "primary")
        clusters.append(primary)
        primary.run("initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        primary.start("-c", "wal_level=replica", "-c", "max_wal_senders=10")
        standbys = []
        for number in range(1, replicas + 1):
            standby = Cluster(bin_dir, home, f"replica{number}")
            clusters.append(standby)
            # -R writes primary_conninfo and standby.signal: it starts as a hot standby.
            primary.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port),
                        "-U", "postgres", "-D", str(standby.data), "-R", "-X", "stream",
                        "-c", "fast", "--no-sync")
            standby.start("-c", "hot_standby=on")
            standbys.append(standby)
        yield primary, standbys
    finally:
        for cluster in reversed(clusters):
            with suppress(Exception):  # removing the folder is what matters now
                cluster.stop()
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def pgbouncer(cluster: Cluster, pool_mode: str = "transaction"):
    """A PgBouncer in front of ``cluster`` (every database, trusted as ``postgres``);
    yields its port and always stops it."""
    program = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(program).exists():
        raise RuntimeError("pgbouncer is not installed")
    port, home = _free_port(), cluster.home
    (home / "pgbouncer-users.txt").write_text('"postgres" ""\n')
    (home / "pgbouncer.ini").write_text(
        f"[databases]\n* = host=127.0.0.1 port={cluster.port}\n[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {home / 'pgbouncer-users.txt'}\n"
        f"pool_mode = {pool_mode}\ndefault_pool_size = 4\n"
        f"logfile = {home / 'pgbouncer.log'}\n")
    if os.geteuid() == 0:
        for name in ("pgbouncer-users.txt", "pgbouncer.ini"):
            shutil.chown(home / name, "postgres")
    process = subprocess.Popen([*_as_server_user(), program, str(home / "pgbouncer.ini")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited: {(home / 'pgbouncer.log').read_text()}")
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
