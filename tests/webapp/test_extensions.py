"""The request's database connections (``webapp.extensions.Database``)."""

from __future__ import annotations

from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db

# A statement only this test runs, so its prepared copy is easy to find on the server.
MARKED = text("SELECT count(*) FROM ward WHERE id > -4242")


def test_read_requests_keep_the_servers_prepared_statements(demo_url):
    """psycopg prepares a statement on its fifth run and forgets every prepared statement
    at a ROLLBACK: a request's read transaction must end without one, or nothing a page
    reads is ever prepared. Reads change nothing, so the commit count stays."""
    app = create_app({"DATABASE_URL": demo_url, "SECRET_KEY": "t", "TILE_URL": ""})
    engine = app.extensions["urbanorder_engine"]
    try:
        with app.app_context():
            commits = db.commits
        for _ in range(7):  # one after another: each request reuses the pooled connection
            with app.test_request_context("/"):
                db.conn.execute(MARKED).scalar_one()
        with app.app_context():
            assert db.commits == commits
        if engine.dialect.name != "postgresql":
            return  # SQLite's reads run outside a transaction and prepare nothing
        with engine.connect() as conn:
            prepared = conn.execute(text(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE "
                "'%id > -4242%'")).scalar_one()
        assert prepared == 1
    finally:
        engine.dispose()
