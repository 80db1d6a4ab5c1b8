"""Map drawing for the printed maps: our own vectors in the ward's VN-2000 metric CRS."""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from geo import formatting as fmt
from geo.crs import to_metric
from geo.i18n import translate
from geo.lazy import deferred
from geo.printmap.frame import INK, Page
from geo.printmap.map_furniture import fit_extent, nice_length, north_arrow, scale_bar
from geo.ranking import tier_labels

gpd = deferred("geopandas")

# Tiers for black-and-white printing: lightness falls with the tier and each has its hatch.
TIER_STYLES: dict[str | None, tuple[str, str]] = {
    "excellent": ("#3a3a3a", ""),
    "good": ("#8c8c8c", "///"),
    "pass": ("#d4d4d4", ".."),
    "below": ("#ffffff", "xx"),
    None: ("#ffffff", "--"),  # not ranked: insufficient data
}
MAP_BOX = (10.0, 11.0, 172.0, 171.0)  # x, y, w, h in A4 mm: the map frame of every page
STREET_GREY = "#9a9a9a"
NATIONAL_GREY = "#4d4d4d"


def metric(frame: gpd.GeoDataFrame | None, epsg: int) -> gpd.GeoDataFrame | None:
    if frame is None or frame.empty or (frame.crs is not None and frame.crs.to_epsg() == epsg):
        return frame
    return to_metric(frame, epsg)


def draw(ax, shapes, *, zorder: float, linewidth: float, color=None, **style) -> None:
    """Draw the polygons of ``shapes`` (a GeoDataFrame or GeoSeries) as one patch collection
    and its lines as one line collection, as ``GeoDataFrame.plot`` does — without it:
    geopandas' plotting imports pyplot (≈0.35 s of a command-line print) and redraws the
    whole figure after each layer. ``color`` sets fill and edge of polygons, the colour
    of lines; ``style`` goes to the collections (``facecolor``, ``edgecolor``, ``hatch``,
    ``linestyle``, ``alpha``)."""
    geoms = np.asarray(getattr(shapes, "geometry", shapes), dtype=object)
    parts = shapely.get_parts(geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))])
    kinds = shapely.get_type_id(parts)
    polygons = [_polygon_path(p) for p in parts[kinds == shapely.GeometryType.POLYGON]]
    lines = [shapely.get_coordinates(p) for p in parts[
        (kinds == shapely.GeometryType.LINESTRING) | (kinds == shapely.GeometryType.LINEARRING)]]
    if color is not None:
        style["color"] = color
    if polygons:
        ax.add_collection(PatchCollection([PathPatch(path) for path in polygons],
                                          linewidth=linewidth, zorder=zorder, **style),
                          autolim=False)  # the extent is the page's (map_axes, set_extent)
    if lines:
        line_style = {k: v for k, v in style.items() if k not in ("facecolor", "hatch")}
        ax.add_collection(LineCollection(lines, linewidth=linewidth, zorder=zorder,
                                         **line_style), autolim=False)


def _polygon_path(polygon) -> Path:
    return Path.make_compound_path(
        Path(shapely.get_coordinates(polygon.exterior)),
        *(Path(shapely.get_coordinates(ring)) for ring in polygon.interiors))


def map_axes(page: Page, bounds, box=MAP_BOX, pad: float = 0.04):
    """The map frame (a thin border) with data limits fitted to its aspect."""
    x, y, w, h = box
    ax = page.axes(x, y, w, h)
    set_extent(ax, bounds, box, pad)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_on()
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8 * page.k)
        spine.set_color(INK)
    return ax


def set_extent(ax, bounds, box=MAP_BOX, pad: float = 0.04) -> None:
    xlim, ylim = fit_extent(bounds, box[2], box[3], pad)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)


def furniture(page: Page, ax, box=MAP_BOX, scale: bool = True, north: bool = True,
              locale: str = "vi") -> None:
    """Scale bar at the lower right and north arrow at the upper right of the map frame."""
    x, y, w, h = box
    ax.set_xlabel("")
    ax.set_ylabel("")
    if scale:
        x0, x1 = ax.get_xlim()
        bar_mm = nice_length(w * 0.25 * (x1 - x0) / w) / ((x1 - x0) / w)
        scale_bar(page, ax, x + w - bar_mm - 10, y + 5, w, locale)
    if north:
        north_arrow(page, x + w - 8, y + h - 16, locale)


