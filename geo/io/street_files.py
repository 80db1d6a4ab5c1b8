"""Street files as a whole: OSM ways (an extract or an export with ``highway``) or a ward's
own road lines, turned into the input of ``geo.streets.prepare_streets``."""

from __future__ import annotations

from geo import osm_highways, streets, vocabulary
from geo.i18n import N_, Message, Msgid
from geo.io.fields import code_of
from geo.io.read import RawFile
from geo.io.values import cell
from geo.lazy import deferred

gpd = deferred("geopandas")
pd = deferred("pandas")

OSM_TAGS = ("osm_id", "highway", "name", "name:vi", "ref")


def prepare(raw: RawFile, mapping: dict[str, str], geoms: gpd.GeoSeries, ward_boundary,
            metric_epsg: int) -> tuple[streets.StreetPrep, list[str]]:
    """The street layer the file makes for the ward, and notes on its classes."""
    frame, notes = raw.frame, []
    if raw.osm:
        ways = gpd.GeoDataFrame(
            {column: frame[column] if column in frame.columns else None for column in OSM_TAGS},
            geometry=geoms.to_numpy(), crs=4326, index=frame.index)
        if "osm_id" not in frame.columns:  # an Overpass / osmtogeojson export
            ids = next((frame[c] for c in ("@id", "id") if c in frame.columns), None)
            ways["osm_id"] = ids.astype(str) if ids is not None else None
        lines = osm_highways.osm_street_lines(ways)
    else:
        lines, notes = own_street_lines(frame, mapping, geoms)
    return streets.prepare_streets(lines, ward_boundary, metric_epsg), notes


def own_street_lines(frame, mapping: dict[str, str], geoms: gpd.GeoSeries):
    """A ward's own road layer: its name and class columns (codes, Vietnamese labels, or OSM
    ``highway`` values); a class nobody knows becomes a local street, and is reported."""
    table = osm_highways.load_highway_table()
    names = frame[mapping["name"]] if mapping.get("name") else pd.Series(None, index=frame.index)
    raw = frame[mapping["street_class"]] if mapping.get("street_class") else \
        pd.Series(None, index=frame.index)
    classes, reasons, unknown = [], [], {}
    for value in raw:
        text, reason = cell(value), None
        code = "local" if text is None else code_of("street_class", text)
        if code not in vocabulary.STREET_CLASSES:
            key = str(text).strip().lower()
            code = table.get(key) if key in table else "local"
            if key in table and code is None:
                reason = Message(N_("không phải đường xe (%(key)s)"), key=key)
            elif key not in table:
                unknown[str(text)] = unknown.get(str(text), 0) + 1
        classes.append(code)
        reasons.append(reason)
    notes = []
    if unknown:
        listed = ", ".join(f"“{k}” ({n})" for k, n in sorted(unknown.items())[:8])
        notes.append(Message(N_("Loại đường không nhận ra, xếp là %(local)s: %(listed)s."),
                             local=Msgid(vocabulary.STREET_CLASSES["local"]), listed=listed))
    lines = gpd.GeoDataFrame({"name": names.map(cell).to_numpy(), "street_class": classes,
                              "drop_reason": reasons, "source_ref": None},
                             geometry=geoms.to_numpy(), crs=4326, index=frame.index)
    return lines, notes


