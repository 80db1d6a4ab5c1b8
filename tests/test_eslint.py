"""eslint on our browser code: every file of static/js is an ES module and lints clean.

eslint comes from npm (package.json, package-lock.json); ``make test`` installs it with
``npm ci``. Without it this test fails rather than skips: a lint that quietly does not run
checks nothing.
"""

import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"
TARGETS = ["static/js", "static/sw.js", "eslint.config.js"]


def test_eslint_passes_on_static_js():
    assert shutil.which("node"), "Node.js is missing: run `make test-setup` (system-deps.sh)"
    assert ESLINT.exists(), "eslint is missing: run `make test-setup` (npm ci)"
    result = subprocess.run([str(ESLINT), "--max-warnings", "0", *TARGETS], cwd=ROOT,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_page_script_of_ours_is_a_module():
    """Our scripts load as ``type="module"`` (they import each other, no globals link them);
    only the vendored libraries stay classic scripts."""
    tags = []
    for template in (ROOT / "webapp" / "templates").rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", template.read_text(encoding="utf-8")):
            if "filename='js/" in tag:
                tags.append((template.name, tag))
    assert tags, "no page script found: the pattern no longer matches the templates"
    classic = [(name, tag) for name, tag in tags if 'type="module"' not in tag]
    assert not classic, classic


def test_no_cross_file_globals():
    """No file or page hands functions to another through a ``window.Urban…`` object; the
    few left (``window.UrbanMap``) are set for the browser tests and the console, never read."""
    offenders = []
    for path in (ROOT / "static" / "js").rglob("*.js"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"window\.Urban\w+\b(?!\s*=[^=])|\bUrban(Html|Analysis)\b", source):
            offenders.append(path.name)
    for template in (ROOT / "webapp" / "templates").rglob("*.html"):
        if re.search(r"\bUrban[A-Z]\w*\.", template.read_text(encoding="utf-8")):
            offenders.append(template.name)
    assert not offenders, offenders
