"""OSM road lines as a street layer's input: each way's ``highway`` value to our street
class (the table ``data/osm_highway.yaml``, a ward's to edit), the rows dropped and why, and
a name from ``name:vi``, ``name`` or ``ref``."""

from __future__ import annotations

from pathlib import Path

from geo.i18n import N_, Message
from geo.lazy import deferred
from geo.resources import DATA_DIR
from geo.street_names import normalise_name
from geo.vocabulary import STREET_CLASSES

gpd = deferred("geopandas")
pd = deferred("pandas")


def load_highway_table(path: str | Path = DATA_DIR / "osm_highway.yaml") -> dict[str, str | None]:
    """OSM ``highway`` value → street class code, ``None`` for values that are not roads.

    >>> load_highway_table()["trunk"], load_highway_table()["footway"]
    ('national', None)
    """
    import yaml

    path = Path(path)
    table = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(table, dict):
        raise ValueError(Message(N_("%(file)s: cần một bảng “giá trị highway: loại đường”"),
                                 file=path.name))
    wrong = sorted(f"{k}: {v}" for k, v in table.items() if v is not None and v not in
                   STREET_CLASSES)
    if wrong:
        raise ValueError(Message(N_("%(file)s: loại đường không hợp lệ (%(wrong)s); dùng "
                                    "%(classes)s hoặc null"), file=path.name,
                                 wrong=", ".join(wrong), classes=", ".join(STREET_CLASSES)))
    return {str(key).strip().lower(): value for key, value in table.items()}


def classify_highway(
    values: pd.Series, table: dict[str, str | None]
) -> tuple[pd.Series, pd.Series]:
    """The street class of each ``highway`` value, and why a row is dropped.

    Returns
    -------
    classes : class code per row, ``None`` where dropped
    reasons : ``None`` where kept, else "không phải đường xe (footway)" for a value the
        table drops, "loại highway không rõ (xyz)" for one it does not list

    Examples
    --------
    >>> table = {"primary": "provincial", "footway": None}
    >>> classes, reasons = classify_highway(pd.Series(["primary", "footway", " XYZ"]), table)
    >>> classes.tolist()
    ['provincial', None, None]
    >>> reasons.tolist()
    [None, 'không phải đường xe (footway)', 'loại highway không rõ (xyz)']
    """
    classes, reasons = [], []
    for value in values:
        key = value.strip().lower() if isinstance(value, str) else ""
        code = table.get(key)
        classes.append(code)
        if code is not None:
            reasons.append(None)
        elif key in table:
            reasons.append(Message(N_("không phải đường xe (%(key)s)"), key=key))
        elif key:
            reasons.append(Message(N_("loại highway không rõ (%(key)s)"), key=key))
        else:
            reasons.append(Message(N_("loại highway không rõ (trống)")))
    return (pd.Series(classes, index=values.index, dtype=object),
            pd.Series(reasons, index=values.index, dtype=object))


def osm_street_lines(
    ways: gpd.GeoDataFrame, table: dict[str, str | None] | None = None
) -> gpd.GeoDataFrame:
    """The input of ``prepare_streets`` from ``geo.io.osm.read_osm`` rows.

    The name is ``name:vi``, else ``name``, else ``ref`` (a national road mapped only as
    "QL.51"); ``source_ref`` is the OSM id.
    """
    table = load_highway_table() if table is None else table
    classes, reasons = classify_highway(ways["highway"], table)
    names = [next((n for n in map(normalise_name, row) if n), None)
             for row in ways[["name:vi", "name", "ref"]].itertuples(index=False)]
    return gpd.GeoDataFrame({"name": names, "street_class": classes, "drop_reason": reasons,
                             "source_ref": ways["osm_id"]}, geometry=ways.geometry.values,
                            crs=ways.crs)