def draw_streets(ax, streets: gpd.GeoDataFrame | None, k: float, alpha: float = 1.0) -> None:
    if streets is None or streets.empty:
        return
    national = (streets["street_class"] == "national") if "street_class" in streets else \
        streets.geometry.isna()
    others = streets[~national]
    if len(others):
        draw(ax, others, color=STREET_GREY, linewidth=0.35 * k, alpha=alpha, zorder=3)
    if national.any():
        draw(ax, streets[national], color="white", linewidth=2.6 * k, zorder=4)
        draw(ax, streets[national], color=NATIONAL_GREY, linewidth=1.8 * k, zorder=4.1)


def national_name(streets: gpd.GeoDataFrame | None, locale: str = "vi") -> str:
    if streets is None or streets.empty or "street_class" not in streets:
        return ""
    names = streets.loc[streets["street_class"] == "national", "name"] if "name" in streets \
        else []
    return str(names.iloc[0]) if len(names) else translate("Quốc lộ", locale)


ROUTE_INK = "#000000"


def draw_route(ax, route: gpd.GeoDataFrame | None, k: float) -> None:
    """The ward demonstration route: a bold dashed black line, legible in greys."""
    if route is None or route.empty:
        return
    draw(ax, route, color="white", linewidth=3.4 * k, zorder=4.4)
    draw(ax, route, color=ROUTE_INK, linewidth=2.2 * k, linestyle=(0, (4, 1.5)), zorder=4.5)


def route_handle(name: str, k: float) -> list:
    return [Line2D([], [], color=ROUTE_INK, linewidth=2.2 * k, linestyle=(0, (4, 1.5)),
                   label=name)] if name else []


def draw_outline(ax, ward: gpd.GeoDataFrame | None, k: float) -> None:
    if ward is not None and not ward.empty:
        draw(ax, ward.boundary, color=INK, linewidth=1.3 * k, zorder=6)


def base_handles(streets, k: float, locale: str = "vi") -> list:
    handles = [Line2D([], [], color=STREET_GREY, linewidth=0.6 * k,
                      label=translate("Đường phố", locale))]
    name = national_name(streets, locale)
    if name:
        handles.append(Line2D([], [], color=NATIONAL_GREY, linewidth=1.8 * k, label=name))
    handles.append(Line2D([], [], color=INK, linewidth=1.3 * k,
                          label=translate("Ranh giới phường", locale)))
    return handles


def tier_handles(tiers, counts: dict, k: float, locale: str = "vi") -> list:
    """A legend entry per tier of the rubric (the ward's label, its threshold, how many)."""
    handles, labels = [], tier_labels(tiers, locale)
    for tier in tiers:
        fill, hatch = TIER_STYLES.get(tier["code"], TIER_STYLES["below"])
        label = translate("%(tier)s (≥ %(min)s điểm): %(count)s", locale,
                          tier=labels[tier["code"]],
                          min=fmt.number(tier["min"], 2, trim=True, locale=locale),
                          count=counts.get(tier["code"], 0))
        handles.append(Patch(facecolor=fill, hatch=hatch, edgecolor=INK, linewidth=0.5 * k,
                             label=label))
    if counts.get(None):
        fill, hatch = TIER_STYLES[None]
        handles.append(Patch(facecolor=fill, hatch=hatch, edgecolor=INK, linewidth=0.5 * k,
                             label=translate("Thiếu dữ liệu, không xếp hạng: %(count)s",
                                             locale, count=counts[None])))
    return handles


def label_circle(ax, x: float, y: float, text: str, size: float, k: float) -> None:
    ax.text(x, y, text, fontsize=size * k, ha="center", va="center", weight="bold",
            color=INK, zorder=8,
            bbox={"boxstyle": "circle,pad=0.28", "facecolor": "white", "edgecolor": INK,
                  "linewidth": 0.6 * k})
