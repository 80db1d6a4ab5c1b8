"""Thin tile view: who sees which wards, then a cached tile with its ETag (304 when
unchanged). A ward's users get their own ward's features only; the province view
(``?scope=province``) needs the ``view_province`` permission."""

from __future__ import annotations

from flask import Response, request

from geo import webtiles
from geo.i18n import N_
from models import queries, tiles
from webapp import wards
from webapp.api.params import layer_filter
from webapp.auth.permissions import can
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.revalidation import PROCESS_STARTED, revalidated
from webapp.services import tiles as tile_service
from webapp.tiles import bp

MVT = "application/vnd.mapbox-vector-tile"
PROVINCE = "province"


FILTERS_REFUSED = {"bbox", "limit", "offset"}  # a tile is its own box and page


def tile_filter(layer: tiles.TileLayer, ward_id: int | None) -> queries.LayerFilter | None:
    """The ward map's filters for this tile (``?from=&to=&category=&status=&neighbourhood=``),
    validated as the GeoJSON layers validate them; ``None`` when there are none."""
    args = {k: v for k, v in request.args.items() if k not in ("ward", "scope")}
    if not args:
        return None
    api_layer = tiles.filterable(layer)
    if api_layer is None or ward_id is None or FILTERS_REFUSED & set(args):
        names = ", ".join(sorted(args))
        raise ApiError(400, N_("Ô bản đồ lớp %(layer)s không nhận tham số: %(names)s."),
                       field=sorted(args)[0], params={"layer": layer.name, "names": names})
    return layer_filter(api_layer, args, lambda: wards.neighbourhood_keys(ward_id))


def scope() -> int | None:
    """The ward the tiles are of (``None``: every ward, for province viewers)."""
    if request.args.get("scope") == PROVINCE:
        if not can("view_province"):
            raise ApiError(403, N_("Chỉ cán bộ cấp tỉnh xem được bản đồ toàn tỉnh."))
        return None
    try:
        return wards.resolve(request.args.get("ward")).id
    except wards.NoWard as missing:
        raise ApiError(404, N_("Không tìm thấy phường '%(missing)s'."), field="ward",
                       params={"missing": str(missing)}) from None


@bp.get("/tiles/<layer_name>/<int:z>/<int:x>/<int:y>.mvt")
def tile(layer_name: str, z: int, x: int, y: int):
    layer = tiles.TILE_LAYERS.get(layer_name)
    if layer is None:
        raise ApiError(404, N_("Không có lớp bản đồ '%(name)s'. Các lớp: %(layers)s."),
                       params={"name": layer_name, "layers": ", ".join(tiles.TILE_LAYERS)})
    if not webtiles.is_tile(z, x, y):
        raise ApiError(404, N_("Không có ô bản đồ %(tile)s (mức phóng 0–%(max)s)."),
                       params={"tile": f"{z}/{x}/{y}", "max": webtiles.MAX_ZOOM})
    ward_id = scope()
    key = tile_service.tile_key(layer, z, x, y, ward_id, tile_filter(layer, ward_id))
    etag = tile_service.etag(key, PROCESS_STARTED)
    if request.if_none_match.contains_weak(etag):
        return revalidated(etag)(Response(status=304))
    return revalidated(etag)(Response(tile_service.tile(db.conn, key), mimetype=MVT))
