"""Field submissions under load: the real server, 50 officers' phones, and a kill.

Per backend: a fresh database with the demo ward and 50 police accounts; the server started
as in production (``urbanorder serve --workers N``, gunicorn; ``--workers 1`` is waitress);
50 async clients, each signed in as its own officer from its own loopback address (so the
sign-in limits stay on, as deployed), each sending incidents (a JSON body, as phones send a
record without photos; ``--multipart``: the form older phones send) with new UUIDs,
resending some at once (a phone's retry: must be a 200 replay) and retrying
every unanswered one with the same UUID until it is answered (``--batch N``: each phone
sends its records N to a request, as a phone flushes its backlog, ``POST
/api/v1/field/batch``; a batch is resent whole at once or later, and what got no answer is
resent; ``--rate R`` offers R records/s in all — each phone a batch every
clients × N / R seconds — instead of sending as fast as it is answered, so latency is that of
a server keeping up, not of a queue). ``--kill`` SIGKILLs the whole
server mid-run and starts it again. Then the database is checked: every answered UUID is
stored once (lost, duplicated). The reference, same run: the same rows written by plain
SQLAlchemy INSERTs, one transaction per record, no HTTP, no derivation.

    .venv/bin/python bench/bench_field_load.py [--backend postgis|spatialite|both]
        [--clients 50] [--seconds 20] [--workers 4] [--threads 4] [--kill] [--multipart]
        [--batch N [--rate R]] [--code DIR]

``--code DIR`` serves another checkout (e.g. the commit before a change) with this script.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.field_load_clients import PASSWORD, Officer, drive  # noqa: E402
from models import migrate, queries, writes  # noqa: E402
from models.engine import make_engine  # noqa: E402
from models.tables import FieldSubmission, Incident, IncidentEvent  # noqa: E402
from tests.helpers import DEMO_PASSWORDS  # noqa: E402
from webapp.demo import DEMO_WARD, load_demo  # noqa: E402
from webapp.users import create_user  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids) -> dict[int, float]:
    """user + system CPU seconds of each live process of ``pids``."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return out


