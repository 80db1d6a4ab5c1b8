"""The ``urbanorder`` sub-commands by feature, registered by ``webapp.cli``.

Listing the commands (``urbanorder --help``) must stay quick on a ward's PC: these modules
import only click and ``flask.cli`` at the top; database, analysis and service code load
inside the command that runs, and choices read from those modules are ``LazyChoice``.

They speak the language of the person at the command line: ``urbanorder --lang en …``, else
the ``URBANORDER_LANG`` environment variable, else Vietnamese. Their messages are msgids
said through ``_`` (this module's, not Flask-Babel's, whose language is a request's); the
help of commands, groups and options is marked ``N_`` and said when the help is shown
(``command``, ``group``, ``option``: ``Command``, ``Group``, ``AppGroup``, ``Option``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import click
from flask import cli as flask_cli

from geo.i18n import N_ as N_  # re-exported: the commands mark their help

LANGUAGES = ("vi", "en")
LANGUAGE_VARIABLE = "URBANORDER_LANG"
_LANGUAGE_KEY = "urbanorder.language"


def language() -> str:
    """The command-line user's language: ``--lang`` of this invocation, else
    ``URBANORDER_LANG``, else Vietnamese (an unknown value counts as none)."""
    ctx = click.get_current_context(silent=True)
    chosen = ctx.meta.get(_LANGUAGE_KEY) if ctx is not None else None
    if chosen is None:
        chosen = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower().split("_")[0]
    return chosen if chosen in LANGUAGES else LANGUAGES[0]


def choose_language(ctx: click.Context, _param, value: str | None) -> None:
    """``--lang``'s callback: kept for the whole invocation (``ctx.meta`` is shared by the
    sub-commands' contexts), so that the messages and help after it are in that language."""
    if value:
        ctx.meta[_LANGUAGE_KEY] = value


def _(message: str, /, **params) -> str:
    """``message`` (a msgid, or a ``geo.i18n.Message`` with its values) in the command-line
    user's language (positional: a message may have a ``%(message)s`` of its own)."""
    from geo.i18n import translate

    if not message:  # "" is the catalogue's header, not a message
        return message
    return translate(message, language(), **params)


@contextmanager
def _said(thing, *names: str) -> Iterator[None]:
    """``thing``'s attributes ``names`` (msgids, or None) in the user's language while click
    formats them, the msgids again after. The help is written at import, before any
    ``--lang`` is read, so it is said only when shown; click's formatting reads the
    attributes, so swapping them keeps its wrapping, defaults and markers as they are."""
    msgids = {name: getattr(thing, name) for name in names}
    for name, msgid in msgids.items():
        setattr(thing, name, _(msgid))
    try:
        yield
    finally:
        for name, msgid in msgids.items():
            setattr(thing, name, msgid)


class Option(click.Option):
    """An option whose help and metavar (msgids marked ``N_``) are said in the user's
    language when the help is shown."""

    def get_help_record(self, ctx):
        with _said(self, "help", "metavar"):
            return super().get_help_record(ctx)


def said_by_us(param: click.Option, help_msgid: str) -> Option:
    """``param``, an option click or Flask made (``--help``, ``--version``), turned in place
    into an ``Option`` whose help is ``help_msgid``: theirs in all but its words (in place,
    since click finds a command's ``--help`` again by identity)."""
    param.__class__, param.help = Option, help_msgid
    return param


# The headings click writes in a help page (in English, whatever the language): ours.
CLICK_HEADINGS = {"Options": N_("Tùy chọn"), "Commands": N_("Lệnh")}


class _HelpSaid:
    """A command's help, short help and epilog (msgids marked ``N_``), its ``--help``, and
    click's own words of a help page (the usage line's prefix, the headings), said in the
    user's language when shown: the list of a group's commands (short help) and the
    command's own help page."""

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              _(N_("Cách dùng:")) + " ")

    def format_options(self, ctx, formatter) -> None:
        # click names its sections as it writes them (a group's "Commands" too, from here).
        section = formatter.section
        formatter.section = lambda name: section(
            _(CLICK_HEADINGS[name]) if name in CLICK_HEADINGS else name)
        try:
            super().format_options(ctx, formatter)
        finally:
            del formatter.section  # the formatter's own method again

    def get_short_help_str(self, limit: int = 45) -> str:
        with _said(self, "help", "short_help"):
            return super().get_short_help_str(limit)

    def format_help_text(self, ctx, formatter) -> None:
        with _said(self, "help"):
            super().format_help_text(ctx, formatter)

    def format_epilog(self, ctx, formatter) -> None:
        with _said(self, "epilog"):
            super().format_epilog(ctx, formatter)

    def get_help_option(self, ctx):
        # click makes each command's own --help (and keeps it): its words are ours.
        found = super().get_help_option(ctx)
        if found is not None and not isinstance(found, Option):
            said_by_us(found, N_("Hiện trợ giúp này rồi thoát."))
        return found


class Command(_HelpSaid, click.Command):
    """A command whose help is said in the user's language (``_HelpSaid``)."""


class Group(_HelpSaid, click.Group):
    """A group whose help is said in the user's language; its ``command`` and ``group``
    make ``Command`` and a group of its own class."""

    command_class = Command
    group_class = type


class AppGroup(Group, flask_cli.AppGroup):
    """A ``Group`` whose commands run inside the app (Flask's ``AppGroup``); its groups are
    ``AppGroup`` too (Flask's would make its own, which says its help as written)."""

    def group(self, *args, **kwargs):
        kwargs.setdefault("cls", AppGroup)
        return super().group(*args, **kwargs)


option = functools.partial(click.option, cls=Option)
command = functools.partial(click.command, cls=Command)
group = functools.partial(click.group, cls=Group)


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
    """The ward named ``code`` (or the only one), else a command-line error saying why;
    ``purpose`` is a msgid (``N_("tài khoản mới")``)."""
    from webapp.services.wards import WardError, ward_named

    try:
        return ward_named(conn, code, purpose)
    except WardError as err:
        raise refused(err) from None


def refused(err: Exception) -> click.ClickException:
    """The command-line error for a service's refusal ``err`` (its message ``args[0]``, a
    msgid or a ``geo.i18n.Message``), in the user's language; any other error as it says."""
    own = len(err.args) == 1 and isinstance(err.args[0], str)
    return click.ClickException(_(err.args[0]) if own else str(err))
