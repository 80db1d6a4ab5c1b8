"""Where the files shipped with the code are: ``data/`` and ``static/``.

In the repository they are the top-level folders beside ``geo/``; an installed wheel carries
them as the packages ``urbanorder_data`` and ``urbanorder_static`` (``package-dir`` in
``pyproject.toml``), which hold no code, so they are found as namespace packages. This is the
one place that knows the difference: everything else asks for ``DATA_DIR`` / ``STATIC_DIR``.

>>> (DATA_DIR / "rubric.yaml").is_file(), (STATIC_DIR / "sw.js").is_file()
(True, True)
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from geo.i18n import N_, Message

SOURCE_ROOT = Path(__file__).resolve().parent.parent
# An installed wheel has no pyproject.toml beside its packages; a checkout (also one
# installed in editable mode) does, and then its own folders are used even when another
# checkout's editable install also provides ``urbanorder_data``.
IN_CHECKOUT = (SOURCE_ROOT / "pyproject.toml").is_file()


def _shipped_folder(folder: str, package: str) -> Path:
    if IN_CHECKOUT:
        return SOURCE_ROOT / folder
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(Message(N_("Cài đặt urbanorder thiếu gói %(package)s (thư mục "
                                      "%(folder)s/): hãy cài lại gói urbanorder."),
                                   package=package, folder=folder))
    return Path(next(iter(spec.submodule_search_locations)))


DATA_DIR = _shipped_folder("data", "urbanorder_data")
STATIC_DIR = _shipped_folder("static", "urbanorder_static")
