"""The command line speaks the language of the person at it: ``--lang en`` or
``URBANORDER_LANG=en``, else Vietnamese — its messages, its refusals and its help (of the
commands, the groups and their options)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from flask import cli as flask_cli

from geo.i18n import translate
from webapp.cli import cli
from webapp.commands import Command, Group, Option

ROOT = Path(__file__).resolve().parents[2]
# Flask's development commands keep Flask's English: they are a developer's, not a ward's
# (``urbanorder serve`` is the ward's server), and their words are Flask's to change.
FLASK_OWN = {flask_cli.run_command, flask_cli.shell_command, flask_cli.routes_command}
# Help whose English is rightly the Vietnamese as written, each with why (none yet).
SAME_IN_ENGLISH: dict[str, str] = {}


@pytest.fixture
def runner(demo_app, monkeypatch):
    monkeypatch.delenv("URBANORDER_LANG", raising=False)
    return demo_app.test_cli_runner()


def test_a_refusal_is_vietnamese_by_default_and_english_with_lang_en(runner):
    vietnamese = runner.invoke(cli, ["ward", "remove", "khong-co", "--yes"])
    assert vietnamese.exit_code != 0
    assert "Không có phường mã “khong-co” (có: demo-tam-phuoc)." in vietnamese.output
    english = runner.invoke(cli, ["--lang", "en", "ward", "remove", "khong-co", "--yes"])
    assert english.exit_code != 0
    assert ("There is no ward with the code “khong-co” (there are: demo-tam-phuoc)."
            in english.output)
    assert "Không có" not in english.output


def test_the_environment_variable_chooses_english(runner, monkeypatch):
    monkeypatch.setenv("URBANORDER_LANG", "en")
    result = runner.invoke(cli, ["verify", "--ward", "khong-co"])
    assert result.exit_code != 0
    assert "There is no ward with the code “khong-co”" in result.output
    # --lang wins over the variable.
    chosen = runner.invoke(cli, ["--lang", "vi", "verify", "--ward", "khong-co"])
    assert "Không có phường mã “khong-co”" in chosen.output


def test_messages_and_labels_of_a_command_come_out_in_english(runner):
    listed = runner.invoke(cli, ["--lang", "en", "ward", "list"])
    assert listed.exit_code == 0, listed.output
    assert "[DEMO]" in listed.output and "neighbourhoods" in listed.output
    assert "khu phố" not in listed.output
    verified = runner.invoke(cli, ["--lang", "en", "verify"])
    assert "The whole installation (wards created, removed)" in verified.output
    assert "Result: every chain is intact." in verified.output
    assert re.search(r"audit log: [\d,]+ rows, intact, chain head [0-9a-f]{16}",
                     verified.output)
    assert "nguyên vẹn" not in verified.output and "nhật ký" not in verified.output


def test_a_password_rule_is_said_in_the_users_language(runner):
    # Refused before anything is written: the demo's accounts stay as they are.
    short = runner.invoke(cli, ["--lang", "en", "user", "passwd", "admin", "--password", "123"])
    assert short.exit_code != 0
    assert "The password must have at least 10 characters." in short.output
    letters = runner.invoke(cli, ["--lang", "en", "user", "passwd", "admin",
                                  "--password", "chicochuthoi"])
    assert "The password must have both letters and digits" in letters.output
    assert "Mật khẩu" not in short.output + letters.output
    vietnamese = runner.invoke(cli, ["user", "passwd", "admin", "--password", "123"])
    assert "Mật khẩu phải có ít nhất 10 ký tự." in vietnamese.output


def test_option_help_is_said_in_the_chosen_language(runner):
    english = runner.invoke(cli, ["--lang", "en", "import", "--help"])
    assert english.exit_code == 0, english.output
    assert "Only check, save nothing." in english.output and "FIELD=COLUMN" in english.output
    vietnamese = runner.invoke(cli, ["import", "--help"])
    assert "Chỉ kiểm tra, không lưu." in vietnamese.output and "TRƯỜNG=CỘT" in vietnamese.output
    assert "Language of the command" in runner.invoke(cli, ["--lang", "en", "--help"]).output


@pytest.fixture
def help_runner(monkeypatch):
    """The command line without an app: showing help builds none. 80 columns, a ward PC's
    terminal, so that a cut short help shows as it would there."""
    monkeypatch.delenv("URBANORDER_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    return CliRunner()


def _tree(command: click.Command, ctx: click.Context):
    """Every command and group under ``command`` (Flask's own aside), each with its context."""
    yield command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub not in FLASK_OWN:
                yield from _tree(sub, click.Context(sub, info_name=name, parent=ctx))


def _commands() -> list[tuple[click.Command, click.Context]]:
    return list(_tree(cli, click.Context(cli, info_name="urbanorder")))


def test_help_is_vietnamese_by_default(help_runner):
    listed = help_runner.invoke(cli, ["--help"])
    assert listed.exit_code == 0, listed.output
    assert "Tạo hoặc nâng cấp lược đồ CSDL (Alembic)." in listed.output
    assert "Hiện trợ giúp này rồi thoát." in listed.output
    assert "Create or upgrade" not in listed.output and "Show this message" not in listed.output
    page = help_runner.invoke(cli, ["ward", "set-boundary", "--help"])
    assert "Đổi ranh giới phường." in page.output and "Chỉ báo cáo, không đổi." in page.output


def test_help_is_english_for_the_root_a_group_and_a_command(help_runner):
    root = help_runner.invoke(cli, ["--lang", "en", "--help"])
    assert root.exit_code == 0, root.output
    assert "urbanorder — the ward's urban-order map." in root.output
    assert "Create or upgrade the database schema (Alembic)." in root.output
    assert "Turn debug mode on or off." in root.output  # Flask's option, in our words
    assert "Tạo hoặc nâng cấp" not in root.output
    group = help_runner.invoke(cli, ["--lang", "en", "ward", "--help"])
    assert "Create, list, re-outline and remove wards." in group.output
    assert "Change a ward's boundary." in group.output
    page = help_runner.invoke(cli, ["serve", "--help"], env={"URBANORDER_LANG": "en"})
    assert "Run the web server." in page.output
    assert "The port to listen on." in page.output and "Show this message and exit." in page.output
    assert "Chạy máy chủ" not in page.output and "Cổng" not in page.output


@pytest.mark.parametrize(("lang", "usage", "options", "commands", "other"), [
    ("vi", "Cách dùng:", "Tùy chọn:", "Lệnh:", ("Usage:", "Options:", "Commands:")),
    ("en", "Usage:", "Options:", "Commands:", ("Cách dùng:", "Tùy chọn:", "Lệnh:")),
])
def test_clicks_own_words_of_a_help_page_are_in_the_language(help_runner, lang, usage,
                                                             options, commands, other):
    """The usage line and the headings click writes itself, in a group's page and a
    command's: a Vietnamese help said "Usage:" and "Options:" in English."""
    group = help_runner.invoke(cli, ["--lang", lang, "ward", "--help"], prog_name="urbanorder")
    page = help_runner.invoke(cli, ["--lang", lang, "ward", "list", "--help"],
                              prog_name="urbanorder")
    assert group.exit_code == 0 and page.exit_code == 0, group.output + page.output
    assert group.output.startswith(f"{usage} urbanorder ward [OPTIONS] COMMAND [ARGS]...")
    assert f"\n{options}\n" in group.output and f"\n{commands}\n" in group.output
    assert page.output.startswith(f"{usage} urbanorder ward list") and options in page.output
    for word in other:
        assert word not in group.output + page.output, word


def test_the_installed_command_shows_english_help():
    """A new interpreter, as at a ward's PC: the compiled catalogue says the help."""
    result = subprocess.run([sys.executable, "-m", "webapp", "--lang", "en", "synth", "--help"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "COLUMNS": "80"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Generate SYNTHETIC province-sized data for load tests." in result.stdout
    assert "Boarding houses per ward." in result.stdout


def test_every_help_in_the_tree_is_a_catalogue_message():
    """What catches an untranslated literal: every command, group and option is of the kinds
    that say their help when shown, has help, and its help (and metavar) has English."""
    untranslated, strays = [], []
    for command, ctx in _commands():
        path = ctx.command_path
        if not isinstance(command, Command | Group):
            strays.append(f"{path}: {type(command).__name__}, not webapp.commands'")
        if not command.help:
            untranslated.append(f"{path}: no help")
        texts = [command.help, command.short_help, command.epilog]
        for param in command.get_params(ctx):
            if not isinstance(param, click.Option):
                continue  # click's arguments have no help
            if not isinstance(param, Option):
                strays.append(f"{path} {param.opts}: {type(param).__name__}, not Option")
            if not param.help:
                untranslated.append(f"{path} {param.opts}: no help")
            texts.append(param.help)
            if param.metavar and not param.metavar.isascii():
                texts.append(param.metavar)  # FILE, IMPORT: placeholders in either language
        untranslated += [f"{path}: {text!r}" for text in texts
                         if text and translate(text, "en") == text
                         and text not in SAME_IN_ENGLISH]
    assert not strays, f"use webapp.commands' command/group/option: {strays}"
    assert not untranslated, f"help=N_(…) and its English in messages.po: {untranslated}"


@pytest.mark.parametrize("lang", [[], ["--lang", "en"]], ids=["vi", "en"])
def test_no_help_is_cut_short(help_runner, lang):
    """Each help page shows in both languages, and no group's list of commands cuts a short
    help with "...": a command's first sentence fits the list (the rest follows it on the
    command's own page)."""
    for _command, ctx in _commands():
        path = ctx.command_path.split()[1:]
        page = help_runner.invoke(cli, [*lang, *path, "--help"])
        assert page.exit_code == 0, (path, page.output)
        listed = page.output.partition("\nCommands:\n")[2]  # the usage line has its own "..."
        assert "..." not in listed, (path, listed)
