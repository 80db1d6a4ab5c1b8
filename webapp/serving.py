"""Serving the app: waitress in one process, or gunicorn with several worker processes.

Python threads share one interpreter lock, so one process uses about one core however many
threads it has; only processes scale the field submissions over the cores. Each gunicorn
worker builds its own app (its own database pool, caches and, unless
``URBANORDER_RATELIMIT_STORAGE_URI`` names a shared store, its own rate-limit counters).
gunicorn runs on Unix only; waitress everywhere.
"""

from __future__ import annotations

import click


def serve(app, host: str, port: int, threads: int, workers: int) -> None:
    """Serve until stopped: ``app`` with waitress when ``workers`` is 1, else gunicorn
    workers each building their own."""
    from webapp.commands import _

    click.echo(_("Bản đồ trật tự đô thị: http://%(host)s:%(port)s/  (Ctrl+C để dừng)",
                 host=host, port=port))
    if workers <= 1:
        import waitress

        from webapp import warmup

        warmup.start(app)
        waitress.serve(app, host=host, port=port, threads=threads, ident="urbanorder")
        return
    _gunicorn(host, port, threads, workers).run()


def _gunicorn(host: str, port: int, threads: int, workers: int):
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads,
                "worker_class": "gthread",  # keep-alive connections, threads per worker
                "timeout": 120,  # an atlas or a backup may take a while
                "graceful_timeout": 30,
                "proc_name": "urbanorder",
            }.items():
                self.cfg.set(key, value)

        def load(self):
            # In each worker, after the fork: nothing of the master's app is shared.
            from webapp import create_app, warmup

            app = create_app()
            warmup.start(app)
            return app

    return Gunicorn()
