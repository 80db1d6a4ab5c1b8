"""Layer endpoints against the raw SQL that returns the same GeoJSON (issue 11: ≤ 1.3×).

For each query, on both backends and the demo ward: the endpoint through the whole Flask
stack (signed in, session check, ETag, count, envelope; identity encoding, so compression is
not counted against it) and, as the reference, the very SQL statement that writes the
features, compiled to text and run on the driver's own cursor (no SQLAlchemy, no Flask).

Run:  .venv/bin/python bench/bench_layers.py [--postgres URL] [--repeat 9]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.bench_foundation import VIEWPORT, demo_client, on_both_backends, timed  # noqa: E402
from models import layer_json, queries  # noqa: E402
from webapp.api import params  # noqa: E402

QUERIES = [
    ("incidents", "limit=5000", "incidents, whole ward, 5000"),
    ("incidents", f"bbox={VIEWPORT}&limit=20000", "incidents, viewport"),
    ("boarding-houses", "limit=20000", "boarding houses, whole ward"),
    ("boarding-houses", f"bbox={VIEWPORT}", "boarding houses, viewport"),
    ("streets", "limit=20000", "streets, whole ward"),
]


def _raw_statement(app, engine, name: str, query: str) -> tuple[str, object]:
    """The features' SQL and its parameters, as the endpoint runs it."""
    from werkzeug.datastructures import MultiDict

    layer = queries.LAYERS[name]
    args = MultiDict(part.split("=", 1) for part in query.split("&"))
    with app.app_context(), engine.connect() as conn:
        ward = queries.wards(conn)[0]
        flt = params.layer_filter(layer, args, dict)
        limit = int(args.get("limit", app.config["API_DEFAULT_LIMIT"]))
        statement, values = layer_json.features_statement(conn, layer, ward.id, flt, limit)
        # Lists (IN filters) expanded into their parameters, as the endpoint's execution does.
        compiled = statement.params(values).compile(
            dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    if compiled.positiontup is not None:  # SQLite's "?" parameters
        values = [values[key] for key in compiled.positiontup]
    return str(compiled), values


def bench_backend(backend: str, url: str, repeat: int) -> list[tuple]:
    rows = []
    with demo_client(url) as (app, engine, client):
        for name, query, label in QUERIES:
            path = f"/api/v1/{name}?{query}"
            size = len(client.get(path, headers={"Accept-Encoding": "identity"}).data)
            endpoint, _ = timed(lambda p=path: client.get(p, headers={
                "Accept-Encoding": "identity"}), repeat)
            sql, values = _raw_statement(app, engine, name, query)
            driver = engine.raw_connection()
            try:
                cursor = driver.cursor()
                raw, _ = timed(lambda c=cursor, s=sql, v=values: (c.execute(s, v),
                                                                  c.fetchall()), repeat)
            finally:
                driver.close()
            rows.append((backend, label, f"{size / 1024:,.0f} KiB",
                         f"{endpoint * 1000:.1f} ms", f"{raw * 1000:.1f} ms",
                         f"{endpoint / raw:.2f}×"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get(
        "URBANORDER_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/postgres"))
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    rows = on_both_backends(args.postgres, lambda name, url: bench_backend(
        name, url, args.repeat))
    print(f"load after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print("| backend | layer request | body | endpoint (median) | raw SQL (median) | ratio |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
