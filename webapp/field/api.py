"""Field API (docs/field-api.md): idempotent submissions and the look-ups forms need."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from geo import vocabulary as vocab
from geo.i18n import N_
from webapp import wards
from webapp.api.params import parse_codes, parse_int
from webapp.auth import shift_ends_at, shift_started_at
from webapp.auth.permissions import can, require
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.field import bp
from webapp.services import submissions, workset
from webapp.services.field import OPERATIONS, FieldService

API = "/api/v1"
USER_HEADER = "X-Urbanorder-User"  # the account that made a queued record on the phone


def check_sender(raw: str | None) -> None:
    """Refuse a record sent in another account's session (before anything is stored);
    ``raw``: the account the phone says made it (``X-Urbanorder-User``, or a batch item's
    ``user``)."""
    if raw is None:
        return
    try:
        sender = int(str(raw).strip())
    except ValueError:
        raise ApiError(400, N_("Tiêu đề %(header)s phải là mã số tài khoản (số nguyên)."),
                       field=USER_HEADER, params={"header": USER_HEADER}) from None
    if sender != current_user.id:  # the phone keeps the record queued for its own account
        raise ApiError(401, N_("Bản ghi này của một tài khoản khác: chờ người ghi nhận đăng "
                               "nhập để gửi."), code="other_user")


def current_ward():
    try:
        return wards.resolve()
    except wards.NoWard:
        raise ApiError(404, N_("Chưa có phường để làm việc.")) from None


def target_key(target) -> str | None:
    """A record's target (a house UUID, an incident id, a register code) as it is written
    into the submission's content hash."""
    return None if target is None else str(target)


def signed_in():
    """The signed-in user itself, not Flask-Login's proxy: a record's handlers read it
    dozens of times, and each read through the proxy looks up the request context."""
    return current_user._get_current_object()


def store(submission: submissions.Submission, target, ward, service,
          unseen: bool = False) -> tuple[int, dict]:
    """Store one parsed record exactly once (``submissions.run``; ``unseen``: no receipt
    for its UUID was found just before): (HTTP status, body)."""
    submission.target = target
    return submissions.run(submission, ward, service.user,
                           partial(OPERATIONS[submission.kind], service), service.describe,
                           unseen)


def _submit(kind: str, target):
    check_sender(request.headers.get(USER_HEADER))
    here = current_ward()
    raw, files = _sent()
    submission = submissions.parse(kind, target_key(target), raw, files)  # ApiError if refused
    status, body = store(submission, target, here, FieldService(here, signed_in()))
    return jsonify(body), status


def _sent() -> tuple[str | bytes | None, list[tuple[str, bytes]]]:
    """The payload's JSON text and the photos. A record without photos may come as the JSON
    body itself (``application/json``): no multipart parsing, ≈ 2 ms less per record; with
    photos, or from older phones, as a multipart form (docs/field-api.md)."""
    if request.mimetype == "application/json":
        return request.get_data(cache=False), []
    files = [(f.filename or "", f.read()) for f in request.files.getlist("photos")]
    return request.form.get("payload"), files


# The endpoints that store one field record, by endpoint name: (submission kind, the
# permission, the URL argument that names the record's target). A batch
# (``webapp.field.batch``) names each of its records' endpoint by URL, as the phone's outbox
# keeps it, and is answered as if each had been sent alone.
RECORD_ENDPOINTS: dict[str, tuple[str, str, str | None]] = {}


def record_endpoint(blueprint, rule: str, name: str, kind: str, permission: str,
                    target: str | None = None) -> None:
    """Route ``POST rule`` (endpoint ``blueprint.name``) as the one-record endpoint of
    submission ``kind``, for users with ``permission``."""

    def view(**arguments):
        return _submit(kind, arguments.get(target) if target else None)

    view.__name__ = name
    blueprint.add_url_rule(rule, name, require(permission)(view), methods=["POST"])
    RECORD_ENDPOINTS[f"{blueprint.name}.{name}"] = (kind, permission, target)


record_endpoint(bp, f"{API}/field/boarding-houses", "create_boarding_house",
                "boarding_house.create", "record_boarding_house")
