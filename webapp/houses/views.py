"""Thin boarding-house views: list, record, follow-ups due, CSV exports.

Owner personal data (Decree 13/2023/NĐ-CP) reaches a page only for ``view_personal_data``,
and each time it does, an audit row is written in the same transaction that read it.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, render_template, request
from flask_login import current_user

from geo import vocabulary as vocab
from models import listings, queries, records
from models import photos as photo_store
from webapp.auth.permissions import can, require
from webapp.clock import local_today
from webapp.extensions import db
from webapp.houses import bp
from webapp.houses.export import houses_csv
from webapp.houses.params import form_query, house_filter
from webapp.i18n import current_language
from webapp.templating import parse_page

PER_PAGE = 50
UPCOMING_DAYS = 14  # the follow-up list also shows what falls due in the next two weeks
_VOCABULARIES = {
    "house_types": vocab.HOUSE_TYPES, "classifications": vocab.CLASSIFICATIONS,
    "model_statuses": vocab.MODEL_HOUSE_STATUSES,
}


@bp.get("/")
def index():
    conn = db.conn
    neighbourhoods = queries.neighbourhood_names(conn, current_user.ward_id)
    flt, form, problems = house_filter(request.args, neighbourhoods)
    page = listings.house_page(conn, current_user.ward_id, flt,
                               parse_page(request.args.get("page")), PER_PAGE)
    return render_template("houses/index.html", page=page, form=form, problems=problems,
                           neighbourhoods=neighbourhoods, export_args=form_query(form),
                           **_VOCABULARIES)


@bp.get("/<int:house_id>")
def record(house_id: int):
    ward_id = current_user.ward_id
    personal = can("view_personal_data")
    if personal:
        with db.transaction() as conn:
            house = listings.house_record(conn, ward_id, house_id, with_personal_data=True)
            if house is None:
                abort(404)
            shown = [name for name in listings.PERSONAL_COLUMNS if getattr(house, name)]
            if shown:
                records.audit(conn, ward_id, current_user.id, "view_personal_data",
                              "boarding_house", house_id, fields=shown, page="house_record")
    else:
        house = listings.house_record(db.conn, ward_id, house_id)
        if house is None:
            abort(404)
    conn = db.conn
    today = local_today()
    inspections = listings.house_inspections(conn, ward_id, house_id)
    # Only the latest inspection's follow-up can still be pending: a later one supersedes it.
    overdue_id = next((i.id for i in inspections[:1] if i.follow_up_on and
                       i.follow_up_done_on is None and i.follow_up_on < today), None)
    inspection_photos = {i.id: photo_store.photos_of(conn, ward_id, "inspection", i.id)
                         for i in inspections}
    return render_template(
        "houses/record.html", house=house, personal=personal, inspections=inspections,
        overdue_id=overdue_id, today=today, inspection_photos=inspection_photos,
        photos=photo_store.photos_of(conn, ward_id, "boarding_house", house_id),
        field_base=f"{request.script_root}/field/boarding-houses/{house.client_uuid}",
        **_VOCABULARIES)


@bp.get("/follow-ups")
@require("inspect_boarding_house")
def follow_ups():
    conn = db.conn
    today = local_today()
    page = listings.follow_ups(conn, current_user.ward_id, today + timedelta(days=UPCOMING_DAYS),
                               parse_page(request.args.get("page")), PER_PAGE)
    rows = [{"row": row, "days_overdue": (today - row.follow_up_on).days} for row in page.rows]
    return render_template(
        "houses/follow_ups.html", page=page, rows=rows, upcoming_days=UPCOMING_DAYS,
        overdue=listings.overdue_count(conn, current_user.ward_id, today),
        field_root=f"{request.script_root}/field/boarding-houses")


def _csv_response(body: bytes, name: str) -> Response:
    stamp = local_today().strftime("%Y%m%d")
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"',
        "Cache-Control": "private, no-store",
    })


@bp.get("/export.csv")
@require("view_personal_data")
def export_personal():
    ward_id = current_user.ward_id
    flt, _, _ = house_filter(request.args, queries.neighbourhood_names(db.conn, ward_id))
    with db.transaction() as conn:
        rows = listings.houses_for_export(conn, ward_id, flt, with_personal_data=True)
        records.audit(conn, ward_id, current_user.id, "export_personal_data", "boarding_house",
                      None, rows=len(rows), filters=flt.as_dict(),
                      fields=list(listings.PERSONAL_COLUMNS))
    return _csv_response(houses_csv(rows, with_personal_data=True, locale=current_language()),
                         "co-so-luu-tru-ca-nhan")


@bp.get("/export-public.csv")
def export_public():
    ward_id = current_user.ward_id
    flt, _, _ = house_filter(request.args, queries.neighbourhood_names(db.conn, ward_id))
    rows = listings.houses_for_export(db.conn, ward_id, flt)
    return _csv_response(houses_csv(rows, with_personal_data=False,
                                    locale=current_language()), "co-so-luu-tru")

