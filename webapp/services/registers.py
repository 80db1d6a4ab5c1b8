"""A register's entries: record, edit, delete, list, map, export and import (the types are
``webapp.services.register_types``). Every write runs on the caller's one transaction
(``conn``).

The checks are ``geo.registers`` / ``geo.register_rows``; the SQL is ``models.registers``;
the khu phố of an entry comes from the ward's locator, like a field record's.
"""

from __future__ import annotations

import json
from datetime import date

import shapely

from geo import register_rows as rows
from geo import register_values as values
from geo import registers as schema
from geo.i18n import N_, Message
from geo.numbers import NumberRefused, finite
from geo.text import tidy
from models import photos as photo_store
from models import records, writes
from models import registers as store
from webapp.errors import ApiError
from webapp.services.locator import ward_locator
from webapp.services.model_streets import Refused
from webapp.services.photos import MAX_PHOTOS, PhotoError, check_photos, too_many_photos
from webapp.services.register_types import register_type
from webapp.services.submissions import Raced, Submission, invalid

PAGE_SIZE = 50
MAP_LIMIT = 5000
def _placed(conn, ward, geometry) -> tuple[int | None, dict, list]:
    """The khu phố of an entry (at its representative point) and a note; an error when it
    lies outside the ward."""
    at = geometry if geometry.geom_type == "Point" else geometry.representative_point()
    kp_id, note, error = ward_locator(conn, ward).place(at.x, at.y)
    return kp_id, ({"location_note": note} if note else {}), [("location", error)] if error else []


def _clean(conn, ward, definition, payload, photos: int):
    attributes = payload.get("attributes", {k: v for k, v in payload.items()
                                            if k not in ("uuid", "location", "geometry")})
    clean, errors = values.validate_attributes(definition, attributes, photos)
    geometry, _location, geometry_errors = rows.geometry_from_payload(
        definition["geometry"], payload)
    errors += geometry_errors
    kp_id, notes = None, {}
    if geometry is not None:
        kp_id, notes, place_errors = _placed(conn, ward, geometry)
        errors += place_errors
    return clean, geometry, kp_id, notes, errors


def record_entry(service, conn, submission: Submission):
    """The field operation ``register_entry`` (``OPERATIONS``): ``submission.target`` is the
    register's code; exactly once by the submission's UUID (``submissions.run``)."""
    ward, user = service.ward, service.user
    row = register_type(conn, ward, str(submission.target))
    clean, geometry, kp_id, notes, errors = _clean(conn, ward, row.definition,
                                                   submission.payload, len(submission.photos))
    if errors:
        raise invalid(errors)
    if store.entry_uuid_taken(conn, ward.id, submission.uuid):
        raise Raced(ApiError(409, N_("Bản ghi với mã này đã có.")))
    entry_id = store.insert_entry(conn, {
        "ward_id": ward.id, "register_type_id": row.id, "client_uuid": submission.uuid,
        "attributes": clean, "neighbourhood_id": kp_id, "created_by": user.id,
        "updated_by": user.id}, writes.ewkt(geometry))
    return "register_entry", entry_id, notes


def describe_entry(conn, entity_id: int, *, ward_id: int) -> dict:
    """The answer body of a stored entry (``services.field.describe`` for this entity)."""
    found = store.entry_by_id(conn, ward_id, entity_id)
    url = f"/registers/{found.code}/{entity_id}" if found else None
    return {"id": entity_id, "entity": "register_entry", "url": url,
            "derived": {"neighbourhood": {"code": found.kp_code, "name": found.kp_name}
                        if found and found.kp_code else None}}


