"""Compile each language's messages of the browser code into static/i18n/<lang>.json.

    .venv/bin/python scripts/js_catalogue.py     (``make catalogue`` runs it after compiling)

The JSON maps a Vietnamese msgid of ``static/js`` to its translation (a list of forms for a
plural message, keyed by its singular); static/js/i18n.js reads it from the page, where the
base template embeds the page language's file. Only the messages of ``static/js`` go in, so a
page carries a few kilobytes, not the whole catalogue. Vietnamese needs no file: the msgids
are Vietnamese. The files are committed, like the ``.mo``, so ``make run`` needs no build.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "static" / "js"
OUT = ROOT / "static" / "i18n"
TRANSLATIONS = ROOT / "data" / "translations"
# The gettext calls of static/js/i18n.js (babel.cfg and the Makefile extract the same).
KEYWORDS = {"_": None, "ngettext": (1, 2)}


def js_msgids(folder: Path = JS) -> set[str]:
    """The msgids of the browser code (a plural message by its singular)."""
    return {message[2] if isinstance(message[2], str) else message[2][0]
            for message in extract_from_dir(str(folder), [("**.js", "javascript")],
                                            keywords=KEYWORDS)}


def compile_language(po_path: Path, msgids: set[str]) -> str:
    """The JSON text of ``po_path``'s translations of ``msgids`` (untranslated ones left out:
    the page then shows the Vietnamese msgid)."""
    with po_path.open("rb") as po:
        catalog = read_po(po)
    messages = {}
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in msgids and message.string and all(message.string):
            string = message.string
            messages[key] = string if isinstance(string, str) else list(string)
    return json.dumps(messages, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def outputs() -> dict[Path, str]:
    """Each language's JSON file and the text it must hold."""
    msgids = js_msgids()
    return {OUT / f"{po.parent.parent.name}.json": compile_language(po, msgids)
            for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))}


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for path, text in outputs().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
