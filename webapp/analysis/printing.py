"""Printed maps (PDF, A4/A3 landscape) of the ranking, hotspots and coverage pages."""

from __future__ import annotations

from flask import Response, request
from werkzeug.datastructures import MultiDict

from geo import formatting as fmt
from geo.i18n import N_, Message
from webapp import printing
from webapp.analysis import bp, common
from webapp.analysis.maps import hotspot_params
from webapp.auth.permissions import require
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.i18n import current_language, say
from webapp.services import analysis as service


def _pdf(body: bytes, name: str) -> Response:
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def bad_request(message: str) -> Response:
    """A 400 answer saying ``message`` (a msgid, a ``Message`` or text) in the reader's
    language."""
    return Response(say(message), status=400, content_type="text/plain; charset=utf-8")


def paper_and_month(values, ward) -> tuple[str, str]:
    """The paper and month of a print request (``PrintError`` if either is wrong)."""
    paper = printing.check_paper(values.get("paper"))
    raw = values.get("month")
    if not raw:
        return paper, service.latest_month(db.conn, ward)
    try:
        return paper, fmt.parse_month(raw)
    except fmt.BadMonth as bad:
        raise printing.PrintError(str(bad)) from None


@bp.get("/ranking/print.pdf")
@require("view_analysis")
def ranking_print():
    ward = common.ward()
    try:
        paper, month = paper_and_month(request.args, ward)
        atlas = request.args.get("atlas", "0")
        if atlas not in ("0", "1"):
            raise printing.PrintError(Message(N_("Tham số atlas chỉ nhận 0 hoặc 1.")))
    except printing.PrintError as bad:
        return bad_request(bad.args[0])
    body = printing.ranking_pdf(db.conn, ward, month, paper, atlas == "1",
                                locale=current_language())
    return _pdf(body, printing.filename("xep-hang", ward, paper, month, atlas == "1"))


@bp.get("/hotspots/print.pdf")
@require("view_analysis")
def hotspots_print():
    ward = common.ward()
    args = MultiDict(request.args)
    try:
        paper = printing.check_paper(args.pop("paper", None))
        params = hotspot_params(args, ward)
    except printing.PrintError as bad:
        return bad_request(bad.args[0])
    except ApiError as bad:
        return bad_request(bad.message)
    body = printing.hotspot_pdf(db.conn, ward, params, paper, locale=current_language())
    return _pdf(body, printing.filename("diem-nong", ward, paper))


@bp.get("/coverage/print.pdf")
@require("view_analysis")
def coverage_print():
    ward = common.ward()
    try:
        paper = printing.check_paper(request.args.get("paper"))
    except printing.PrintError as bad:
        return bad_request(bad.args[0])
    return _pdf(printing.coverage_pdf(db.conn, ward, paper, locale=current_language()),
                printing.filename("do-phu-nha-tro", ward, paper))
