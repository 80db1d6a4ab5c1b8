"""The message catalogue is complete: every user-facing string goes through gettext, the
``.pot`` holds every msgid the code has, each has its English, and the committed ``.mo`` is
what compiling the ``.po`` gives (so ``make run`` needs no build step).

A new untranslated literal fails here: wrap it in ``_()`` (templates, Python) and run
``make catalogue``, then write its English in ``data/translations/en/LC_MESSAGES/messages.po``
and run ``make catalogue`` again (it compiles the ``.mo``).
"""

from __future__ import annotations

import ast
import io
import re
import warnings
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from scripts import js_catalogue

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "webapp" / "templates"
TRANSLATIONS = ROOT / "data" / "translations"
POT = TRANSLATIONS / "messages.pot"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"
STATIC_JS = ROOT / "static" / "js"
GLOSSARY = ROOT / "docs" / "translating.md"

# Letters peculiar to Vietnamese (the diacritics): a literal holding one is Vietnamese text.
VIETNAMESE = re.compile(r"[À-ÃÈ-ÊÌÍÒ-ÕÙÚÝà-ãè-êìíò-õùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ]")
GETTEXT = {"_", "gettext", "ngettext", "lazy_gettext", "lazy_ngettext", "pgettext", "_l",
           "_n", "N_", "translate", "translate_plural"}
LOGGING = {"debug", "info", "warning", "error", "exception", "critical", "log"}

# Modules whose Vietnamese literals are a ward's data on purpose, not interface text.
DATA_MODULES = {
    # The synthetic ward's invented names of streets, people and places: data of a demo
    # ward, shown as the ward's own records (never translated, like a real ward's).
    "geo/synthetic/names.py": "names of the synthetic demo ward",
    # The synthetic ward's generator: its places, streets, model streets and addresses are
    # the demo ward's records (never translated, like a real ward's).
    **{f"geo/synthetic/{part}.py": "records of the synthetic demo ward"
       for part in ("__init__", "world", "network", "records")},
    # The text map of accents folded for search and keys (the same map SQL's translate uses).
    "geo/text.py": "the accent-folding map",
    # WTForms' English messages in Vietnamese: a reverse catalogue (WTForms' source language is
    # English), read by webapp.forms on Vietnamese pages.
    "webapp/form_messages.py": "WTForms' own messages in Vietnamese",
    # Each language named in itself for the language switch: never translated, on purpose.
    "webapp/i18n.py": "the languages' own names",
    # The demo registers' invented entries (tree species, a camera's repair plan): records of
    # the synthetic ward, shown as its data, like a real ward's entries.
    "webapp/demo_registers.py": "entries of the synthetic ward's registers",
}

