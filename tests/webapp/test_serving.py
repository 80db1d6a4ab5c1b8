"""Serving for many users: `urbanorder serve --workers N`, the shared rate-limit store and
the reverse proxy's forwarded address."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from limits.errors import ConfigurationError

from tests.helpers import csrf_token
from webapp import create_app

ROOT = Path(__file__).resolve().parents[2]


def test_the_rate_limit_store_comes_from_the_settings(demo_url):
    """URBANORDER_RATELIMIT_STORAGE_URI reaches the limiter (several workers share one)."""
    with pytest.raises(ConfigurationError):
        create_app({"DATABASE_URL": demo_url, "SECRET_KEY": "t",
                    "RATELIMIT_STORAGE_URI": "no-such-store://127.0.0.1"})


def _sign_in_status(client, forwarded_for: str, n: int) -> int:
    token = csrf_token(client)
    return client.post("/auth/login", headers={"X-Forwarded-For": forwarded_for}, data={
        "username": f"nobody-{n}", "password": "wrong-password-9",
        "csrf_token": token}).status_code


def test_behind_a_proxy_the_limiter_counts_each_phone(writable_url):
    """With URBANORDER_PROXY_HOPS=1 the per-address limit (10 a minute) is the phone's, not
    the proxy's: one phone is stopped, the next one is not."""
    app = create_app({"DATABASE_URL": writable_url, "TILE_URL": "", "SECRET_KEY": "t",
                      "RATELIMIT_ENABLED": True, "PROXY_HOPS": 1})
    client = app.test_client()
    first = [_sign_in_status(client, "198.51.100.7", n) for n in range(11)]
    assert first == [401] * 10 + [429]
    assert _sign_in_status(client, "198.51.100.8", 11) == 401
    app.extensions["urbanorder_engine"].dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_with_workers_runs_several_processes(demo_url, tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": demo_url,
           "SECRET_KEY": "t", "URBANORDER_TILE_URL": "", "URBANORDER_INSTANCE": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-c", "from webapp.cli import main; main()", "serve",
         "--workers", "2", "--threads", "2", "--port", str(port)], env=env, cwd=ROOT,
        start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/auth/login") as page:
                    assert page.status == 200
                    assert "Đăng nhập" in page.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not answer in 60 s"
                time.sleep(0.2)
        workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                 text=True).stdout.split()
        assert len(workers) == 2
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