record_endpoint(bp, f"{API}/field/boarding-houses/<uuid:house_uuid>", "update_boarding_house",
                "boarding_house.update", "record_boarding_house", "house_uuid")
record_endpoint(bp, f"{API}/field/boarding-houses/<uuid:house_uuid>/inspections",
                "create_inspection", "inspection.create", "inspect_boarding_house",
                "house_uuid")
record_endpoint(bp, f"{API}/field/incidents", "create_incident", "incident.create",
                "record_incident")
record_endpoint(bp, f"{API}/incidents/<int:incident_id>/transition", "transition",
                "incident.transition", "work_incidents", "incident_id")


def _point() -> tuple[float, float]:
    try:
        lon, lat = float(request.args["lon"]), float(request.args["lat"])
    except (KeyError, ValueError):
        raise ApiError(400, N_("Cần tham số lon và lat (số thập phân)."), field="lon") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ApiError(400, N_("Tọa độ ngoài phạm vi."), field="lon")
    return lon, lat


def _jsonable(rows: list[dict]) -> list[dict]:
    for row in rows:
        for key, value in row.items():
            if isinstance(value, datetime):
                row[key] = value.isoformat(timespec="minutes")
            elif isinstance(value, date):
                row[key] = value.isoformat()
            elif isinstance(value, float) and key == "distance_m":
                row[key] = round(value, 1)
    return rows


@bp.get(f"{API}/field/incidents/nearby")
@require("record_incident")
def nearby_incidents():
    lon, lat = _point()
    (category,) = parse_codes(request.args.get("category", ""), vocab.INCIDENT_CATEGORIES,
                              "category", N_("Loại vi phạm"))[:1]
    service = FieldService(current_ward(), current_user)
    rows = service.nearby_open_incidents(db.conn, lon, lat, category)
    keep = ("id", "category", "status", "observed_at", "description", "distance_m")
    out = [{k: row[k] for k in keep} for row in rows]
    for row in out:
        row["category_label"] = _(vocab.label(vocab.INCIDENT_CATEGORIES, row["category"]))
        row["status_label"] = _(vocab.label(vocab.INCIDENT_STATUSES, row["status"]))
    return jsonify({"incidents": _jsonable(out)})


@bp.get(f"{API}/field/boarding-houses/nearby")
@require("record_incident")
def nearby_houses():
    lon, lat = _point()
    radius = parse_int(request.args.get("radius", "").strip() or "100", "radius", 1, 300)
    rows = workset.nearby_houses(db.conn, current_ward(), lon, lat, radius)
    return jsonify({"boarding_houses": rows})


def _iso(epoch: int) -> str:
    return workset.iso_utc(datetime.fromtimestamp(epoch, UTC))


@bp.get(f"{API}/field/session")
def session_info():
    """Who is signed in on this phone, in which ward, and until when."""
    here = wards.current()
    started = shift_started_at()
    response = jsonify({
        "user": {"id": current_user.id, "username": current_user.username,
                 "full_name": current_user.full_name, "role": current_user.role},
        "ward": {"code": here.code, "name": here.name} if here is not None else None,
        "signed_in_at": _iso(started) if started is not None else None,
        "expires_at": _iso(shift_ends_at(started)) if started is not None else None,
    })
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get(f"{API}/field/working-set")
def working_set():
    """The officer's houses, streets, khu phố and model streets for offline use."""
    if not (can("record_incident") or can("record_boarding_house")):
        raise ApiError(403, N_("Bạn không có quyền thực hiện thao tác này."))
    code = request.args.get("neighbourhood", "").strip() or None
    try:
        body = workset.working_set(current_ward(), current_user, code,
                                   limit=current_app.config["FIELD_WORKSET_MAX_HOUSES"])
    except workset.UnknownNeighbourhood:
        raise ApiError(404, N_("Phường không có khu phố mã '%(code)s'."), field="neighbourhood",
                       params={"code": code}) from None
    response = jsonify(body)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get(f"{API}/field/place")
@require("record_boarding_house")
def place():
    """The street and khu phố at a point, to prefill a house's address."""
    lon, lat = _point()
    return jsonify(workset.place(db.conn, current_ward(), lon, lat))