# Vietnamese literals that are data inside a module otherwise translated: matched, never shown.
DATA_LITERALS = {
    # The labels and the word "và" of a task table's "Chủ trì: … Phối hợp: …" cells, as the
    # wards' own files spell them (regexes on the cell text).
    "geo/worktable.py": {r"ph[oốôồổỗộ]i\s*h[oợ]p\s*:?", r"^\s*ch[uủ]\s*tr[iì]\s*:?",
                         r"[,;\n]|\s+và\s+"},
    # The labels an exported XLSForm writes in its "label::Vietnamese (vi)" column (the
    # position question, yes/no): the form's own Vietnamese text, whoever downloads it.
    "geo/xlsform.py": {"Vị trí", "Có", "Không"},
    # The sheet our own XLSX export writes beside the rows (its CRS): looked up by that name
    # when the file comes back, never shown.
    "geo/io/read.py": {"Thông tin"},
    # The Vietnamese locale's own date pattern and đồng sign (how Vietnamese documents write
    # them, as CLDR data is for other languages): formats, not messages.
    "geo/formatting.py": {"'ngày' dd 'tháng' MM 'năm' yyyy", "đ"},
    # The words a street name opens with (a regex on the ward's names), and the name given
    # to an unnamed segment ("Hẻm gần đường Lê Lợi"), stored as the street's name: the
    # ward's data, Vietnamese like its named streets.
    # A letterhead a preset gets for its new ward: the issuing body's name in Vietnamese
    # administrative style ("ỦY BAN NHÂN DÂN PHƯỜNG …"), and the regex taking "Phường" off a
    # ward's name: the report's own text and the ward's name, not interface text.
    "geo/plan.py": {r"^(phường|xã|thị trấn)\s+", "ĐẢNG ỦY", "ỦY BAN NHÂN DÂN",
                    "{body_name} PHƯỜNG {place.upper()}"},
    "geo/street_names.py": {r"(đường|quốc lộ|ql|tỉnh lộ|đt|hẻm|hương lộ|kiệt|ngõ|ngách|phố|đại lộ)"
                            r"(?![^\W\d_])", "{kind} không tên", "đường {nearest}",
                            "{kind} gần {street}"},
    # An exported register's sheet name when the register has none: the file's own text,
    # Vietnamese like the register's labels and field names in it.
    "geo/register_rows.py": {"Sổ"},
    # A printed map's place of signing is the ward's name without its kind ("Phường Tam
    # Phước" → "Tam Phước"), and a ward whose name says "mô phỏng" gets no second mark.
    "geo/printmap/frame.py": {"Phường ", "phường ", "Xã ", "Thị trấn ", "mô phỏng"},
    # The same cut for the monthly report's date line (a regex on the ward's name).
    "geo/report/rows.py": {r"^(phường|xã|thị trấn)\s+"},
    # example_meta: the synthetic ward's name and its rubric's tier labels (a ward's data).
    "geo/printmap/__init__.py": {"Phường Tam Phước", "Xuất sắc", "Tốt", "Đạt", "Chưa đạt"},
    # Notes the system writes into a record's stored history (a model street's or an
    # incident's event): kept with the record as written, like the notes staff type.
    "webapp/services/exchange.py": {"Nhập từ tệp"},
    "webapp/services/model_streets.py": {"vẽ lại"},
    "webapp/services/field.py": {"Báo cáo bổ sung"},
    # The document handed to a boarding-house owner is the ward's record under Vietnamese
    # law, written in Vietnamese whoever downloads it.
    "webapp/services/owners.py": {"Dữ liệu cá nhân của chủ cơ sở lưu trú (Luật 91/2025/QH15)"},
    # The demo ward's people, its province and the synthetic wards' names: the demo's data.
    "webapp/users.py": {"Quản trị hệ thống (mô phỏng)", "Quản trị viên (mô phỏng)",
                        "Cán bộ Công an phường (mô phỏng)", "Cán bộ quản lý đô thị (mô phỏng)",
                        "Lãnh đạo phường (mô phỏng)"},
    "webapp/demo.py": {"Đồng Nai"},
    "webapp/synth.py": {"Phường mô phỏng {number:03d} (dữ liệu mô phỏng)"},
    # An exported XLSX's information sheet, read back by geo.io.read (by its sheet name and
    # its "Hệ tọa độ" row) when the file is imported again: part of the file's format.
    "webapp/exchange/files.py": {"Thông tin", "WGS 84 (kinh độ/vĩ độ)", "Phường", "Lớp",
                                 "Số dòng", "Hệ tọa độ", "Dữ liệu", "MÔ PHỎNG (synthetic)",
                                 "Xuất lúc"},
    # The name an erased owner's record keeps (Law 91/2025/QH15): stored in the row, exported
    # and compared as the record's value, like the notes the system writes into a history.
    "models/owners.py": {"đã xoá theo yêu cầu"},
}

# Files not converted yet: each holds user-facing Vietnamese outside gettext. This set only
# shrinks; a file leaves it when its strings are wrapped and translated.
NOT_YET_TRANSLATED: set[str] = set()

