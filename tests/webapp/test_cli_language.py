"""The command line speaks the language of the person at it: ``--lang en`` or
``URBANORDER_LANG=en``, else Vietnamese — its messages, its refusals and its options' help."""

from __future__ import annotations

import re

import pytest

from webapp.cli import cli


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
