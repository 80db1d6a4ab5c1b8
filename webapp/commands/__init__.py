"""The ``urbanorder`` sub-commands by feature, registered by ``webapp.cli``.

Listing the commands (``urbanorder --help``) must stay quick on a ward's PC: these modules
import only click at the top; database, analysis and service code load inside the command
that runs, and choices read from those modules are ``LazyChoice``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import click


class LazyChoice(click.ParamType):
    """``click.Choice`` of values read when first needed: parsing the option, or the
    command's own help — never when only the list of commands is shown."""

    name = "choice"

    def __init__(self, values: Callable[[], Iterable[str]]) -> None:
        self._values = values

    @functools.cached_property
    def choice(self) -> click.Choice:
        return click.Choice(list(self._values()))

    def get_metavar(self, param, ctx) -> str | None:
        return self.choice.get_metavar(param, ctx)

    def convert(self, value, param, ctx):
        return self.choice.convert(value, param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        return self.choice.shell_complete(ctx, param, incomplete)


def database():
    """The app's database (``webapp.extensions.db``), imported when a command runs."""
    from webapp.extensions import db

    return db


@contextmanager
def engine_without_app() -> Iterator:
    """An engine on the configured database, for a command that needs only the database
    (``print-ranking``): building the app (every blueprint, the extensions) was a third of
    an A3 print's time from the command line. When the command line was handed an app of
    its own (a test's ``app.test_cli_runner()``, ``flask --app``), that app's database."""
    from flask.cli import ScriptInfo

    import webapp

    info = click.get_current_context().find_object(ScriptInfo)
    if info is not None and info.create_app not in (None, webapp.create_app):
        with info.load_app().app_context():
            yield database().engine
        return
    from geo import wardzone
    from models.engine import make_engine
    from webapp import config

    settings = config.from_environment()
    wardzone.set_zone(settings["TIMEZONE"])  # as create_app does: the ward's clock
    engine = make_engine(settings["DATABASE_URL"], pgbouncer=settings["DATABASE_PGBOUNCER"])
    try:
        yield engine
    finally:
        engine.dispose()


def ward_or_fail(conn, code: str | None, purpose: str):
    """The ward named ``code`` (or the only one), else a command-line error saying why."""
    from webapp.services.wards import WardError, ward_named

    try:
        return ward_named(conn, code, purpose)
    except WardError as err:
        raise click.ClickException(str(err)) from None