# Template text that is not a message: code shown as code, brand and units.
TEMPLATE_WORDS = {"urbanorder", "EPSG", "WGS", "VN", "km", "m", "z", "yaml", "dd", "mm",
                  "yyyy", "A3", "A4", "GeoJSON", "GeoPackage", "CSV", "XLSX", "KML",
                  "XLSForm"}
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-label", "data-confirm")
_JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
_ATTRIBUTE = re.compile(r'\s(?:' + "|".join(ATTRIBUTES) + r')="([^"]*)"')
_RAW = re.compile(r"<(script|style|code|pre)\b[^>]*>.*?</\1>", re.S)
_CLASS_BLOCK = re.compile(r"{%-?\s*block \w*class\s*-?%}.*?{%-?\s*endblock", re.S)
_STRING = re.compile(r'''(["'])((?:(?!\1)[^\\]|\\.)*)\1''')
# What opens a message in Jinja: ``_(`` or ``pgettext("context", ``.
_GETTEXT_OPENING = re.compile(r'''(\b_\(|\bpgettext\(\s*(["'])[^"']*\2\s*,)\s*$''')


def _words(text: str) -> list[str]:
    text = re.sub(r"&\w+;|&#\d+;", " ", text)
    return [w for w in re.findall(r"[^\W_]+", text)
            if re.search(r"[^\W\d_]", w) and w not in TEMPLATE_WORDS]


def template_problems(source: str) -> list[str]:
    """The untranslated texts of a template: text nodes and the ``ATTRIBUTES`` with letters
    outside Jinja, and Vietnamese string literals in Jinja not given to ``_()``.

    >>> template_problems('<p title="Bản đồ">{{ _("Lọc") }} Xóa</p>')
    ['attribute: Bản đồ', 'text: Xóa']
    >>> template_problems('{{ _("Phường: %(n)s", n=w.name if w else _("chưa chọn")) }}')
    []
    >>> template_problems('{% set x = "chưa chọn" %}<code>urbanorder demo</code>')
    ['literal: chưa chọn']
    >>> template_problems('{{ pgettext("the houses", "Nhà trọ") }}')
    []
    """
    problems = []
    for section in re.findall(r"{{.*?}}|{%.*?%}", source, re.S):
        for match in _STRING.finditer(section):
            before = section[:match.start()]
            if VIETNAMESE.search(match.group(2)) and not re.search(_GETTEXT_OPENING, before):
                problems.append(f"literal: {match.group(2)}")
    body = _CLASS_BLOCK.sub(" ", _RAW.sub(" ", source))
    for value in _ATTRIBUTE.findall(body):
        if _words(_JINJA.sub(" ", value)):
            problems.append(f"attribute: {value.strip()}")
    body = _JINJA.sub(" ", body)
    for text in re.sub(r"<[^>]*>", "\0", body).split("\0"):
        if _words(text):
            problems.append(f"text: {' '.join(text.split())}")
    return problems


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def module_problems(source: str) -> list[str]:
    """The Vietnamese string literals of a module that are not the text of a gettext call,
    a docstring or a logging call.

    >>> module_problems('x = _("Lưu")\\ny = "Hủy"\\nlog.info("Đã chạy")\\n')
    ['2: Hủy']
    >>> module_problems('z = f"Sai {n} dòng"')
    ['1: Sai {n} dòng']
    """
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant):
            allowed.add(id(node.body[0].value))
        if isinstance(node, ast.Call) and (_called(node) in GETTEXT
                                           or _called(node) in LOGGING):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if _called(node) in LOGGING or arg in node.args[:2]:
                    for inner in ast.walk(arg):
                        allowed.add(id(inner))
    problems = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(p.value if isinstance(p, ast.Constant)
                           else "{" + ast.unparse(p.value) + "}" for p in node.values)
            if VIETNAMESE.search(text):
                problems.append(f"{node.lineno}: {text}")
                for part in node.values:
                    allowed.add(id(part))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and VIETNAMESE.search(node.value):
            problems.append(f"{node.lineno}: {node.value}")
    # f-string parts are reported with their f-string, once
    return [p for p in problems if p]


JS_GETTEXT = set(js_catalogue.KEYWORDS)  # static/js/i18n.js's `_` and `ngettext`
_OPENING, _CLOSING = {"(": ")", "[": "]", "{": "}"}, {")", "]", "}"}


