"""The printed maps' typeface: DejaVu Sans cut down to Vietnamese, built once and cached.

matplotlib embeds each TrueType face it used into the PDF (Type 42, so the text can be
searched and copied) after subsetting it with fontTools; with the full DejaVu Sans faces
(≈5,000 glyphs each, large GSUB/GPOS tables) that was ≈0.15 s per face, four faces per
print — a sixth of an A3 print from the command line. A copy of each face holding only
the characters a Vietnamese print uses (``RANGES``) subsets ≈3× faster. The copies are
renamed (family ``FAMILY``) so that matplotlib keeps both; the full DejaVu Sans stays
next in the family list, so a character outside the ranges (a Chinese shop sign in a
street name, an unusual symbol) still prints, from the full face.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

FULL = "DejaVu Sans"
FAMILY = "DejaVu Sans VN"
# Bump when RANGES or the renaming change: the cached files' names carry it.
VERSION = 1
FACES = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique")
# What Vietnamese text and our tables print: ASCII, Latin-1 and Latin Extended-A/B (Đ đ,
# Ơ ơ, Ư ư, Ĩ ĩ, Ũ ũ), combining diacritics (text typed with separate marks), Latin
# Extended Additional (ạ … ỹ), punctuation (– — … “ ”), currency (₫), letterlike (№),
# arrows, mathematical operators (≥ ≤ −) and geometric shapes (▲ ▼ ●).
RANGES = ((0x0020, 0x007E), (0x00A0, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF),
          (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x21FF),
          (0x2200, 0x22FF), (0x25A0, 0x25FF))

_families: list[str] | None = None


def default_cache_dir() -> Path:
    """matplotlib's own cache folder (``MPLCONFIGDIR`` or ``~/.cache/matplotlib``, a
    temporary folder if neither is writable), where it keeps its font list too."""
    import matplotlib

    return Path(matplotlib.get_cachedir()) / "urbanorder-fonts"


def _source(face: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / f"{face}.ttf"


def cached_path(face: str, cache_dir: Path) -> Path:
    """Where the Vietnamese copy of ``face`` is kept; the source's size in the name makes
    a matplotlib upgrade with another DejaVu build a new copy."""
    size = _source(face).stat().st_size
    return cache_dir / f"{face.replace('DejaVuSans', 'DejaVuSansVN')}-v{VERSION}-{size}.ttf"


def build_face(face: str, target: Path) -> Path:
    """Write the Vietnamese copy of DejaVu ``face`` to ``target`` (atomically: another
    process printing at the same time reads either no file or a whole one)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]  # marks placed over letters, kerning: as the full face
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamp, which fontTools cannot cut
    font = TTFont(_source(face))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    _rename(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            font.save(out)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; it is a shared cache
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _rename(font) -> None:
    """Family "DejaVu Sans VN", PostScript name "DejaVuSansVN-…": a font of its own for
    matplotlib's font manager, and still "DejaVuSans…" in the PDF's font list."""
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 16, 18):
            record.string = str(record.toUnicode()).replace(FULL, FAMILY)
        elif record.nameID == 6:
            record.string = str(record.toUnicode()).replace("DejaVuSans", "DejaVuSansVN")


def families(cache_dir: Path | None = None) -> list[str]:
    """The family list for ``rcParams["font.family"]``: the Vietnamese copies (built on
    the first call of a machine, registered with matplotlib on the first of a process)
    and then the full DejaVu Sans; the full face alone if the copies cannot be made."""
    global _families
    if _families is None:
        try:
            from matplotlib import font_manager

            folder = cache_dir or default_cache_dir()
            paths = [cached_path(face, folder) for face in FACES]
            for face, path in zip(FACES, paths, strict=True):
                if not path.exists():
                    build_face(face, path)
            for path in paths:  # all four or none: a missing face would borrow another's
                font_manager.fontManager.addfont(str(path))
            _families = [FAMILY, FULL]
        except Exception:  # a read-only cache, a damaged copy: print with the full faces
            log.warning("Vietnamese font copies unavailable; using the full DejaVu Sans",
                        exc_info=True)
            _families = [FULL]
    return _families
