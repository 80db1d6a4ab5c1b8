"""Schema migrations (Alembic), run programmatically on either backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


class MigrationError(RuntimeError):
    """A migration left rows that break a foreign key; nothing was changed."""


@contextmanager
def _schema_change(engine: Engine) -> Iterator[Connection]:
    """One transaction for a schema change, with SQLite's foreign keys off around it.

    Rebuilding a table that others reference (Alembic's batch mode) drops the old table,
    which with foreign keys on would delete or refuse the rows pointing at it. SQLite's own
    procedure for such changes: keys off outside the transaction, check them before
    committing, keys back on (https://sqlite.org/lang_altertable.html#otheralter).
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # On the driver's connection: SQLAlchemy would BEGIN first, and inside a
        # transaction SQLite ignores this pragma.
        driver = connection.connection.driver_connection
        if sqlite:
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationError(f"foreign keys broken by the migration: {broken[:5]}")
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys = ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction."""
    with _schema_change(engine) as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with _schema_change(engine) as connection:
        command.downgrade(_config(connection), revision)


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration against ``engine`` (for developers)."""
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")