def save_entry(conn, ward, user_id, type_row, form, entry_id: int, uploads=(),
               remove=()) -> int:
    """A desk edit (the entry's page): attributes as typed, geometry as drawn (GeoJSON),
    photos added (``uploads``: ``(name, raw)``) and removed (``remove``: photo ids of this
    entry; others are ignored) — all of it or, ``Refused``, nothing."""
    payload = {k: form.get(k) for k in form
               if k not in ("csrf_token", "geometry", "geometry_mode", "street_ids", "lon", "lat",
                            "remove_photos")}
    for field in type_row.definition["fields"]:
        if field["kind"] == "yesno" and form.get(field["name"]):
            payload[field["name"]] = form.get(field["name"]) == "yes"
    drawn = form.get("geometry")
    if type_row.geometry_kind == "point":  # typed as lon / lat at the desk
        try:
            xy = [finite(form.get("lon")), finite(form.get("lat"))]
        except NumberRefused:
            raise Refused([("geometry", Message(N_("Kinh độ và vĩ độ phải là số.")))]) from None
        drawn = json.dumps({"type": "Point", "coordinates": xy})
    try:
        payload["geometry"] = json.loads(drawn) if drawn else None
    except ValueError:
        payload["geometry"] = None
    if payload["geometry"] and payload["geometry"].get("type") == "Feature":
        payload["geometry"] = payload["geometry"].get("geometry")
    geometry_json = payload.pop("geometry")
    kept = [p.id for p in photo_store.photos_of(conn, ward.id, "register_entry", entry_id)]
    wanted = set(remove)
    removed = [photo_id for photo_id in kept if photo_id in wanted]
    errors: list = []
    checked = _checked_photos(type_row.definition, uploads, errors)
    count = len(kept) - len(removed) + len(checked)
    if count > MAX_PHOTOS:
        errors.append(("photos", too_many_photos()))
    # An entry imported from a spreadsheet has no photos yet and stays editable; one that
    # has photos keeps at least one while its photo field is required.
    clean, geometry, kp_id, _notes, problems = _clean(
        conn, ward, type_row.definition, {"attributes": payload, "geometry": geometry_json},
        photos=count if kept else max(count, 1))
    errors = problems + errors
    if errors:
        raise Refused(errors)
    try:
        photos = [photo.clean() for photo in checked]  # the entry validated: decode now
    except PhotoError as err:
        raise Refused([("photos", err.args[0])]) from None
    store.update_entry(conn, ward.id, entry_id, {"attributes": clean, "neighbourhood_id": kp_id,
                                                 "updated_by": user_id}, writes.ewkt(geometry))
    for photo in photos:
        photo_id = photo_store.add_photo(
            conn, ward.id, "register_entry", entry_id, data=photo.data, content_type="image/jpeg",
            width=photo.width, height=photo.height, sha256=photo.sha256, user_id=user_id)
        records.audit(conn, ward.id, user_id, "add_register_photo", "register_entry", entry_id,
                      photo=photo_id, sha256=photo.sha256, register=type_row.code)
    for photo_id, sha256 in photo_store.remove_photos(conn, ward.id, "register_entry",
                                                      entry_id, removed):
        records.audit(conn, ward.id, user_id, "remove_register_photo", "register_entry",
                      entry_id, photo=photo_id, sha256=sha256, register=type_row.code)
    return entry_id


DELETE_REASON_LENGTH = (5, 500)


def delete_entry(conn, ward, user_id, type_row, entry, reason: str | None) -> None:
    """Remove ``entry`` (a row of ``store.entry``) and its photos, with a reason.

    A hard delete, not a "deleted" flag: a register lists what is there now, and a flag
    every reader (list, map, export, phone working set) must remember to filter is a leak
    waiting for one forgotten filter. What the entry was stays in the append-only audit log
    — its non-personal fields, geometry, reason and who — so the ward can always say what
    was removed; personal fields are not copied into a log that cannot be erased."""
    text = " ".join(tidy(reason or "").split())
    low, high = DELETE_REASON_LENGTH
    if not low <= len(text) <= high:
        raise Refused([("reason", Message(N_("Ghi lý do xóa, từ %(low)s đến %(high)s ký tự."),
                                          low=low, high=high))])
    kept = {f["name"]: entry.attributes.get(f["name"])
            for f in schema.public_fields(type_row.definition, personal=False)
            if f["kind"] != "photo"}
    photos = store.delete_entry(conn, ward.id, entry.id)
    records.audit(conn, ward.id, user_id, "register_entry_deleted", "register_entry", entry.id,
                  register=type_row.code, reason=text, attributes=kept,
                  geometry=json.loads(entry.geojson), photos=photos,
                  client_uuid=str(entry.client_uuid) if entry.client_uuid else None)


def _checked_photos(definition: dict, uploads, errors: list) -> list:
    """The headers of a desk edit's new photos (``photos.check_photos``); refused when the
    register has no photo field."""
    if uploads and not any(f["kind"] == "photo" for f in definition["fields"]):
        errors.append(("photos", Message(N_("Sổ này không có trường ảnh."))))
        return []
    return check_photos(list(uploads), errors)


