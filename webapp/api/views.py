"""Thin API views: parse, query, label, return GeoJSON."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, jsonify, request, url_for
from flask_login import current_user
from shapely.geometry import mapping

from geo.i18n import N_
from models import fingerprints, layer_json, queries
from webapp import jsonio, wards
from webapp.api import bp
from webapp.api.params import layer_filter, parse_int
from webapp.auth.permissions import can
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.i18n import current_language
from webapp.revalidation import PROCESS_STARTED, revalidated
from webapp.services.cache import TrustedWhile


def _layer(name: str) -> queries.Layer:
    layer = queries.LAYERS.get(name)
    if layer is None:
        raise ApiError(404, N_("Không có lớp dữ liệu '%(name)s'. Các lớp: %(layers)s."),
                       params={"name": name, "layers": ", ".join(queries.LAYERS)})
    return layer


def _ward():
    try:
        return wards.resolve(request.args.get("ward"))
    except wards.NoWard as missing:
        raise ApiError(404, N_("Không tìm thấy phường '%(missing)s'."), field="ward",
                       params={"missing": str(missing)}) from None


@bp.get("/")
def index():
    return jsonify({
        "layers": {name: url_for("api.layer_collection", name=name, _external=True)
                   for name in queries.LAYERS},
        "wards": [{"code": w.code, "name": w.name, "synthetic": w.is_synthetic}
                  for w in queries.wards(db.conn)],
    })


_VERSIONS: dict[float, TrustedWhile] = {}


def _layer_versions(ward) -> tuple:
    """The fingerprints of the ward's layers, trusted for ``LAYER_VERSION_MAX_AGE`` seconds
    unless this process commits meanwhile: the map asks for five layers at once and each
    pan for two, and reading them each time was a fixed cost of every request."""
    max_age = float(current_app.config["LAYER_VERSION_MAX_AGE"])
    trusted = _VERSIONS.setdefault(max_age, TrustedWhile(max_age, lambda: db.commits))
    return trusted.get((ward.id, current_app.config["DATABASE_URL"]), lambda: (
        fingerprints.layers_fingerprint(db.conn, ward.id, tuple(queries.LAYERS))))


def _layer_etag(name: str, ward) -> str:
    """Changes whenever any layer of the ward changes (features carry the names of their
    khu phố and street), or the query, the labels' language or the server's code: the same
    ETag means the same body. Weak (W/): the same body gzip-, Brotli- or zstd-compressed."""
    versions = _layer_versions(ward)
    raw = repr((name, ward.id, ward.code, ward.name, ward.is_synthetic,
                sorted(request.args.items(multi=True)), current_language(), versions,
                PROCESS_STARTED))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@bp.get("/<name>")
def layer_collection(name: str):
    layer = _layer(name)
    ward = _ward()
    flt = layer_filter(layer, request.args, lambda: wards.neighbourhood_keys(ward.id))
    etag = _layer_etag(name, ward)
    if request.if_none_match.contains_weak(etag):  # unchanged: no query, no JSON
        return revalidated(etag)(Response(status=304))
    max_limit = current_app.config["API_MAX_LIMIT"]
    limit = parse_int(request.args.get("limit", str(current_app.config["API_DEFAULT_LIMIT"])),
                      "limit", 1, max_limit)
    offset = parse_int(request.args.get("offset", "0"), "offset", 0)
    features, returned, total = layer_json.features_json(db.conn, layer, ward.id, flt, limit,
                                                         offset, current_language())
    rest = {
        "numberMatched": total,
        "numberReturned": returned,
        "ward": {"code": ward.code, "name": ward.name, "synthetic": ward.is_synthetic},
        "links": [],
    }
    if offset + returned < total:
        args = {**request.args.to_dict(), "offset": offset + returned, "limit": limit}
        rest["links"].append({"rel": "next", "type": "application/geo+json",
                              "href": url_for("api.layer_collection", name=name, **args)})
    # The features' text is the database's; only the envelope is encoded here.
    body = f'{{"type":"FeatureCollection","features":{features},{jsonio.envelope_members(rest)}'
    return revalidated(etag)(jsonio.geojson_text_response(body))


@bp.get("/<name>/<int:feature_id>")
def layer_feature(name: str, feature_id: int):
    layer = _layer(name)
    ward = _ward()
    flt = queries.LayerFilter(feature_id=feature_id)
    features, returned, _ = layer_json.features_json(db.conn, layer, ward.id, flt, 1,
                                                     locale=current_language())
    if not returned:
        raise ApiError(404, N_("Không tìm thấy đối tượng số %(id)s trong lớp %(name)s."),
                       params={"id": feature_id, "name": name})
    return jsonio.geojson_text_response(features[1:-1])  # the array's one feature


@bp.get("/wards/<code>/boundary")
def ward_boundary(code: str):
    """The ward's outline as a GeoJSON Feature: a super-admin sees any ward, others their own."""
    ward = queries.ward_by_code(db.conn, code)
    if ward is None or not (can("manage_wards") or ward.id == current_user.ward_id):
        raise ApiError(404, N_("Không tìm thấy phường '%(missing)s'."), field="ward",
                       params={"missing": code})
    shape = queries.ward_boundary(db.conn, ward.id)
    return jsonio.geojson_response({"type": "Feature", "id": ward.id, "geometry": mapping(shape),
                     "properties": {"code": ward.code, "name": ward.name,
                                    "synthetic": bool(ward.is_synthetic)}})
