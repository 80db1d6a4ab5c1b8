"""Files in and out: GeoJSON, GeoPackage, zipped Shapefile, KML, XLSX / CSV.

Pure functions on GeoDataFrames (no Flask, no SQL). Exports (``geo.io.export``):
``write_gis`` (GeoJSON, GeoPackage, Shapefile zip with a README of the shortened field
names) and ``tabular`` (attributes plus lon/lat or X/Y columns for a sheet). Imports:
``read_file`` → ``guess_mapping`` → ``check_import`` (``geo.io.check``), which builds
geometry (any CRS, VN-2000 included), maps columns and validates every row with Vietnamese
messages; a caller stores the rows only when ``ImportCheck.ok``. The package is their public
face: callers import these names from ``geo.io``.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import Point
>>> pts = gpd.GeoDataFrame({"name": ["Nhà trọ"]}, geometry=[Point(106.9, 10.85)], crs=4326)
>>> tabular(pts).columns.tolist()
['name', 'lon', 'lat']
"""

from __future__ import annotations

from geo.io.check import (  # noqa: F401 - re-exported
    SOURCE_CRS_CHOICES,
    build_geometry,
    check_import,
    required_missing,
)
from geo.io.errors import ReadError  # noqa: F401 - re-exported
from geo.io.export import (  # noqa: F401 - re-exported
    EXPORT_FORMATS,
    README_LANGUAGES,
    layer_file_name,
    plain_value,
    shp_columns,
    tabular,
    write_gis,
)
from geo.io.fields import (  # noqa: F401 - re-exported
    IMPORT_LAYERS,
    LAYER_FIELDS,
    Field,
    fields_of,
    guess_mapping,
    shp_name,
)
from geo.io.read import (  # noqa: F401 - re-exported
    GIS_SUFFIXES,
    TABLE_SUFFIXES,
    RawFile,
    check_archive,
    read_file,
)
from geo.io.results import ImportCheck, RowError  # noqa: F401 - re-exported
from geo.io.values import number  # noqa: F401 - re-exported: one parser of typed numbers