def _filters(definition: dict, args) -> tuple[dict, dict]:
    """Choice, yes/no and date filters from the query string: (for SQL, as typed)."""
    choices, shown = {}, {}
    for field in schema.filterable(definition):
        name = field["name"]
        if field["kind"] == "choice" and args.get(name) in {c["value"] for c in field["choices"]}:
            choices[name] = shown[name] = args[name]
        elif field["kind"] == "yesno" and args.get(name) in ("yes", "no"):
            choices[name], shown[name] = args[name] == "yes", args[name]
    return choices, shown


def _day(raw) -> date | None:
    try:
        return date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def list_page(conn, ward, type_row, args, personal: bool, page: int = 1) -> dict:
    definition = type_row.definition
    choices, shown = _filters(definition, args)
    dates = [f["name"] for f in definition["fields"] if f["kind"] == "date"]
    date_field = args.get("date_field") if args.get("date_field") in dates else None
    date_from, date_to = _day(args.get("from")), _day(args.get("to"))
    found, total = store.list_entries(
        conn, ward.id, type_row.id, choices=choices, date_field=date_field,
        date_from=date_from, date_to=date_to, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    fields = schema.public_fields(definition, personal)
    return {"entries": found, "total": total, "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)), "fields": fields,
            "filters": schema.filterable(definition), "chosen": shown,
            "date_field": date_field, "date_from": date_from, "date_to": date_to,
            "cells": {e.id: [values.display(f, e.attributes.get(f["name"])) for f in fields
                             if f["kind"] != "photo"] for e in found}}


def map_features(conn, ward, type_row, bbox) -> dict:
    """The entries in ``bbox`` as a GeoJSON collection, without personal fields."""
    fields = schema.public_fields(type_row.definition, personal=False)
    found = store.entries_in_bbox(conn, ward.id, type_row.id, bbox, MAP_LIMIT)
    return {"type": "FeatureCollection", "register": {
                "code": type_row.code, "name": type_row.name,
                "symbol": type_row.definition["symbol"],
                "geometry": type_row.geometry_kind},
            "features": [rows.feature(e.id, json.loads(e.geojson), e.attributes, fields)
                         for e in found],
            "truncated": len(found) >= MAP_LIMIT}


def export_rows(conn, ward, type_row, personal: bool, user_id) -> tuple[list, list[list]]:
    """Header and rows of the whole register for XLSX/CSV (cells go through
    ``geo.spreadsheet`` in the view); personal fields only when allowed, audited."""
    fields = schema.public_fields(type_row.definition, personal)
    found, _total = store.list_entries(conn, ward.id, type_row.id, limit=None)
    if personal and any(f.get("personal") for f in fields):
        records.audit(conn, ward.id, user_id, "export_personal_data", "register_type",
                      type_row.id, rows=len(found))
    return rows.header_row(type_row.definition, fields), [
        rows.export_row(e.id, shapely.from_geojson(e.geojson), e.attributes, fields)
        for e in found]


def import_rows(conn, ward, user_id, type_row, headers: list, data: list[list]) -> dict:
    """All or nothing: every row checked (and placed in the ward) before one is stored.
    ``{"stored": n}`` or ``{"errors": [(row, column, message)]}`` (nothing stored)."""
    clean, errors = rows.check_rows(type_row.definition, headers, data)
    placed = []
    for row in clean:
        if row["geometry"] is None:
            continue
        kp_id, _notes, problems = _placed(conn, ward, row["geometry"])
        errors += [(row["row"], Message(N_("vị trí")), message) for _, message in problems]
        placed.append({"ward_id": ward.id, "register_type_id": type_row.id,
                       "attributes": row["attributes"], "neighbourhood_id": kp_id,
                       "created_by": user_id, "updated_by": user_id,
                       "geom": writes.ewkt(row["geometry"])})
    if errors:
        return {"errors": sorted(errors, key=lambda e: (e[0], str(e[1])))}
    store.insert_entries(conn, placed)
    records.audit(conn, ward.id, user_id, "import_register", "register_type", type_row.id,
                  rows=len(placed))
    return {"stored": len(placed)}
