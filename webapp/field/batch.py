"""A phone's backlog in one request: ``POST /api/v1/field/batch`` (docs/field-api.md).

Each record is named by the URL it would be sent to alone, as the phone's outbox keeps it,
and is stored exactly as if sent alone — its own transaction, its own permission check, the
same content hash and replay — so a batch cut short by a lost connection or a crash is
simply sent again: what was stored replays as 200, the rest is stored. What a batch saves
is the request: sign-in, ward, the ward's cached layers and one HTTP round trip per
record.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from geo.i18n import N_
from geo.schema import BATCH_MAX_RECORDS
from webapp import jsonio
from webapp.auth.permissions import can
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.field import api, bp
from webapp.services import submissions
from webapp.services.field import FieldService


def _records() -> list:
    """The batch's records, ``[{"url", "payload", "user"?}, …]``; ApiError if unreadable."""
    try:
        body = jsonio.loads(request.get_data(cache=False) or b"")
    except jsonio.JsonRefused as refused:
        raise ApiError(400, N_("Không đọc được lô bản ghi: %(why)s"), field="records",
                       params={"why": refused.vi}) from None
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list) or not records:
        raise ApiError(400, N_("Lô bản ghi phải có danh sách “records” không rỗng."),
                       field="records")
    if len(records) > BATCH_MAX_RECORDS:
        raise ApiError(413, N_("Một lô gửi tối đa %(n)s bản ghi."), field="records",
                       params={"n": BATCH_MAX_RECORDS})
    return records


def _endpoint(adapter, record) -> tuple[str, object]:
    """(submission kind, target) of the one-record endpoint ``record["url"]`` names."""
    url = record.get("url") if isinstance(record, dict) else None
    if not isinstance(url, str) or not url.startswith(api.API + "/"):
        raise ApiError(400, N_("Mỗi bản ghi của lô cần “url” của API ghi nhận."), field="url")
    try:
        endpoint, arguments = adapter.match(url.split("?", 1)[0], method="POST")
    except HTTPException:
        endpoint, arguments = None, {}
    if endpoint not in api.RECORD_ENDPOINTS:
        raise ApiError(404, N_("Không có API ghi nhận tại “%(url)s”."), field="url",
                       params={"url": url[:200]})
    kind, permission, target = api.RECORD_ENDPOINTS[endpoint]
    if not can(permission):
        raise ApiError(403, N_("Bạn không có quyền thực hiện thao tác này."))
    return kind, arguments.get(target) if target else None


@bp.post(f"{api.API}/field/batch")
def submit_batch():
    """Store each record as its own submission; answer 200 with one result per record, in
    order: ``{"results": [{"status": 201|200, …the one-record answer} | {"status": 4xx,
    "error": {…the one envelope}}]}``."""
    api.check_sender(request.headers.get(api.USER_HEADER))
    ward = api.current_ward()
    records = _records()
    adapter = current_app.url_map.bind("localhost")
    service = FieldService(ward, api.signed_in())  # its cached layers serve the batch
    parsed = [_parse(record, adapter) for record in records]
    seen = submissions.receipted(ward, [item[0].uuid for item in parsed if isinstance(item, tuple)])
    with db.writer():  # each record its own transaction, all on one connection
        results = [_store(*item, ward, service, seen) if isinstance(item, tuple) else item
                   for item in parsed]
    return jsonify({"results": results})


def _refusal(refused: ApiError) -> dict:
    return {"status": refused.status, **refused.to_dict()}


def _parse(record, adapter) -> tuple[submissions.Submission, object] | dict:
    """(submission, target) of one record, or its refusal's result: a refusal is this
    record's only, the others are stored or refused alone."""
    try:
        kind, target = _endpoint(adapter, record)
        api.check_sender(record.get("user"))
        return submissions.from_payload(kind, api.target_key(target), record.get("payload"),
                                        []), target
    except ApiError as refused:
        return _refusal(refused)


def _store(submission, target, ward, service: FieldService, seen: set) -> dict:
    try:
        status, body = api.store(submission, target, ward, service,
                                 unseen=submission.uuid not in seen)
        return {"status": status, **body}
    except ApiError as refused:
        return _refusal(refused)
