"""Heavy libraries load when first used, not when the app starts.

Building the Flask app imported pandas, geopandas, scipy, matplotlib and folium up front:
seconds and hundreds of MB before ``urbanorder --help`` could answer, and again on every
restart. Modules that use them write ``pd = deferred("pandas")`` instead of
``import pandas as pd``; the real import runs at the first attribute use (``pd.DataFrame``),
then every use goes straight to the module. (The stdlib ``LazyLoader`` cannot do this in
``sys.modules`` on Python 3.11: any later ``import pandas`` statement loads it.)
Submodules (``from scipy import ndimage``) are imported inside the functions that need them.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class Deferred:
    """Stands for module ``name`` until an attribute is read from it."""

    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name, self._module = name, None

    def _load(self) -> ModuleType:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return self._module

    def __getattr__(self, attr: str):
        return getattr(self._load(), attr)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<deferred module {self._name!r} ({state})>"


def deferred(name: str) -> Deferred:
    """A stand-in for ``import name``, loading on first attribute use.

    >>> json = deferred("json")
    >>> json.dumps([1])
    '[1]'
    """
    return Deferred(name)