def js_problems(source: str) -> list[str]:
    """The Vietnamese string and template literals of a browser module that are not a
    message given to ``_()`` or ``ngettext()`` (comments aside). A template literal is never
    a message (the extractor reads plain strings): its words go in ``_()`` with placeholders.

    >>> js_problems('const a = _("Lưu %(n)s", { n: "Hủy" }); // Đã chạy')
    ['1: "Hủy"']
    >>> js_problems('x = ngettext("một vụ", "%(n)s vụ", n) + `Đã ${_("gửi")}` + "Gửi"')
    ['1: `Đã ${_("gửi")}`', '1: "Gửi"']
    >>> js_problems('const re = /[à-ỹ]/; y = _("Bản đồ " +\\n  "phường");')
    []
    """
    from babel.messages import jslexer

    with warnings.catch_warnings():  # Babel calls its JS lexer an implementation detail
        warnings.simplefilter("ignore", DeprecationWarning)
        tokens = list(jslexer.tokenize(source, template_string=True))
    # The brackets open around each token: a string is a message when the innermost one is
    # the parenthesis of a gettext call (its first arguments, not an object given to it).
    stack: list[bool] = []
    problems, previous = [], None
    for token in tokens:
        if token.type == "operator" and token.value in _OPENING:
            stack.append(token.value == "(" and previous is not None
                         and previous.type == "name" and previous.value in JS_GETTEXT)
        elif token.type == "operator" and token.value in _CLOSING:
            if stack:
                stack.pop()
        elif token.type in ("string", "template_string") and VIETNAMESE.search(token.value) \
                and not (token.type == "string" and stack and stack[-1]):
            problems.append(f"{token.lineno}: {token.value}")
        if not token.type.endswith("comment"):
            previous = token
    return problems