def group_pids(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def prepare(url: str, clients: int) -> list[tuple[float, float]]:
    """Demo ward, one police account per client; points where the ward's houses are."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    load_demo(engine, replace=True, passwords=DEMO_PASSWORDS)
    with engine.begin() as conn:
        ward = queries.ward_by_code(conn, DEMO_WARD)
        for i in range(clients):
            create_user(conn, ward.id, f"canbo{i:02d}", "police", PASSWORD, f"Cán bộ {i:02d}")
        houses = queries.read_layer(conn, queries.LAYERS["boarding-houses"], ward.id,
                                    columns=["id"])
    engine.dispose()
    return [(p.x, p.y) for p in houses.geometry]


class Server:
    """``urbanorder serve`` in its own process group, so a kill takes every worker."""

    def __init__(self, code: Path, url: str, port: int, workers: int, threads: int,
                 instance: str) -> None:
        self.command = [sys.executable, "-c", "from webapp.cli import main; main()", "serve",
                        "--port", str(port), "--threads", str(threads)]
        if workers > 1:  # (a checkout from before --workers serves with waitress alone)
            self.command += ["--workers", str(workers)]
        self.env = {**os.environ, "PYTHONPATH": str(code), "DATABASE_URL": url,
                    "SECRET_KEY": "bench-field-load", "URBANORDER_TILE_URL": "",
                    "URBANORDER_INSTANCE": instance}
        self.code = code  # the working directory too: ``-c`` puts it first on sys.path
        self.base, self.process, self.cpu, self.db_cpu = f"http://127.0.0.1:{port}", None, {}, {}
        self.db = make_engine(url) if url.startswith("postgresql") else None

    def start(self, timeout: float = 60) -> float:
        try:
            urllib.request.urlopen(self.base + "/auth/login", timeout=2).close()
            raise RuntimeError(f"another server answers on {self.base}: stop it first")
        except OSError:
            pass  # the port is free
        started = time.perf_counter()
        self.process = subprocess.Popen(self.command, env=self.env, cwd=self.code,
                                        start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.perf_counter() - started < timeout:
            try:
                urllib.request.urlopen(self.base + "/auth/login", timeout=2).close()
                return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def sample_cpu(self) -> None:
        """CPU used so far by the server's processes and (PostGIS) their backends: sampled
        every second, so processes that a kill ends still count up to their last sample."""
        self.cpu.update(cpu_seconds(group_pids(self.process.pid)))
        if self.db is not None:
            with self.db.connect() as conn:
                pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = "
                                         "current_database() AND pid <> pg_backend_pid()"))
                self.db_cpu.update(cpu_seconds(pids.scalars()))

    def kill(self) -> None:
        self.sample_cpu()
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.sample_cpu()
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        if self.db is not None:
            self.db.dispose()


def verify(url: str, officers: list[Officer]) -> dict:
    """Every answered UUID stored once; nothing stored that no phone was told about."""
    answered = {u: i for o in officers for u, i in o.answered.items()}
    sent = {u for o in officers for u in o.sent}
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(Incident.client_uuid, func.count()).where(
            Incident.reporter.like("Cán bộ %")).group_by(Incident.client_uuid)).all()
        receipts = conn.execute(select(func.count()).select_from(FieldSubmission).where(
            FieldSubmission.kind == "incident.create")).scalar_one()
    engine.dispose()
    stored = {str(u): n for u, n in rows}
    return {"sent": len(sent), "answered": len(answered),
            "lost": sum(1 for u in answered if u not in stored),
            "duplicated": sum(n - 1 for n in stored.values()),
            "stored_unanswered": sum(1 for u in stored if u not in answered),
            "receipts": receipts}


def reference_inserts(url: str, count: int) -> float:
    """Rows/s of the same three rows per record (incident, its event, the receipt) through
    SQLAlchemy Core, one transaction per record, no HTTP, no derivation."""
    engine = make_engine(url)
    with engine.connect() as conn:
        ward = queries.ward_by_code(conn, DEMO_WARD)
    rng, started = random.Random(1), time.perf_counter()
    for _ in range(count):
        with engine.begin() as conn:
            record = uuid.uuid4()
            lon, lat = 106.925 + rng.uniform(-0.01, 0.01), 10.853 + rng.uniform(-0.005, 0.005)
            incident = writes.insert_point_record(conn, Incident.__table__, {
                "ward_id": ward.id, "client_uuid": record, "category": "encroachment_sidewalk",
                "observed_at": datetime(2026, 11, 1, 9, 30), "status": "reported",
                "description": "tham chiếu", "reporter": "Tham chiếu"}, lon, lat)
            conn.execute(insert(IncidentEvent), [{"ward_id": ward.id, "incident_id": incident,
                                                  "to_status": "reported"}])
            conn.execute(insert(FieldSubmission), [{
                "ward_id": ward.id, "client_uuid": record, "kind": "reference",
                "entity": "incident", "entity_id": incident, "content_hash": "-"}])
    elapsed = time.perf_counter() - started
    engine.dispose()
    return count / elapsed


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else float("nan")


def run_backend(name: str, url: str, args, instance: str) -> dict:
    points = prepare(url, args.clients)
    server = Server(args.code, url, args.port, args.workers, args.threads, instance)
    ready_s = server.start()
    load_before = os.getloadavg()
    try:
        officers, stats, elapsed = asyncio.run(drive(server, points, args))
        load_after = os.getloadavg()
    finally:
        server.stop()
    check = verify(url, officers)
    in_time = [a for a in stats["answers"] if a[0] <= stats["until"]]
    created = sum(1 for a in in_time if a[2] == 201)
    latency = [a[1] for a in stats["answers"]]
    cpu = sum(server.cpu.values()) - stats["cpu_at_start"][0]
    db_cpu = sum(server.db_cpu.values()) - stats["cpu_at_start"][1]
    all_created = stats["statuses"].get(201, 1)
    return {
        "backend": name, "workers": args.workers, "threads": args.threads,
        "clients": args.clients, "kill": args.kill, "multipart": args.multipart,
        "ready_s": round(ready_s, 1),
        "created_per_s": round(created / args.seconds, 1),
        "answers_per_s": round(len(in_time) / args.seconds, 1),
        "p50_ms": round(_percentile(latency, 50), 1),
        "p95_ms": round(_percentile(latency, 95), 1),
        "p99_ms": round(_percentile(latency, 99), 1),
        **({"batch": args.batch, "offered_per_s": args.rate, "requests": len(stats["requests"]),
            "request_p99_ms": round(_percentile(stats["requests"], 99), 1)}
           if args.batch > 1 else {}),
        "server_cpu_ms_per_created": round(cpu / all_created * 1000, 2),
        "db_cpu_ms_per_created": round(db_cpu / all_created * 1000, 2),
        "statuses": stats["statuses"], "no_answer": stats["no_answer"],
        **{k: stats[k] for k in ("kill_at_s", "restart_s") if k in stats}, **check,
        "drain_s": round(elapsed - args.seconds, 1),
        "reference_inserts_per_s": round(reference_inserts(url, args.reference), 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("postgis", "spatialite", "both"), default="both")
    parser.add_argument("--postgres", default=os.environ.get(
        "URBANORDER_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--multipart", action="store_true",
                        help="send multipart forms, as phones did before JSON bodies")
    parser.add_argument("--batch", type=int, default=1,
                        help="records per request (POST /api/v1/field/batch); 1: one each")
    parser.add_argument("--rate", type=float, default=0,
                        help="with --batch: records/s offered in all (each phone sends a batch "
                             "every clients×batch/rate s, open loop); 0: as fast as answered")
    parser.add_argument("--reference", type=int, default=2000, help="reference records")
    parser.add_argument("--port", type=int, default=5391)
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--verbose", action="store_true", help="progress every second")
    args = parser.parse_args()
    # Stopped from outside (timeout, kill): still stop the server and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    backends = ("spatialite", "postgis") if args.backend == "both" else (args.backend,)
    for name in backends:
        with tempfile.TemporaryDirectory() as tmp:
            if name == "spatialite":
                print(json.dumps(run_backend(name, f"sqlite:///{tmp}/bench.db", args, tmp)))
                continue
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            database = f"urbanorder_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{database}"'))
            try:
                url = make_url(args.postgres).set(database=database).render_as_string(
                    hide_password=False)
                print(json.dumps(run_backend(name, url, args, tmp)))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
