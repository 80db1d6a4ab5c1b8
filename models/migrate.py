"""Schema migrations (Alembic), run programmatically on either backend."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction."""
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration against ``engine`` (for developers)."""
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")