def _modules():
    for package in ("webapp", "geo", "models"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in rel:
                yield rel


@pytest.mark.parametrize("template", sorted(
    p.relative_to(ROOT).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_templates_translate_every_text(template):
    problems = template_problems((ROOT / template).read_text(encoding="utf-8"))
    assert not problems, f"{template}: wrap in _() — {problems[:10]}"


def test_python_modules_translate_every_vietnamese_literal():
    untranslated, converted = {}, []
    for rel in _modules():
        if rel in DATA_MODULES:
            continue
        problems = [p for p in module_problems((ROOT / rel).read_text(encoding="utf-8"))
                    if p.split(": ", 1)[1] not in DATA_LITERALS.get(rel, ())]
        waiting = rel in NOT_YET_TRANSLATED
        if problems and not waiting:
            untranslated[rel] = problems[:5]
        elif not problems and rel in NOT_YET_TRANSLATED:
            converted.append(rel)
    assert not untranslated, f"Vietnamese outside gettext: {untranslated}"
    # The set shrinks for good: a converted file must leave it, or it could regress unseen.
    # (webapp/services/locator.py and geo/printmap/parallel.py hold no Vietnamese today.)
    assert not converted, f"translated now, remove from NOT_YET_TRANSLATED: {converted}"


@pytest.mark.parametrize("module", sorted(
    p.relative_to(ROOT).as_posix() for p in STATIC_JS.rglob("*.js")))
def test_browser_modules_translate_every_vietnamese_literal(module):
    problems = js_problems((ROOT / module).read_text(encoding="utf-8"))
    assert not problems, f"{module}: wrap in _() from static/js/i18n.js — {problems[:10]}"


def test_the_pot_holds_every_message_of_the_code():
    method_map = [("webapp/**.py", "python"), ("geo/**.py", "python"),
                  ("models/**.py", "python"),
                  ("webapp/templates/**.html", "jinja2.ext.babel_extract"),
                  ("static/js/**.js", "javascript")]
    options = {"webapp/templates/**.html": {"trimmed": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
                "_l": None, "N_": None, "translate": None, "translate_plural": (1, 2),
                "pgettext": ((1, "c"), 2)}
    # Only hidden folders are skipped: the default filter also skips "_macros".
    found = {(message[2] if isinstance(message[2], str) else message[2][0], message[4])
             for message in extract_from_dir(
                 str(ROOT), method_map, options, keywords=keywords,
                 directory_filter=lambda path: Path(path).name not in ("node_modules",)
                 and not Path(path).name.startswith("."))}
    with POT.open("rb") as pot:
        held = {(m.id if isinstance(m.id, str) else m.id[0], m.context)
                for m in read_po(pot) if m.id}
    assert not found - held, f"run `make catalogue`: not in the .pot {sorted(found - held)[:10]}"
    assert not held - found, f"run `make catalogue`: gone from the code {sorted(held - found)[:10]}"


def test_every_message_has_its_english():
    with POT.open("rb") as pot:
        wanted = {(m.id, m.context) for m in read_po(pot) if m.id}
    with EN_PO.open("rb") as po:
        english = {(m.id, m.context): m.string for m in read_po(po) if m.id}
    missing = [i for i in wanted if not (english.get(i) and all(english[i])
                                         if isinstance(english.get(i), tuple)
                                         else english.get(i))]
    assert not missing, f"no English in {EN_PO.relative_to(ROOT)}: {sorted(map(str, missing))[:10]}"


def test_english_keeps_the_placeholders():
    placeholder = re.compile(r"%\(\w+\)s|%%|%[sd]")
    with EN_PO.open("rb") as po:
        for m in read_po(po):
            if m.id and isinstance(m.id, str) and m.string:
                assert sorted(placeholder.findall(m.id)) == sorted(
                    placeholder.findall(m.string)), m.id


def ruled_out(markdown: str) -> dict[str, str]:
    """The English renderings the glossary of docs/translating.md rules out (its table's last
    column), each with the Vietnamese term whose English it is not.

    >>> ruled_out("## Glossary\\n| Vietnamese | English | never |\\n|---|---|---|\\n"
    ...           "| khu phố | neighbourhood | `khu phố`, `neighborhood` |\\n| phường | ward | |")
    {'khu phố': 'khu phố', 'neighborhood': 'khu phố'}
    """
    section = markdown.split("\n## Glossary", 1)[-1].split("\n## ", 1)[0]
    terms = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3:
            for term in re.findall(r"`([^`]+)`", cells[2]):
                terms[term] = cells[0]
    return terms


# Vietnamese quoted as written (a ward's own name, a file's header) and placeholders.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|%\(\w+\)s")


def glossary_problems(english: str, terms: dict[str, str]) -> list[str]:
    """The renderings ruled out by ``terms`` that ``english`` (an msgstr) uses, outside
    quotation marks and placeholders.

    >>> terms = {"khu phố": "khu phố", "commitment": "cam kết ANTT"}
    >>> glossary_problems("The khu phố “Khu phố 3” (%(antt_commitment_on)s)", terms)
    ['“khu phố” (for khu phố)']
    """
    said = _QUOTED.sub(" ", english)
    return [f"“{term}” (for {vietnamese})" for term, vietnamese in terms.items()
            if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", said, re.IGNORECASE)]


def test_english_keeps_to_the_glossary():
    terms = ruled_out(GLOSSARY.read_text(encoding="utf-8"))
    assert terms, f"no glossary table found in {GLOSSARY.relative_to(ROOT)}"
    with EN_PO.open("rb") as po:
        strays = {}
        for m in read_po(po):
            english = " ".join(m.string) if isinstance(m.string, tuple) else m.string
            if m.id and (problems := glossary_problems(english, terms)):
                strays[m.id if isinstance(m.id, str) else m.id[0]] = problems
    assert not strays, f"English the glossary of {GLOSSARY.relative_to(ROOT)} rules out: " \
        f"{sorted(strays.items())[:10]}"


def test_the_committed_mo_is_the_compiled_po():
    with EN_PO.open("rb") as po:
        catalog = read_po(po, locale="en")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert EN_MO.read_bytes() == compiled.getvalue(), "run `make catalogue` (it compiles)"


def test_the_committed_browser_catalogues_are_the_compiled_po():
    """static/i18n/<lang>.json is what ``make catalogue`` writes from the .po: every message
    of static/js with its English, nothing else."""
    outputs = js_catalogue.outputs()
    assert outputs, "no language's .po found"
    for path, text in outputs.items():
        assert path.exists() and path.read_text(encoding="utf-8") == text, \
            f"run `make catalogue`: {path.relative_to(ROOT)} is not the compiled .po"
    english = js_catalogue.js_msgids()
    assert english, "no message found in static/js: the extraction no longer matches"
